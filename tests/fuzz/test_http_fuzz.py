"""Any request to any route gets an answer under 500, in the documented shape.

Requests are built from what clients and attackers send: every route prefix the app serves
(``/graphql``, ``/media/…``, ``/media/original/…``, the feeds, ``/events.ics``,
``/events/<slug>.ics``, the sitemap, ``/healthz``, ``/readyz``, ``/admin/…``) and addresses it
does not, with path segments holding slugs of the demo, NUL, invalid UTF-8, dot segments,
huge ids and long text; any method; junk query strings; the headers the routes read (Range,
If-Range, If-None-Match, Content-Type, Accept, Authorization, Cookie, Origin, the CSRF and
preflight headers) with valid, malformed and hostile values; and bodies of arbitrary bytes,
deeply nested JSON, JSON scalars, invalid UTF-8, broken multipart uploads and oversized ones.

Four properties share these strategies: any request to any route; any body posted to
``/graphql``; any upload body, sent with what opens the upload parser (a writer's token and the
preflight header); and any Range request for a stored file, public or original.

Values that exist only once the module's content is loaded (the stored files' addresses, a
real token, a live session) are drawn as :class:`Ref` and filled in when the request is sent.
Each answer must hold :func:`tests.fuzz.conftest.check_answer`: the web app's HTML pages are
exempt from the JSON rule only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cms.admin import OPERATIONS, STATIC
from cms.services.sessions import COOKIE
from tests.fuzz.conftest import FUZZ, Answer, Site, check_answer, pick
from tests.fuzz.test_graphql_fuzz import DEMO_SLUGS, HOSTILE


@dataclass(frozen=True)
class Ref:
    """A value known only at run time: ``media`` (a stored file's public path), ``media-id``,
    ``token`` (a new admin token) or ``session`` (a new session of the admin)."""

    kind: str
    index: int = 0


Part = str | Ref


@dataclass(frozen=True)
class Request:
    """A request as drawn (and as Hypothesis shows a failing one); :meth:`send` fills in the
    :class:`Ref` parts."""

    method: str
    path: tuple[Part, ...]
    query: str
    headers: tuple[tuple[str, tuple[Part, ...]], ...]
    body: bytes

    async def send(self, site: Site) -> Answer:
        path = "".join([await _fill(site, part) for part in self.path])
        target = path + (f"?{self.query}" if self.query else "")
        headers = [
            (name, "".join([await _fill(site, part) for part in value]))
            for name, value in self.headers
        ]
        return await site.send(self.method, target, headers, self.body)


async def _fill(site: Site, part: Part) -> str:
    if isinstance(part, str):
        return part
    if part.kind == "media":
        return site.media_paths[part.index % len(site.media_paths)]
    if part.kind == "media-id":
        return str(site.media_ids[part.index % len(site.media_ids)])
    if part.kind == "token":
        return await site.admin_token()
    if part.kind == "session":
        return await site.admin_session()
    raise ValueError(part)


_PREFIXES = {"/graphql", "/media", "/feeds", "/events", "/events.ics", "/sitemap.xml", "/admin"}


def check(answer: Answer) -> None:
    """:func:`check_answer`, knowing which routes speak GraphQL and which are HTML pages."""
    route = answer.target.split("?", 1)[0]
    prefix = "/" + route.split("/")[1]
    event(f"{answer.method} {prefix if prefix in _PREFIXES else '/…'}: {answer.status}")
    check_answer(
        answer,
        graphql=route == "/graphql",
        html_allowed=route == "/admin" or route.startswith("/admin/"),
    )


# --- paths ---------------------------------------------------------------------------------


def _quoted(text: str) -> str:
    """``text`` as a path segment, lone surrogates included (as the bytes a careless client
    would send: CESU-8)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


#: Segments that are already on the wire as they are: escapes of NUL, of invalid UTF-8 (a
#: stray continuation byte, a truncated sequence, an encoded surrogate, an overlong dot), of
#: slashes and dots, broken escapes.
RAW_SEGMENTS = [
    "%00",
    "a%00b",
    "%ff",
    "%c3%28",
    "%ed%a0%80",
    "%c0%ae%c0%ae",
    "..",
    ".",
    "%2e%2e",
    "%2e",
    "%2f",
    "..%2f..%2fetc%2fpasswd",
    "%",
    "%zz",
    "%20",
    ";",
    "~",
    "*",
    "",
]

_LONG = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(["a", "%C3%A9", "-", "%00"]),
    st.sampled_from([64, 65, 200, 255, 256, 1_000, 5_000]),
)
SEGMENTS = st.one_of(
    pick(DEMO_SLUGS),
    pick(RAW_SEGMENTS),
    pick(HOSTILE).map(_quoted),
    st.text(max_size=20).map(_quoted),
    st.binary(max_size=12).map(lambda data: quote(data, safe="")),
    _LONG,
)
IDS = st.one_of(
    st.integers(1, 4).map(str),
    st.sampled_from(
        ["0", "-1", "01", "1.0", "2147483647", "2147483648", "99999999999999999999", "abc"]
    ),
    SEGMENTS,
)
LOCALES = st.one_of(st.sampled_from(["fr-CA", "en-CA", "es-MX", "fr-ca", "fr"]), SEGMENTS)
FEED_FILES = st.sampled_from(["rss.xml", "atom.xml", "feed.json", "feed.xml", "rss.json"])
OPERATION_NAMES = st.one_of(
    st.sampled_from(sorted(path.stem for path in OPERATIONS.glob("*.graphql"))), SEGMENTS
)
STATIC_FILES = st.one_of(
    st.sampled_from(
        sorted(str(p.relative_to(STATIC)) for p in STATIC.rglob("*") if p.is_file())[:20]
    ),
    SEGMENTS,
)
_MEDIA = st.builds(Ref, st.just("media"), st.integers(0, 9))
_MEDIA_ID = st.builds(Ref, st.just("media-id"), st.integers(0, 9))


