"""Operations built from the schema never make the API fail, or fail without saying why.

hypothesis-graphql writes queries and mutations from ``cms.graphql.schema.sdl()`` (the same
SDL as ``schema/schema.graphql``), with every scalar, the built-in ones included, drawn from
our strategies. :func:`operations` mixes kinds of operations:

- ``valid``: documents shaped by the schema, their values from :func:`scalars`: what our
  content holds (demo slugs, locales, ids of existing rows) mixed with what breaks servers
  (NUL, lone surrogates, huge numbers, long strings, impossible or extreme dates, empty
  strings, deep JSON);
- ``plain``: the same with ordinary values only (:func:`plain_scalars`), and the arguments the
  API checks first (locales, ids, versions, time zones…) given values it accepts, so that
  operations get past those checks;
- ``invalid``: documents with one schema violation on purpose (hypothesis-graphql's negative
  mode);
- ``subscription``: subscriptions, which belong on a WebSocket and must be refused cleanly;
- ``edge``: hand-written corners of the language and of our limits (:data:`EDGE_DOCUMENTS`);
- ``write``: mutations that usually succeed (:data:`WRITES`), their values sometimes hostile,
  so that slugs, revisions, webhook payloads and recurrence rules are reached.

Arguments of generated documents often travel as JSON variables instead of literals: there a
lone surrogate can be written as an escape (``"\\ud800"``) and a value may arrive with the
wrong JSON type. Each operation goes over HTTP (POST, or GET when short enough) through the
real app, anonymously and with a new admin token, and the answer must hold
:func:`tests.fuzz.conftest.check_answer`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import graphql
import hypothesis_graphql
from hypothesis import HealthCheck, Phase, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes

from cms.demo import content, events
from cms.graphql.schema import sdl
from cms.services.webhooks import EVENT_TYPES
from tests.fuzz.conftest import FUZZ, Answer, Site, check_answer, pick

SCHEMA = graphql.build_schema(sdl())
assert SCHEMA.subscription_type is not None
#: The Subscription type as a query root: hypothesis-graphql writes queries and mutations only,
#: so subscriptions are written as queries of this schema and then relabelled.
SUBSCRIPTIONS = graphql.GraphQLSchema(query=SCHEMA.subscription_type)


def _slugs(value: object) -> Iterator[str]:
    """Every slug in the demo content (``{"slug": "…"}`` or ``{"slug": {"fr-CA": "…"}}``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "slug" and isinstance(item, str):
                yield item
            elif key == "slug" and isinstance(item, dict):
                yield from (s for s in item.values() if isinstance(s, str))
            else:
                yield from _slugs(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _slugs(item)


DEMO_SLUGS = sorted(
    set(
        _slugs(
            [
                content.AUTHOR,
                content.CATEGORIES,
                content.TAGS,
                content.POSTS,
                events.ORGANIZERS,
                events.VENUES,
                events.EVENTS,
            ]
        )
    )
)
assert len(DEMO_SLUGS) > 20

#: Strings the API means something by: locales, formats, webhook events, addresses, time
#: zones, recurrence rules, Markdown. They let generated operations get past the first check.
MEANINGFUL = [
    *DEMO_SLUGS,
    "fr-CA",
    "en-CA",
    "es-MX",
    "fr",
    "EN-ca",
    "webp",
    "avif",
    "jpeg",
    "png",
    "gif",
    *EVENT_TYPES,
    "https://hooks.example.com/cinq",
    "http://127.0.0.1:8000/",
    "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:127.0.0.1]/",
    "javascript:alert(1)",
    "/2019/05/14/8-reseautage-lart-de-linattendu/",
    "/fr/blogue/le-5-a-7-mode-demploi?utm=1",
    "https://cinq.test/fr/blogue/x#y",
    "ada@example.com",
    "Montréal",
    "America/Montreal",
    "America/Toronto",
    "UTC",
    "Etc/GMT+14",
    "Mars/Olympus",
    "2026-01-07T17:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "FREQ=WEEKLY;BYDAY=WE",
    "FREQ=DAILY;INTERVAL=1000000000",
    "FREQ=YEARLY;BYYEARDAY=366;COUNT=2",
    "FREQ=DAILY;UNTIL=99991231T235959Z",
    "FREQ=MINUTELY",
    "RRULE:FREQ=DAILY;COUNT=3",
    "CAD",
    "XXX",
    "## Titre\n\nDu *texte*, [un lien](javascript:alert(1)), ![](media:1)\n\n<script>x</script>",
    "![](media:99999999999999999999) ![](media:0) [x](media:1)",
    "```\ncode\n```\n" + "> " * 200 + "deep",
]

#: Strings that break servers: NUL, lone surrogates, bidi and combining marks, numbers that
#: overflow, paths, SQL, and nothing at all.
HOSTILE = [
    "",
    " ",
    "\x00",
    "post\x00slug",
    "\ud800",
    "\udfff",
    "a\ud83d",
    "\t\r\n",
    "é",
    "🎉",
    "\u202eabc",
    "e\u0301",
    "\ufeff",
    "'; DROP TABLE post; --",
    "%",
    "%00",
    "../../etc/passwd",
    "null",
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "99999999999999999999",
    "1e309",
    "NaN",
    "١٢",
    "²",
]

#: Dates a parser may choke on: the ends of Python's range with offsets that push them past it,
#: impossible days, hours and offsets, other ISO 8601 forms, and almost-dates.
ODD_DATES = [
    "2026-03-01",
    "2026-03-01T12:00:00",
    "2026-03-01T12:00:00Z",
    "2026-03-01T12:00:00+05:30",
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+14:00",
    "10000-01-01T00:00:00Z",
    "+010000-01-01T00:00:00Z",
    "-0001-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-03-01T24:00:00Z",
    "2026-03-01T12:00:60Z",
    "2026-03-01T12:00:00+24:00",
    "2026-03-01T12:00:00+23:59",
    "2026-03-01T12:00:00.123456789Z",
    "1970-01-01T00:00:00Z",
    "2038-01-19T03:14:08Z",
    "2026-W09-1",
    "20260301T120000Z",
    "now",
    "",
]

_OFFSETS = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=14)), timezone.min]
)
#: Instants Python can parse but not convert to UTC: their offset pushes them past year 1 or
#: year 9999.
OVERFLOWING_DATES = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T05:00:00+05:01",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T20:00:00-04:00",
]
_DATES = st.one_of(
    pick(OVERFLOWING_DATES),
    pick(ODD_DATES),
    st.datetimes(timezones=_OFFSETS).map(datetime.isoformat),
    st.datetimes(timezones=st.none()).map(datetime.isoformat),
)


