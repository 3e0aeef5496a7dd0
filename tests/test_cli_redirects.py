"""``cms redirects export``: the files a web server is given, byte for byte."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from cms import cli_redirects
from cms.models import PostStatus
from cms.services import redirects
from tests.factories import make_post
from tests.servers import free_port

NETLIFY = """\
# Old addresses of the site: cms redirects export --format netlify
/2019/05/14/reseautage /fr/blogue/reseautage 301!
/ p=123 /fr/blogue/reseautage 301!
/en/2019/05/16/networking /en/blog/networking 301!
/2019/07/01/%C3%A9t%C3%A9-%C3%A0-montr%C3%A9al /fr/blogue/ete-a-montreal 301!
/mon%20%22billet%22%20d%27%C3%A9t%C3%A9 /fr/blogue/billet 302!
/boutique https://boutique.example/fr?x=1 302!
/concours-2019 /404.html 410!
"""

NGINX = """\
# Old addresses of the site: cms redirects export --format nginx
# Include this file in nginx's http { } block, and add to the site's server { } block:
#
#     if ($cinq_redirect_301) { return 301 $cinq_redirect_301; }
#     if ($cinq_redirect_302) { return 302 $cinq_redirect_302; }
#     if ($cinq_redirect_307) { return 307 $cinq_redirect_307; }
#     if ($cinq_redirect_410) { return 410; }
#
# Paths match nginx's decoded $uri, with or without a trailing slash; a path with a
# query string matches "$uri?$args" exactly. Thousands of rows may need a larger
# map_hash_max_size or map_hash_bucket_size.

map $uri $cinq_redirect_path_301 {
    "/2019/05/14/reseautage" "https://reseau.example/fr/blogue/reseautage";
    "/2019/05/14/reseautage/" "https://reseau.example/fr/blogue/reseautage";
    "/en/2019/05/16/networking" "https://reseau.example/en/blog/networking";
    "/en/2019/05/16/networking/" "https://reseau.example/en/blog/networking";
    "/2019/07/01/été-à-montréal" "https://reseau.example/fr/blogue/ete-a-montreal";
    "/2019/07/01/été-à-montréal/" "https://reseau.example/fr/blogue/ete-a-montreal";
}

map "$uri?$args" $cinq_redirect_301 {
    default $cinq_redirect_path_301;
    "/?p=123" "https://reseau.example/fr/blogue/reseautage";
}

map $uri $cinq_redirect_path_302 {
    "/mon \\"billet\\" d'été" "https://reseau.example/fr/blogue/billet";
    "/mon \\"billet\\" d'été/" "https://reseau.example/fr/blogue/billet";
}

map "$uri?$args" $cinq_redirect_302 {
    default $cinq_redirect_path_302;
}

map $uri $cinq_redirect_path_307 {
    "/boutique" "https://boutique.example/fr?x=1";
    "/boutique/" "https://boutique.example/fr?x=1";
}

map "$uri?$args" $cinq_redirect_307 {
    default $cinq_redirect_path_307;
}

map $uri $cinq_redirect_path_410 {
    "/concours-2019" "gone";
    "/concours-2019/" "gone";
}

