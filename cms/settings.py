"""Configuration: the only module that reads the environment.

Every setting comes from a ``CMS_*`` variable and lives in a frozen :class:`Settings`. Each
field declares its variable and its rule once, next to it (:func:`setting`); the rules run
however a :class:`Settings` is built, from the environment at start-up or in code (tests, the
schema printer), so a bad value raises the same :class:`SettingsError`, naming the variable and
the value, wherever it comes from, and a misconfigured deployment fails before it serves
anything.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

#: Display names of common locales; any other code is shown as itself.
LOCALE_NAMES = {
    "fr-CA": "Français (Canada)",
    "en-CA": "English (Canada)",
    "fr-FR": "Français (France)",
    "en-US": "English (United States)",
    "en-GB": "English (United Kingdom)",
    "es-MX": "Español (México)",
}

_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
#: Where a metrics port listens when no address is given: every interface.
EVERY_INTERFACE = "0.0.0.0"  # noqa: S104 - a metrics port is meant for the scraper's network


# Every variable Cinq reads (CMS_WORKERS is read by the container's start command, and
# CMS_TEST_* by the test suite); anything else starting with CMS_ is most likely a typo.
KNOWN_VARIABLES = frozenset(
    {
        "CMS_BODY_MIN_RATE", "CMS_BODY_TIMEOUT", "CMS_CATEGORY_PATHS",
        "CMS_CHANGE_POLL_INTERVAL", "CMS_CORS_ORIGINS",
        "CMS_DATABASE_URL", "CMS_DEBUG", "CMS_EVENT_PATHS", "CMS_HTTP_MAX_AGE",
        "CMS_HTTP_STALE_WHILE_REVALIDATE", "CMS_JOB_CONCURRENCY", "CMS_JOB_POLL_INTERVAL",
        "CMS_LOCALES", "CMS_LOCALE_FALLBACKS", "CMS_LOG_FORMAT", "CMS_LOG_LEVEL",
        "CMS_MAX_ALIASES", "CMS_MAX_BODY_BYTES", "CMS_MAX_IMAGE_PIXELS", "CMS_MAX_PAGE_SIZE",
        "CMS_MAX_QUERY_COST", "CMS_MAX_QUERY_DEPTH", "CMS_MAX_TOKENS", "CMS_MAX_UPLOAD_BYTES",
        "CMS_MEDIA_ROOT", "CMS_MEDIA_STORAGE", "CMS_MEDIA_URL", "CMS_METRICS_PORT",
        "CMS_METRICS_TOKEN",
        "CMS_OPERATIONS_DIR", "CMS_PERSISTED_QUERIES", "CMS_POST_PATHS",
        "CMS_PREVIEW_URL", "CMS_RESPONSE_CACHE_ENTRIES", "CMS_RESPONSE_CACHE_TTL",
        "CMS_S3_ACCESS_KEY_ID", "CMS_S3_ENDPOINT", "CMS_S3_REGION", "CMS_S3_SECRET_ACCESS_KEY",
        "CMS_SCHEDULER_INTERVAL", "CMS_SESSION_IDLE_TIMEOUT", "CMS_SESSION_MAX_AGE",
        "CMS_SITE_DESCRIPTION", "CMS_SITE_NAME", "CMS_SITE_URL", "CMS_TAG_PATHS",
        "CMS_WEBHOOK_ALLOW_PRIVATE", "CMS_WORKERS",
        "CMS_WS_INIT_TIMEOUT", "CMS_WS_MAX_SUBSCRIPTIONS",
    }
)  # fmt: skip


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each ``CMS_*`` variable Cinq does not read, naming the closest known
    one: ``CMS_DATABSE_URL`` would otherwise be ignored in silence, and the site would run on
    the default database."""
    env = os.environ if environ is None else environ
    warnings = []
    for name in sorted(env):
        if not name.startswith("CMS_") or name in KNOWN_VARIABLES or name.startswith("CMS_TEST_"):
            continue
        close = difflib.get_close_matches(name, KNOWN_VARIABLES, n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else "; it is ignored."
        warnings.append(f"{name} is not a Cinq setting{hint}")
    return warnings


class SettingsError(ValueError):
    """A configuration variable has a value Cinq cannot use."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


class Invalid(ValueError):
    """Raised by a rule: the value is refused; the message says why, without the variable's
    name, which :class:`SettingsError` adds."""


#: A rule's check: given a value (from the environment or from code) and the settings it
#: belongs to (to compare it with another field), the value to keep, in its canonical form.
Check = Callable[[Any, "Settings"], Any]


@dataclass(frozen=True)
class Rule:
    """How one setting is read from its variable, and which values it may take.

    ``parse`` turns the variable's text into a value and refuses text that is not one (not
    a number, not ``LOCALE=PATH``); ``check`` then judges the value, however the settings were
    built. With ``blank_is_unset``, a variable set to blanks leaves the default in place.
    """

    variable: str
    parse: Callable[[str], Any]
    check: Check | None = None
    blank_is_unset: bool = True


_RULE = "cms.setting"


def setting(
    variable: str,
    default: Any = MISSING,
    *,
    factory: Callable[[], Any] | None = None,
    parse: Callable[[str], Any] | None = None,
    check: Check | None = None,
    blank_is_unset: bool = True,
    secret: bool = False,
) -> Any:
    """A :class:`Settings` field read from ``variable`` and held to ``check``."""
    rule = Rule(variable, parse or _text, check, blank_is_unset)
    if factory is not None:
        return field(default_factory=factory, metadata={_RULE: rule}, repr=not secret)
    return field(default=default, metadata={_RULE: rule}, repr=not secret)


# Parsers: the text of a variable to a value.


def _text(raw: str) -> str:
    return raw.strip()


def _path(raw: str) -> Path:
    return Path(raw.strip()).expanduser().absolute()


def _flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise Invalid(f"expected true or false, got {raw!r}")


def _integer(raw: str) -> int:
    try:
        return int(raw.strip().replace("_", ""))
    except ValueError:
        raise Invalid(f"expected an integer, got {raw!r}") from None


def _number(raw: str) -> float:
    try:
        return float(raw.strip())
    except ValueError:
        raise Invalid(f"expected a number of seconds, got {raw!r}") from None


def _list(raw: str) -> tuple[str, ...]:
    """``a, b,c`` as ``("a", "b", "c")``."""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _chains(raw: str) -> dict[str, tuple[str, ...]]:
    """``en-CA:fr-CA;es-MX:en-CA>fr-CA`` (locale, colon, chain joined by ``>``)."""
    chains: dict[str, tuple[str, ...]] = {}
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        locale, sep, chain = entry.partition(":")
        if not sep:
            raise Invalid(f"{entry!r} should read LOCALE:FALLBACK")
        chains[locale.strip()] = tuple(code.strip() for code in chain.split(">") if code.strip())
    return chains


def _locale_paths(raw: str) -> dict[str, str]:
    """``fr-CA=/fr/blogue/{slug},en-CA=/en/blog/{slug}``."""
    paths: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        locale, sep, template = entry.partition("=")
        if not sep:
            raise Invalid(f"{entry!r} should read LOCALE=/path/{{slug}}")
        paths[locale.strip()] = template.strip()
    return paths


def _locale_texts(raw: str) -> dict[str, str]:
    """``fr-CA=Réseau 5 à 7;en-CA=The 5-to-7 Network`` (``;`` between locales, as a name
    may hold a comma), or one text for every locale (kept under ``*``)."""
    if "=" not in raw:
        return {"*": raw.strip()} if raw.strip() else {}
    texts: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        locale, sep, text = entry.partition("=")
        if not sep or not text.strip():
            raise Invalid(f"{entry!r} should read LOCALE=text")
        texts[locale.strip()] = text.strip()
    return texts


def _known_locales(texts: Mapping[str, str], settings: Settings) -> Mapping[str, str]:
    unknown = sorted(set(texts) - {"*", *settings.locales})
    if unknown:
        raise Invalid(f"{', '.join(unknown)} is not among CMS_LOCALES")
    return texts


_LISTEN_FORMS = "a port (9100) or an address and port (127.0.0.1:9100, [::1]:9100)"


def _listen_port(raw: str) -> int:
    """The port of ``9100``, ``127.0.0.1:9100`` or ``[::1]:9100``."""
    port = raw.strip().rpartition(":")[2]
    if not port.isascii() or not port.isdigit():
        raise Invalid(f"{raw!r} should be {_LISTEN_FORMS}")
    return int(port)


def _listen_host(raw: str) -> str:
    """The address of ``127.0.0.1:9100`` or ``[::1]:9100``; every interface for ``9100``."""
    host, sep, _ = raw.strip().rpartition(":")
    if not sep:
        return EVERY_INTERFACE
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


# Checks: a value (from either source) to the value kept, or Invalid.


def _between(low: int, high: int) -> Check:
    def check(value: Any, settings: Settings) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected an integer, got {value!r}")
        if not low <= value <= high:
            raise Invalid(f"must be between {low} and {high}, got {value}")
        return value

    return check


def _seconds(low: float = 0, high: float = 86_400) -> Check:
    def check(value: Any, settings: Settings) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"expected a number of seconds, got {value!r}")
        if not low <= value <= high:
            raise Invalid(f"must be between {low} and {high} seconds, got {value}")
        return float(value)

    return check


def _optional(check: Check) -> Check:
    """``check`` for a setting that may be left unset (None)."""

    def optional(value: Any, settings: Settings) -> Any:
        return None if value is None else check(value, settings)

    return optional


def _some_seconds(value: Any, settings: Settings) -> float:
    seconds: float = _seconds()(value, settings)
    if seconds <= 0:
        raise Invalid("must be more than 0 seconds")
    return seconds


def _flag_value(value: Any, settings: Settings) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def _one_of(*choices: str, case: Callable[[str], str] = str.lower, message: str) -> Check:
    """A word among ``choices``, in any case (kept in ``case``); refused with ``message``,
    where ``{value!r}`` stands for the value."""

    def check(value: Any, settings: Settings) -> str:
        if not isinstance(value, str) or case(value) not in choices:
            raise Invalid(message.format(value=value))
        return case(value)

    return check


def _database_url(url: str, settings: Settings) -> str:
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise Invalid(
            f"expected sqlite://PATH or postgres://USER@HOST/DB, got {url.split('://')[0]!r}"
        )
    if scheme == "sqlite" and not url[len("sqlite://") :]:
        raise Invalid("sqlite:// needs a file path or :memory:")
    if scheme == "postgresql":
        url = "postgres" + url[len("postgresql") :]
    return url


def _locales(codes: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
    for code in codes:
        if not _LOCALE_RE.match(code):
            raise Invalid(f"{code!r} is not a BCP 47 tag such as fr-CA")
    if len(set(codes)) != len(codes):
        raise Invalid("a locale is listed twice")
    if not codes:
        raise Invalid("at least one locale is required")
    return tuple(codes)


#: The default fallbacks: each locale falls back to the default one (the first).
_TO_THE_DEFAULT: Mapping[str, tuple[str, ...]] = MappingProxyType({})


def _fallbacks(
    chains: Mapping[str, tuple[str, ...]], settings: Settings
) -> Mapping[str, tuple[str, ...]]:
    """Every locale's chain: the default ones, or those given (none for a locale left out)."""
    locales = settings.locales
    if chains is _TO_THE_DEFAULT:
        return {code: (() if code == locales[0] else (locales[0],)) for code in locales}
    complete = {code: () for code in locales} | {
        locale: tuple(chain) for locale, chain in chains.items()
    }
    for locale, chain in complete.items():
        for code in (locale, *chain):
            if code not in locales:
                raise Invalid(f"{code!r} is not one of the configured locales")
        if locale in chain or len(set(chain)) != len(chain):
            raise Invalid(f"the chain of {locale!r} repeats a locale")
    return complete