def _path(*parts: st.SearchStrategy[Part] | str) -> st.SearchStrategy[tuple[Part, ...]]:
    return st.tuples(*(st.just(p) if isinstance(p, str) else p for p in parts))


PATHS = {
    "graphql": st.one_of(_path("/graphql"), _path("/graphql/"), _path("/graphql/", SEGMENTS)),
    "media": st.one_of(
        _path(_MEDIA),
        _path(_MEDIA, st.sampled_from(["/", "x", ".png", "%00", "/..", "/../../x"])),
        _path("/media/", SEGMENTS),
        _path("/media/renditions/", SEGMENTS, "/", SEGMENTS, "/", SEGMENTS),
        _path("/media/blobs/", SEGMENTS, "/", SEGMENTS),
        _path("/media/original/", IDS),
        _path("/media/original/", _MEDIA_ID),
        _path("/media/original/", IDS, "/", SEGMENTS),
    ),
    "feeds": st.one_of(
        _path("/sitemap.xml"),
        _path("/sitemap-", IDS, ".xml"),
        _path("/events.ics"),
        _path("/events/", SEGMENTS, ".ics"),
        _path("/events/", SEGMENTS),
        _path("/feeds/", LOCALES, "/", FEED_FILES),
        _path("/feeds/", LOCALES, "/categories/", SEGMENTS, "/", FEED_FILES),
        _path(st.sampled_from(["/feed.xml", "/atom.xml", "/rss.xml", "/feed.json", "/feeds/"])),
    ),
    "admin": st.one_of(
        _path(st.sampled_from(["/admin", "/admin/", "/admin/sign-in", "/admin/sign-out"])),
        _path("/admin/operations/", OPERATION_NAMES, ".graphql"),
        _path("/admin/static/", STATIC_FILES),
        _path("/admin/", SEGMENTS),
        _path("/admin/", SEGMENTS, "/", SEGMENTS),
    ),
    "other": st.one_of(
        _path(st.sampled_from(["/", "/healthz", "/readyz", "/healthz/", "/robots.txt"])),
        _path("/", SEGMENTS),
        _path("/", SEGMENTS, "/", SEGMENTS),
    ),
}