def _repeated() -> st.SearchStrategy[str]:
    """Long strings, around column sizes (slugs, titles) and far beyond them."""
    return st.builds(
        lambda unit, count: unit * count,
        st.sampled_from(["a", "é", "-", "🎉", "a\x00"]),
        st.sampled_from([63, 64, 65, 100, 200, 201, 255, 256, 300, 1_000, 10_000, 100_000]),
    )


def texts() -> st.SearchStrategy[str]:
    """Strings for every String argument (and the text inside other scalars)."""
    return st.one_of(
        pick(MEANINGFUL),
        pick(HOSTILE),
        _DATES,
        _repeated(),
        st.text(max_size=40),
        st.builds(lambda a, b: a + b, pick(DEMO_SLUGS), pick(HOSTILE)),
    )


#: 32-bit GraphQL Ints at and around the edges the API cares about, and ints past them (which
#: the GraphQL Int type itself must refuse).
_INTS = st.one_of(
    st.integers(-3, 30),
    st.sampled_from([99, 100, 101, 1_000, 2**31 - 1, -(2**31)]),
    st.integers(-(2**31), 2**31 - 1),
    st.sampled_from([2**31, 2**53 + 1, 2**63, 10**30]),
)
_IDS = st.one_of(
    st.integers(1, 12).map(str),
    st.sampled_from(
        [
            *("0", "-1", "01", "1 ", "+1", "1.0", "1e3", "0x1", "2147483647", "2147483648"),
            *("4294967296", "9223372036854775808", "99999999999999999999", "abc", "١", "²"),
        ]
    ),
    texts(),
)
_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


def _deep_list(depth: int) -> graphql.ValueNode:
    value: graphql.ValueNode = nodes.Null
    for _ in range(depth):
        value = nodes.List([value])
    return value


def _json_values() -> st.SearchStrategy[graphql.ValueNode]:
    leaves = st.one_of(
        st.just(nodes.Null),
        st.booleans().map(nodes.Boolean),
        _INTS.map(nodes.Int),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
        texts().map(nodes.String),
    )
    nested = st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4).map(nodes.List),
            st.dictionaries(_NAMES, children, max_size=4).map(
                lambda fields: nodes.Object(
                    [
                        graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v)
                        for k, v in fields.items()
                    ]
                )
            ),
        ),
        max_leaves=12,
    )
    return st.one_of(nested, st.sampled_from([10, 64, 65, 200]).map(_deep_list))


