/**
 * Talking to /graphql: every operation is a file of cms/admin/operations, sent by the
 * SHA-256 of its text (persisted query), with the CSRF header and the session cookie.
 *
 * `query(name, variables)` resolves to `data` or throws an ApiError. `mutate(name, variables)`
 * resolves to the mutation's payload (`{post, errors}`): expected failures are data there.
 * A 401 means the session is over: the page goes to sign-in, coming back here afterwards.
 */

import { ADMIN, config, signInPath } from "./config.js";

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {{status?: number, code?: string, errors?: object[]}} details
   */
  constructor(message, { status = 0, code = "", errors = [] } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

const texts = new Map();

/** The text of an operation (for the WebSocket, and for a server that does not know its hash). */
export async function operationText(name) {
  if (!texts.has(name)) {
    const response = await fetch(`${ADMIN}/operations/${name}.graphql`, {
      credentials: "same-origin",
    });
    if (!response.ok) throw new ApiError(`No operation ${name}`, { status: response.status });
    texts.set(name, await response.text());
  }
  return texts.get(name);
}

/** Leave for the sign-in page, asking to come back to where the writer was. */
export function toSignIn() {
  const here = location.pathname + location.search;
  location.assign(`${signInPath}?next=${encodeURIComponent(here)}`);
}

/** The headers every request of the app carries (also used to prove what a page may do). */
export function appHeaders() {
  return {
    "content-type": "application/json",
    accept: "application/json",
    [config.csrfHeader || "x-cinq-csrf"]: "1",
  };
}

async function send(body) {
  let response;
  try {
    response = await fetch(config.graphqlPath || "/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: appHeaders(),
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(String(error.message || error), { code: "NETWORK" });
  }
  if (response.status === 401) {
    toSignIn();
    throw new ApiError("Signed out", { status: 401, code: "UNAUTHENTICATED" });
  }
  let json;
  try {
    json = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status}`, { status: response.status, code: "HTTP" });
  }
  return { status: response.status, json };
}

function codeOf(errors) {
  return errors?.[0]?.extensions?.code || "";
}

/**
 * Run operation `name` and resolve to its `data`.
 * @param {string} name
 * @param {object} variables
 */
export async function query(name, variables = {}) {
  const hash = config.operations?.[name];
  const body = { operationName: name, variables };
  if (hash) body.extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
  else body.query = await operationText(name);
  let { status, json } = await send(body);
  if (codeOf(json.errors) === "PERSISTED_QUERY_NOT_FOUND") {
    body.query = await operationText(name);
    ({ status, json } = await send(body));
  }
  if (json.errors?.length) {
    throw new ApiError(json.errors[0].message || "GraphQL error", {
      status,
      code: codeOf(json.errors),
      errors: json.errors,
    });
  }
  if (!json.data) throw new ApiError(`HTTP ${status}`, { status, code: "HTTP" });
  return json.data;
}

/**
 * Run a document written by hand (the explorer) and resolve to the whole answer, errors
 * included: `{data, errors}`. Only a network failure or a non-JSON answer throws.
 */
export async function runDocument(text, variables = {}, operationName = null) {
  const body = { query: text, variables };
  if (operationName) body.operationName = operationName;
  const { json } = await send(body);
  return json;
}

/**
 * Run mutation `name` and resolve to its payload (the one field of `data`):
 * `{post, errors: [{field, code, message, currentVersion}]}`.
 */
export async function mutate(name, variables = {}) {
  const data = await query(name, variables);
  const payload = Object.values(data)[0] || {};
  payload.errors = payload.errors || [];
  return payload;
}

/** The first VERSION_CONFLICT of a payload's errors, if any. */
export function versionConflict(payload) {
  return payload.errors.find((error) => error.code === "VERSION_CONFLICT") || null;
}
