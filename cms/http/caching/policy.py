"""Which answers a cache may keep, said in the headers and in the request's state.

A public answer (an anonymous query answered without errors, say) carries a strong ETag and is
offered to the response cache through the request's :class:`~cms.http.state.RequestState`;
over GET it also carries the ``Cache-Control`` a CDN follows and ``Vary: Accept`` (the media
type depends on it), and a client already holding those bytes gets 304. Everything else
(mutations, errors, callers with a token) is ``no-store``: a draft never reaches a shared
cache.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from cms.http.conditional import etag_matches, strong_etag
from cms.http.state import request_state

#: Headers a 304 repeats (RFC 9110 §15.4.5).
REVALIDATION = ("etag", "cache-control", "vary")


def cacheable_answer(
    request: Request, response: Response, *, public: bool, cache_control: str
) -> Response:
    """``response`` marked public or private, or the 304 that replaces it.

    ``public`` says whether the answer may be given to anyone; only a complete 200 answer is
    treated as such (a streamed answer has no body to name). A response that already says how
    to cache it is left as it is.
    """
    if "cache-control" in response.headers:
        return response
    body = getattr(response, "body", None)
    if not (public and response.status_code == 200 and isinstance(body, bytes)):
        response.headers["cache-control"] = "no-store"
        return response
    etag = request_state(request.scope).public_etag = strong_etag(body)
    if request.method != "GET":
        response.headers["cache-control"] = "no-store"
        return response
    response.headers["cache-control"] = cache_control
    response.headers["etag"] = etag
    response.headers["vary"] = "Accept"
    if etag_matches(request.headers.get("if-none-match"), etag):
        kept = {name: response.headers[name] for name in REVALIDATION}
        return Response(status_code=304, headers=kept)
    return response