def scalars() -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Value nodes for every scalar of the schema, built-in ones included (hypothesis-graphql
    looks ``custom_scalars`` up before its own defaults)."""
    return {
        "String": texts().map(nodes.String),
        "ID": st.one_of(_IDS.map(nodes.String), st.integers(-1, 12).map(nodes.Int)),
        "Int": _INTS.map(nodes.Int),
        "Float": st.one_of(
            st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
            st.sampled_from([0.0, -0.0, 0.5, 1.0, 1.5, -1.0, 1e308, 5e-324]).map(nodes.Float),
            # Past float range: the literal reads as infinity.
            st.just(graphql.FloatValueNode(value="1e400")),
        ),
        "DateTime": st.one_of(_DATES.map(nodes.String), texts().map(nodes.String)),
        "JSON": _json_values(),
        "Upload": st.one_of(texts().map(nodes.String), _INTS.map(nodes.Int)),
    }


def plain_scalars() -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Ordinary values only. One hostile string anywhere stops a whole mutation at the first
    check; operations made of these reach the writes behind it (slugs, revisions, webhook
    payloads, recurrence rules) and the reads of what they wrote."""
    words = st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=30)
    return {
        "String": st.one_of(pick(MEANINGFUL), words).map(nodes.String),
        "ID": st.integers(1, 12).map(nodes.Int),
        "Int": st.integers(1, 30).map(nodes.Int),
        "Float": st.floats(0, 1).map(nodes.Float),
        "DateTime": st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=_OFFSETS)
        .map(datetime.isoformat)
        .map(nodes.String),
        "JSON": st.just(graphql.ObjectValueNode(fields=())),
        "Upload": st.just(nodes.Null),
    }


def _document(document: graphql.DocumentNode) -> graphql.DocumentNode:
    """hypothesis-graphql's ``print_ast``: keep the tree, whose arguments are then rewritten."""
    return document


def _nest(depth: int) -> str:
    """Posts within categories within posts…, ``depth`` levels deep (the limit is 12)."""
    inner = "title"
    for _ in range(depth):
        inner = f"category {{ posts(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"
    return f"{{ posts(first: 1) {{ edges {{ node {{ {inner} }} }} }} }}"


_EDGES = "{ edges { cursor } }"
#: What hypothesis-graphql never writes: documents at the edges of the language and of our
#: limits (empty selections, fragment cycles, directives, many operations, escapes, nesting,
#: aliases and page sizes past the bounds) and arguments that reach the Markdown renderer,
#: full-text search and address parsing with what they find hardest.
EDGE_DOCUMENTS = [
    "{}",
    "{ }",
    "query {}",
    "mutation {}",
    "subscription {}",
    "",
    "# only a comment",
    "{ __typename }",
    "query Q { __typename } query Q { __typename }",
    "query A { __typename } query B { __typename }",
    "query A { __typename } mutation A { deleteTag(id: 1) { deletedId } }",
    "fragment F on Query { ...F } { ...F }",
    "fragment F on Query { posts(first: 100) { edges { cursor } } } { ...F a: posts { ...G } }",
    "{ ... on Query { ... on Query { ... on Query { __typename } } } }",
    "query ($x: Boolean!) { __typename @skip(if: $x) }",
    "{ __typename @nope }",
    "{ __typename @include }",
    "{ __schema { types { name } } }",
    '{ __type(name: "Post") { fields { name } } }',
    " ".join(["{", *(f"a{n}: __typename" for n in range(40)), "}"]),
    _nest(6),
    _nest(40),
    "{ posts(first: 100) { edges { node { tags { posts(first: 100) " + _EDGES + " } } } } }",
    '{ post(slug: "\\u0000") { title } }',
    '{ post(slug: "\\uD800") { title } }',
    '{ post(slug: "\\uDC00\\uD800") { title } }',
    '{ post(slug: """a\u0000b""") { title } }',
    "{ post(id: 1) { title } }",
    "{ post(id: 1.5) { title } }",
    "{ posts(first: 2147483648) " + _EDGES + " }",
    "{ posts(first: -1) " + _EDGES + " }",
    '{ posts(after: "") ' + _EDGES + " }",
    '{ posts(after: "bm9wZQ==") ' + _EDGES + " }",
    '{ posts(after: "' + "A" * 10_000 + '") ' + _EDGES + " }",
    """{ posts(filter: {search: "&|!():*<-> \\\\ ' %_"}) """ + _EDGES + " }",
    '{ posts(filter: {search: "' + "a " * 300 + '"}) ' + _EDGES + " }",
    "{ posts(filter: {status: []}) " + _EDGES + " }",
    '{ search(query: "&|!():*<->") ' + _EDGES + " }",
    '{ search(query: "") ' + _EDGES + " }",
    '{ search(query: "' + "é" * 201 + '") ' + _EDGES + " }",
    '{ events(from: "0001-01-01T00:00:00+14:00", to: "9999-12-31T23:59:59-14:00") ' + _EDGES + " }",
    '{ events(from: "9999-12-31T23:59:59Z", to: "0001-01-01T00:00:00Z") ' + _EDGES + " }",
    '{ events(from: "2026-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", first: 100) '
    + _EDGES
    + " }",
    '{ previewBody(markdown: "' + "> " * 2_000 + 'x") { html } }',
    '{ previewBody(markdown: "' + "[" * 5_000 + '") { html } }',
    '{ previewBody(markdown: "' + "*a" * 5_000 + '") { html wordCount } }',
    '{ previewBody(markdown: "' + "- " * 2_000 + 'x") { html } }',
    '{ previewBody(markdown: "![](media:2147483648) ![](media:-1) ![](media:)") { html } }',
    '{ redirect(path: "' + "/" * 5_000 + '") { target } }',
    '{ redirect(path: "http://[::1") { target } }',
    '{ redirect(path: "/?p=99999999999999999999") { target } }',
    '{ redirect(path: "%ff%00") { target } }',
    '{ media(id: "1") { srcset(format: "bmp", aspect: "0:0") } }',
    '{ media(id: "1") { rendition(width: 2147483647) { url } } }',
    '{ media(id: "1") { rendition(width: -1, aspect: "16:0") { url } } }',
    '{ tag(slug: "' + "a" * 300 + '") { name } }',
    '{ category(slug: "' + "é" * 300 + '") { name } }',
]


