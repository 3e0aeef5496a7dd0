"""Cross-site request forgery: what a request acting on a session cookie must show.

A browser attaches the cookie to requests that another site makes it send. Two checks tell the
web app's own requests from those (OWASP's "custom request header" and "verifying origin"
defences, with the cookie's SameSite=Lax underneath):

- the header ``X-Cinq-CSRF``: a cross-site form cannot send it, and a cross-site script cannot
  either without a CORS preflight, which Cinq does not grant for it;
- an ``Origin`` naming this server: browsers send it with every POST, and a page of another
  site cannot forge it.

Requests with a bearer token need neither: a token is never sent on anyone's behalf.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

HEADER = "x-cinq-csrf"


def own_origin(conn: HTTPConnection) -> str:
    """This server's origin as the client addressed it (scheme from a trusted proxy too)."""
    return f"{conn.url.scheme}://{conn.url.netloc}".lower()


def foreign_origin(conn: HTTPConnection) -> bool:
    """Whether the request says it comes from a page of another site."""
    origin = conn.headers.get("origin")
    return origin is not None and origin.lower() != own_origin(conn)


def refusal(conn: HTTPConnection) -> str | None:
    """Why a cookie-authenticated API request is refused, or None when it passes both checks."""
    if not conn.headers.get(HEADER):
        return (
            "Requests signed in with a session cookie need an X-Cinq-CSRF header (protection "
            "against cross-site request forgery)."
        )
    origin = conn.headers.get("origin")
    if origin is None:
        return "Requests signed in with a session cookie need an Origin header."
    if origin.lower() != own_origin(conn):
        return f"Requests signed in with a session cookie may not come from {origin}."
    return None
