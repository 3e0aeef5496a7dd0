"""The sender against a real HTTP receiver: what arrives, redirects, rebinding, limits.

The receiver listens on 127.0.0.1, which the address rules refuse. Tests that need it
reachable resolve a made-up name to it and allow exactly that address and port: everything
else (another port on 127.0.0.1, 169.254.169.254, private ranges) is judged by the real rules.
"""

from __future__ import annotations

import ssl
import time
from ipaddress import ip_address

import pytest
import trustme

from cms.webhooks.addresses import IPAddress, address_check
from cms.webhooks.sender import MAX_EXCERPT, Refused, SendError, post
from tests.servers import Answer, Receiver

HOST = "hooks.example.test"
STRICT = address_check(allow_private=False)


def resolving(names: dict[str, str], calls: list[str] | None = None):
    async def resolve(host: str, port: int) -> list[IPAddress]:
        if calls is not None:
            calls.append(host)
        if host not in names:
            raise OSError(f"unknown host {host}")
        return [ip_address(a) for a in names[host].split(",")]

    return resolve


def allowing(receiver: Receiver):
    """The real rules, except that the receiver's own address and port count as public."""

    def check(ip: IPAddress, port: int) -> str | None:
        if (str(ip), port) == ("127.0.0.1", receiver.port):
            return None
        return STRICT(ip, port)

    return check


async def test_the_body_and_headers_arrive_with_the_registered_host() -> None:
    with Receiver() as receiver:
        reply = await post(
            f"http://{HOST}:{receiver.port}/in?x=1",
            b'{"a":1}',
            {"Content-Type": "application/json", "Cinq-Event": "post.published"},
            check=allowing(receiver),
            resolve=resolving({HOST: "127.0.0.1"}),
        )
    assert reply.status_code == 200 and reply.excerpt == "ok"
    (got,) = receiver.received
    assert got.path == "/in?x=1" and got.body == b'{"a":1}'
    assert got.headers["host"] == f"{HOST}:{receiver.port}"
    assert got.headers["cinq-event"] == "post.published"


async def test_the_connection_goes_to_the_address_checked_without_a_second_lookup() -> None:
    """DNS rebinding: a name that would resolve elsewhere on a second lookup gains nothing.

    The name is under .invalid, which no resolver answers: had the HTTP client looked it up
    again to connect, the delivery would have failed.
    """
    calls: list[str] = []
    with Receiver() as receiver:
        reply = await post(
            f"http://rebind.invalid:{receiver.port}/",
            b"{}",
            {},
            check=allowing(receiver),
            resolve=resolving({"rebind.invalid": "127.0.0.1"}, calls),
        )
    assert reply.status_code == 200
    assert calls == ["rebind.invalid"]
    assert receiver.received[0].headers["host"] == f"rebind.invalid:{receiver.port}"


async def test_loopback_is_refused_before_connecting_unless_allowed() -> None:
    with Receiver() as receiver:
        with pytest.raises(Refused, match="loopback"):
            await post(f"{receiver.url}/", b"{}", {}, check=STRICT)
        assert receiver.received == []
        reply = await post(f"{receiver.url}/", b"{}", {}, check=address_check(True))
    assert reply.status_code == 200 and len(receiver.received) == 1


async def test_a_name_with_any_private_address_is_refused() -> None:
    with pytest.raises(Refused, match=r"10\.0\.0\.1, a private address"):
        await post(
            f"http://{HOST}/",
            b"{}",
            {},
            check=STRICT,
            resolve=resolving({HOST: "93.184.215.14,10.0.0.1"}),
        )


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://internal.example.test/admin",  # a name that resolves to a private address
        "http://[::ffff:127.0.0.1]:{other}/",
        "http://127.0.0.1:{other}/",  # the same machine, another port
    ],
)
async def test_a_redirect_into_the_network_is_refused_at_send_time(location: str) -> None:
    with Receiver() as other:
        answer = Answer(307, {"location": location.format(other=other.port)})
        with (
            Receiver(then=answer) as receiver,
            pytest.raises(Refused, match="Cinq does not send there"),
        ):
            await post(
                f"http://{HOST}:{receiver.port}/in",
                b"{}",
                {},
                check=allowing(receiver),
                resolve=resolving({HOST: "127.0.0.1", "internal.example.test": "192.168.0.7"}),
            )
        assert len(receiver.received) == 1
    assert other.received == []