_SCALARS = scalars()
_OPERATIONS = {
    "plain": hypothesis_graphql.from_schema(
        SCHEMA, custom_scalars=plain_scalars(), print_ast=_document
    ),
    "valid": hypothesis_graphql.from_schema(SCHEMA, custom_scalars=_SCALARS, print_ast=_document),
    "invalid": hypothesis_graphql.from_schema(
        SCHEMA, custom_scalars=_SCALARS, print_ast=_document, mode=Mode.NEGATIVE
    ),
    "subscription": hypothesis_graphql.queries(
        SUBSCRIPTIONS, custom_scalars=_SCALARS, print_ast=_document
    ).map(lambda document: _relabel(document, graphql.OperationType.SUBSCRIPTION)),
}


#: Values the API accepts, by argument or input field name: with them, generated operations get
#: past the first check (a known locale, an existing id, the current version) and reach the
#: writes, webhook payloads, slugs and recurrence rules behind it.
_LOCALES = st.sampled_from(["fr-CA", "en-CA"])
_PLAUSIBLE_TEXT: dict[str, st.SearchStrategy[str]] = {
    "timezone": st.sampled_from(["America/Montreal", "America/Toronto", "UTC", "Asia/Kathmandu"]),
    "startLocal": st.sampled_from(["2026-01-07T17:00", "2027-03-14T02:30", "2026-11-01T01:30"]),
    "endLocal": st.sampled_from(["2026-01-07T19:00", "2027-03-14T03:30", "2026-11-01T01:45"]),
    "occurrenceStart": st.sampled_from(["2026-01-14T17:00", "2026-01-07T17:00"]),
    "start": st.sampled_from(["2026-01-15T17:00", "2026-03-08T02:30"]),
    "end": st.sampled_from(["2026-01-15T19:00", "2026-03-08T03:00"]),
    "rrule": st.sampled_from(["FREQ=WEEKLY;BYDAY=WE", "FREQ=DAILY;COUNT=3", "FREQ=MONTHLY"]),
    "url": st.sampled_from(["https://hooks.example.com/a", "https://example.com/x"]),
    "email": st.builds("fuzz{}@example.com".format, st.integers(0, 10**6)),
    "events": st.sampled_from(EVENT_TYPES),
    "format": st.sampled_from(["webp", "avif", "jpeg", "png"]),
    "aspect": st.sampled_from(["1:1", "16:9"]),
    "currency": st.just("CAD"),
    "title": st.sampled_from(["Réseautage : l’art du suivi", "Titre", "Title"]),
}
_PLAUSIBLE_INTS: dict[str, st.SearchStrategy[int]] = {
    "expectedVersion": st.integers(1, 4),
    "first": st.integers(1, 20),
    "width": st.integers(100, 2_000),
    "seriesNumber": st.integers(1, 60),
    "expiresInMinutes": st.integers(1, 10_080),
}


