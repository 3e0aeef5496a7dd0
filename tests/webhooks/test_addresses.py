"""Registration refuses URLs pointing into the server's own network, in every spelling."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from cms.webhooks.addresses import UnsafeUrl, check_url, refusal


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.10:8080/",
        "http://[fd00::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 spelling of 169.254.169.254
        "http://0.0.0.0:8000/",
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0x7f.1/",
        "http://127.1/",
        "http://localhost:5432/",
        "http://api.localhost/",
        "http://100.64.0.1/",  # carrier-grade NAT
    ],
)
def test_addresses_inside_the_network_are_refused_at_registration(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="cannot be sent to"):
        check_url(url, allow_private=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hooks.example.com/", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("https://user:secret@hooks.example.com/", "no user name or password"),
        ("https:///path", "names a host"),
        ("https://hooks.example.com/in#part", "no #fragment"),
        ("https://hooks.example.com/a b", "no spaces"),
        ("https://hooks.example.com:99999/", "not a URL"),
        ("hooks.example.com/in", "http:// or https://"),
        ("https://hooks.example.com/" + "a" * 2000, "at most 2000"),
    ],
)
def test_malformed_urls_are_refused_saying_why(url: str, reason: str) -> None:
    with pytest.raises(UnsafeUrl, match=reason):
        check_url(url, allow_private=True)


def test_public_urls_pass_and_private_ones_pass_when_allowed() -> None:
    assert check_url(" https://hooks.example.com/cinq?x=1 ", allow_private=False) == (
        "https://hooks.example.com/cinq?x=1"
    )
    assert check_url("http://93.184.215.14:8080/in", allow_private=False)
    assert check_url("http://127.0.0.1:9000/in", allow_private=True)
    assert check_url("http://localhost/in", allow_private=True)


def test_unspecified_and_multicast_are_refused_even_when_private_is_allowed() -> None:
    for address in ("0.0.0.0", "::", "224.0.0.1", "ff02::1"):
        assert refusal(ip_address(address), allow_private=True) is not None, address
    for address in ("127.0.0.1", "10.1.2.3", "::1", "fd00::1", "169.254.169.254"):
        assert refusal(ip_address(address), allow_private=True) is None, address


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("fc00::1", "unique-local"),
        ("fec0::1", "site-local"),
        ("240.0.0.1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("198.18.0.1", "private"),
        ("100.64.1.1", "non-public"),
    ],
)
def test_each_kind_of_address_is_named(address: str, kind: str) -> None:
    reason = refusal(ip_address(address), allow_private=False)
    assert reason is not None and f"{kind} address" in reason


def test_public_addresses_pass() -> None:
    for address in ("93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"):
        assert refusal(ip_address(address), allow_private=False) is None, address