async def test_a_redirect_to_an_allowed_place_is_followed_with_the_same_post() -> None:
    with Receiver(answers=[Answer(308, {"location": "/moved"})]) as receiver:
        reply = await post(
            f"http://{HOST}:{receiver.port}/in",
            b'{"same":true}',
            {"Cinq-Signature": "t=1,v1=x"},
            check=allowing(receiver),
            resolve=resolving({HOST: "127.0.0.1"}),
        )
    assert reply.status_code == 200
    assert reply.url == f"http://{HOST}:{receiver.port}/moved"
    first, second = receiver.received
    assert (first.path, second.path) == ("/in", "/moved")
    assert second.method == "POST" and second.body == b'{"same":true}'
    assert second.headers["cinq-signature"] == "t=1,v1=x"


async def test_redirects_stop_after_three() -> None:
    loop = Answer(302, {"location": "/again"})
    with (
        Receiver(then=loop) as receiver,
        pytest.raises(SendError, match="More than 3 redirects"),
    ):
        await post(
            f"http://{HOST}:{receiver.port}/",
            b"{}",
            {},
            check=allowing(receiver),
            resolve=resolving({HOST: "127.0.0.1"}),
        )
    assert len(receiver.received) == 4


async def test_a_slow_receiver_times_out() -> None:
    with Receiver(then=Answer(delay=2)) as receiver:
        started = time.monotonic()
        with pytest.raises(SendError, match=r"within 0\.5 s"):
            await post(f"{receiver.url}/", b"{}", {}, check=address_check(True), time_limit=0.5)
    assert time.monotonic() - started < 1.5


async def test_only_the_start_of_a_large_answer_is_read() -> None:
    huge = Answer(500, body=b"x" * 5_000_000)
    with Receiver(then=huge) as receiver:
        reply = await post(f"{receiver.url}/", b"{}", {}, check=address_check(True))
    assert reply.status_code == 500 and reply.excerpt == "x" * MAX_EXCERPT


async def test_unresolvable_and_unreachable_hosts_are_send_errors() -> None:
    with pytest.raises(SendError, match="Cannot resolve"):
        await post("http://nowhere.invalid/", b"{}", {}, check=STRICT, resolve=resolving({}))
    with Receiver() as receiver:
        port = receiver.port
    with pytest.raises(SendError, match="ConnectError"):
        await post(f"http://127.0.0.1:{port}/", b"{}", {}, check=address_check(True))


@pytest.mark.parametrize(("certified", "works"), [(HOST, True), ("other.example.test", False)])
async def test_https_to_the_checked_address_verifies_the_certificate_of_the_host(
    certified: str, works: bool
) -> None:
    """The connection goes to the IP, yet TLS names the URL's host (SNI) and checks the
    certificate against it: a certificate for another name is refused."""
    authority = trustme.CA()
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(certified).configure_cert(served)
    trusted = ssl.create_default_context()
    authority.configure_trust(trusted)
    with Receiver(tls=served) as receiver:
        attempt = post(
            f"https://{HOST}:{receiver.port}/in",
            b"{}",
            {},
            check=allowing(receiver),
            resolve=resolving({HOST: "127.0.0.1"}),
            tls=trusted,
        )
        if works:
            assert (await attempt).status_code == 200
            assert receiver.received[0].headers["host"] == f"{HOST}:{receiver.port}"
        else:
            with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED"):
                await attempt
            assert receiver.received == []
