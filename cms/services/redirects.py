"""Old addresses of the site and where they lead now.

A redirect keeps one path the site once served (an imported WordPress permalink such as
``/2019/05/14/slug/``, a shortlink ``/?p=123``, an archive ``/category/blogue/``) and leads to a
post, a category or a tag in one locale, or to a fixed path or address. A post or term is
followed as its slug changes: the target is worked out when asked for, from the current slug
and the site's path settings (``CMS_POST_PATHS``, ``CMS_CATEGORY_PATHS``, ``CMS_TAG_PATHS``).

Paths are stored normalised (:func:`normalise_path`), so that the many spellings of one
address a browser, a crawler or an export may use find the same row:

- a full URL keeps only its path and query; the fragment goes;
- percent-escapes are decoded (UTF-8, then NFC), except those standing for ``%``, ``/``,
  ``?`` and ``#``, which would change what the path means: they stay, as ``%25``, ``%2F``,
  ``%3F`` and ``%23`` (a ``%`` that starts no escape becomes ``%25``), so every ``%`` left in a
  stored path starts an escape;
- the path starts with ``/``, repeated slashes collapse, ``.`` and ``..`` segments are
  resolved as browsers resolve them, and a trailing ``/`` goes (except for the root);
- of the query, only the parameters that name content are kept (:data:`CONTENT_PARAMETERS`:
  WordPress's ``p``, ``page_id``, ``cat``, ``tag``…, Polylang's ``lang``), decoded, sorted by
  name; tracking parameters (``utm_source``, ``fbclid``…) and paging go;
- nothing is lowercased: paths are case-sensitive on most servers.

Empty input, control characters (NUL included) and paths longer than :data:`MAX_PATH` are
refused with :class:`InvalidRedirect`, a ValueError naming the field.

The public sees a redirect only when it leads somewhere it may go: to a published post with a
published translation, or a term with a translation, in the redirect's locale or along that
locale's fallback chain; a fixed target always resolves, and a 410 says the path is gone.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from cms.models import Category, Post, Redirect, Tag
from cms.services import visibility
from cms.services.sql import fetch, placeholders
from cms.settings import Settings

#: The longest normalised path kept (the column's size).
MAX_PATH = 1000
#: A raw address longer than this cannot normalise to MAX_PATH characters (an escaped UTF-8
#: character takes at most 12): refused before any work is done on it.
_MAX_RAW = 12 * MAX_PATH
STATUSES = (301, 302, 307, 308, 410)
GONE = 410
#: Query parameters that say which content a WordPress address shows; any other is dropped.
CONTENT_PARAMETERS = frozenset(
    {
        "p",
        "page_id",
        "attachment_id",
        "cat",
        "tag",
        "category_name",
        "name",
        "pagename",
        "post_type",
        "author",
        "author_name",
        "m",
        "year",
        "monthnum",
        "day",
        "feed",
        "lang",
    }
)
#: Redirect rows resolved per statement when listing them all.
PAGE = 500

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+|%")
# Decoded, these would change the path's structure: kept escaped.
_KEPT_ESCAPED = {"%": "%25", "/": "%2F", "?": "%3F", "#": "%23"}
# In a stored query, what would break its ``name=value&…`` shape.
_QUERY_ESCAPED = {"%": "%25", "&": "%26", "=": "%3D", "#": "%23", "+": "%2B"}
# What stays as it is when a path is written for a server: the path's own delimiters, and
# ``%`` (every ``%`` in a stored path starts an escape). Spaces, quotes and non-ASCII text
# are percent-encoded.
_PATH_SAFE = "/%!$&()*+,;=:@"
_URL_SAFE = _PATH_SAFE + "?#[]"
# Netlify reads ``:name`` as a placeholder and ``*`` as a splat: encoded, they match literally.
_NETLIFY_SAFE = "/%!$&()+,;=@"


class InvalidRedirect(ValueError):
    """A path, target or status that cannot make a redirect; ``field`` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a stored old address leads now."""

    path: str  # the stored, normalised path that matched
    target: str  # a path on the public site, or an absolute address; "" for 410
    url: str  # absolute and percent-encoded: a Location header's value; "" for 410
    status: int


# --- normalising ---------------------------------------------------------------------------


def normalise_path(raw: str) -> str:
    """The stored form of an address of the site: see the module's documentation."""
    if len(raw) > _MAX_RAW:
        raise _too_long()
    text = raw.strip()
    if not text:
        raise InvalidRedirect("path", "Give an address of the site, such as /2019/05/14/slug/.")
    if _has_control(text):
        raise _control()
    if _SCHEME.match(text):
        try:
            parts = urlsplit(text)
        except ValueError:
            raise InvalidRedirect("path", f"{raw!r} is not an address.") from None
        if parts.scheme.lower() not in {"http", "https"}:
            raise InvalidRedirect("path", f"{parts.scheme}: addresses are not pages of a site.")
        path, query = parts.path, parts.query
    else:
        path, _, query = text.split("#", 1)[0].partition("?")
    normal = _path(path)
    if kept := _query(query):
        normal += "?" + kept
    if len(normal) > MAX_PATH:
        raise _too_long()
    return normal


