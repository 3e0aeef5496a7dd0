/**
 * A small graphql-transport-ws client for `contentChanged`.
 *
 * One socket for the page, opened on the first subscription and closed after the last.
 * The session cookie authenticates it (connection_init carries `{}`). It answers pings, and
 * after a drop reconnects with growing delays (1 s, 2 s, 4 s... up to 30 s), subscribing
 * again to what was running; `onReconnect` hooks let views re-read what they show, since
 * changes made while the socket was down were not heard.
 */

const PROTOCOL = "graphql-transport-ws";
const MAX_DELAY = 30_000;

let socket = null;
let acknowledged = false;
let attempt = 0;
let timer = null;
let nextId = 1;
/** @type {Map<string, {payload: object, sink: {next?: Function, error?: Function, complete?: Function, reconnected?: Function}}>} */
const active = new Map();

function url() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/graphql`;
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function connect() {
  clearTimeout(timer);
  acknowledged = false;
  const ws = new WebSocket(url(), PROTOCOL);
  socket = ws;
  ws.addEventListener("open", () => send({ type: "connection_init", payload: {} }));
  ws.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    const entry = message.id ? active.get(message.id) : null;
    switch (message.type) {
      case "connection_ack": {
        acknowledged = true;
        const reconnected = attempt > 0;
        attempt = 0;
        for (const [id, { payload, sink }] of active) {
          send({ id, type: "subscribe", payload });
          if (reconnected) sink.reconnected?.();
        }
        break;
      }
      case "ping":
        send({ type: "pong", payload: message.payload });
        break;
      case "next":
        entry?.sink.next?.(message.payload);
        break;
      case "error":
        active.delete(message.id);
        entry?.sink.error?.(message.payload);
        break;
      case "complete":
        active.delete(message.id);
        entry?.sink.complete?.();
        break;
      default:
        break;
    }
  });
  ws.addEventListener("close", () => {
    if (socket !== ws) return;
    socket = null;
    acknowledged = false;
    if (!active.size) return;
    const delay = Math.min(MAX_DELAY, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    attempt += 1;
    timer = setTimeout(connect, delay);
  });
}

/**
 * Subscribe to `query` (a subscription's text) with `variables`.
 * @param {{next?: (payload: object) => void, error?: (errors: object[]) => void,
 *   complete?: () => void, reconnected?: () => void}} sink
 * @returns {() => void} stops the subscription
 */
export function subscribe(query, variables, sink) {
  const id = String(nextId++);
  const payload = { query, variables };
  active.set(id, { payload, sink });
  if (!socket) connect();
  else if (acknowledged) send({ id, type: "subscribe", payload });
  return () => {
    if (!active.delete(id)) return;
    send({ id, type: "complete" });
    if (!active.size && socket) {
      const ws = socket;
      socket = null;
      clearTimeout(timer);
      ws.close(1000, "done");
    }
  };
}
