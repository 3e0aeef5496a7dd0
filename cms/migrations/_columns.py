"""Operations shared by migrations (a module whose name starts with "_" is not one)."""

from tortoise.migrations import operations as ops


class AddColumn(ops.AddField):
    """An added field whose undoing drops the column in place, on SQLite too.

    Tortoise undoes a field on SQLite by rebuilding the table; dropping the old table then
    deletes every row that cascades from it (a post's translations, revisions and links; an
    account's tokens), and the rebuilt table lacks its indexes and triggers. Use it for columns
    that carry no index, key or constraint: SQLite's own DROP COLUMN (3.35 and later) removes
    them in place, as other databases do.
    """

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is None or state_editor.client.capabilities.dialect != "sqlite":
            return await super().database_backward(app_label, old_state, new_state, state_editor)
        model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
        await state_editor.client.execute_query(
            f'ALTER TABLE "{model._meta.db_table}" DROP COLUMN "{self.name}"'
        )
