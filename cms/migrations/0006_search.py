"""Full-text search over post and event translations, kept in sync by database triggers.

Each translation table gets a search index maintained by triggers, so every write (mutations,
the scheduler, the demo loader, revision restores, cascading deletes) updates it in the same
transaction, whatever code path made it. Visibility (published, not trashed) is not indexed:
searches join the live rows, so publishing or trashing needs no reindexing.

SQLite: an external-content FTS5 table per translation table (the text is stored once, in the
translation row), tokenized by ``unicode61 remove_diacritics 2`` (accents folded) under the
Porter stemmer.

PostgreSQL: a table of weighted ``tsvector`` documents per translation table (title A,
excerpt or summary B, body or description C) with a GIN index, built with text search
configurations that put the ``unaccent`` dictionary before the language's stemmer, so
documents, queries and highlighted snippets all fold accents the same way. The locale picks
the configuration: ``fr-*`` French, ``en-*`` English, any other the simple one.

The SQL is written here rather than imported, so this migration stays what it was when the
application changes.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

# (index table, translation table, its (title, excerpt, body) columns)
_TABLES = (
    ("post_search", "post_translation", ("title", "excerpt", "body_text")),
    ("event_search", "event_translation", ("title", "summary", "description_text")),
)

_SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


def _sqlite_forward() -> list[str]:
    statements = []
    for index, source, columns in _TABLES:
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        # External content: FTS5 reads the text back from the translation row (for snippets),
        # and must be told the old values to remove a row from its index.
        remove = f"INSERT INTO {index} ({index}, rowid, {names}) VALUES ('delete', old.id, {old});"
        add = f"INSERT INTO {index} (rowid, {names}) VALUES (new.id, {new});"
        statements += [
            f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{source}', "
            f"content_rowid='id', tokenize='{_SQLITE_TOKENIZER}')",
            f"CREATE TRIGGER {index}_insert AFTER INSERT ON {source} BEGIN {add} END",
            f"CREATE TRIGGER {index}_delete AFTER DELETE ON {source} BEGIN {remove} END",
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {source} "
            f"WHEN {changed} BEGIN {remove} {add} END",
            f"INSERT INTO {index} ({index}) VALUES ('rebuild')",
        ]
    return statements


def _sqlite_backward() -> list[str]:
    # The triggers belong to the translation tables: dropping the index alone would leave
    # them firing into a missing table.
    return [
        statement
        for index, _, _ in _TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {index}_insert",
            f"DROP TRIGGER IF EXISTS {index}_delete",
            f"DROP TRIGGER IF EXISTS {index}_update",
            f"DROP TABLE IF EXISTS {index}",
        )
    ]


_POSTGRES_SETUP = [
    # A trusted extension since PostgreSQL 13: the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION search_french (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION search_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "CREATE TEXT SEARCH CONFIGURATION search_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION search_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION search_simple (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION search_simple "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    """
    CREATE FUNCTION search_config(locale text) RETURNS regconfig
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE split_part(lower(locale), '-', 1)
            WHEN 'fr' THEN 'search_french'
            WHEN 'en' THEN 'search_english'
            ELSE 'search_simple'
        END::regconfig
    $$
    """,
    # PostgreSQL's parser reads "<…>" as an XML tag and drops it (and what a <script> holds)
    # from documents and headlines; this is plain text, so "<" is swapped for a character the
    # parser treats as a space, and swapped back in snippets by the application.
    """
    CREATE FUNCTION search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT replace(coalesce(value, ''), '<', U&'\\E000')
    $$
    """,
    """
    CREATE FUNCTION search_document(locale text, title text, excerpt text, body text)
    RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector(search_config(locale), search_text(title)), 'A')
            || setweight(to_tsvector(search_config(locale), search_text(excerpt)), 'B')
            || setweight(to_tsvector(search_config(locale), search_text(body)), 'C')
    $$
    """,
]


def _postgres_forward() -> list[str]:
    statements = list(_POSTGRES_SETUP)
    for index, source, (title, excerpt, body) in _TABLES:
        document = f"search_document(NEW.locale, NEW.{title}, NEW.{excerpt}, NEW.{body})"
        watched = ("locale", title, excerpt, body)
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
        statements += [
            # Rows go with their translation (deletes and TRUNCATE … CASCADE alike).
            f"CREATE TABLE {index} ("
            f"translation_id integer PRIMARY KEY REFERENCES {source} (id) ON DELETE CASCADE, "
            "document tsvector NOT NULL)",
            f"CREATE INDEX {index}_document ON {index} USING gin (document)",
            f"""
            CREATE FUNCTION {index}_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {index} (translation_id, document) VALUES (NEW.id, {document})
                ON CONFLICT (translation_id) DO UPDATE SET document = EXCLUDED.document;
                RETURN NULL;
            END
            $$
            """,
            f"CREATE TRIGGER {index}_insert AFTER INSERT ON {source} "
            f"FOR EACH ROW EXECUTE FUNCTION {index}_refresh()",
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF {', '.join(watched)} ON {source} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {index}_refresh()",
            f"INSERT INTO {index} (translation_id, document) "
            f"SELECT id, search_document(locale, {title}, {excerpt}, {body}) FROM {source}",
        ]
    return statements


def _postgres_backward() -> list[str]:
    statements = []
    for index, source, _ in _TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {index}_insert ON {source}",
            f"DROP TRIGGER IF EXISTS {index}_update ON {source}",
            f"DROP FUNCTION IF EXISTS {index}_refresh()",
            f"DROP TABLE IF EXISTS {index}",
        ]
    # The unaccent extension stays: other things may use it.
    return [
        *statements,
        "DROP FUNCTION IF EXISTS search_document(text, text, text, text)",
        "DROP FUNCTION IF EXISTS search_text(text)",
        "DROP FUNCTION IF EXISTS search_config(text)",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS search_french",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS search_english",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS search_simple",
    ]


async def _run(schema_editor, sqlite: list[str], postgres: list[str]) -> None:
    client = schema_editor.client
    statements = sqlite if client.capabilities.dialect == "sqlite" else postgres
    # One statement per call: SQLite's script runner would commit the migration's transaction.
    for statement in statements:
        await client.execute_query(statement)


async def forward(apps, schema_editor) -> None:
    await _run(schema_editor, _sqlite_forward(), _postgres_forward())


async def backward(apps, schema_editor) -> None:
    await _run(schema_editor, _sqlite_backward(), _postgres_backward())


class Migration(migrations.Migration):
    dependencies = [('models', '0005_changes')]

    initial = False

    operations = [
        ops.RunPython(forward, backward),
    ]