# --- query strings -------------------------------------------------------------------------

GRAPHQL_TEXTS = [
    "{ __typename }",
    '{ posts(locale: "en-CA", first: 2) { edges { node { title slug } } } }',
    '{ post(slug: "le-5-a-7-mode-demploi") { title body { html } } }',
    'mutation { deletePost(id: "1", expectedVersion: 1) { errors { code } } }',
    "subscription { contentChanged { kind ids } }",
    "subscription S { contentChanged { kind } } query Q { __typename }",
    "{ __schema { types { name } } }",
    "{",
    "",
    "query($id: ID!) { post(id: $id) { title } }",
]
JSON_TEXTS = [
    "{}",
    "[]",
    "null",
    "1",
    '"x"',
    '{"id": "1"}',
    '{"id": "\\u0000"}',
    '{"id": "\\ud800"}',
    '{"id": 99999999999999999999}',
    '{"persistedQuery": {"version": 1, "sha256Hash": "abc"}}',
    '{"persistedQuery": {"version": 1, "sha256Hash": "' + "0" * 64 + '"}}',
    '{"persistedQuery": {"version": "1", "sha256Hash": 5}}',
    '{"persistedQuery": null}',
    "[" * 100 + "]" * 100,
    '{"a": ' * 70 + "1" + "}" * 70,
    "{nope",
]


def _parsed(texts: list[str]) -> list[object]:
    """The values of those ``texts`` that are JSON."""
    values = []
    for text in texts:
        try:
            values.append(json.loads(text))
        except ValueError:
            continue
    return values


_KEYS = st.one_of(
    st.sampled_from(
        [
            *("query", "variables", "extensions", "operationName", "locale", "city"),
            *("organizer", "preview", "next", "expired", "signed_out", "format", "width", ""),
        ]
    ),
    st.text(max_size=8).map(_quoted),
)
_VALUES = st.one_of(
    pick(GRAPHQL_TEXTS + JSON_TEXTS).map(_quoted),
    pick([*DEMO_SLUGS, "fr-CA", "en-CA", "1", "Montréal"]).map(_quoted),
    pick(RAW_SEGMENTS),
    pick(HOSTILE).map(_quoted),
    st.text(max_size=30).map(_quoted),
    _LONG,
)
QUERIES = st.one_of(
    st.just(""),
    st.lists(
        st.tuples(_KEYS, st.one_of(st.none(), _VALUES)).map(
            lambda kv: kv[0] if kv[1] is None else f"{kv[0]}={kv[1]}"
        ),
        min_size=1,
        max_size=4,
    ).map("&".join),
    st.sampled_from(["&", "=", "&&==&", "%", "a=%zz", "a=%ff%fe", "a=%00", "?", "a=b=c"]),
)

# --- headers -------------------------------------------------------------------------------


def _plain(*values: str) -> st.SearchStrategy[tuple[Part, ...]]:
    return pick([(v,) for v in values])


def _named(name: str) -> Callable[[tuple[Part, ...]], tuple[str, tuple[Part, ...]]]:
    return lambda value: (name, value)


