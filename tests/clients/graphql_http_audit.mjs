// Audits a running Cinq against the GraphQL-over-HTTP specification with the reference
// `graphql-http` client, and prints the counts as JSON (each non-ok result is printed first).
// Some audits introspect: give an editor's token when the server runs without CMS_DEBUG, since
// production opens introspection to editors only.
//   npm ci --prefix tests/clients
//   node tests/clients/graphql_http_audit.mjs http://127.0.0.1:8000/graphql [EDITOR_TOKEN]
import { auditServer } from "graphql-http";

const url = process.argv[2] ?? "http://127.0.0.1:8000/graphql";
const token = process.argv[3];
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== "ok") {
    console.error(`${result.status.toUpperCase()} ${result.id} ${result.name}\n  ${result.reason}`);
  }
}
console.log(JSON.stringify({ total: results.length, ...counts }));
process.exit(counts.error ? 1 : 0);