def _locale_templates(default: Mapping[str, str]) -> Check:
    """Where a kind of page lives, per locale: paths given must each name a configured
    locale. The ``default`` ones stand whatever the locales (those of a locale that is not
    configured are never asked for)."""

    def check(paths: Mapping[str, str], settings: Settings) -> Mapping[str, str]:
        if paths is default:
            return paths
        for locale, template in paths.items():
            if locale not in settings.locales:
                raise Invalid(f"{locale + '=' + template!r} should read LOCALE=/path/{{slug}}")
            if not template.startswith("/") or "{slug}" not in template:
                raise Invalid(f"{template!r} should start with / and contain {{slug}}")
            try:
                template.format(slug="x", locale="x")
            except (KeyError, IndexError, ValueError):
                raise Invalid(f"{template!r} may only use {{slug}} and {{locale}}") from None
        return paths

    return check


_POST_PATHS = MappingProxyType({"fr-CA": "/fr/blogue/{slug}", "en-CA": "/en/blog/{slug}"})
_EVENT_PATHS = MappingProxyType({"fr-CA": "/fr/evenements/{slug}", "en-CA": "/en/events/{slug}"})
_CATEGORY_PATHS = MappingProxyType(
    {"fr-CA": "/fr/blogue/categorie/{slug}", "en-CA": "/en/blog/category/{slug}"}
)
_TAG_PATHS = MappingProxyType(
    {"fr-CA": "/fr/blogue/etiquette/{slug}", "en-CA": "/en/blog/tag/{slug}"}
)