def _plausible(
    name: str, type_: graphql.GraphQLInputType
) -> st.SearchStrategy[graphql.ValueNode] | None:
    named = graphql.get_named_type(type_).name
    value: st.SearchStrategy[graphql.ValueNode]
    if named == "String" and (name in {"locale", "locales"} or name.endswith("Locale")):
        value = _LOCALES.map(nodes.String)
    elif named == "ID" and (name == "id" or name.endswith(("Id", "Ids"))):
        value = st.integers(1, 12).map(nodes.Int)
    elif named == "String" and name in _PLAUSIBLE_TEXT:
        value = _PLAUSIBLE_TEXT[name].map(nodes.String)
    elif named == "Int" and name in _PLAUSIBLE_INTS:
        value = _PLAUSIBLE_INTS[name].map(nodes.Int)
    elif named == "DateTime":
        moments = st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC))
        value = moments.map(datetime.isoformat).map(nodes.String)
    else:
        return None
    if isinstance(graphql.get_nullable_type(type_), graphql.GraphQLList):
        return st.lists(value, min_size=1, max_size=2).map(nodes.List)
    return value


_WORDS = st.text(st.characters(categories=["L", "N", "Zs", "Pd"]), min_size=1, max_size=40)
#: Text for the fields of a write: mostly ordinary, sometimes anything (NUL, surrogates,
#: 100,000 characters…).
_FIELD_TEXT = st.one_of(_WORDS, _WORDS, pick(MEANINGFUL), texts())
_SLUG = st.one_of(st.none(), _WORDS, texts())
_MOMENT = st.one_of(
    st.none(),
    st.datetimes(datetime(1900, 1, 1), datetime(2030, 1, 1), timezones=_OFFSETS).map(
        datetime.isoformat
    ),
    _DATES,
)
_ID = st.one_of(st.integers(1, 20), _IDS)
_VERSION = st.integers(1, 5)
_PAYLOAD = "errors { field code message currentVersion }"
_POST = "post { id version status slug publishedAt body { html wordCount } alternates { slug } }"

