"""The change log, and the triggers that append to it on every write of content.

Each tracked table names the object a change belongs to (a translation's change is its post's
change). On PostgreSQL, the trigger also notifies the ``cinq_content_change`` channel; a
notification is delivered at commit, once per transaction, so listeners learn of a write the
moment it becomes visible.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# table, kind of object, column holding the object's id, whether the table is the object's own
TRACKED = [
    ("post", "post", "id", True),
    ("post_translation", "post", "post_id", False),
    ("post_tag", "post", "post_id", False),
    ("post_event", "post", "post_id", False),
    ("post_event", "event", "event_id", False),
    ("category", "category", "id", True),
    ("category_translation", "category", "category_id", False),
    ("tag", "tag", "id", True),
    ("tag_translation", "tag", "tag_id", False),
    ("author", "author", "id", True),
    ("author_translation", "author", "author_id", False),
    ("media", "media", "id", True),
    ("event", "event", "id", True),
    ("event_translation", "event", "event_id", False),
    ("event_override", "event", "event_id", False),
    ("event_tag", "event", "event_id", False),
    ("organizer", "organizer", "id", True),
    ("organizer_translation", "organizer", "organizer_id", False),
    ("venue", "venue", "id", True),
]

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cinq_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
    action text := 'updated';
BEGIN
    IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
    IF TG_ARGV[2] = 'own' THEN
        action := CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'DELETE' THEN 'deleted'
                  ELSE 'updated' END;
    END IF;
    INSERT INTO content_change (kind, object_id, action)
        VALUES (TG_ARGV[0], (changed ->> TG_ARGV[1])::integer, action);
    PERFORM pg_notify('cinq_content_change', '');
    RETURN NULL;
END
$$
"""


def _name(table: str, kind: str) -> str:
    return f"content_change_{table}_{kind}"


def _sqlite_triggers(table: str, kind: str, column: str, own: bool) -> list[str]:
    statements = []
    for op, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        action = {"INSERT": "created", "UPDATE": "updated", "DELETE": "deleted"}[op]
        statements.append(
            f'CREATE TRIGGER "{_name(table, kind)}_{op.lower()}" AFTER {op} ON "{table}" '
            "FOR EACH ROW BEGIN INSERT INTO content_change (kind, object_id, action) "
            f"VALUES ('{kind}', {row}.\"{column}\", '{action if own else 'updated'}'); END"
        )
    return statements


def _postgres_trigger(table: str, kind: str, column: str, own: bool) -> str:
    return (
        f'CREATE TRIGGER "{_name(table, kind)}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION cinq_log_change('{kind}', '{column}', "
        f"'{'own' if own else 'child'}')"
    )


async def create_triggers(apps, schema_editor) -> None:
    if schema_editor.client.capabilities.dialect == "postgres":
        statements = [_PG_FUNCTION] + [_postgres_trigger(*row) for row in TRACKED]
    else:
        statements = [sql for row in TRACKED for sql in _sqlite_triggers(*row)]
    for sql in statements:
        await schema_editor.client.execute_script(sql)


async def drop_triggers(apps, schema_editor) -> None:
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    for table, kind, _column, _own in TRACKED:
        if postgres:
            await schema_editor.client.execute_script(
                f'DROP TRIGGER IF EXISTS "{_name(table, kind)}" ON "{table}"'
            )
        else:
            for op in ("insert", "update", "delete"):
                await schema_editor.client.execute_script(
                    f'DROP TRIGGER IF EXISTS "{_name(table, kind)}_{op}"'
                )
    if postgres:
        await schema_editor.client.execute_script("DROP FUNCTION IF EXISTS cinq_log_change()")


class Migration(migrations.Migration):
    dependencies = [("models", "0004_events")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ContentChange",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("kind", fields.CharField(max_length=16)),
                ("object_id", fields.IntField()),
                ("action", fields.CharField(max_length=8)),
            ],
            options={"table": "content_change", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
