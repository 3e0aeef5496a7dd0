"""Which URLs a webhook may have, and which addresses Cinq may connect to for one.

A webhook URL is typed in by a person, and the server makes the request: left unchecked, a
URL such as ``http://169.254.169.254/…`` (a cloud's metadata service) or
``http://127.0.0.1:5432/`` turns webhooks into a way into the server's own network (SSRF).
So a URL is checked twice:

- when it is registered (:func:`check_url`): http or https, a host, no credentials, no
  fragment, and a host written as an address (``127.0.0.1``, ``[::1]``, ``2130706433``)
  or named ``localhost`` must be allowed;
- at every send and every redirect, by the sender, on the addresses the host *resolves to*
  (:func:`refusal`), since a name can point anywhere and can change after registration.

Refused unless ``CMS_WEBHOOK_ALLOW_PRIVATE`` is on: loopback, link-local, private (RFC 1918),
unique-local (fc00::/7), site-local (fec0::/10), reserved, and anything else not globally
routable (shared address space, documentation and benchmarking ranges), including IPv4
addresses embedded in IPv6 (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::/96``, 6to4
``2002::/16``). Always refused: unspecified (``0.0.0.0``, ``::``) and multicast addresses,
which no HTTP server answers on.

A host is judged, and kept, in one canonical spelling (:func:`parse`), read the way the
WHATWG URL standard (and so every browser) reads it: percent-decoded, mapped with UTS 46 (so
``①②⑦``, fullwidth ``１２７`` and the ideographic full stop ``。`` become ``127`` and ``.``),
and, when its last label is a number, read as an IPv4 address in any form the C library's
resolver accepts (``0177.0.0.1``, ``0x7f.1``). Otherwise ``http://①②⑦.0.0.1/`` would pass
as a name at registration and reach 127.0.0.1 through a resolver that maps it the same way.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import string
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import unquote, urlsplit

import idna

IPAddress = IPv4Address | IPv6Address
#: Why an address may not be connected to (to port ``port``), or None when it may.
AddressCheck = Callable[[IPAddress, int], str | None]

MAX_URL_LENGTH = 2000
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
#: A netloc without user info: a bracketed IPv6 literal or a name, then maybe a port.
_NETLOC = re.compile(r"(?:\[(?P<literal>[^\[\]]*)\]|(?P<name>[^\[\]:]*))(?::\d*)?")
#: What a host may hold once decoded and mapped: DNS names, with ``_`` as resolvers allow.
_HOST_CHARACTERS = frozenset(string.ascii_lowercase + string.digits + "-_.")


class UnsafeUrl(ValueError):
    """A webhook URL Cinq will not send to; the message says why."""


@dataclass(frozen=True)
class Target:
    """A checked URL, split into what the sender needs."""

    url: str  # with its host in canonical form
    scheme: str
    host: str  # canonical: ASCII, lower case; an IPv6 literal without brackets, maybe a zone
    port: int


def parse(url: str) -> Target:
    """Check the shape of ``url`` (not where it points), put its host in canonical form (see
    the module's docstring), and split it."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"A webhook URL has at most {MAX_URL_LENGTH} characters.")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise UnsafeUrl("A webhook URL has no spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl(f"{url!r} is not a URL: {error}.") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise UnsafeUrl("A webhook URL starts with http:// or https://.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeUrl("A webhook URL carries no user name or password; Cinq signs deliveries.")
    if not parts.hostname:
        raise UnsafeUrl("A webhook URL names a host.")
    if parts.fragment or url.endswith("#"):
        raise UnsafeUrl("A webhook URL has no #fragment.")
    written = _NETLOC.fullmatch(parts.netloc)
    after = len(parts.scheme) + len("://") + len(parts.netloc)
    if written is None or url[len(parts.scheme) : after] != "://" + parts.netloc:
        raise UnsafeUrl(f"{url!r} is not a URL: its host is malformed.")
    if written["literal"] is not None:
        host = _ipv6_host(written["literal"])
        netloc = f"[{host}]"
    else:
        host = _canonical_host(written["name"])
        netloc = host
    if port is not None:
        netloc += f":{port}"
    return Target(
        url=f"{scheme}://{netloc}{url[after:]}",
        scheme=scheme,
        host=host,
        port=port if port is not None else (443 if scheme == "https" else 80),
    )


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL to store, its host in canonical form, if a webhook may be registered with it;
    else :class:`UnsafeUrl`.

    Only a host written as an address, or ``localhost``, is judged here: names are resolved
    and judged at every send.
    """
    target = parse(url.strip())
    literal = literal_address(target.host)
    if literal is not None:
        reason = refusal(literal, allow_private=allow_private)
        if reason is not None:
            raise UnsafeUrl(f"Webhooks cannot be sent to {reason}.")
    elif not allow_private and _is_localhost(target.host):
        raise UnsafeUrl(f"Webhooks cannot be sent to {target.host}, a loopback name.")
    return target.url


def literal_address(host: str) -> IPAddress | None:
    """The address ``host`` spells, in any form a resolver accepts (``127.1``, ``0x7f.0.0.1``,
    ``2130706433`` all mean 127.0.0.1), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host.lower()):
        try:
            return IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def refusal(ip: IPAddress, *, allow_private: bool) -> str | None:
    """Why ``ip`` may not be connected to ("127.0.0.1, a loopback address"), or None."""
    if isinstance(ip, IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = refusal(embedded, allow_private=allow_private)
            return f"{ip} (that is {reason})" if reason else None
    if ip.is_unspecified:
        return f"{ip}, the unspecified address"
    if ip.is_multicast:
        return f"{ip}, a multicast address"
    if allow_private:
        return None
    for kind, test in (
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a unique-local", isinstance(ip, IPv6Address) and ip in _UNIQUE_LOCAL),
        ("a site-local", isinstance(ip, IPv6Address) and ip.is_site_local),
        ("a private", ip.is_private),
        ("a reserved", ip.is_reserved),
        ("a non-public", not ip.is_global),
    ):
        if test:
            return f"{ip}, {kind} address"
    return None


def address_check(allow_private: bool) -> AddressCheck:
    """The check the sender applies to every address it is about to connect to."""

    def check(ip: IPAddress, port: int) -> str | None:
        return refusal(ip, allow_private=allow_private)

    return check


def _embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, when connecting to it reaches one."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def _ipv6_host(literal: str) -> str:
    """The host inside ``[…]``: only an IPv6 address (with a zone, maybe) goes there."""
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        raise UnsafeUrl(f"[{literal}] is not an IPv6 address.") from None
    return literal.lower()


def _canonical_host(written: str) -> str:
    """The host the way a browser's URL parser reads it (WHATWG "host parsing")."""
    try:
        host = unquote(written, errors="strict")
    except UnicodeDecodeError:
        raise UnsafeUrl(f"{written!r} is not a host name: bad percent-encoding.") from None
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except UnicodeError as error:  # idna.IDNAError is one
            raise UnsafeUrl(f"{written!r} is not a host name: {error}.") from None
    host = host.lower()
    if not host or not set(host) <= _HOST_CHARACTERS:
        raise UnsafeUrl(f"{written!r} is not a host name or an address.")
    labels = host.removesuffix(".").split(".")
    if not all(labels):
        raise UnsafeUrl(f"{written!r} is not a host name: it has an empty label.")
    if _is_number(labels[-1]):
        # No top-level domain is a number: such a host is an IPv4 address or nothing.
        address = literal_address(".".join(labels))
        if not isinstance(address, IPv4Address):
            raise UnsafeUrl(f"{written!r} is not an IPv4 address.")
        return str(address)
    return host


def _is_number(label: str) -> bool:
    if label[:2] == "0x":
        return all(c in string.hexdigits for c in label[2:])
    return label.isdigit()


def _is_localhost(host: str) -> bool:
    # RFC 6761: localhost and every name under it are loopback names.
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")
