// Audits a running Cinq against the GraphQL-over-HTTP specification with the reference
// `graphql-http` client. Run the server with CMS_DEBUG=true (some audits introspect), then:
//   npm install --no-save graphql graphql-http && node scripts/graphql-http-audit.mjs http://127.0.0.1:8000/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2] ?? 'http://127.0.0.1:8000/graphql';
const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}\n  ${result.reason}`);
  }
}
console.log(Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' '));
process.exit(counts.error ? 1 : 0);
