/**
 * Hearing of other people's saves while a post is open: a `contentChanged` subscription for
 * this post; on each change the post's version is read and compared with the versions this
 * editor loaded or saved itself, so the writer's own saves never raise the alarm.
 */

import { operationText, query } from "../api.js";
import { subscribe } from "../live.js";

/**
 * @param {string} postId
 * @param {{known: () => number, own: (version: number) => boolean, busy: () => boolean,
 *   changed: (version: number|null) => void}} hooks `busy` while a save is in flight:
 *   the check waits for `recheck()` after it
 * @returns {{stop: () => void, recheck: () => Promise<void>}}
 */
export function watchPost(postId, hooks) {
  let stopped = false;
  let pending = false;
  let unsubscribe = () => {};

  async function check() {
    if (stopped) return;
    if (hooks.busy()) {
      pending = true;
      return;
    }
    pending = false;
    let data;
    try {
      data = await query("PostVersion", { id: postId });
    } catch {
      return;
    }
    if (stopped) return;
    const version = data.post?.version ?? null;
    if (version === null || (version > hooks.known() && !hooks.own(version))) hooks.changed(version);
  }

  operationText("ContentChanged")
    .then((text) => {
      if (stopped) return;
      unsubscribe = subscribe(text, { ids: [postId] }, {
        next: () => check(),
        reconnected: () => check(),
        error: (errors) => console.warn("contentChanged", errors),
      });
    })
    .catch((error) => console.warn(error));

  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
    async recheck() {
      if (pending) await check();
    },
  };
}
