"""A host is judged in the spelling the connection will use, however it was typed.

``http://①②⑦.0.0.1/``, ``http://127。0。0。1/`` or ``http://%31%32%37.0.0.1/`` reach 127.0.0.1
through a browser's URL parser or the system's resolver: registration refuses them as it
refuses ``http://127.0.0.1/``, and keeps every URL it accepts with its host in that one
canonical spelling, which is what the sender then resolves and connects to.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from cms.app import build_worker, create_app
from cms.files.storage import LocalStorage
from cms.models import Role, WebhookEndpoint
from cms.services import webhooks
from cms.webhooks.addresses import address_check, parse
from cms.webhooks.sender import Refused, post, system_resolver
from tests.auth import caller
from tests.servers import Answer, Receiver
from tests.webhooks.test_sender import allowing, resolving

CREATE = """
mutation($url: String!) {
  createWebhook(url: $url, events: ["post.published"]) {
    webhook { id url }
    errors { field code message }
  }
}
"""
LOOPBACK = "127.0.0.1, a loopback address"
METADATA = "169.254.169.254, a link-local address"


@pytest.fixture
async def admin(client):
    return await caller(client, Role.ADMIN)


@pytest.fixture
async def lenient(settings):
    """An admin of an instance that may send to private addresses (the test receiver's)."""
    app = create_app(replace(settings, webhook_allow_private=True), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cinq.test") as http:
        yield await caller(http, Role.ADMIN)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://①②⑦.0.0.1/", LOOPBACK),  # circled digits
        ("http://127。0。0。1/", LOOPBACK),  # ideographic full stops
        ("http://１２７.０.０.１:5432/", LOOPBACK),  # fullwidth digits
        ("http://127．0．0．1/", LOOPBACK),  # fullwidth full stops
        ("http://%31%32%37.0.0.1/", LOOPBACK),  # percent-encoded digits
        ("http://127%2E0%2E0%2E1/", LOOPBACK),  # percent-encoded dots
        ("http://%E2%91%A0%E2%91%A1%E2%91%A6.0.0.1/", LOOPBACK),  # ①②⑦, percent-encoded
        ("http://0177.0.0.1/", LOOPBACK),  # octal
        ("http://0x7f.1/", LOOPBACK),  # hexadecimal, two parts
        ("http://2130706433/", LOOPBACK),  # one decimal number
        ("http://127.0.0.1./", LOOPBACK),  # a trailing dot
        ("http://①⑥⑨.②⑤④.①⑥⑨.②⑤④/latest/meta-data/", METADATA),
        ("http://ＬＯＣＡＬＨＯＳＴ:8000/", "localhost, a loopback name"),
        ("http://%6C%6F%63%61%6C%68%6F%73%74/", "localhost, a loopback name"),
    ],
)
async def test_other_spellings_of_internal_addresses_are_refused_at_registration(
    admin, url: str, reason: str
) -> None:
    result = (await admin.data(CREATE, url=url))["createWebhook"]

    assert result["webhook"] is None
    (error,) = result["errors"]
    assert (error["field"], error["code"]) == ("url", "INVALID")
    assert f"Webhooks cannot be sent to {reason}." == error["message"]
    assert await WebhookEndpoint.all().count() == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://1.2.3.4.5/", "not an IPv4 address"),  # a number as its last label
        ("http://hooks.example.123/", "not an IPv4 address"),
        ("http://%FF.example.com/", "bad percent-encoding"),
        ("http://evil%2Fexample.com/", "not a host name or an address"),
        ("http://evil%40127.0.0.1/", "not a host name or an address"),
        ("http://hooks..example.com/", "empty label"),
        ("http://a[::1]/", "its host is malformed"),
        ("http://[v1.fe]/", "not an IPv6 address"),
    ],
)
async def test_hosts_that_are_neither_a_name_nor_an_address_are_refused(
    admin, url: str, reason: str
) -> None:
    result = (await admin.data(CREATE, url=url))["createWebhook"]

    (error,) = result["errors"]
    assert (error["field"], error["code"]) == ("url", "INVALID")
    assert reason in error["message"]
    assert await WebhookEndpoint.all().count() == 0


async def test_an_accepted_url_is_kept_with_its_host_in_canonical_form(admin) -> None:
    typed = {
        "HTTPS://Ｈｏｏｋｓ.Example.COM:0443/In?A=B": "https://hooks.example.com:443/In?A=B",
        "https://bücher.example/cinq": "https://xn--bcher-kva.example/cinq",
        "https://%68ooks.example.com/x": "https://hooks.example.com/x",
        "http://010.010.010.010/in": "http://8.8.8.8/in",
        "https://hooks.example.com/cinq?x=%41": "https://hooks.example.com/cinq?x=%41",
    }
    for url, kept in typed.items():
        result = (await admin.data(CREATE, url=url))["createWebhook"]
        assert result["errors"] == [], url
        assert result["webhook"]["url"] == kept
    assert sorted(await WebhookEndpoint.all().values_list("url", flat=True)) == sorted(
        typed.values()
    )


