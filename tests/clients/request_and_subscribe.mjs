// graphql-request reads and writes; graphql-ws hears the write. A subscriber follows a post's
// changes over graphql-transport-ws (its token in connection_init), a writer renames the
// post over HTTP, and the subscriber is told. Prints what each saw.
//
//   node request_and_subscribe.mjs http://127.0.0.1:8000/graphql POST_ID TOKEN

import { GraphQLClient, request } from "graphql-request";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, postId, token] = process.argv.slice(2);

const read = await request(url, `query($id: ID!) { post(id: $id, locale: "fr-CA") { title version } }`, {
  id: postId,
});

const socket = createClient({
  url: url.replace(/^http/, "ws"),
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
});
const heard = new Promise((resolve, reject) => {
  const stop = socket.subscribe(
    { query: `subscription($ids: [ID!]) { contentChanged(kinds: [POST], ids: $ids) { kind id action } }`, variables: { ids: [postId] } },
    { next: (message) => { stop(); resolve(message.data.contentChanged); }, error: reject, complete: () => {} },
  );
});
// The subscription is live once the server acknowledged it: give it a moment, then write.
await new Promise((resolve) => setTimeout(resolve, 500));
const writer = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });
const written = await writer.request(
  `mutation($id: ID!, $v: Int!) {
     upsertTranslation(postId: $id, expectedVersion: $v,
                       input: {locale: "fr-CA", title: "Renommé", body: "Bonjour."}) {
       post { title } errors { code }
     }
   }`,
  { id: postId, v: read.post.version },
);
const change = await heard;
await socket.dispose();
process.stdout.write(JSON.stringify({ read: read.post.title, written: written.upsertTranslation, change }) + "\n");