_INT_TEXT = st.one_of(
    st.integers(0, 3_000).map(str), st.sampled_from(["99999999999999999999", "-1", "a", ""])
)
RANGES = st.one_of(
    _plain(
        *("bytes=0-99", "bytes=0-0", "bytes=-5", "bytes=5-", "bytes=0-", "bytes=-0"),
        *("bytes=99999999999999999999-", "bytes=0-99999999999999999999", "bytes=10-5"),
        *("bytes=a-b", "bytes=", "bytes=-", "bytes=--1", "bytes=1-1-1", "items=0-1"),
        *("bytes=0-1,3-4", "bytes=0-1, 2-3 , 5-", "bytes=1000000-", "bytes=0-1,-1"),
        *("BYTES=0-1", " bytes = 0 - 1 ", "bytes=0-1,", "bytes=,", "bytes=0-1;x=2"),
        "bytes=" + ",".join(["0-0"] * 500),
        "bytes=" + ",".join(f"{n}-{n}" for n in range(0, 2_000, 2)),
    ),
    st.tuples(_INT_TEXT, _INT_TEXT).map(lambda r: (f"bytes={r[0]}-{r[1]}",)),
    st.lists(st.tuples(_INT_TEXT, _INT_TEXT), min_size=1, max_size=6).map(
        lambda rs: ("bytes=" + ",".join(f"{a}-{b}" for a, b in rs),)
    ),
)
ETAGS = _plain(
    *("*", '"x"', 'W/"x"', '"a", "b"', "", "junk", '"', '""', "W/", '*, "x"'),
    '"' + "a" * 5_000 + '"',
    "Wed, 21 Oct 2015 07:28:00 GMT",
)
CONTENT_TYPES = _plain(
    *("application/json", "application/json; charset=utf-8", "application/json; charset=latin-1"),
    *("application/graphql-response+json", "application/graphql", "text/plain", "text/html"),
    *("multipart/form-data", "multipart/form-data; boundary=X", "multipart/form-data; boundary="),
    "multipart/form-data; boundary=" + "b" * 200,
    *("application/x-www-form-urlencoded", "", ";", "application/json;;;=", "*/*", "junk"),
)
ACCEPTS = _plain(
    *("application/json", "application/graphql-response+json", "text/html", "*/*", ""),
    *("application/xml", "junk;q=x", "text/calendar", "image/webp,*/*;q=0.1"),
    "application/graphql-response+json;q=0, application/json;q=0",
)
AUTHORIZATIONS = st.one_of(
    st.tuples(st.just("Bearer "), st.just(Ref("token"))),
    _plain(
        *("Bearer", "Bearer ", "Bearer junk", "bearer " + "a" * 64, "Basic YTpi", "Token x"),
        *("", "Bearer \x80\xff", "Bearer " + "a" * 10_000, "Bearer  \t x", "Bearer cinq_x"),
    ),
)
COOKIES = st.one_of(
    st.tuples(st.just(f"{COOKIE}="), st.just(Ref("session"))),
    _plain(
        *(f"{COOKIE}=junk", f"{COOKIE}=", f"{COOKIE}=\x7f", f"{COOKIE}={'a' * 5_000}"),
        *("cinq_lang=xx", f"cinq_lang=fr; {COOKIE}=junk", ";;;", "=", "a=b; a=c", '"'),
    ),
)
ORIGINS = _plain("http://cinq.test", "https://cinq.test", "http://evil.test", "null", "", "x")
#: Any other header: a token name and a visible value (no CR, LF or NUL, which HTTP servers
#: refuse before an app sees the request).
_NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
_VISIBLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)

HEADER_VALUES: dict[str, st.SearchStrategy[tuple[Part, ...]]] = {
    "range": RANGES,
    "if-range": ETAGS,
    "if-none-match": ETAGS,
    "accept": ACCEPTS,
    "authorization": AUTHORIZATIONS,
    "cookie": COOKIES,
    "origin": ORIGINS,
    "x-cinq-csrf": _plain("1", ""),
    "apollo-require-preflight": _plain("true", ""),
    "x-request-id": _plain("abcdefgh", "x", "a" * 129, "../.."),
    "x-forwarded-proto": _plain("https", "junk"),
}
UPLOAD_PREFLIGHT: tuple[str, tuple[Part, ...]] = ("apollo-require-preflight", ("true",))
#: What the web app sends for a signed-in writer: its session, the CSRF header, its origin.
SIGNED_IN: tuple[tuple[str, tuple[Part, ...]], ...] = (
    ("cookie", (f"{COOKIE}=", Ref("session"))),
    ("x-cinq-csrf", ("1",)),
    ("origin", ("http://cinq.test",)),
)