#: Writes that usually succeed, their values drawn as variables: created, renamed and
#: published content goes through slugs, revisions, search indexes and webhook payloads, and
#: is then read back by the other operations.
WRITES: list[tuple[str, dict[str, st.SearchStrategy[object]]]] = [
    (
        "mutation($t: String!, $u: String!, $s: String, $b: String!, $e: String!, "
        "$p: DateTime, $n: Int) { createPost(input: {seriesNumber: $n, publishedAt: $p, "
        'translations: [{locale: "fr-CA", title: $t, slug: $s, body: $b, excerpt: $e}, '
        '{locale: "en-CA", title: $u}]}) { ' + _POST + " " + _PAYLOAD + " } }",
        {
            "t": _FIELD_TEXT,
            "u": _FIELD_TEXT,
            "s": _SLUG,
            "b": _FIELD_TEXT,
            "e": _FIELD_TEXT,
            "p": _MOMENT,
            "n": st.one_of(st.none(), _INTS),
        },
    ),
    (
        "mutation($id: ID!, $v: Int!, $t: String!, $s: String, $b: String!) { "
        'upsertTranslation(postId: $id, expectedVersion: $v, input: {locale: "en-CA", '
        "title: $t, slug: $s, body: $b}) { " + _POST + " " + _PAYLOAD + " } }",
        {"id": _ID, "v": _VERSION, "t": _FIELD_TEXT, "s": _SLUG, "b": _FIELD_TEXT},
    ),
    (
        "mutation($id: ID!, $v: Int!, $p: DateTime) { publishPost(id: $id, expectedVersion: "
        "$v, publishedAt: $p) { " + _POST + " " + _PAYLOAD + " } }",
        {"id": _ID, "v": _VERSION, "p": _MOMENT},
    ),
    (
        "mutation($id: ID!, $v: Int!, $p: DateTime, $q: DateTime) { schedulePost(id: $id, "
        "expectedVersion: $v, publishAt: $p, unpublishAt: $q) { " + _POST + " " + _PAYLOAD + " } }",
        {"id": _ID, "v": _VERSION, "p": _MOMENT, "q": _MOMENT},
    ),
    (
        "mutation($id: ID!, $v: Int!) { deletePost(id: $id, expectedVersion: $v) { "
        + _PAYLOAD
        + " } }",
        {"id": _ID, "v": _VERSION},
    ),
    (
        "mutation($n: String!, $m: String!, $s: String) { createCategory(names: [{locale: "
        '"fr-CA", name: $n, slug: $s}, {locale: "en-CA", name: $m}]) { category { id slug } '
        + _PAYLOAD
        + " } }",
        {"n": _FIELD_TEXT, "m": _FIELD_TEXT, "s": _SLUG},
    ),
    (
        "mutation($id: ID!, $n: String!, $s: String) { updateTag(id: $id, names: "
        '[{locale: "fr-CA", name: $n, slug: $s}]) { tag { id slug } ' + _PAYLOAD + " } }",
        {"id": _ID, "n": _FIELD_TEXT, "s": _SLUG},
    ),
    (
        "mutation($n: String!, $s: String, $b: String!) { createAuthor(name: $n, slug: $s, "
        'bios: [{locale: "fr-CA", bio: $b}]) { author { id slug } ' + _PAYLOAD + " } }",
        {"n": _FIELD_TEXT, "s": _SLUG, "b": _FIELD_TEXT},
    ),
    (
        "mutation($n: String!, $c: String!, $a: Float, $o: Float) { saveVenue(input: {name: $n, "
        "city: $c, latitude: $a, longitude: $o}) { venue { id } " + _PAYLOAD + " } }",
        {
            "n": _FIELD_TEXT,
            "c": _FIELD_TEXT,
            "a": st.one_of(st.none(), st.floats(-100, 100), st.just(1e308)),
            "o": st.one_of(st.none(), st.floats(-200, 200)),
        },
    ),
    (
        "mutation($n: String!, $w: String, $j: JSON) { saveOrganizer(names: [{locale: "
        '"fr-CA", name: $n}], website: $w, socialLinks: $j) { organizer { id } '
        + _PAYLOAD
        + " } }",
        {
            "n": _FIELD_TEXT,
            "w": st.one_of(st.none(), pick(MEANINGFUL), texts()),
            "j": st.one_of(
                st.none(),
                st.just([{"network": "facebook", "url": "https://facebook.com/x"}]),
                st.recursive(
                    st.one_of(st.none(), st.integers(), texts()),
                    lambda c: st.one_of(
                        st.lists(c, max_size=3), st.dictionaries(texts(), c, max_size=3)
                    ),
                    max_leaves=8,
                ),
            ),
        },
    ),
    (
        "mutation($z: String!, $s: String!, $e: String!, $r: String, $t: String!, $l: String) "
        "{ createEvent(input: {timezone: $z, startLocal: $s, endLocal: $e, rrule: $r}, "
        'translations: [{locale: "fr-CA", title: $t, slug: $l}]) { event { id slug '
        "nextOccurrences(limit: 3) { start end } } " + _PAYLOAD + " } }",
        {
            "z": st.one_of(_PLAUSIBLE_TEXT["timezone"], texts()),
            "s": st.one_of(_PLAUSIBLE_TEXT["startLocal"], _DATES),
            "e": st.one_of(_PLAUSIBLE_TEXT["endLocal"], _DATES),
            "r": st.one_of(st.none(), _PLAUSIBLE_TEXT["rrule"], pick(MEANINGFUL)),
            "t": _FIELD_TEXT,
            "l": _SLUG,
        },
    ),
    (
        "mutation($u: String!, $e: [String!]!) { createWebhook(url: $u, events: $e) { "
        + _PAYLOAD
        + " } }",
        {
            "u": st.one_of(_PLAUSIBLE_TEXT["url"], pick(MEANINGFUL), texts()),
            "e": st.lists(st.one_of(st.sampled_from(EVENT_TYPES), texts()), max_size=3),
        },
    ),
    (
        "mutation($id: ID!, $m: Int!, $l: String) { createPreviewToken(postId: $id, "
        "expiresInMinutes: $m, locale: $l) { previewUrl " + _PAYLOAD + " } }",
        {"id": _ID, "m": _INTS, "l": st.one_of(st.none(), _LOCALES, texts())},
    ),
]