async def test_a_delivery_goes_to_the_canonical_address_when_private_ones_are_allowed(
    settings, lenient
) -> None:
    with Receiver() as receiver:
        created = await lenient.data(CREATE, url=f"http://①②⑦.0.0.1:{receiver.port}/in")
        assert created["createWebhook"]["webhook"]["url"] == f"{receiver.url}/in"
        assert await webhooks.emit("post.published", {"id": "1"}) == 1
        worker = build_worker(
            replace(settings, webhook_allow_private=True), LocalStorage(settings.media_root)
        )
        assert await worker.run_until_idle() == 1

    (got,) = receiver.received
    assert got.path == "/in"
    assert got.headers["host"] == f"127.0.0.1:{receiver.port}"


def _cms(settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cms.cli", *args],
        cwd=tmp_path,
        env={**os.environ, "CMS_DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_the_command_line_refuses_the_same_spellings(settings, tmp_path) -> None:
    for url in ("http://①②⑦.0.0.1/", "http://%31%32%37.0.0.1:5432/"):
        result = _cms(
            settings, tmp_path, "webhook", "create", "--url", url, "--event", "post.published"
        )
        assert result.returncode == 1, result.stderr
        assert f"Webhooks cannot be sent to {LOOPBACK}." in result.stderr
    assert await WebhookEndpoint.all().count() == 0

    kept = _cms(
        settings,
        tmp_path,
        *("webhook", "create", "--url", "https://ＨＯＯＫＳ.example.com/in"),
        *("--event", "post.published"),
    )
    assert kept.returncode == 0, kept.stderr
    assert "at https://hooks.example.com/in." in kept.stderr
    assert await WebhookEndpoint.filter(url="https://hooks.example.com/in").count() == 1


@pytest.mark.parametrize(
    "host",
    [
        "①②⑦.0.0.1",
        "127。0。0。1",
        "１２７.０.０.１",
        "2130706433",
        "0x7f.1",
        "0x7f000001",
        "0177.0.0.1",
        "127.1",
        "010.010.010.010",
    ],
)
async def test_the_address_judged_is_the_one_the_system_resolver_reaches(host: str) -> None:
    """What registration makes of a host is what the operating system would connect to."""
    target = parse(f"http://{host}/")

    assert [str(ip) for ip in await system_resolver(host, 80)] == [target.host]
    assert httpx.URL(target.url).host == target.host  # and the HTTP client takes it as is


@pytest.mark.parametrize(
    "location", ["http://127。0。0。1:{other}/", "http://%31%32%37.0.0.1:{other}/"]
)
async def test_a_redirect_to_another_spelling_of_loopback_is_refused(location: str) -> None:
    with Receiver() as other:
        # UTF-8 on the wire, as a server would send it (the test server writes Latin-1).
        wire = location.format(other=other.port).encode().decode("latin-1")
        answer = Answer(307, {"location": wire})
        with Receiver(then=answer) as receiver, pytest.raises(Refused, match="loopback address"):
            await post(
                f"http://hooks.example.test:{receiver.port}/in",
                b"{}",
                {},
                check=allowing(receiver),
                resolve=resolving({"hooks.example.test": "127.0.0.1"}),
            )
        assert len(receiver.received) == 1
    assert other.received == []


async def test_a_url_stored_in_another_spelling_is_sent_to_its_canonical_host() -> None:
    """URLs registered before hosts were kept canonical are sent the same way."""
    calls: list[str] = []
    with Receiver() as receiver:
        reply = await post(
            f"http://ＨＯＯＫＳ.example.test:{receiver.port}/in",
            b"{}",
            {},
            check=allowing(receiver),
            resolve=resolving({"hooks.example.test": "127.0.0.1"}, calls),
        )
    assert reply.status_code == 200
    assert calls == ["hooks.example.test"]
    assert receiver.received[0].headers["host"] == f"hooks.example.test:{receiver.port}"


async def test_a_stored_url_in_a_loopback_spelling_is_refused_before_connecting() -> None:
    with Receiver() as receiver, pytest.raises(Refused, match="loopback address"):
        await post(
            f"http://%31%32%37.0.0.1:{receiver.port}/",
            b"{}",
            {},
            check=address_check(allow_private=False),
        )
    assert receiver.received == []