@st.composite
def headers(draw: st.DrawFn) -> tuple[tuple[str, tuple[Part, ...]], ...]:
    """A few of the headers the routes read (each request has a different few), sometimes
    those of a signed-in writer, sometimes a header of any name."""
    names = draw(st.lists(st.sampled_from(sorted(HEADER_VALUES)), unique=True, max_size=4))
    found = [(name, draw(HEADER_VALUES[name])) for name in names]
    if draw(st.integers(0, 5)) == 0:
        found = [h for h in found if h[0] not in dict(SIGNED_IN)] + list(SIGNED_IN)
    if draw(st.integers(0, 4)) == 0:
        found.append(draw(st.tuples(_NAMES, _VISIBLE.map(lambda v: (v,)))))
    return tuple(found)


# --- bodies --------------------------------------------------------------------------------

_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([2**31, 2**64, 10**200]),  # past every integer column
        st.floats(),
        st.text(max_size=20),
        pick(HOSTILE + GRAPHQL_TEXTS),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
#: GraphQL-over-HTTP bodies with the right keys and any values: a query that is not a string,
#: variables that are not an object, a persisted query's hash of the wrong type, batches.
_GRAPHQL_BODIES = st.deferred(  # deferred: its repr names it rather than spelling it out
    lambda: st.one_of(
        st.fixed_dictionaries(
            {"query": st.one_of(pick(GRAPHQL_TEXTS), _JSON)},
            optional={
                "variables": _JSON,
                "operationName": st.one_of(st.sampled_from(["Q", "S", ""]), _JSON),
                "extensions": st.one_of(pick(_parsed(JSON_TEXTS)), _JSON),
            },
        ),
        st.dictionaries(
            st.sampled_from(["query", "variables", "extensions", "operationName", "id", "x"]),
            _JSON,
        ),
    )
)


def _nested(depth: int, kind: str) -> bytes:
    """A GraphQL body whose variables nest ``depth`` deep (the view refuses more than 64)."""
    inner = "[" * depth + "]" * depth if kind == "list" else '{"a": ' * depth + "1" + "}" * depth
    return (
        json.dumps({"query": "{ __typename }", "variables": {"v": "X"}})
        .replace('"X"', inner)
        .encode()
    )


def _multipart(operations: bytes, mapping: bytes, files: list[tuple[bytes, bytes]]) -> bytes:
    """A body in the GraphQL multipart request format (boundary ``X``), parts as given."""
    parts = [
        b'Content-Disposition: form-data; name="operations"\r\n\r\n' + operations,
        b'Content-Disposition: form-data; name="map"\r\n\r\n' + mapping,
        *(
            b'Content-Disposition: form-data; name="'
            + name
            + b'"; filename="f.png"\r\nContent-Type: image/png\r\n\r\n'
            + data
            for name, data in files
        ),
    ]
    return b"".join(b"--X\r\n" + part + b"\r\n" for part in parts) + b"--X--\r\n"


_UPLOAD = json.dumps(
    {
        "query": "mutation($f: Upload!) { uploadMedia(file: $f) { errors { code } } }",
        "variables": {"f": None},
    }
).encode()
_TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92"
    b"\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
_PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
MULTIPART = st.one_of(
    st.builds(
        _multipart,
        st.one_of(st.just(_UPLOAD), _GRAPHQL_BODIES.map(lambda b: json.dumps(b).encode())),
        st.one_of(
            st.sampled_from([b'{"0": ["variables.f"]}', b"{}", b"[]", b"null", b"{", b"\xff"]),
            st.sampled_from(
                [b'{"0": ["variables.x.y"]}', b'{"0": ["query"]}', b'{"0": "variables.f"}']
            ),
            _JSON.map(lambda v: json.dumps(v).encode()),
        ),
        st.lists(
            st.tuples(
                st.sampled_from([b"0", b"1", b"", b"\xff", b"map"]),
                st.one_of(st.binary(max_size=64), st.sampled_from([_PNG_HEAD, _TINY_PNG])),
            ),
            max_size=2,
        ),
    ),
    # Cut short, out of order, without parts, with a broken part header.
    pick(
        [
            b"--X\r\n",
            b"--X--\r\n",
            b'--X\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{',
            b'--X\r\nContent-Disposition: form-data; name="0"; filename="a"\r\n\r\nxx\r\n--X--\r\n',
            b"--X\r\nContent-Disposition: junk\r\n\r\nx\r\n--X--\r\n",
            b"--X\r\n" + b"A" * 20_000 + b"\r\n\r\nx\r\n--X--\r\n",
            b"garbage",
        ]
    ),
)

#: (Content-Type of the body, the body). The type may then be swapped for another.
BODIES = st.one_of(
    st.just((None, b"")),
    st.binary(max_size=256).map(lambda b: (None, b)),
    st.sampled_from([b"null", b"0", b"1e999", b'"x"', b"true", b"[]", b"{}", b"NaN"]).map(
        lambda b: ("application/json", b)
    ),
    _GRAPHQL_BODIES.map(lambda b: ("application/json", json.dumps(b).encode())),
    st.lists(_GRAPHQL_BODIES, max_size=3).map(
        lambda batch: ("application/json", json.dumps(batch).encode())
    ),
    st.tuples(st.sampled_from([63, 64, 65, 1_000, 100_000]), st.sampled_from(["list", "dict"]))
    .map(lambda d: _nested(*d))
    .map(lambda b: ("application/json", b)),
    st.sampled_from(
        [
            b'{"query": "{ __typename }", "x": "\xff\xfe"}',
            b'{"query": "{ post(slug: \\"\xc3\\") { title } }"}',
            b"\xef\xbb\xbf" + b'{"query": "{ __typename }"}',
            b'{"query": "{ __typename }"}\x00',
            b'\xff{"query": "{ __typename }"}',
            '{"query": "{ __typename }"}'.encode("utf-16"),
        ]
    ).map(lambda b: ("application/json", b)),
    MULTIPART.map(lambda b: ("multipart/form-data; boundary=X", b)),
    st.sampled_from(
        [
            b"query=%7B__typename%7D",
            b"email=a%40b.c&password=x&next=%2Fadmin%2F",
            b"a=%ff&&=",
            b"email=" + b"a" * 2_000 + b"&password=" + b"%00" * 10,
        ]
    ).map(lambda b: ("application/x-www-form-urlencoded", b)),
    pick(GRAPHQL_TEXTS).map(lambda t: ("application/graphql", t.encode())),
    pick([("application/json", b'{"query": "' + b"a" * 1_000_001 + b'"}')]),
)