@st.composite
def writes(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    document, values = draw(pick(WRITES))
    return document, {name: draw(strategy) for name, strategy in values.items()}


def _relabel(document: graphql.DocumentNode, kind: graphql.OperationType) -> graphql.DocumentNode:
    definitions = [
        _replace(node, operation=kind)
        if isinstance(node, graphql.OperationDefinitionNode)
        else node
        for node in document.definitions
    ]
    return graphql.DocumentNode(definitions=tuple(definitions))


def _replace(node: graphql.Node, **changes: Any) -> Any:
    """A copy of an AST node with some attributes changed (nodes are not dataclasses)."""
    values = {key: getattr(node, key, None) for key in node.keys if key != "loc"}
    return type(node)(**{**values, **changes})


@dataclass(frozen=True)
class Operation:
    """A GraphQL request: the document, its variables, and how it travels."""

    document: str
    variables: dict[str, object]
    method: str
    accept: str | None

    def body(self) -> bytes:
        # ASCII JSON: a lone surrogate travels as an escape, as a JavaScript client sends it.
        payload: dict[str, object] = {"query": self.document}
        if self.variables:
            payload["variables"] = self.variables
        return json.dumps(payload).encode()

    def target(self) -> str:
        query = f"query={_quote(self.document)}"
        if self.variables:
            query += f"&variables={_quote(json.dumps(self.variables))}"
        return f"/graphql?{query}"


def _quote(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


_WRONG_TYPES = st.sampled_from(
    [None, True, 0, -1, 2**31, 2**64, 1.5, 1e308, "", "1", [], [None], {}, {"a": "b"}]
)
_SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])


def _with_plausible_values(
    draw: st.DrawFn, document: graphql.DocumentNode, *, always: bool
) -> graphql.DocumentNode:
    """``document`` with the arguments and input fields the API checks first (see
    :func:`_plausible`) given values it accepts: all of them (``always``), or two in three."""
    type_info = graphql.TypeInfo(SCHEMA)

    def replaced(node: Any, name: str, type_: graphql.GraphQLInputType | None) -> Any:
        strategy = _plausible(name, type_) if type_ is not None else None
        if strategy is None or not (always or draw(st.integers(0, 2))):
            return None
        return _replace(node, value=draw(strategy))

    class Plausible(graphql.Visitor):
        def enter_object_field(self, node: graphql.ObjectFieldNode, *_: object) -> object:
            return replaced(node, node.name.value, type_info.get_input_type())

        def enter_argument(self, node: graphql.ArgumentNode, *_: object) -> object:
            argument = type_info.get_argument()
            return replaced(node, node.name.value, argument.type if argument else None)

    return graphql.visit(document, graphql.TypeInfoVisitor(type_info, Plausible()))


#: How often each kind of operation is drawn. An anonymous caller's writes are all refused
#: alike, so it spends its examples on reads; an admin's writes have their own test.
ANONYMOUS_MIX = [
    *("plain", "plain", "write", "valid", "valid", "valid", "valid"),
    *("invalid", "invalid", "subscription", "edge"),
]
ADMIN_MIX = [
    *("plain", "plain", "plain", "write", "write", "valid", "valid", "valid", "valid"),
    *("invalid", "invalid", "subscription", "edge"),
]
WRITES_ONLY = ["write"]


@st.composite
def operations(draw: st.DrawFn, mix: list[str]) -> Operation:
    """An operation of a kind drawn from ``mix``: written by hypothesis-graphql (``plain``
    values only, any ``valid`` ones, or ``invalid`` on purpose), a subscription, a
    hand-written ``edge`` case or a templated ``write``. Some arguments of generated documents
    are lifted into variables, which may then be spoiled (a lone surrogate in a string, a value
    of the wrong JSON type)."""
    kind = draw(st.sampled_from(mix))
    if kind == "write":
        document_text, values = draw(writes())
        return Operation(
            document=document_text,
            variables={name: _spoil(draw, value) for name, value in values.items()},
            method="POST",
            accept=draw(st.sampled_from([None, "application/graphql-response+json"])),
        )
    if kind == "edge":
        return Operation(
            document=draw(pick(EDGE_DOCUMENTS)),
            variables=draw(st.sampled_from([{}, {"x": None}, {"x": "\ud800"}])),
            method=draw(st.sampled_from(["POST", "GET"])),
            accept=None,
        )
    document: graphql.DocumentNode = draw(_OPERATIONS[kind])
    if kind in {"plain", "valid"}:
        document = _with_plausible_values(draw, document, always=kind == "plain")
    variables: dict[str, object] = {}
    definitions: list[graphql.VariableDefinitionNode] = []
    type_info = graphql.TypeInfo(SCHEMA)

    class Lift(graphql.Visitor):
        def enter_argument(self, node: graphql.ArgumentNode, *_: object) -> object:
            argument = type_info.get_argument()
            if argument is None or not draw(st.booleans()):
                return None
            name = f"v{len(variables)}"
            value = graphql.value_from_ast_untyped(node.value)
            if draw(st.integers(0, 9)) == 0:
                value = draw(_WRONG_TYPES)
            variables[name] = _spoil(draw, value)
            definitions.append(
                graphql.VariableDefinitionNode(
                    variable=graphql.VariableNode(name=graphql.NameNode(value=name)),
                    type=graphql.parse_type(str(argument.type)),
                    directives=(),
                )
            )
            return graphql.ArgumentNode(
                name=node.name, value=graphql.VariableNode(name=graphql.NameNode(value=name))
            )

    lifted = graphql.visit(document, graphql.TypeInfoVisitor(type_info, Lift()))
    if definitions:
        lifted = graphql.DocumentNode(
            definitions=tuple(
                _replace(node, variable_definitions=tuple(definitions))
                if isinstance(node, graphql.OperationDefinitionNode)
                else node
                for node in lifted.definitions
            )
        )
    return Operation(
        document=graphql.print_ast(lifted),
        variables=variables,
        method=draw(st.sampled_from(["POST"] * 4 + ["GET"])),
        accept=draw(
            st.sampled_from(
                [
                    None,
                    "application/json",
                    "application/graphql-response+json",
                    "application/graphql-response+json, application/json;q=0.9",
                    "*/*",
                ]
            )
        ),
    )


