/**
 * What the editor does to a post besides saving its text: publish, unpublish, schedule, mint
 * a preview link, move it to the trash. Each sends the version the editor holds; unsaved text
 * is saved first, and a conflict goes through the conflict screen.
 */

import { announce } from "../announce.js";
import { mutate, versionConflict } from "../api.js";
import { ADMIN } from "../config.js";
import { confirmDialog } from "../dialogs.js";
import { clearDraft } from "../drafts.js";
import { errorText } from "../fields.js";
import { t } from "../i18n.js";
import { navigate } from "../router.js";
import { askPublish, askSchedule, askUnpublish, showPreviewLink } from "./publishing.js";

/**
 * @param {{state: object, locale: string, where: object, form: object,
 *   saver: {save: () => Promise<boolean>, took: (post: object) => void,
 *     resolveConflict: (mine: object) => Promise<boolean>},
 *   refresh: () => void}} editor
 */
export function postActions({ state, locale, where, form, saver, refresh }) {
  async function run(name, variables, done) {
    if (state.dirty && !(await saver.save())) return false;
    const payload = await mutate(name, { id: state.post.id, expectedVersion: state.version, locale, ...variables });
    if (versionConflict(payload)) {
      await saver.resolveConflict(form.read());
      announce(t("editor.tryAgain"));
      return false;
    }
    if (payload.errors.length) {
      announce(payload.errors.map(errorText).join(" "), { error: true });
      return false;
    }
    saver.took(payload.post);
    refresh();
    announce(done);
    return true;
  }

  return {
    async publish() {
      if (state.dirty && !(await saver.save())) return;
      const choice = await askPublish(state.post);
      if (choice) await run("PublishPost", choice, t("publish.done"));
    },
    async unpublish() {
      const choice = await askUnpublish(state.post);
      if (choice) await run("UnpublishPost", choice, t("unpublish.done"));
    },
    async schedule() {
      const choice = await askSchedule(state.post);
      if (choice) await run("SchedulePost", choice, t("schedule.done"));
    },
    async previewLink() {
      const payload = await mutate("CreatePreviewToken", { postId: state.post.id, locale });
      if (payload.errors.length || !payload.previewUrl) {
        announce(payload.errors.length ? errorText(payload.errors[0]) : t("previewLink.none"), { error: true });
        return;
      }
      await showPreviewLink({ previewUrl: payload.previewUrl, expiresAt: payload.token?.expiresAt });
    },
    async trash() {
      const sure = await confirmDialog({
        title: t("trash.moveTitle"),
        message: t("trash.moveMessage", { title: state.post.title }),
        confirm: t("editor.trash"),
        danger: true,
      });
      if (!sure) return;
      const payload = await mutate("DeletePost", { id: state.post.id, expectedVersion: state.version });
      if (versionConflict(payload)) {
        await saver.resolveConflict(form.read());
        return;
      }
      if (payload.errors.length) {
        announce(errorText(payload.errors[0]), { error: true });
        return;
      }
      clearDraft(where);
      await navigate(`${ADMIN}/trash`);
      announce(t("trash.moved", { title: state.post.title }));
    },
  };
}
