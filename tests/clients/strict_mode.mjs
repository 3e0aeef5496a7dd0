// Apollo Client against a server in strict persisted-query mode (anonymous clients run only
// the site's operations): by automatic persisted queries, hashing the document as Apollo
// sends it, then by a manifest from `cms operations manifest`, sending ids only.
// Prints what each way got.
//
//   node strict_mode.mjs http://127.0.0.1:8000/graphql FrontPage.graphql manifest.json

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";

const [url, operationFile, manifestFile] = process.argv.slice(2);
const frontPage = gql(readFileSync(operationFile, "utf8"));
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const sent = [];
const recordingFetch = async (uri, options) => {
  const body = options.body ? JSON.parse(options.body) : null;
  sent.push({ method: options.method, query: Boolean(body?.query) || String(uri).includes("query=") });
  return fetch(uri, options);
};

function client(persisted) {
  return new ApolloClient({
    link: persisted.concat(new HttpLink({ uri: url, fetch: recordingFetch })),
    cache: new InMemoryCache(),
  });
}

async function run(apollo, query) {
  try {
    const result = await apollo.query({ query, variables: { locale: "fr-CA" } });
    return { posts: result.data.posts.edges.length };
  } catch (error) {
    const refused = error.networkError?.result?.errors ?? error.graphQLErrors ?? [];
    return { error: refused[0]?.extensions?.code ?? String(error) };
  }
}

const byHash = client(createPersistedQueryLink({ sha256, useGETForHashedQueries: true }));
const automatic = await run(byHash, frontPage);
const automaticSent = sent.splice(0);

const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
const byId = client(
  createPersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest })),
);
const fromManifest = await run(byId, frontPage);
const manifestSent = sent.splice(0);

const unknown = await run(
  client(createPersistedQueryLink({ sha256 })),
  gql`query Unknown($locale: String) { posts(locale: $locale) { edges { node { id } } } }`,
);

process.stdout.write(
  JSON.stringify({ automatic, automaticSent, fromManifest, manifestSent, unknown }) + "\n",
);
