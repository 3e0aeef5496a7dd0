"""The change log, and the triggers that append to it on every write of content.

Each tracked table names the object a change belongs to (a translation's change is its post's
change). On PostgreSQL, the trigger also notifies the ``cinq_content_change`` channel; a
notification is delivered at commit, once per transaction, so listeners learn of a write the
moment it becomes visible.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

CHANNEL = "cinq_content_change"

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


def _name(table: str, kind: str) -> str:
    return f"content_change_{table}_{kind}"


def _actions(own: bool) -> dict[str, str]:
    if own:
        return {"INSERT": "created", "UPDATE": "updated", "DELETE": "deleted"}
    return {"INSERT": "updated", "UPDATE": "updated", "DELETE": "updated"}


def _sqlite_triggers(table: str, kind: str, column: str, own: bool) -> list[str]:
    statements = []
    for op, action in _actions(own).items():
        row = "OLD" if op == "DELETE" else "NEW"
        statements.append(
            f'CREATE TRIGGER "{_name(table, kind)}_{op.lower()}" AFTER {op} ON "{table}" '
            "FOR EACH ROW BEGIN INSERT INTO content_change (kind, object_id, action) "
            f"VALUES ('{kind}', {row}.\"{column}\", '{action}'); END"
        )
    return statements


def _postgres_trigger(table: str, kind: str, column: str, own: bool) -> list[str]:
    # One function per table, reading its one column: no row is serialized whole.
    name = _name(table, kind)
    actions = _actions(own)
    return [
        f"""CREATE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO content_change (kind, object_id, action)
            VALUES ('{kind}', OLD."{column}", '{actions["DELETE"]}');
    ELSE
        INSERT INTO content_change (kind, object_id, action)
            VALUES ('{kind}', NEW."{column}",
                    CASE TG_OP WHEN 'INSERT' THEN '{actions["INSERT"]}'
                    ELSE '{actions["UPDATE"]}' END);
    END IF;
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END
$$""",
        f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f'FOR EACH ROW EXECUTE FUNCTION "{name}"()',
    ]


async def create_triggers(apps, schema_editor) -> None:
    # execute_query, not execute_script: a script commits, and the migration must not.
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    make = _postgres_trigger if postgres else _sqlite_triggers
    for row in TRACKED:
        for sql in make(*row):
            await schema_editor.client.execute_query(sql)


async def drop_triggers(apps, schema_editor) -> None:
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    for table, kind, _column, _own in TRACKED:
        name = _name(table, kind)
        if postgres:
            await schema_editor.client.execute_query(
                f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"'
            )
            await schema_editor.client.execute_query(f'DROP FUNCTION IF EXISTS "{name}"()')
        else:
            for op in ("insert", "update", "delete"):
                await schema_editor.client.execute_query(f'DROP TRIGGER IF EXISTS "{name}_{op}"')


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