def _spoil(draw: st.DrawFn, value: object) -> object:
    """``value`` with, now and then, a lone surrogate in one of its strings."""
    if isinstance(value, str):
        if value and draw(st.integers(0, 4)) == 0:
            at = draw(st.integers(0, len(value)))
            return value[:at] + draw(_SURROGATES) + value[at:]
        return value
    if isinstance(value, list):
        return [_spoil(draw, item) for item in value]
    if isinstance(value, dict):
        return {key: _spoil(draw, item) for key, item in value.items()}
    return value


#: The longest request line h11 (uvicorn's parser) accepts with its headers: a longer GET never
#: reaches the app, so such operations are sent as POST.
MAX_TARGET = 16 * 1024


async def send(site: Site, operation: Operation, token: str | None) -> Answer:
    headers = [("content-type", "application/json")]
    if operation.accept is not None:
        headers.append(("accept", operation.accept))
    if token is not None:
        headers.append(("authorization", f"Bearer {token}"))
    if operation.method == "GET" and len(target := operation.target()) <= MAX_TARGET:
        answer = await site.send("GET", target, headers)
    else:
        answer = await site.send("POST", "/graphql", headers, operation.body())
    event(f"{answer.method} {answer.status}: {_outcome(answer)}")
    return answer


def _outcome(answer: Answer) -> str:
    """What came back, for the statistics (``--hypothesis-show-statistics``)."""
    try:
        body = answer.json()
    except ValueError:
        return "not JSON"
    if not isinstance(body, dict):
        return "not an object"
    codes = sorted(
        {
            str((error.get("extensions") or {}).get("code"))
            for error in body.get("errors") or []
            if isinstance(error, dict)
        }
    )
    return "data" if not codes else "errors " + ",".join(codes)


#: Two departures from the profile, for the cost of writing documents from a schema this size
#: (tens of milliseconds each). Hypothesis's ``too_slow`` check (about a second for its first
#: draws) is within reach of a busy CI runner, and would fail the run for the machine's load,
#: not for the API. And shrinking a failing operation regenerates documents for up to five
#: minutes per failure: CI stops at the first failure it finds and shows it as drawn (the
#: request and the answer are in the report); ``CINQ_FUZZ_SHRINK=1`` shrinks it, and looks for
#: further distinct failures, on a workstation.
GRAPHQL_FUZZ = hypothesis_settings(
    hypothesis_settings.get_profile(FUZZ),
    suppress_health_check=[HealthCheck.too_slow],
    phases=(
        tuple(Phase)
        if os.environ.get("CINQ_FUZZ_SHRINK")
        else (Phase.explicit, Phase.reuse, Phase.generate)
    ),
)


@GRAPHQL_FUZZ
@given(operation=operations(ANONYMOUS_MIX))
async def test_anonymous_operations_are_answered_in_the_documented_shape(
    site: Site, operation: Operation
) -> None:
    check_answer(await send(site, operation, token=None), graphql=True)


@GRAPHQL_FUZZ
@given(operation=operations(ADMIN_MIX))
async def test_admin_operations_are_answered_in_the_documented_shape(
    site: Site, operation: Operation
) -> None:
    check_answer(await send(site, operation, token=await site.admin_token()), graphql=True)


@GRAPHQL_FUZZ
@given(operation=operations(WRITES_ONLY))
async def test_admin_writes_are_answered_in_the_documented_shape(
    site: Site, operation: Operation
) -> None:
    check_answer(await send(site, operation, token=await site.admin_token()), graphql=True)