def _folder(directory: Path | None, settings: Settings) -> Path | None:
    if directory is not None and not Path(directory).is_dir():
        raise Invalid(f"{str(directory)!r} is not a folder")
    return directory


def _site_url(raw: str, settings: Settings) -> str:
    url = raw.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
        raise Invalid(f"{raw!r} is not a site address like https://x.ca")
    return url


def _media_url(raw: str, settings: Settings) -> str:
    url = raw if raw.endswith("/") else raw + "/"
    parts = urlsplit(url)
    if not (url.startswith("/") or (parts.scheme in {"http", "https"} and parts.netloc)):
        raise Invalid(f"{raw!r} should be /media/ or https://cdn.x/media/")
    return url


def _media_storage(raw: str, settings: Settings) -> str:
    if raw == "local":
        return raw
    from cms.files.s3 import S3Location

    try:
        S3Location.parse(raw)
    except ValueError as error:
        raise Invalid(f"expected local or s3://bucket/prefix: {error}") from None
    return raw


def _s3_endpoint(raw: str | None, settings: Settings) -> str | None:
    if raw is None:
        return None
    url = raw.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
        raise Invalid(f"{raw!r} should be an address such as https://s3.example.com")
    return url


def _preview_url(raw: str | None, settings: Settings) -> str | None:
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or "{token}" not in raw:
        raise Invalid(f"{raw!r} should be like https://x.ca/api/preview?token={{token}}")
    try:
        raw.format(token="t", id=1, locale="fr-CA", slug="s")  # noqa: S106 - a trial value
    except (KeyError, IndexError, ValueError):
        raise Invalid(f"{raw!r} may only use {{token}}, {{id}}, {{locale}} and {{slug}}") from None
    return raw