def _path(raw: str) -> str:
    decoded = unicodedata.normalize("NFC", _ESCAPES.sub(_decode_escapes, raw))
    if _has_control(decoded):
        raise _control()
    segments: list[str] = []
    for segment in decoded.split("/"):
        if segment in {"", "."}:
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    return "/" + "/".join(segments)


def _decode_escapes(match: re.Match[str]) -> str:
    """A run of escapes decoded as UTF-8, the structural characters escaped again."""
    run = match.group()
    if run == "%":
        return "%25"
    data = bytes(int(run[i + 1 : i + 3], 16) for i in range(0, len(run), 3))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRedirect("path", f"{run!r} is not percent-encoded UTF-8.") from None
    return "".join(_KEPT_ESCAPED.get(ch, ch) for ch in text)


def _query(raw: str) -> str:
    if not raw:
        return ""
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, errors="strict", max_num_fields=100)
    except UnicodeDecodeError:
        raise InvalidRedirect("path", "The query string is not percent-encoded UTF-8.") from None
    except ValueError:
        raise InvalidRedirect("path", "The query string has too many parameters.") from None
    kept = []
    for name, value in pairs:
        if name not in CONTENT_PARAMETERS:
            continue
        value = unicodedata.normalize("NFC", value)
        if _has_control(value):
            raise _control()
        kept.append((name, value))
    kept.sort(key=lambda pair: pair[0])
    return "&".join(f"{name}={_escape_query(value)}" for name, value in kept)


def _escape_query(value: str) -> str:
    return "".join(_QUERY_ESCAPED.get(ch, ch) for ch in value)


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _control() -> InvalidRedirect:
    return InvalidRedirect("path", "An address cannot hold control characters (NUL, newline…).")


def _too_long() -> InvalidRedirect:
    return InvalidRedirect("path", f"An address has at most {MAX_PATH} characters once decoded.")


# --- writing -------------------------------------------------------------------------------


