"""POSTing one delivery: resolve, check, connect to the address checked, follow few redirects.

The host, in the canonical spelling :func:`~cms.webhooks.addresses.parse` gives it (the one
registration judged), is resolved here, every address it resolves to is checked
(:mod:`cms.webhooks.addresses`), and the request goes to that very address: the URL handed to
httpx names the IP, the ``Host`` header and TLS (SNI and certificate check, through httpcore's
``sni_hostname`` extension) name the host. A name that resolves to a public address when
checked and to a private one when connecting (DNS rebinding) therefore gets nowhere: there is
no second lookup. Redirects are not followed by httpx; a 301, 302, 307 or 308 is followed
here, up to :data:`MAX_REDIRECTS` times, each new target parsed, resolved and checked like the
first, and sent the same POST. Proxy settings from the environment are ignored, since a
proxy would connect on Cinq's behalf to addresses never checked.

Failures (no answer worth recording) form a small tree::

    SendError        unresolvable host, connection refused, timeout, too many redirects
    └── Refused      the target, or a redirect's, is not an address Cinq may connect to
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

import certifi
import httpx

from cms.webhooks.addresses import (
    AddressCheck,
    IPAddress,
    Target,
    UnsafeUrl,
    literal_address,
    parse,
)

TIMEOUT = 10.0
MAX_REDIRECTS = 3
#: Of a receiver's answer only the first bytes are read, to show in the delivery log.
MAX_EXCERPT = 1024
_REDIRECTS = {301, 302, 307, 308}

#: Resolves a host and port to the addresses a connection would try, in order.
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


class SendError(Exception):
    """No answer to record came back; the message says why."""


class Refused(SendError):
    """Cinq may not connect to where the delivery (or a redirect) points."""


@dataclass(frozen=True)
class Reply:
    status_code: int
    excerpt: str  # the start of the body, for people reading the log
    url: str  # where the answer came from, after redirects


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The operating system's resolver, as a connection would use it."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0])
        if ip not in found:
            found.append(ip)
    return found


async def post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    check: AddressCheck,
    resolve: Resolver = system_resolver,
    time_limit: float = TIMEOUT,
    tls: ssl.SSLContext | None = None,
) -> Reply:
    """POST ``body`` to ``url``; the receiver's reply, whatever its status, or :class:`SendError`.

    ``time_limit`` (seconds) bounds each request, resolution included; a redirect's request
    gets its own.
    ``tls`` replaces the public certificate authorities (a private CA's receivers).
    """
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            target = parse(current)
        except UnsafeUrl as error:
            where = "Redirected to a URL" if current != url else "A URL"
            raise Refused(f"{where} Cinq does not send to: {error}") from None
        try:
            async with asyncio.timeout(time_limit):
                address = await _checked_address(target, check, resolve)
                status, location, excerpt = await _exchange(
                    target, address, body, headers, time_limit, tls or _public_tls()
                )
        except TimeoutError:
            raise SendError(f"No answer from {target.host} within {time_limit:g} s.") from None
        if status in _REDIRECTS and location:
            current = urljoin(current, location)
            continue
        return Reply(status_code=status, excerpt=excerpt, url=current)
    raise SendError(f"More than {MAX_REDIRECTS} redirects.")


async def _checked_address(target: Target, check: AddressCheck, resolve: Resolver) -> IPAddress:
    """The address to connect to: the first the host resolves to, once all of them pass."""
    literal = literal_address(target.host)
    try:
        addresses = [literal] if literal else await resolve(target.host, target.port)
    except (OSError, UnicodeError) as error:
        raise SendError(f"Cannot resolve {target.host}: {error}") from None
    if not addresses:
        raise SendError(f"{target.host} resolves to no address.")
    for address in addresses:
        reason = check(address, target.port)
        if reason is not None:
            # One bad address refuses the host: otherwise which one is used decides.
            raise Refused(f"{target.host} resolves to {reason}; Cinq does not send there.")
    return addresses[0]


async def _exchange(
    target: Target,
    address: IPAddress,
    body: bytes,
    headers: Mapping[str, str],
    time_limit: float,
    tls: ssl.SSLContext,
) -> tuple[int, str | None, str]:
    try:
        original = httpx.URL(target.url)
        pinned = original.copy_with(host=str(address), fragment=None)
    except httpx.InvalidURL as error:
        raise Refused(f"A URL Cinq does not send to: {error}") from None
    request_headers = {
        **headers,
        # The host as the receiver knows it (with a port only when not the scheme's default).
        "Host": original.netloc.decode("ascii"),
        "Accept-Encoding": "identity",
    }
    extensions = {"sni_hostname": original.raw_host.decode("ascii")}
    async with httpx.AsyncClient(
        verify=tls, timeout=time_limit, follow_redirects=False, trust_env=False
    ) as client:
        try:
            async with client.stream(
                "POST", pinned, content=body, headers=request_headers, extensions=extensions
            ) as response:
                excerpt = await _read_some(response)
                return response.status_code, response.headers.get("location"), excerpt
        except httpx.TimeoutException:
            raise SendError(f"No answer from {target.host} within {time_limit:g} s.") from None
        except httpx.HTTPError as error:
            raise SendError(f"{type(error).__name__} talking to {target.host}: {error}") from None


async def _read_some(response: httpx.Response) -> str:
    """At most :data:`MAX_EXCERPT` bytes of the body; the rest is never read."""
    kept = b""
    async for chunk in response.aiter_raw():
        kept += chunk
        if len(kept) >= MAX_EXCERPT:
            break
    return kept[:MAX_EXCERPT].decode("utf-8", "replace")


@functools.cache
def _public_tls() -> ssl.SSLContext:
    # One context for the process: loading the CA bundle for every delivery costs more than
    # the request.
    return ssl.create_default_context(cafile=certifi.where())
