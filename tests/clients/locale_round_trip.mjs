// The same post read in French, then in English, then in French again from the client's
// cache, by Apollo Client and by urql's graphcache: once with their default identities (a
// post is cached by its typename and id, whatever its locale), once with the type policies
// the README gives (id and requestedLocale). Prints what each French read from the cache said.
//
//   node locale_round_trip.mjs http://127.0.0.1:8000/graphql POST_ID

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { Client, fetchExchange } from "@urql/core";
import { cacheExchange } from "@urql/exchange-graphcache";

const [url, postId] = process.argv.slice(2);
const QUERY = `
  query Post($id: ID!, $locale: String!) {
    post(id: $id, locale: $locale) {
      id
      requestedLocale
      resolvedLocale
      title
      category { id requestedLocale name }
    }
  }
`;

// What a bilingual site gives its client: a translated object is one per requested locale.
const TRANSLATED = ["Post", "Event", "Category", "Tag", "Author", "Organizer"];
const apolloPolicies = Object.fromEntries(
  TRANSLATED.map((type) => [type, { keyFields: ["id", "requestedLocale"] }]),
);
const urqlKeys = Object.fromEntries(
  TRANSLATED.map((type) => [type, (data) => `${data.id}:${data.requestedLocale}`]),
);

async function apollo(typePolicies) {
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, fetch }),
    cache: new InMemoryCache({ typePolicies }),
  });
  const query = gql(QUERY);
  for (const locale of ["fr-CA", "en-CA"]) {
    await client.query({ query, variables: { id: postId, locale }, fetchPolicy: "network-only" });
  }
  const again = await client.query({
    query, variables: { id: postId, locale: "fr-CA" }, fetchPolicy: "cache-only",
  });
  return { title: again.data.post.title, category: again.data.post.category?.name ?? null };
}

async function urql(keys) {
  const client = new Client({ url, exchanges: [cacheExchange({ keys }), fetchExchange] });
  for (const locale of ["fr-CA", "en-CA"]) {
    const result = await client
      .query(QUERY, { id: postId, locale }, { requestPolicy: "network-only" })
      .toPromise();
    if (result.error) throw result.error;
  }
  const again = await client
    .query(QUERY, { id: postId, locale: "fr-CA" }, { requestPolicy: "cache-only" })
    .toPromise();
  return { title: again.data.post.title, category: again.data.post.category?.name ?? null };
}

const results = {
  apolloDefault: await apollo({}),
  apolloWithPolicies: await apollo(apolloPolicies),
  urqlDefault: await urql({}),
  urqlWithKeys: await urql(urqlKeys),
};
process.stdout.write(JSON.stringify(results) + "\n");