async def add_redirect(
    path: str,
    *,
    post_id: int | None = None,
    category_id: int | None = None,
    tag_id: int | None = None,
    locale: str | None = None,
    target: str | None = None,
    status: int = 301,
    origin: str = "",
) -> Redirect:
    """Make ``path`` lead to a post, a category, a tag or a fixed ``target`` (exactly one),
    or, with status 410, to nothing: it is gone. A path already kept is changed (an import
    run twice leaves one row per path).

    ``locale`` picks the translation of a post or term whose address to lead to (its
    fallbacks after it); without one, the default locale's comes first.
    """
    normal = normalise_path(path)
    if status not in STATUSES:
        raise InvalidRedirect(
            "status", f"A status is one of {', '.join(map(str, STATUSES))}, not {status}."
        )
    given = [
        name
        for name, value in (
            ("postId", post_id),
            ("categoryId", category_id),
            ("tagId", tag_id),
            ("target", target),
        )
        if value is not None
    ]
    if status == GONE and given:
        raise InvalidRedirect(given[0], "A 410 says the path is gone: it leads nowhere.")
    if status != GONE and len(given) != 1:
        raise InvalidRedirect("target", "Give exactly one of a post, category, tag or target.")
    if target is not None:
        target = _target(target)
    if locale is not None and not 0 < len(locale) <= 35:
        raise InvalidRedirect("locale", f"{locale!r} is not a locale.")
    if len(origin) > 50:
        raise InvalidRedirect("origin", "An origin has at most 50 characters.")
    values: dict[str, Any] = {
        "post_id": post_id,
        "category_id": category_id,
        "tag_id": tag_id,
        "locale": locale,
        "target": target,
        "status": status,
        "origin": origin,
    }
    async with in_transaction():
        for model, ident, name in (
            (Post, post_id, "postId"),
            (Category, category_id, "categoryId"),
            (Tag, tag_id, "tagId"),
        ):
            if ident is not None and not await model.exists(id=ident):
                raise InvalidRedirect(name, f"No {model.__name__.lower()} has id {ident}.")
        if not await Redirect.filter(path=normal).update(**values):
            try:
                # A savepoint: on PostgreSQL a failed statement would abort the transaction.
                async with in_transaction():
                    await Redirect.create(path=normal, **values)
            except IntegrityError:
                # A concurrent writer kept the same path first: ours is the newer word.
                await Redirect.filter(path=normal).update(**values)
        return await Redirect.get(path=normal)


def _target(raw: str) -> str:
    """A fixed target: a path on the public site or an http(s) address, kept as given
    (a ``%`` that starts no escape escaped, so that writing it out stays faithful)."""
    target = raw.strip()
    if not target or len(target) > MAX_PATH:
        raise InvalidRedirect("target", f"A target has 1 to {MAX_PATH} characters.")
    if _has_control(target):
        raise InvalidRedirect("target", "A target cannot hold control characters.")
    try:
        parts = urlsplit(target)
    except ValueError:
        raise InvalidRedirect("target", f"{raw!r} is not an address.") from None
    on_site = target.startswith("/") and not target.startswith("//")
    if not on_site and not (parts.scheme in {"http", "https"} and parts.netloc):
        raise InvalidRedirect(
            "target", f"{raw!r} is neither a path of the site (/fr/…) nor an https:// address."
        )
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", target)


# --- resolving -----------------------------------------------------------------------------

_ROW = "SELECT id, path, post_id, category_id, tag_id, locale, target, status FROM redirect"


async def resolve(path: str, settings: Settings) -> Resolved | None:
    """Where ``path`` leads now, for the public; None when it leads nowhere they may go.

    A path whose query names content is looked up with it first, then without it: the
    archive ``/category/blogue/?lang=en`` falls back on ``/category/blogue``.
    """
    normal = normalise_path(path)
    bare = normal.partition("?")[0]
    candidates = [normal] if bare == normal else [normal, bare]
    rows = await fetch(
        f"{_ROW} WHERE path IN ({placeholders(len(candidates))})",
        candidates,
    )
    if not rows:
        return None
    row = min(rows, key=lambda r: candidates.index(r["path"]))
    (resolved,) = await _resolve_rows([row], settings)
    return resolved


async def all_redirects(settings: Settings) -> AsyncIterator[Resolved]:
    """Every redirect that leads somewhere the public may go, in the order they were made;
    read :data:`PAGE` rows at a time, each page resolved in a few statements."""
    last = 0
    while True:
        rows = await fetch(f"{_ROW} WHERE id > ? ORDER BY id LIMIT ?", [last, PAGE])
        for resolved in await _resolve_rows(rows, settings):
            if resolved is not None:
                yield resolved
        if len(rows) < PAGE:
            return
        last = rows[-1]["id"]


