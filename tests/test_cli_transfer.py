"""``cms import wordpress``, ``cms export`` and ``cms import``, run as an operator runs them:
real processes on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import BACKENDS, POSTGRES_URL, fresh_database_url
from tests.transfer.samples import IMPORTER, WORDPRESS

EXPORT = WORDPRESS / "export.xml"
UPLOADS = WORDPRESS / "uploads"


@pytest.fixture(params=BACKENDS)
async def site(request, tmp_path) -> Iterator[dict[str, str]]:
    """The environment of an empty site (its database and media root)."""
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("set CMS_TEST_POSTGRES_URL to run the PostgreSQL tests")
    async with fresh_database_url(request.param, tmp_path) as url:
        yield {"CMS_DATABASE_URL": url, "CMS_MEDIA_ROOT": str(tmp_path / "media")}


def cms(*args: str, env: dict[str, str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=options.pop("stderr", subprocess.PIPE),
        text=True,
        timeout=120,
        check=False,
        **options,
    )


def redirects_csv(env: dict[str, str]) -> str:
    result = cms("redirects", "export", "--format", "csv", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_a_wordpress_blog_prints_its_report(site) -> None:
    result = cms("import", "wordpress", str(EXPORT), "--uploads", str(UPLOADS), env=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Import finished.")
    assert "posts created          3" in result.stdout
    assert "page 200 (À propos): pages are not posts" in result.stdout
    assert result.stderr == ""  # no progress bar when output is not a terminal
    assert "/2019/05/14/8-reseautage-lart-de-linattendu" in redirects_csv(site)
    # Renditions were made before the command ended.
    assert list((Path(site["CMS_MEDIA_ROOT"]) / "renditions").rglob("*.webp"))


def test_a_dry_run_writes_nothing(site) -> None:
    result = cms(
        "import", "wordpress", str(EXPORT), "--uploads", str(UPLOADS), "--dry-run", env=site
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Dry run: nothing was written.")
    assert "posts created          3" in result.stdout
    assert redirects_csv(site) == "path,target,status\n"
    assert not (Path(site["CMS_MEDIA_ROOT"]) / "blobs").exists()


def test_a_malformed_export_is_refused_naming_the_line(site) -> None:
    result = cms("import", "wordpress", str(IMPORTER / "malformed.xml"), env=site)
    assert result.returncode == 1
    assert result.stderr.startswith("cms: malformed.xml, line 90, column 3:")
    assert result.stdout == ""


def test_a_locale_map_must_name_configured_locales(site) -> None:
    result = cms("import", "wordpress", str(EXPORT), "--locale-map", "fr=fr-FR", env=site)
    assert result.returncode == 1
    assert "'fr-FR' is not one of the configured locales (fr-CA, en-CA)" in result.stderr
    result = cms("import", "wordpress", env=site)
    assert result.returncode == 1
    assert "cms import wordpress EXPORT.xml" in result.stderr


def test_a_terminal_sees_a_progress_bar(site) -> None:
    controller, terminal = pty.openpty()
    try:
        result = cms("import", "wordpress", str(EXPORT), env=site, stderr=terminal)
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if terminal != -1:
            os.close(terminal)
        os.close(controller)
    assert result.returncode == 0
    assert b"posts    [" + b"#" * 30 + b"] 3/3" in shown


def test_a_site_exported_is_restored_into_an_empty_database(site, tmp_path) -> None:
    assert (
        cms("import", "wordpress", str(EXPORT), "--uploads", str(UPLOADS), env=site).returncode == 0
    )
    archive = tmp_path / "site.tar"
    exported = cms("export", str(archive), env=site)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("Exported ")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"
    empty = {
        "CMS_DATABASE_URL": f"sqlite://{tmp_path / 'restored.sqlite3'}",
        "CMS_MEDIA_ROOT": str(tmp_path / "restored-media"),
    }
    restored = cms("import", str(archive), env=empty)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored ")
    assert redirects_csv(empty) == redirects_csv(site)
    # A second restore would mix two sites: refused.
    again = cms("import", str(archive), env=empty)
    assert again.returncode == 1
    assert again.stderr.startswith("cms: ")
    assert "empty" in again.stderr


def test_an_archive_takes_no_importer_options(site, tmp_path) -> None:
    result = cms("import", str(tmp_path / "site.tar"), "--dry-run", env=site)
    assert result.returncode == 1
    assert "an archive takes no other argument" in result.stderr
