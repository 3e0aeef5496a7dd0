"""Translations record the text they follow; posts, the locale they were first written in.

Existing rows get what the authoring service would have recorded: every translation is at
text version 1; a post's source is its oldest translation, the default locale (fr-CA) among
those written with it (within a second, as a create writes them) winning, as when a post is
created; every other translation follows that source at version 1, so none starts outdated.

The rule is written here rather than imported, so this migration stays what it was when the
application changes.
"""

from datetime import datetime, timedelta

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

from cms.migrations._columns import AddColumn

# The default locale when this migration was written.
_PREFERRED = "fr-CA"
# Translations written by one create are this close together.
_TOGETHER = timedelta(seconds=1)
_CHUNK = 500


def _when(value) -> datetime:
    # SQLite hands timestamps back as text.
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _sources(rows) -> dict[int, str]:
    by_post: dict[int, list] = {}
    for row in rows:
        by_post.setdefault(row["post_id"], []).append(row)
    sources = {}
    for post_id, translations in by_post.items():
        ordered = sorted(translations, key=lambda t: (_when(t["created_at"]), t["id"]))
        first = _when(ordered[0]["created_at"])
        together = [t for t in ordered if _when(t["created_at"]) - first <= _TOGETHER]
        preferred = [t for t in together if t["locale"] == _PREFERRED]
        sources[post_id] = (preferred or together)[0]["locale"]
    return sources


async def forward(apps, schema_editor) -> None:
    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"

    def marks(count: int, start: int = 1) -> str:
        return ", ".join("?" if sqlite else f"${n}" for n in range(start, start + count))

    rows = await client.execute_query_dict(
        "SELECT id, post_id, locale, created_at FROM post_translation"
    )
    by_locale: dict[str, list[int]] = {}
    for post_id, locale in _sources(rows).items():
        by_locale.setdefault(locale, []).append(post_id)
    for locale, post_ids in by_locale.items():
        for start in range(0, len(post_ids), _CHUNK):
            chunk = post_ids[start : start + _CHUNK]
            await client.execute_query(
                f"UPDATE post SET source_locale = {marks(1)} "
                f"WHERE id IN ({marks(len(chunk), 2)})",
                [locale, *chunk],
            )
    await client.execute_query(
        "UPDATE post_translation SET source_version = 1, source_locale = "
        "(SELECT p.source_locale FROM post p WHERE p.id = post_translation.post_id) "
        "WHERE locale <> (SELECT p.source_locale FROM post p WHERE p.id = post_translation.post_id)"
    )


async def backward(apps, schema_editor) -> None:
    """Nothing to undo: the columns go with the fields."""


class Migration(migrations.Migration):
    dependencies = [('models', '0008_sign_in')]

    initial = False

    operations = [
        AddColumn(
            model_name='Post',
            name='source_locale',
            field=fields.CharField(null=True, max_length=35),
        ),
        AddColumn(
            model_name='PostTranslation',
            name='source_locale',
            field=fields.CharField(null=True, max_length=35),
        ),
        AddColumn(
            model_name='PostTranslation',
            name='source_version',
            field=fields.IntField(null=True),
        ),
        AddColumn(
            model_name='PostTranslation',
            name='text_version',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.RunPython(forward, backward),
    ]