async def _resolve_rows(
    rows: Sequence[dict[str, Any]], settings: Settings
) -> list[Resolved | None]:
    """``rows`` of the redirect table resolved together: one statement per kind of target."""
    posts = await _post_slugs([r["post_id"] for r in rows if r["post_id"] is not None])
    categories = await _term_slugs(
        "category", [r["category_id"] for r in rows if r["category_id"] is not None]
    )
    tags = await _term_slugs("tag", [r["tag_id"] for r in rows if r["tag_id"] is not None])
    results: list[Resolved | None] = []
    for row in rows:
        target = _target_of(row, settings, posts, categories, tags)
        if target is None:
            results.append(None)
            continue
        results.append(
            Resolved(
                path=row["path"], target=target, url=_url(target, settings), status=row["status"]
            )
        )
    return results


def _target_of(
    row: dict[str, Any],
    settings: Settings,
    posts: dict[int, dict[str, str]],
    categories: dict[int, dict[str, str]],
    tags: dict[int, dict[str, str]],
) -> str | None:
    if row["status"] == GONE:
        return ""
    target: str | None = row["target"]
    if target is not None:
        return target
    for column, slugs, path_of in (
        ("post_id", posts, settings.post_path),
        ("category_id", categories, settings.category_path),
        ("tag_id", tags, settings.tag_path),
    ):
        if row[column] is not None:
            found = _along_chain(slugs.get(row[column], {}), _chain(row["locale"], settings))
            return None if found is None else path_of(*found)
    return None


def _chain(locale: str | None, settings: Settings) -> tuple[str, ...]:
    """The locales to lead to, in order: the redirect's and its fallbacks; without one (or
    with one no longer configured), every configured locale, the default first."""
    if locale in settings.locales:
        return settings.locale_chain(locale)
    return settings.locales


def _along_chain(slugs: dict[str, str], chain: tuple[str, ...]) -> tuple[str, str] | None:
    for locale in chain:
        if locale in slugs:
            return locale, slugs[locale]
    return None


async def _post_slugs(ids: list[int]) -> dict[int, dict[str, str]]:
    """The slugs the public may reach, by post and locale."""
    if not ids:
        return {}
    unique = sorted(set(ids))
    post, published = visibility.public_post("p"), visibility.public_translation("t")
    rows = await fetch(
        "SELECT t.post_id AS id, t.locale, t.slug FROM post_translation t "  # noqa: S608
        "JOIN post p ON p.id = t.post_id "
        f"WHERE t.post_id IN ({placeholders(len(unique))}) AND {post.sql} AND {published.sql}",
        [*unique, *post.params, *published.params],
    )
    return _by_id(rows)


async def _term_slugs(kind: str, ids: list[int]) -> dict[int, dict[str, str]]:
    if not ids:
        return {}
    unique = sorted(set(ids))
    rows = await fetch(
        f"SELECT {kind}_id AS id, locale, slug FROM {kind}_translation "  # noqa: S608
        f"WHERE {kind}_id IN ({placeholders(len(unique))})",
        unique,
    )
    return _by_id(rows)


def _by_id(rows: Iterable[dict[str, Any]]) -> dict[int, dict[str, str]]:
    slugs: dict[int, dict[str, str]] = {}
    for row in rows:
        slugs.setdefault(row["id"], {})[row["locale"]] = row["slug"]
    return slugs


def _url(target: str, settings: Settings) -> str:
    """The absolute, percent-encoded address of ``target`` ("" for none)."""
    if not target:
        return ""
    encoded = _encode_url(target)
    return encoded if _SCHEME.match(target) else settings.site_url + encoded


def _encode_url(value: str) -> str:
    return quote(value, safe=_URL_SAFE)


# --- writing out for web servers -----------------------------------------------------------

Format = Literal["netlify", "nginx", "csv"]
FORMATS: tuple[Format, ...] = ("netlify", "nginx", "csv")