map "$uri?$args" $cinq_redirect_410 {
    default $cinq_redirect_path_410;
}
"""

CSV = """\
path,target,status
/2019/05/14/reseautage,/fr/blogue/reseautage,301
/?p=123,/fr/blogue/reseautage,301
/en/2019/05/16/networking,/en/blog/networking,301
/2019/07/01/été-à-montréal,/fr/blogue/ete-a-montreal,301
"/mon ""billet"" d'été",/fr/blogue/billet,302
/boutique,https://boutique.example/fr?x=1,307
/concours-2019,,410
"""


@pytest.fixture
async def site(settings):
    """A few old addresses of a WordPress site, and the settings of the new one."""
    post = await make_post(
        translations={
            "fr-CA": {"title": "Réseautage", "slug": "reseautage"},
            "en-CA": {"title": "Networking", "slug": "networking"},
        }
    )
    draft = await make_post(status=PostStatus.DRAFT)
    add = redirects.add_redirect
    await add("/2019/05/14/reseautage/", post_id=post.id, locale="fr-CA", origin="wordpress")
    await add("/?p=123", post_id=post.id, locale="fr-CA", origin="wordpress")
    await add("/?p=124", post_id=draft.id, locale="fr-CA", origin="wordpress")  # not public
    await add("/en/2019/05/16/networking/", post_id=post.id, locale="en-CA")
    await add("/2019/07/01/%C3%A9t%C3%A9-%C3%A0-montr%C3%A9al/", target="/fr/blogue/ete-a-montreal")
    await add('/mon "billet" d\'été/', target="/fr/blogue/billet", status=302)
    await add("/boutique", target="https://boutique.example/fr?x=1", status=307)
    await add("/concours-2019/", status=410)
    return replace(settings, site_url="https://reseau.example")


@pytest.mark.parametrize(
    ("fmt", "expected"), [("netlify", NETLIFY), ("nginx", NGINX), ("csv", CSV)]
)
async def test_each_format_is_written_exactly(site, tmp_path, fmt, expected) -> None:
    output = tmp_path / "redirects.txt"

    count = await cli_redirects.export(site, fmt, output)

    assert count == 7
    assert output.read_bytes() == expected.encode("utf-8")
    assert list(tmp_path.iterdir()) == [output]  # no partial file left behind


async def test_the_csv_reads_back_as_it_was_kept(site, tmp_path) -> None:
    output = tmp_path / "redirects.csv"
    await cli_redirects.export(site, "csv", output)

    with output.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))

    assert rows[4] == {
        "path": '/mon "billet" d\'été',
        "target": "/fr/blogue/billet",
        "status": "302",
    }


async def test_without_output_the_file_goes_to_standard_output(site, capsys) -> None:
    await cli_redirects.export(site, "csv", None)

    assert capsys.readouterr().out == CSV


async def test_an_export_replaces_the_previous_file(site, tmp_path) -> None:
    output = tmp_path / "_redirects"
    output.write_text("stale\n" * 1000)

    await cli_redirects.export(site, "netlify", output)

    assert output.read_text(encoding="utf-8") == NETLIFY


def cms(settings, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", "redirects", *args],
        cwd=cwd,
        env={**os.environ, "CMS_DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_the_command_writes_the_file_and_says_how_many(site, tmp_path) -> None:
    output = tmp_path / "redirects.csv"

    result = cms(site, tmp_path, "export", "--format", "csv", "--output", str(output))

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"7 redirects written to {output} (csv)." in result.stderr
    # The command runs with the environment's settings: the default site address.
    assert output.read_text(encoding="utf-8") == CSV


async def test_the_command_refuses_what_it_cannot_do(settings, tmp_path) -> None:
    unknown = cms(settings, tmp_path, "export", "--format", "apache")
    assert unknown.returncode == 2
    assert "invalid choice: 'apache'" in unknown.stderr

    missing = tmp_path / "nowhere" / "redirects.csv"
    unwritable = cms(settings, tmp_path, "export", "--format", "csv", "--output", str(missing))
    assert unwritable.returncode == 1
    assert f"cannot write {missing}" in unwritable.stderr


NGINX_BINARY = shutil.which("nginx") or (
    "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
)


@pytest.mark.server
@pytest.mark.skipif(NGINX_BINARY is None, reason="nginx is not installed")
async def test_nginx_answers_the_old_addresses_with_the_exported_file(site, tmp_path) -> None:
    conf = tmp_path / "cinq-redirects.conf"
    await cli_redirects.export(site, "nginx", conf)
    port = free_port()
    (tmp_path / "nginx.conf").write_text(
        f"""
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {conf};
    server {{
        listen 127.0.0.1:{port};
        if ($cinq_redirect_301) {{ return 301 $cinq_redirect_301; }}
        if ($cinq_redirect_302) {{ return 302 $cinq_redirect_302; }}
        if ($cinq_redirect_307) {{ return 307 $cinq_redirect_307; }}
        if ($cinq_redirect_410) {{ return 410; }}
        location / {{ return 200 "new site"; }}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX_BINARY, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, follow_redirects=False) as http:
            _wait_for(http, process)
            answers = {
                path: (response.status_code, response.headers.get("location"))
                for path in (
                    "/2019/05/14/reseautage/",
                    "/2019/05/14//reseautage?utm_source=x",
                    "/?p=123",
                    "/?p=124",
                    "/2019/07/01/%c3%a9t%c3%a9-%c3%a0-montr%c3%a9al/",
                    "/mon%20%22billet%22%20d'%C3%A9t%C3%A9",
                    "/boutique/",
                    "/concours-2019",
                    "/ailleurs",
                )
                for response in [http.get(path)]
            }
    finally:
        process.terminate()
        process.communicate(timeout=10)

    assert answers == {
        "/2019/05/14/reseautage/": (301, "https://reseau.example/fr/blogue/reseautage"),
        "/2019/05/14//reseautage?utm_source=x": (
            301,
            "https://reseau.example/fr/blogue/reseautage",
        ),
        "/?p=123": (301, "https://reseau.example/fr/blogue/reseautage"),
        "/?p=124": (200, None),
        "/2019/07/01/%c3%a9t%c3%a9-%c3%a0-montr%c3%a9al/": (
            301,
            "https://reseau.example/fr/blogue/ete-a-montreal",
        ),
        "/mon%20%22billet%22%20d'%C3%A9t%C3%A9": (302, "https://reseau.example/fr/blogue/billet"),
        "/boutique/": (307, "https://boutique.example/fr?x=1"),
        "/concours-2019": (410, None),
        "/ailleurs": (200, None),
    }


def _wait_for(http: httpx.Client, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {process.communicate()[0]}")
        try:
            http.get("/")
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start")
