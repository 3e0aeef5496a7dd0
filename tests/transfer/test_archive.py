"""A whole-site archive: every table and media file goes out, and comes back whole or not at all.

The site is built once per engine and exported; each test restores that archive (or a doctored
copy of it) into the session's database, which is emptied between tests.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import stat
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise, connections

import cms.migrations
from cms.app import build_worker
from cms.files.storage import LocalStorage
from cms.models import Account, Post, Tag
from cms.services import sessions
from cms.services.webhooks import endpoints
from cms.settings import Settings
from cms.transfer.archive import (
    ArchiveError,
    Manifest,
    MediaEntry,
    export_site,
    read_manifest,
    restore_site,
)
from cms.webhooks.signing import verify
from tests.conftest import GraphQLClient, _empty_tables
from tests.databases import fresh_database_url
from tests.factories import make_post, make_tag
from tests.servers import Receiver
from tests.transfer.archive_steps import (
    EMAIL,
    PASSWORD,
    SEARCH_EN,
    SEARCH_FR,
    build_site,
    run,
)

MIGRATIONS = Path(__file__).parents[2] / "cms" / "migrations"
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
Member = tuple[tarfile.TarInfo, bytes]


@dataclass
class Exported:
    path: Path
    manifest: Manifest
    secrets: dict[str, Any]
    rows: dict[str, int]  # every table, the change log included, as it was when exported
    files: dict[str, bytes]  # the media root's files, by relative path
    progress: list[tuple[str, int, int]]


def all_tables() -> list[str]:
    """Every table of the models, link tables included (as the test fixtures empty them)."""
    models = [model for app in Tortoise.apps.values() for model in app.values()]
    links = {
        field.through
        for model in models
        for field in model._meta.fields_map.values()
        if getattr(field, "through", None)
    }
    return sorted({model._meta.db_table for model in models} | links)


async def row_counts() -> dict[str, int]:
    conn = connections.get("default")
    counts = {}
    for name in all_tables():
        rows = await conn.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{name}"')
        counts[name] = int(rows[0]["n"])
    return counts


def media_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, the scratch folder included."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def read_members(path: Path) -> list[Member]:
    with tarfile.open(path) as tar:
        return [(info, tar.extractfile(info).read() if info.isfile() else b"") for info in tar]


def write_members(path: Path, members: list[Member]) -> Path:
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for info, content in members:
            tar.addfile(info, io.BytesIO(content) if info.isfile() else None)
    return path


def regular(name: str, content: bytes) -> Member:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    return info, content


def special(name: str, kind: bytes, target: str = "") -> Member:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, b""


def with_manifest(members: list[Member], **changes: Any) -> list[Member]:
    """``members`` with their manifest's top-level fields changed (checksums left as they are)."""
    document = json.loads(members[0][1])
    document.update(changes)
    return [regular("manifest.json", json.dumps(document).encode()), *members[1:]]


def flip_byte(members: list[Member], name: str) -> list[Member]:
    """``members`` with one byte of ``name`` changed (same size)."""
    changed = []
    for info, content in members:
        if info.name == name:
            middle = len(content) // 2
            content = content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]
        changed.append((info, content))
    return changed


def relisted(members: list[Member], name: str, content: bytes) -> list[Member]:
    """``members`` with ``name`` (a table) replaced by ``content``, the manifest updated to
    match: a consistent archive holding rows the database will refuse."""
    table = name.removeprefix("tables/").removesuffix(".jsonl")
    document = json.loads(members[0][1])
    document["tables"][table] = {
        "rows": content.count(b"\n"),
        "sha256": hashlib.sha256(content).hexdigest(),
        "bytes": len(content),
    }
    rest = [regular(info.name, content) if info.name == name else (info, c) for info, c in members]
    return [regular("manifest.json", json.dumps(document).encode()), *rest[1:]]