METHODS = st.sampled_from(
    ["GET"] * 4 + ["POST"] * 4 + ["HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]
)


@st.composite
def requests(
    draw: st.DrawFn,
    paths: st.SearchStrategy[tuple[Part, ...]] | None = None,
    methods: st.SearchStrategy[str] = METHODS,
    bodies: st.SearchStrategy[tuple[str | None, bytes]] = BODIES,
) -> Request:
    """A request to one of the route groups (or to ``paths``), its parts drawn independently;
    the body's content type is usually the one that fits it, sometimes another."""
    if paths is None:
        group = draw(
            st.sampled_from(["graphql"] * 3 + ["media"] * 2 + ["feeds"] * 2 + ["admin", "other"])
        )
        paths = PATHS[group]
    content_type, body = draw(bodies)
    found = list(draw(headers()))
    if draw(st.integers(0, 3)) == 0:
        content_type = draw(CONTENT_TYPES)[0]
    if content_type is not None:
        found.append(("content-type", (content_type,)))
    if content_type and content_type.startswith("multipart/") and draw(st.booleans()):
        # Past the doors of the upload parser: a writer's token and the preflight header
        # (anonymous and unpreflighted uploads are refused before a byte is read).
        found = [h for h in found if h[0] not in {"authorization", "apollo-require-preflight"}]
        found += [("authorization", ("Bearer ", Ref("token"))), UPLOAD_PREFLIGHT]
    return Request(
        method=draw(methods),
        path=draw(paths),
        query=draw(QUERIES),
        headers=tuple(found),
        body=body,
    )


@hypothesis_settings(hypothesis_settings.get_profile(FUZZ))
@given(request=requests())
async def test_any_request_is_answered_in_the_documented_shape(
    site: Site, request: Request
) -> None:
    check(await request.send(site))


#: Bodies for ``/graphql``: mostly GraphQL-over-HTTP requests whose keys hold anything.
GRAPHQL_BODIES = st.one_of(
    _GRAPHQL_BODIES.map(lambda b: ("application/json", json.dumps(b).encode())),
    _GRAPHQL_BODIES.map(lambda b: ("application/graphql-response+json", json.dumps(b).encode())),
    BODIES,
)


@hypothesis_settings(hypothesis_settings.get_profile(FUZZ))
@given(
    request=requests(
        _path("/graphql"),
        st.sampled_from(["POST"] * 6 + ["GET", "HEAD", "PUT", "OPTIONS"]),
        GRAPHQL_BODIES,
    )
)
async def test_any_body_posted_to_graphql_is_answered_in_the_documented_shape(
    site: Site, request: Request
) -> None:
    check(await request.send(site))


@hypothesis_settings(hypothesis_settings.get_profile(FUZZ))
@given(
    request=st.builds(
        Request,
        method=st.just("POST"),
        path=st.just(("/graphql",)),
        query=st.just(""),
        headers=st.tuples(
            st.just(("authorization", ("Bearer ", Ref("token")))),
            st.just(UPLOAD_PREFLIGHT),
            st.one_of(
                st.just(("content-type", ("multipart/form-data; boundary=X",))),
                CONTENT_TYPES.map(lambda v: ("content-type", v)),
            ),
        ),
        body=MULTIPART,
    )
)
async def test_uploads_are_answered_in_the_documented_shape(site: Site, request: Request) -> None:
    """The upload parser is our own code, past two doors most requests never open (a writer's
    token, the preflight header): every draw here opens them."""
    check(await request.send(site))


#: A stored file's address and the authorization that may read it: public files anonymously,
#: originals with a writer's token; now and then a junk token or none.
STORED_FILES = st.one_of(
    st.tuples(_path(_MEDIA), st.just(None)),
    st.tuples(_path("/media/original/", _MEDIA_ID), st.just(("Bearer ", Ref("token")))),
    st.tuples(st.one_of(_path(_MEDIA), _path("/media/original/", _MEDIA_ID)), AUTHORIZATIONS),
)


@st.composite
def file_requests(draw: st.DrawFn) -> Request:
    """A GET or HEAD of a stored file with a Range, and perhaps If-Range and If-None-Match."""
    path, authorization = draw(STORED_FILES)
    found = [("range", draw(RANGES))]
    for name in draw(st.lists(st.sampled_from(["if-range", "if-none-match"]), unique=True)):
        found.append((name, draw(ETAGS)))
    if authorization is not None:
        found.append(("authorization", authorization))
    return Request(
        method=draw(st.sampled_from(["GET", "GET", "HEAD"])),
        path=path,
        query="",
        headers=tuple(found),
        body=b"",
    )


@hypothesis_settings(hypothesis_settings.get_profile(FUZZ))
@given(request=file_requests())
async def test_ranges_of_stored_files_are_answered_in_the_documented_shape(
    site: Site, request: Request
) -> None:
    answer = await request.send(site)
    check(answer)
    if answer.status == 206 and answer.media_type != "multipart/byteranges":
        assert answer.headers.get("content-range", "").startswith("bytes "), answer.describe()