def _origins(origins: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
    kept = tuple(origin.rstrip("/") for origin in origins)
    for origin in kept:
        parts = urlsplit(origin)
        if origin != "*" and (parts.scheme not in {"http", "https"} or not parts.netloc):
            raise Invalid(f"{origin!r} is not an origin like https://x")
    return kept


def _listen_address(host: str, settings: Settings) -> str:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise Invalid(f"{host!r} is not an IP address; give {_LISTEN_FORMS}") from None
    return host


def _metrics_token(token: str | None, settings: Settings) -> str | None:
    # A bearer token travels in a header: visible ASCII only. Sixteen characters at least,
    # since failed guesses at it are not throttled.
    if token is not None and (len(token) < 16 or not all("!" <= char <= "~" for char in token)):
        raise Invalid(
            "use at least 16 visible ASCII characters without spaces (`openssl rand -hex 32`)"
        )
    return token


def _session_idle_timeout(value: Any, settings: Settings) -> int:
    seconds: int = _between(60, 365 * 86400)(value, settings)
    if seconds > settings.session_max_age:
        raise Invalid("must not exceed CMS_SESSION_MAX_AGE")
    return seconds


def _bundled_operations() -> Path | None:
    """The project's own ``schema/operations`` folder, when Cinq runs from a checkout."""
    folder = Path(__file__).resolve().parent.parent / "schema" / "operations"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Settings:
    """Validated configuration of one Cinq instance.

    Each field names its variable and its rule (:func:`setting`); the rules run however the
    settings are built (:meth:`from_env`, in code, ``dataclasses.replace``), so a bad value
    is refused with the same :class:`SettingsError` wherever it comes from. A rule may compare
    its field with those declared before it, which are checked by then.
    """

    database_url: str = setting(
        "CMS_DATABASE_URL",
        factory=lambda: f"sqlite://{Path.cwd() / 'cinq.sqlite3'}",
        check=_database_url,
    )
    # (:func:`setting` returns a dataclass field, which the linter's RUF009 cannot tell.)
    media_root: Path = setting(  # noqa: RUF009
        "CMS_MEDIA_ROOT", factory=lambda: Path.cwd() / "media", parse=_path
    )
    locales: tuple[str, ...] = setting(
        "CMS_LOCALES", ("fr-CA", "en-CA"), parse=_list, check=_locales
    )
    #: For each locale, the locales tried after it, in order.
    fallbacks: Mapping[str, tuple[str, ...]] = setting(
        "CMS_LOCALE_FALLBACKS",
        factory=lambda: _TO_THE_DEFAULT,
        parse=_chains,
        check=_fallbacks,
        blank_is_unset=False,
    )
    debug: bool = setting("CMS_DEBUG", False, parse=_flag, check=_flag_value, blank_is_unset=False)
    max_body_bytes: int = setting(
        "CMS_MAX_BODY_BYTES", 1_000_000, parse=_integer, check=_between(1_024, 1 << 30)
    )
    # Multipart uploads have their own, larger cap.
    max_upload_bytes: int = setting(
        "CMS_MAX_UPLOAD_BYTES", 100_000_000, parse=_integer, check=_between(1_024, 1 << 40)
    )
    # Images with more pixels are refused before they are decoded (decompression bombs).
    max_image_pixels: int = setting(
        "CMS_MAX_IMAGE_PIXELS", 50_000_000, parse=_integer, check=_between(1_000, 1_000_000_000)
    )
    # A request body that stops arriving for this many seconds, or that averages fewer than
    # ``body_min_rate`` bytes a second once that long has been spent waiting for it, ends the
    # request with 408: stalled uploads must not hold connections for ever.
    body_timeout: float = setting("CMS_BODY_TIMEOUT", 30.0, parse=_number, check=_some_seconds)
    body_min_rate: int = setting(
        "CMS_BODY_MIN_RATE", 500, parse=_integer, check=_between(0, 1 << 30)
    )
    cors_origins: tuple[str, ...] = setting("CMS_CORS_ORIGINS", (), parse=_list, check=_origins)
    # The public site the content appears on, and where each kind of page lives on it, per
    # locale: every link Cinq writes (JSON-LD, and later feeds, sitemaps, iCalendar) uses them.
    site_url: str = setting("CMS_SITE_URL", "http://localhost:3000", check=_site_url)
    # The site's name and what it is about, per locale, for feeds and calendars (the site's
    # host name when unset).
    site_names: Mapping[str, str] = setting(
        "CMS_SITE_NAME", factory=dict, parse=_locale_texts, check=_known_locales
    )
    site_descriptions: Mapping[str, str] = setting(
        "CMS_SITE_DESCRIPTION", factory=dict, parse=_locale_texts, check=_known_locales
    )
    # Where /media is reached from outside: a path on this server, or a CDN's address.
    media_url: str = setting("CMS_MEDIA_URL", "/media/", check=_media_url)
    post_paths: Mapping[str, str] = setting(
        "CMS_POST_PATHS",
        factory=lambda: _POST_PATHS,
        parse=_locale_paths,
        check=_locale_templates(_POST_PATHS),
        blank_is_unset=False,
    )
    event_paths: Mapping[str, str] = setting(
        "CMS_EVENT_PATHS",
        factory=lambda: _EVENT_PATHS,
        parse=_locale_paths,
        check=_locale_templates(_EVENT_PATHS),
        blank_is_unset=False,
    )
    # Category and tag archives: where old addresses of term pages (redirects) lead.
    category_paths: Mapping[str, str] = setting(
        "CMS_CATEGORY_PATHS",
        factory=lambda: _CATEGORY_PATHS,
        parse=_locale_paths,
        check=_locale_templates(_CATEGORY_PATHS),
        blank_is_unset=False,
    )
    tag_paths: Mapping[str, str] = setting(
        "CMS_TAG_PATHS",
        factory=lambda: _TAG_PATHS,
        parse=_locale_paths,
        check=_locale_templates(_TAG_PATHS),
        blank_is_unset=False,
    )
    max_page_size: int = setting("CMS_MAX_PAGE_SIZE", 100, parse=_integer, check=_between(1, 1_000))
    max_query_depth: int = setting(
        "CMS_MAX_QUERY_DEPTH", 12, parse=_integer, check=_between(2, 100)
    )
    max_aliases: int = setting("CMS_MAX_ALIASES", 15, parse=_integer, check=_between(1, 1_000))
    max_tokens: int = setting("CMS_MAX_TOKENS", 2_000, parse=_integer, check=_between(50, 100_000))
    max_query_cost: int = setting(
        "CMS_MAX_QUERY_COST", 2_500, parse=_integer, check=_between(10, 10_000_000)
    )
    # Seconds between runs of the scheduled-publishing loop; 0 turns the loop off.
    scheduler_interval: float = setting(
        "CMS_SCHEDULER_INTERVAL", 10.0, parse=_number, check=_seconds()
    )
    # Seconds the job worker waits when it finds nothing to do; 0 turns it off.
    job_poll_interval: float = setting(
        "CMS_JOB_POLL_INTERVAL", 1.0, parse=_number, check=_seconds()
    )
    # Jobs one process runs at once: a slow webhook receiver must not hold up renditions.
    job_concurrency: int = setting("CMS_JOB_CONCURRENCY", 4, parse=_integer, check=_between(1, 64))
    # Seconds between looks at the change log (on PostgreSQL, notifications wake it sooner):
    # no process serves a cached response older than a committed write by more than this.
    # 0 looks on every cacheable request (one small statement each).
    change_poll_interval: float = setting(
        "CMS_CHANGE_POLL_INTERVAL", 0.5, parse=_number, check=_seconds(0, 60)
    )
    # Anonymous query results kept in each process (0 turns the response cache off), and how
    # long one may live when no write intervenes (answers that depend on the clock age too).
    response_cache_entries: int = setting(
        "CMS_RESPONSE_CACHE_ENTRIES", 1_000, parse=_integer, check=_between(0, 1_000_000)
    )
    response_cache_ttl: float = setting(
        "CMS_RESPONSE_CACHE_TTL", 60.0, parse=_number, check=_seconds()
    )
    # Cache-Control for anonymous GET queries, as CDNs and browsers read it.
    http_max_age: int = setting(
        "CMS_HTTP_MAX_AGE", 60, parse=_integer, check=_between(0, 31_536_000)
    )
    http_stale_while_revalidate: int = setting(
        "CMS_HTTP_STALE_WHILE_REVALIDATE", 300, parse=_integer, check=_between(0, 31_536_000)
    )
    # Automatic persisted queries: "auto" (clients register hashes), "strict" (anonymous
    # clients may only run the operations in ``operations_dir``, by hash), or "off".
    persisted_queries: str = setting(
        "CMS_PERSISTED_QUERIES",
        "auto",
        check=_one_of("auto", "strict", "off", message="expected auto, strict or off: {value!r}"),
    )
    operations_dir: Path | None = setting(  # noqa: RUF009
        "CMS_OPERATIONS_DIR", factory=_bundled_operations, parse=_path, check=_folder
    )
    # Seconds a GraphQL WebSocket may stay open without a connection_init; subscriptions one
    # connection may hold at once.
    ws_init_timeout: float = setting("CMS_WS_INIT_TIMEOUT", 10.0, parse=_number, check=_seconds())
    ws_max_subscriptions: int = setting(
        "CMS_WS_MAX_SUBSCRIPTIONS", 20, parse=_integer, check=_between(1, 1_000)
    )
    # Webhooks may reach loopback, private and link-local addresses (an intranet receiver).
    # Off by default: a registered URL must not become a way into the internal network.
    webhook_allow_private: bool = setting(
        "CMS_WEBHOOK_ALLOW_PRIVATE", False, parse=_flag, check=_flag_value, blank_is_unset=False
    )
    # Writers' sessions in the web app end after ``session_max_age`` seconds whatever happens,
    # and after ``session_idle_timeout`` seconds without a request.
    session_max_age: int = setting(
        "CMS_SESSION_MAX_AGE", 14 * 86400, parse=_integer, check=_between(60, 365 * 86400)
    )
    session_idle_timeout: int = setting(
        "CMS_SESSION_IDLE_TIMEOUT", 12 * 3600, parse=_integer, check=_session_idle_timeout
    )
    # Where a preview link leads: the frontend's preview route, with {token}, {locale}, {slug}
    # and {id}. Unset: the post's public URL with ``?preview={token}``.
    preview_url: str | None = setting("CMS_PREVIEW_URL", None, check=_preview_url)
    log_level: str = setting(
        "CMS_LOG_LEVEL",
        "INFO",
        check=_one_of(
            "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL",
            case=str.upper,
            message="unknown level {value!r}",
        ),
    )  # fmt: skip
    # "text" (one line a record, for people) or "json" (one object a line, for log stores).
    log_format: str = setting(
        "CMS_LOG_FORMAT",
        "text",
        check=_one_of("text", "json", message="expected text or json, got {value!r}"),
    )
    # /metrics: on a port of its own (``metrics_host``:``metrics_port``, and then not on the
    # main one), behind a bearer token, or both. With neither, the main port serves it to
    # clients on this machine only (see :mod:`cms.metrics.endpoint`). Both halves of the
    # address come from one variable.
    metrics_port: int | None = setting(
        "CMS_METRICS_PORT", None, parse=_listen_port, check=_optional(_between(1, 65_535))
    )
    metrics_host: str = setting(
        "CMS_METRICS_PORT", EVERY_INTERFACE, parse=_listen_host, check=_listen_address
    )
    metrics_token: str | None = setting(
        "CMS_METRICS_TOKEN", None, check=_metrics_token, secret=True
    )
    # Where uploaded files are kept: "local" (under ``media_root``) or an object store's
    # bucket and prefix, s3://bucket/prefix, reached with the settings below (the endpoint of
    # an S3-compatible server such as SeaweedFS or MinIO; none for AWS itself). The media
    # root then only holds scratch files.
    media_storage: str = setting("CMS_MEDIA_STORAGE", "local", check=_media_storage)
    s3_endpoint: str | None = setting("CMS_S3_ENDPOINT", None, check=_s3_endpoint)
    s3_region: str = setting("CMS_S3_REGION", "us-east-1")
    s3_access_key_id: str = setting("CMS_S3_ACCESS_KEY_ID", "", secret=True)
    s3_secret_access_key: str = setting("CMS_S3_SECRET_ACCESS_KEY", "", secret=True)

    def __post_init__(self) -> None:
        """Hold every field to its rule, in declaration order, keeping the canonical value."""
        for item in fields(self):
            rule: Rule = item.metadata[_RULE]
            if rule.check is None:
                continue
            try:
                value = rule.check(getattr(self, item.name), self)
            except Invalid as error:
                raise SettingsError(rule.variable, str(error)) from None
            object.__setattr__(self, item.name, value)

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    def locale_chain(self, locale: str) -> tuple[str, ...]:
        """The locales to try, in order, for content requested in ``locale``."""
        return (locale, *self.fallbacks.get(locale, ()))

    def post_url(self, locale: str, slug: str) -> str:
        """The public address of a post's page in ``locale``."""
        return self.site_url + self.post_path(locale, slug)

    def post_path(self, locale: str, slug: str) -> str:
        """The path of a post's page on the public site (redirects answer with it)."""
        template = self.post_paths.get(locale, "/{locale}/posts/{slug}")
        return template.format(locale=locale.lower(), slug=slug)

    def category_url(self, locale: str, slug: str) -> str:
        """The public address of a category's archive in ``locale``."""
        return self.site_url + self.category_path(locale, slug)

    def category_path(self, locale: str, slug: str) -> str:
        template = self.category_paths.get(locale, "/{locale}/categories/{slug}")
        return template.format(locale=locale.lower(), slug=slug)

    def tag_url(self, locale: str, slug: str) -> str:
        """The public address of a tag's archive in ``locale``."""
        return self.site_url + self.tag_path(locale, slug)

    def tag_path(self, locale: str, slug: str) -> str:
        template = self.tag_paths.get(locale, "/{locale}/tags/{slug}")
        return template.format(locale=locale.lower(), slug=slug)

    def preview_link(self, token: str, post_id: int, locale: str, slug: str) -> str:
        """The address a preview link opens: the frontend's preview route for a draft."""
        if self.preview_url is None:
            return f"{self.post_url(locale, slug)}?preview={token}"
        return self.preview_url.format(token=token, id=post_id, locale=locale, slug=slug)

    def event_url(self, locale: str, slug: str) -> str:
        """The public address of an event's page in ``locale``."""
        template = self.event_paths.get(locale, "/{locale}/events/{slug}")
        return self.site_url + template.format(locale=locale.lower(), slug=slug)

    @property
    def public_cache_control(self) -> str:
        """``Cache-Control`` of public answers: GraphQL queries over GET, feeds, sitemaps."""
        value = f"public, max-age={self.http_max_age}"
        if self.http_stale_while_revalidate:
            value += f", stale-while-revalidate={self.http_stale_while_revalidate}"
        return value

    def locale_name(self, locale: str) -> str:
        return LOCALE_NAMES.get(locale, locale)

    def site_name(self, locale: str) -> str:
        """The site's name in ``locale`` (or its fallbacks: a name reads in any language);
        its host name when unset."""
        return self._site_text(self.site_names, locale) or (
            urlsplit(self.site_url).hostname or self.site_url
        )

    def site_description(self, locale: str) -> str | None:
        """What the site is about, in ``locale`` itself (a feed in English does not describe
        itself in French), when it is said."""
        return self.site_descriptions.get(locale) or self.site_descriptions.get("*")

    def _site_text(self, texts: Mapping[str, str], locale: str) -> str | None:
        for code in (*self.locale_chain(locale), "*"):
            if code in texts:
                return texts[code]
        return None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``CMS_*`` variables (``os.environ`` by default); a variable
        that is not set leaves its field's default."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            rule: Rule = item.metadata[_RULE]
            raw = env.get(rule.variable)
            if raw is None or (rule.blank_is_unset and not raw.strip()):
                continue
            try:
                values[item.name] = rule.parse(raw)
            except Invalid as error:
                raise SettingsError(rule.variable, str(error)) from None
        return cls(**values)