@pytest.fixture(scope="module")
async def exported(database: Settings, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """The site of :func:`build_site`, exported once per engine; the database and media root
    are emptied again before the tests restore it."""
    await _empty_tables(database)
    shutil.rmtree(database.media_root, ignore_errors=True)
    secrets = await build_site(database)
    # Hidden files are not site content: a leftover upload, a placeholder kept in git.
    (database.media_root / ".tmp" / "interrupted.part").write_bytes(b"half an upload")
    (database.media_root / ".gitkeep").write_bytes(b"")
    rows = await row_counts()
    files = media_files(database.media_root)
    path = tmp_path_factory.mktemp("backup") / "site.tar"
    progress: list[tuple[str, int, int]] = []
    manifest = await export_site(database, path, lambda *call: progress.append(call))
    await _empty_tables(database)
    shutil.rmtree(database.media_root, ignore_errors=True)
    return Exported(path, manifest, secrets, rows, files, progress)


async def assert_nothing_restored(settings: Settings, before: dict[str, int]) -> None:
    """No row and no file; the change log as it was (emptying the tables appends to it)."""
    counts = await row_counts()
    assert counts == before
    assert {name: n for name, n in counts.items() if n and name != "content_change"} == {}
    assert media_files(settings.media_root) == {}


# --- what an archive holds --------------------------------------------------------------------


async def test_the_archive_holds_every_table_and_media_file_readable_by_its_owner_only(
    exported: Exported,
) -> None:
    path, manifest = exported.path, exported.manifest
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    latest = max(p.stem for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert (manifest.format, manifest.schema) == (1, latest)
    # Every table but the change log (the triggers refill it on restore) and no migration table.
    expected = {n: c for n, c in exported.rows.items() if n != "content_change"}
    assert {name: entry.rows for name, entry in manifest.tables.items()} == expected
    assert exported.rows["content_change"] > 0
    assert {"post_tag", "post_event", "event_tag"} <= set(manifest.tables)
    # Every file of the media root but hidden ones: blobs and renditions.
    assert {".gitkeep", ".tmp/interrupted.part"} <= set(exported.files)
    assert manifest.media == {
        name: MediaEntry(hashlib.sha256(content).hexdigest(), len(content))
        for name, content in exported.files.items()
        if not name.startswith(".")
    }
    blobs = [name for name in manifest.media if name.startswith("blobs/")]
    renditions = [name for name in manifest.media if name.startswith("renditions/")]
    assert len(blobs) == 2 and renditions  # three media rows, two distinct files
    for name in blobs:
        assert manifest.media[name].sha256 == name.rsplit("/", 1)[1]

    members = read_members(path)
    assert members[0][0].name == "manifest.json" and members[0][1] == manifest.to_json()
    names = [info.name for info, _ in members[1:]]
    tables = [name for name in names if name.startswith("tables/")]
    assert names == tables + sorted(f"media/{name}" for name in manifest.media)
    assert sorted(tables) == sorted(f"tables/{name}.jsonl" for name in manifest.tables)
    # Referenced tables come first, so that rows can go back in the order they are read.
    for before, after in (
        ("author", "post"),
        ("media", "post"),
        ("post", "post_tag"),
        ("tag", "post_tag"),
        ("account", "api_token"),
        ("webhook_endpoint", "webhook_delivery"),
    ):
        assert tables.index(f"tables/{before}.jsonl") < tables.index(f"tables/{after}.jsonl")
    for info, content in members:
        assert info.isreg() and stat.S_IMODE(info.mode) == 0o600
        if info.name.startswith("tables/"):
            entry = manifest.tables[info.name[7:-6]]
            assert (hashlib.sha256(content).hexdigest(), len(content)) == (
                entry.sha256,
                entry.bytes,
            )
            assert content.count(b"\n") == entry.rows
    # Checking needs no database and writes nothing.
    assert await read_manifest(path) == manifest


async def test_rows_are_canonical_json_lines_in_key_order(exported: Exported) -> None:
    members = dict((info.name, content) for info, content in read_members(exported.path))
    for name, content in members.items():
        if not name.startswith("tables/"):
            continue
        rows = [json.loads(line) for line in content.splitlines()]
        for line, row in zip(content.splitlines(), rows, strict=True):
            canonical = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            assert line == canonical.encode(), name
        if rows and "id" in rows[0]:
            ids = [row["id"] for row in rows]
            assert ids == sorted(ids) and len(set(ids)) == len(ids), name
    posts = [json.loads(line) for line in members["tables/post.jsonl"].splitlines()]
    assert all(ISO_UTC.match(post["created_at"]) for post in posts)
    links = [json.loads(line) for line in members["tables/post_tag.jsonl"].splitlines()]
    assert links == sorted(links, key=lambda link: (link["post_id"], link["tag_id"]))
    (account,) = [json.loads(line) for line in members["tables/account.jsonl"].splitlines()]
    assert account["is_service"] is False and account["role"] == "editor"
    media = [json.loads(line) for line in members["tables/media.jsonl"].splitlines()]
    assert media[0]["alt"] == {"en-CA": "Picture rouge.png", "fr-CA": "Image rouge.png"}
    assert isinstance(media[0]["renditions"], list) and media[0]["status"] == "ready"


async def test_secrets_travel_as_hashes_and_the_signing_key_only_in_its_own_row(
    exported: Exported,
) -> None:
    archive = exported.path.read_bytes()
    secrets = exported.secrets
    assert secrets["token"].encode() not in archive
    assert hashlib.sha256(secrets["token"].encode()).hexdigest().encode() in archive
    assert PASSWORD.encode() not in archive and b"$argon2id$" in archive
    holding = [
        info.name
        for info, content in read_members(exported.path)
        if secrets["webhook_secret"].encode() in content
    ]
    assert holding == ["tables/webhook_endpoint.jsonl"]
    assert secrets["webhook_secret"] not in exported.manifest.to_json().decode()
    assert not any(secrets["webhook_secret"] in what for what, _, _ in exported.progress)


async def test_export_reports_progress_up_to_each_total(exported: Exported) -> None:
    last: dict[str, tuple[int, int]] = {}
    for what, done, total in exported.progress:
        assert 0 <= done <= total
        last[what] = (done, total)
    for name, entry in exported.manifest.tables.items():
        assert last[f"tables/{name}.jsonl"] == (entry.rows, entry.rows)
    assert last["media"] == (len(exported.manifest.media),) * 2
    assert last["archive"][0] == last["archive"][1] > 0


# --- restoring --------------------------------------------------------------------------------


async def test_a_restore_brings_back_every_row_and_file(
    settings: Settings, exported: Exported, tmp_path: Path
) -> None:
    settings.media_root.mkdir()
    (settings.media_root / ".gitkeep").write_bytes(b"")  # a media root "empty" as in git
    progress: list[tuple[str, int, int]] = []
    restored = await restore_site(settings, exported.path, lambda *call: progress.append(call))

    assert restored == exported.manifest
    counts = await row_counts()
    assert {n: c for n, c in counts.items() if n != "content_change"} == {
        n: c for n, c in exported.rows.items() if n != "content_change"
    }
    # Every file back in place, none left in the scratch folder.
    assert media_files(settings.media_root) == {
        ".gitkeep": b"",
        **{name: data for name, data in exported.files.items() if not name.startswith(".")},
    }
    # Exported again, the site gives the same archive.
    assert await export_site(settings, tmp_path / "again.tar") == exported.manifest
    assert ("tables/post.jsonl", counts["post"], counts["post"]) in progress
    assert not any(exported.secrets["webhook_secret"] in what for what, _, _ in progress)


async def test_after_a_restore_people_sign_in_search_works_and_new_rows_get_new_ids(
    settings: Settings, exported: Exported, gql: GraphQLClient
) -> None:
    await restore_site(settings, exported.path)
    secrets = exported.secrets

    viewer = await gql.http.post(
        "/graphql",
        json={"query": "{ viewer { email role } }"},
        headers={"Authorization": f"Bearer {secrets['token']}"},
    )
    assert viewer.json() == {"data": {"viewer": {"email": EMAIL, "role": "EDITOR"}}}
    assert await sessions.sign_in(EMAIL, PASSWORD, sessions.Lifetime()) is not None
    assert await sessions.sign_in(EMAIL, "not the password", sessions.Lifetime()) is None

    search = """query($q: String!, $locale: String) {
      search(query: $q, locale: $locale) { totalCount nodes { kind title post { id } } } }"""
    for word, locale, title in (
        (SEARCH_FR, "fr-CA", "L'ornithorynque du Plateau"),
        (SEARCH_EN, "en-CA", "The Plateau platypus"),
    ):
        found = (await gql.data(search, q=word, locale=locale))["search"]
        assert found["totalCount"] == 1
        assert found["nodes"] == [
            {"kind": "POST", "title": title, "post": {"id": str(secrets["post_id"])}}
        ]
    await assert_search_index_complete(settings)

    # The cover's file is served from the restored media root.
    cover = await gql.data(
        "query($id: ID!) { post(id: $id) { slug cover { url sha256 } } }", id=secrets["post_id"]
    )
    assert cover["post"]["slug"] == "ornithorynque-du-plateau"
    served = await gql.http.get(cover["post"]["cover"]["url"])
    key = cover["post"]["cover"]["url"].split("/media/", 1)[1]
    assert served.status_code == 200 and served.content == exported.files[key]
    # The old slug still leads to the post.
    old = await gql.data('{ post(slug: "ornithorynque") { id slug } }')
    assert old["post"] == {"id": str(secrets["post_id"]), "slug": "ornithorynque-du-plateau"}

    assert (await make_post()).id > secrets["max_post_id"]
    assert (await make_tag()).id > exported.rows["tag"]
    other = await Account.create(email="new@example.test", display_name="New", role="author")
    assert other.id > exported.rows["account"]


async def assert_search_index_complete(settings: Settings) -> None:
    conn = connections.get("default")
    if settings.is_sqlite:
        # FTS5 compares its index with the translation rows, and raises if they differ.
        for table in ("post_search", "event_search"):
            await conn.execute_script(
                f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"
            )
        return
    for index, source in (
        ("post_search", "post_translation"),
        ("event_search", "event_translation"),
    ):
        rows = await conn.execute_query_dict(
            f"SELECT (SELECT COUNT(*) FROM {index}) AS indexed, "
            f"(SELECT COUNT(*) FROM {source}) AS rows"
        )
        assert rows[0]["indexed"] == rows[0]["rows"] > 0


async def test_a_restored_webhook_still_signs_with_its_secret(
    settings: Settings, exported: Exported
) -> None:
    await restore_site(settings, exported.path)
    worker = build_worker(
        replace(settings, webhook_allow_private=True), LocalStorage(settings.media_root)
    )
    with Receiver() as receiver:
        await endpoints.update(
            exported.secrets["webhook_id"], allow_private=True, url=f"{receiver.url}/hooks"
        )
        # The delivery queued before the export is sent by the restored site.
        assert await worker.run_until_idle() == 1

    (got,) = receiver.received
    assert json.loads(got.body)["type"] == "post.published"
    assert verify(exported.secrets["webhook_secret"], got.body, got.headers["cinq-signature"])


# --- refusals -----------------------------------------------------------------------------------


def _first_media(members: list[Member]) -> str:
    return next(info.name for info, _ in members if info.name.startswith("media/blobs/"))


Doctor = Callable[[list[Member]], list[Member]]
DOCTORED: dict[str, tuple[Doctor, str]] = {
    "another schema version": (
        lambda m: with_manifest(m, schema="0009_translation_sources"),
        r"written at schema version 0009_translation_sources, but this version of Cinq is at "
        r"\d{4}_\w+: restore it with the Cinq release that wrote it",
    ),
    "another format": (lambda m: with_manifest(m, format=2), "format 2"),
    "a table altered": (
        lambda m: flip_byte(m, "tables/post_translation.jsonl"),
        "The checksum of tables/post_translation.jsonl does not match the manifest",
    ),
    "a media file altered": (
        lambda m: flip_byte(m, _first_media(m)),
        r"The checksum of media/blobs/\S+ does not match the manifest",
    ),
    "a media file missing": (
        lambda m: [(i, c) for i, c in m if i.name != _first_media(m)],
        "missing members its manifest lists: media/blobs/",
    ),
    "a member not in the manifest": (
        lambda m: [*m, regular("tables/extra.jsonl", b"{}\n")],
        "holds 'tables/extra.jsonl', which its manifest does not list",
    ),
    "a member outside the media root": (
        lambda m: [*m, regular("media/../../escaped.txt", b"gotcha")],
        r"unsafe media path: '\.\./\.\./escaped\.txt'",
    ),
    "a manifest naming a path outside the media root": (
        lambda m: with_manifest(m, media={"../escaped.txt": {"sha256": "0" * 64, "bytes": 1}}),
        r"unsafe media path: '\.\./escaped\.txt'",
    ),
    "a hidden path": (
        lambda m: [*m, regular("media/.tmp/leftover.part", b"gotcha")],
        r"unsafe media path: '\.tmp/leftover\.part'",
    ),
    "an absolute path": (
        lambda m: [*m, regular("/tmp/escaped.txt", b"gotcha")],
        "'/tmp/escaped.txt' is outside tables/ and media/",
    ),
    "a symbolic link": (
        lambda m: [*m, special("media/blobs/ab/passwd", tarfile.SYMTYPE, "/etc/passwd")],
        "'media/blobs/ab/passwd' is a symbolic link: refused",
    ),
    "a hard link": (
        lambda m: [*m, special("media/blobs/ab/passwd", tarfile.LNKTYPE, "/etc/passwd")],
        "is a hard link: refused",
    ),
    "a device": (
        lambda m: [*m, special("media/blobs/ab/zero", tarfile.CHRTYPE)],
        "is a device or special file: refused",
    ),
    "a manifest that does not come first": (
        lambda m: [*m[1:], m[0]],
        "does not start with manifest.json",
    ),
}


@pytest.mark.parametrize("case", DOCTORED)
async def test_a_doctored_archive_is_refused_before_anything_is_written(
    settings: Settings, exported: Exported, tmp_path: Path, case: str
) -> None:
    before = await row_counts()
    doctor, message = DOCTORED[case]
    doctored = write_members(tmp_path / "doctored.tar", doctor(read_members(exported.path)))

    with pytest.raises(ArchiveError, match=message):
        await read_manifest(doctored)
    with pytest.raises(ArchiveError, match=message):
        await restore_site(settings, doctored)
    await assert_nothing_restored(settings, before)
    assert not (settings.media_root.parent / "escaped.txt").exists()
    assert not (settings.media_root.parent.parent / "escaped.txt").exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not an archive at all\n" * 100, "gzip"],
    ids=["empty", "text", "compressed"],
)
async def test_a_file_that_is_not_a_tar_is_refused(
    settings: Settings, exported: Exported, tmp_path: Path, content: bytes | str
) -> None:
    before = await row_counts()
    path = tmp_path / "site.tar"
    path.write_bytes(gzip.compress(exported.path.read_bytes()) if content == "gzip" else content)

    message = f"{path} is not a Cinq archive: not an uncompressed tar file"
    with pytest.raises(ArchiveError, match=re.escape(message)):
        await read_manifest(path)
    with pytest.raises(ArchiveError, match=re.escape(message)):
        await restore_site(settings, path)
    await assert_nothing_restored(settings, before)


async def test_a_database_with_content_is_refused(settings: Settings, exported: Exported) -> None:
    post = await make_post()

    with pytest.raises(ArchiveError, match=r"The database is not empty \(table \w+ has rows\)"):
        await restore_site(settings, exported.path)
    assert [p.id for p in await Post.all()] == [post.id]
    assert await Tag.all().count() == 0
    assert media_files(settings.media_root) == {}


async def test_a_media_root_with_files_is_refused(settings: Settings, exported: Exported) -> None:
    before = await row_counts()
    stray = settings.media_root / "blobs" / "aa" / "stray"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left over")

    with pytest.raises(ArchiveError, match=r"is not empty \(it holds blobs/aa/stray\)"):
        await restore_site(settings, exported.path)
    assert media_files(settings.media_root) == {"blobs/aa/stray": b"left over"}
    stray.unlink()
    await assert_nothing_restored(settings, before)


async def test_rows_the_database_refuses_leave_neither_rows_nor_files(
    settings: Settings, exported: Exported, tmp_path: Path
) -> None:
    before = await row_counts()
    members = read_members(exported.path)
    lines = dict((i.name, c) for i, c in members)["tables/tag_translation.jsonl"].splitlines(True)
    duplicated = b"".join([*lines, lines[-1]])  # the same (tag, locale) twice
    doctored = write_members(
        tmp_path / "doctored.tar", relisted(members, "tables/tag_translation.jsonl", duplicated)
    )
    assert (await read_manifest(doctored)).tables["tag_translation"].rows == len(lines) + 1

    with pytest.raises(ArchiveError, match="The database refused a row of tag_translation"):
        await restore_site(settings, doctored)
    # Rows of the tables before it, and the media files placed first, are all gone again.
    await assert_nothing_restored(settings, before)


#: The migration before the latest: a database there lacks exactly the archive's schema.
ONE_BEFORE_THE_LATEST = sorted(
    path.stem for path in Path(cms.migrations.__file__).parent.glob("[0-9]*.py")
)[-2]


async def test_a_database_behind_this_version_of_cinq_is_refused_both_ways(
    backend: str, exported: Exported, tmp_path: Path
) -> None:
    async with fresh_database_url(backend, tmp_path) as url:
        answers = run(
            "behind",
            url=url,
            media_root=str(tmp_path / "media"),
            archive=str(exported.path),
            migration=ONE_BEFORE_THE_LATEST,
        )
    refusal = (
        f"The database is not migrated to this version of Cinq (pending: {exported.manifest.schema}"
        "): run `cms migrate` first."
    )
    assert answers == {"restore": refusal, "export": refusal}
    assert not (tmp_path / "media").exists() and not (tmp_path / "behind.tar").exists()