def render(rows: Iterable[Resolved], fmt: Format) -> str:
    """``rows`` as a file a web server or a spreadsheet reads.

    - ``netlify``: a ``_redirects`` file, one ``from [name=value…] to status!`` line per row.
      Paths are percent-encoded (spaces, quotes, ``:`` and ``*`` included, which Netlify
      would read as a field separator, a placeholder or a splat); a kept query becomes Netlify's
      query conditions; ``!`` makes a rule apply even where a file exists (``/`` of
      ``/?p=123`` does). Netlify has no 307 or 308: they are written 302 and 301. A 410 shows
      ``/404.html`` with that status (Netlify answers other codes with a page).
    - ``nginx``: ``map`` blocks for nginx's ``http`` block, one variable per status; the
      file's header gives the ``if`` lines for the ``server`` block. Paths are matched
      against ``$uri`` (nginx's decoded path, so written decoded), with and without a
      trailing slash; a path with a query against ``"$uri?$args"`` exactly. Keys and values
      are quoted, ``"`` and ``\\`` escaped; ``$`` in a target is percent-encoded (nginx would
      read a variable).
    - ``csv``: ``path,target,status``, quoted by the csv module.
    """
    if fmt == "netlify":
        return _netlify(rows)
    if fmt == "nginx":
        return _nginx(rows)
    if fmt == "csv":
        return _csv(rows)
    raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")


def _split(path: str) -> tuple[str, list[tuple[str, str]]]:
    """A stored path's path part (escapes kept) and decoded query parameters."""
    path_part, _, query = path.partition("?")
    pairs = []
    for item in filter(None, query.split("&")):
        name, _, value = item.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return path_part, pairs


def _encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)


_NETLIFY_STATUS = {301: "301!", 302: "302!", 307: "302!", 308: "301!", 410: "410!"}


def _netlify(rows: Iterable[Resolved]) -> str:
    lines = ["# Old addresses of the site: cms redirects export --format netlify"]
    for row in rows:
        path_part, pairs = _split(row.path)
        fields = [quote(path_part, safe=_NETLIFY_SAFE)]
        fields += [_encode_query([pair]) for pair in pairs]
        fields.append(_encode_url(row.target) if row.status != GONE else "/404.html")
        fields.append(_NETLIFY_STATUS[row.status])
        lines.append(" ".join(fields))
    return "\n".join(lines) + "\n"


def _nginx(rows: Iterable[Resolved]) -> str:
    paths: dict[int, dict[str, str]] = {}
    queries: dict[int, dict[str, str]] = {}
    for row in rows:
        path_part, pairs = _split(row.path)
        uri = unquote(path_part)  # what nginx's $uri holds: decoded
        value = "gone" if row.status == GONE else row.url.replace("$", "%24")
        if pairs:
            queries.setdefault(row.status, {}).setdefault(f"{uri}?{_encode_query(pairs)}", value)
        else:
            keys = paths.setdefault(row.status, {})
            keys.setdefault(uri, value)
            if uri != "/":
                keys.setdefault(uri + "/", value)
    statuses = sorted(set(paths) | set(queries))
    lines = [
        "# Old addresses of the site: cms redirects export --format nginx",
        "# Include this file in nginx's http { } block, and add to the site's server { } block:",
        "#",
    ]
    for status in statuses:
        action = (
            f"return {status};" if status == GONE else f"return {status} $cinq_redirect_{status};"
        )
        lines.append(f"#     if ($cinq_redirect_{status}) {{ {action} }}")
    lines += [
        "#",
        "# Paths match nginx's decoded $uri, with or without a trailing slash; a path with a",
        '# query string matches "$uri?$args" exactly. Thousands of rows may need a larger',
        "# map_hash_max_size or map_hash_bucket_size.",
    ]
    for status in statuses:
        lines += ["", f"map $uri $cinq_redirect_path_{status} {{"]
        for key, value in paths.get(status, {}).items():
            lines.append(f"    {_nginx_string(key)} {_nginx_string(value)};")
        lines += ["}", "", f'map "$uri?$args" $cinq_redirect_{status} {{']
        lines.append(f"    default $cinq_redirect_path_{status};")
        for key, value in queries.get(status, {}).items():
            lines.append(f"    {_nginx_string(key)} {_nginx_string(value)};")
        lines.append("}")
    return "\n".join(lines) + "\n"


def _nginx_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _csv(rows: Iterable[Resolved]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "target", "status"])
    for row in rows:
        writer.writerow([row.path, row.target, row.status])
    return out.getvalue()
