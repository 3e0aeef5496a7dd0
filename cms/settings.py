"""Configuration: the only module that reads the environment.

Every setting comes from a ``CMS_*`` variable, is validated once at start-up and lives in a
frozen :class:`Settings`. A bad value raises :class:`SettingsError` naming the variable, so a
misconfigured deployment fails before it serves anything.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
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
        "CMS_MEDIA_ROOT", "CMS_MEDIA_URL", "CMS_METRICS_PORT", "CMS_METRICS_TOKEN",
        "CMS_OPERATIONS_DIR", "CMS_PERSISTED_QUERIES", "CMS_POST_PATHS",
        "CMS_PREVIEW_URL", "CMS_RESPONSE_CACHE_ENTRIES", "CMS_RESPONSE_CACHE_TTL",
        "CMS_SCHEDULER_INTERVAL", "CMS_SESSION_IDLE_TIMEOUT", "CMS_SESSION_MAX_AGE",
        "CMS_SITE_URL", "CMS_TAG_PATHS", "CMS_WEBHOOK_ALLOW_PRIVATE", "CMS_WORKERS",
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


@dataclass(frozen=True)
class Settings:
    """Validated configuration of one Cinq instance."""

    database_url: str = field(default_factory=lambda: f"sqlite://{Path.cwd() / 'cinq.sqlite3'}")
    media_root: Path = field(default_factory=lambda: Path.cwd() / "media")
    locales: tuple[str, ...] = ("fr-CA", "en-CA")
    #: For each locale, the locales tried after it, in order.
    fallbacks: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: {"fr-CA": (), "en-CA": ("fr-CA",)}
    )
    debug: bool = False
    max_body_bytes: int = 1_000_000
    # Multipart uploads have their own, larger cap.
    max_upload_bytes: int = 100_000_000
    # Images with more pixels are refused before they are decoded (decompression bombs).
    max_image_pixels: int = 50_000_000
    # A request body that stops arriving for this many seconds, or that averages fewer than
    # ``body_min_rate`` bytes a second once that long has been spent waiting for it, ends the
    # request with 408: stalled uploads must not hold connections for ever.
    body_timeout: float = 30.0
    body_min_rate: int = 500
    cors_origins: tuple[str, ...] = ()
    # The public site the content appears on, and where each kind of page lives on it, per
    # locale: every link Cinq writes (JSON-LD, and later feeds, sitemaps, iCalendar) uses them.
    site_url: str = "http://localhost:3000"
    # Where /media is reached from outside: a path on this server, or a CDN's address.
    media_url: str = "/media/"
    post_paths: Mapping[str, str] = field(
        default_factory=lambda: {"fr-CA": "/fr/blogue/{slug}", "en-CA": "/en/blog/{slug}"}
    )
    event_paths: Mapping[str, str] = field(
        default_factory=lambda: {"fr-CA": "/fr/evenements/{slug}", "en-CA": "/en/events/{slug}"}
    )
    # Category and tag archives: where old addresses of term pages (redirects) lead.
    category_paths: Mapping[str, str] = field(
        default_factory=lambda: {
            "fr-CA": "/fr/blogue/categorie/{slug}",
            "en-CA": "/en/blog/category/{slug}",
        }
    )
    tag_paths: Mapping[str, str] = field(
        default_factory=lambda: {
            "fr-CA": "/fr/blogue/etiquette/{slug}",
            "en-CA": "/en/blog/tag/{slug}",
        }
    )
    max_page_size: int = 100
    max_query_depth: int = 12
    max_aliases: int = 15
    max_tokens: int = 2_000
    max_query_cost: int = 2_500
    # Seconds between runs of the scheduled-publishing loop; 0 turns the loop off.
    scheduler_interval: float = 10.0
    # Seconds the job worker waits when it finds nothing to do; 0 turns it off.
    job_poll_interval: float = 1.0
    # Jobs one process runs at once: a slow webhook receiver must not hold up renditions.
    job_concurrency: int = 4
    # Seconds between looks at the change log (on PostgreSQL, notifications wake it sooner):
    # no process serves a cached response older than a committed write by more than this.
    # 0 looks on every cacheable request (one small statement each).
    change_poll_interval: float = 0.5
    # Anonymous query results kept in each process (0 turns the response cache off), and how
    # long one may live when no write intervenes (answers that depend on the clock age too).
    response_cache_entries: int = 1_000
    response_cache_ttl: float = 60.0
    # Cache-Control for anonymous GET queries, as CDNs and browsers read it.
    http_max_age: int = 60
    http_stale_while_revalidate: int = 300
    # Automatic persisted queries: "auto" (clients register hashes), "strict" (anonymous
    # clients may only run the operations in ``operations_dir``, by hash), or "off".
    persisted_queries: str = "auto"
    operations_dir: Path | None = field(default_factory=lambda: _bundled_operations())
    # Seconds a GraphQL WebSocket may stay open without a connection_init; subscriptions one
    # connection may hold at once.
    ws_init_timeout: float = 10.0
    ws_max_subscriptions: int = 20
    # Webhooks may reach loopback, private and link-local addresses (an intranet receiver).
    # Off by default: a registered URL must not become a way into the internal network.
    webhook_allow_private: bool = False
    # Writers' sessions in the web app end after this many seconds without a request, and
    # after ``session_max_age`` seconds whatever happens.
    session_idle_timeout: int = 12 * 3600
    session_max_age: int = 14 * 86400
    # Where a preview link leads: the frontend's preview route, with {token}, {locale}, {slug}
    # and {id}. Unset: the post's public URL with ``?preview={token}``.
    preview_url: str | None = None
    log_level: str = "INFO"
    # "text" (one line a record, for people) or "json" (one object a line, for log stores).
    log_format: str = "text"
    # /metrics: on a port of its own (``metrics_host``:``metrics_port``, and then not on the
    # main one), behind a bearer token, or both. With neither, the main port serves it to
    # clients on this machine only (see :mod:`cms.metrics.endpoint`).
    metrics_port: int | None = None
    metrics_host: str = "0.0.0.0"  # noqa: S104 - a metrics port is meant for the scraper's network
    metrics_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        _check_chains(self.locales, self.fallbacks, "CMS_LOCALE_FALLBACKS")
        if not 0 <= self.change_poll_interval <= 60:
            raise SettingsError("CMS_CHANGE_POLL_INTERVAL", "must be between 0 and 60 seconds")
        if self.body_timeout <= 0:
            raise SettingsError("CMS_BODY_TIMEOUT", "must be more than 0 seconds")
        if self.session_idle_timeout > self.session_max_age:
            raise SettingsError("CMS_SESSION_IDLE_TIMEOUT", "must not exceed CMS_SESSION_MAX_AGE")

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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``CMS_*`` variables (``os.environ`` by default)."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, object] = {}
        if url := env.get("CMS_DATABASE_URL", "").strip():
            kwargs["database_url"] = _database_url(url)
        if root := env.get("CMS_MEDIA_ROOT", "").strip():
            kwargs["media_root"] = Path(root).expanduser().absolute()
        locales = Settings.locales
        if raw := env.get("CMS_LOCALES", "").strip():
            locales = _locales(raw)
            kwargs["locales"] = locales
        if "CMS_LOCALE_FALLBACKS" in env:
            kwargs["fallbacks"] = _fallbacks(env["CMS_LOCALE_FALLBACKS"], locales)
        elif "locales" in kwargs:
            kwargs["fallbacks"] = {
                code: (() if code == locales[0] else (locales[0],)) for code in locales
            }
        if "CMS_DEBUG" in env:
            kwargs["debug"] = _bool("CMS_DEBUG", env["CMS_DEBUG"])
        if "CMS_WEBHOOK_ALLOW_PRIVATE" in env:
            kwargs["webhook_allow_private"] = _bool(
                "CMS_WEBHOOK_ALLOW_PRIVATE", env["CMS_WEBHOOK_ALLOW_PRIVATE"]
            )
        for name, attr, low, high in (
            ("CMS_MAX_BODY_BYTES", "max_body_bytes", 1_024, 1 << 30),
            ("CMS_MAX_UPLOAD_BYTES", "max_upload_bytes", 1_024, 1 << 40),
            ("CMS_MAX_IMAGE_PIXELS", "max_image_pixels", 1_000, 1_000_000_000),
            ("CMS_MAX_PAGE_SIZE", "max_page_size", 1, 1_000),
            ("CMS_MAX_QUERY_DEPTH", "max_query_depth", 2, 100),
            ("CMS_MAX_ALIASES", "max_aliases", 1, 1_000),
            ("CMS_MAX_TOKENS", "max_tokens", 50, 100_000),
            ("CMS_MAX_QUERY_COST", "max_query_cost", 10, 10_000_000),
            ("CMS_RESPONSE_CACHE_ENTRIES", "response_cache_entries", 0, 1_000_000),
            ("CMS_HTTP_MAX_AGE", "http_max_age", 0, 31_536_000),
            ("CMS_HTTP_STALE_WHILE_REVALIDATE", "http_stale_while_revalidate", 0, 31_536_000),
            ("CMS_WS_MAX_SUBSCRIPTIONS", "ws_max_subscriptions", 1, 1_000),
            ("CMS_JOB_CONCURRENCY", "job_concurrency", 1, 64),
            ("CMS_SESSION_IDLE_TIMEOUT", "session_idle_timeout", 60, 365 * 86400),
            ("CMS_SESSION_MAX_AGE", "session_max_age", 60, 365 * 86400),
            ("CMS_BODY_MIN_RATE", "body_min_rate", 0, 1 << 30),
        ):
            if name in env:
                kwargs[attr] = _int(name, env[name], low, high)
        if "CMS_SCHEDULER_INTERVAL" in env:
            kwargs["scheduler_interval"] = _seconds(
                "CMS_SCHEDULER_INTERVAL", env["CMS_SCHEDULER_INTERVAL"]
            )
        if "CMS_JOB_POLL_INTERVAL" in env:
            kwargs["job_poll_interval"] = _seconds(
                "CMS_JOB_POLL_INTERVAL", env["CMS_JOB_POLL_INTERVAL"]
            )
        for name, attr in (
            ("CMS_CHANGE_POLL_INTERVAL", "change_poll_interval"),
            ("CMS_RESPONSE_CACHE_TTL", "response_cache_ttl"),
            ("CMS_WS_INIT_TIMEOUT", "ws_init_timeout"),
            ("CMS_BODY_TIMEOUT", "body_timeout"),
        ):
            if name in env:
                kwargs[attr] = _seconds(name, env[name])
        if raw := env.get("CMS_PERSISTED_QUERIES", "").strip():
            mode = raw.lower()
            if mode not in {"auto", "strict", "off"}:
                raise SettingsError(
                    "CMS_PERSISTED_QUERIES", f"expected auto, strict or off: {raw!r}"
                )
            kwargs["persisted_queries"] = mode
        if raw := env.get("CMS_OPERATIONS_DIR", "").strip():
            directory = Path(raw).expanduser().absolute()
            if not directory.is_dir():
                raise SettingsError("CMS_OPERATIONS_DIR", f"{raw!r} is not a folder")
            kwargs["operations_dir"] = directory
        if raw := env.get("CMS_SITE_URL", "").strip():
            kwargs["site_url"] = _site_url(raw)
        if raw := env.get("CMS_MEDIA_URL", "").strip():
            kwargs["media_url"] = _media_url(raw)
        if "CMS_POST_PATHS" in env:
            kwargs["post_paths"] = _paths("CMS_POST_PATHS", env["CMS_POST_PATHS"], locales)
        if "CMS_EVENT_PATHS" in env:
            kwargs["event_paths"] = _paths("CMS_EVENT_PATHS", env["CMS_EVENT_PATHS"], locales)
        if "CMS_CATEGORY_PATHS" in env:
            kwargs["category_paths"] = _paths(
                "CMS_CATEGORY_PATHS", env["CMS_CATEGORY_PATHS"], locales
            )
        if "CMS_TAG_PATHS" in env:
            kwargs["tag_paths"] = _paths("CMS_TAG_PATHS", env["CMS_TAG_PATHS"], locales)
        if raw := env.get("CMS_PREVIEW_URL", "").strip():
            kwargs["preview_url"] = _preview_url(raw)
        if raw := env.get("CMS_CORS_ORIGINS", "").strip():
            kwargs["cors_origins"] = _origins(raw)
        if raw := env.get("CMS_LOG_LEVEL", "").strip():
            level = raw.upper()
            if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
                raise SettingsError("CMS_LOG_LEVEL", f"unknown level {raw!r}")
            kwargs["log_level"] = level
        if raw := env.get("CMS_LOG_FORMAT", "").strip():
            if raw.lower() not in {"text", "json"}:
                raise SettingsError("CMS_LOG_FORMAT", f"expected text or json, got {raw!r}")
            kwargs["log_format"] = raw.lower()
        if raw := env.get("CMS_METRICS_PORT", "").strip():
            kwargs["metrics_host"], kwargs["metrics_port"] = _listen_address(raw)
        if raw := env.get("CMS_METRICS_TOKEN", "").strip():
            kwargs["metrics_token"] = _metrics_token(raw)
        return cls(**kwargs)  # type: ignore[arg-type]


def _database_url(url: str) -> str:
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise SettingsError(
            "CMS_DATABASE_URL",
            f"expected sqlite://PATH or postgres://USER@HOST/DB, got {url.split('://')[0]!r}",
        )
    if scheme == "sqlite" and not url[len("sqlite://") :]:
        raise SettingsError("CMS_DATABASE_URL", "sqlite:// needs a file path or :memory:")
    if scheme == "postgresql":
        url = "postgres" + url[len("postgresql") :]
    return url


def _locales(raw: str) -> tuple[str, ...]:
    codes = tuple(part.strip() for part in raw.split(",") if part.strip())
    for code in codes:
        if not _LOCALE_RE.match(code):
            raise SettingsError("CMS_LOCALES", f"{code!r} is not a BCP 47 tag such as fr-CA")
    if len(set(codes)) != len(codes):
        raise SettingsError("CMS_LOCALES", "a locale is listed twice")
    if not codes:
        raise SettingsError("CMS_LOCALES", "at least one locale is required")
    return codes


def _fallbacks(raw: str, locales: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Parse ``en-CA:fr-CA;es-MX:en-CA>fr-CA`` (locale, colon, chain joined by ``>``)."""
    chains: dict[str, tuple[str, ...]] = {code: () for code in locales}
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        locale, sep, chain = entry.partition(":")
        if not sep:
            raise SettingsError("CMS_LOCALE_FALLBACKS", f"{entry!r} should read LOCALE:FALLBACK")
        codes = tuple(code.strip() for code in chain.split(">") if code.strip())
        chains[locale.strip()] = codes
    _check_chains(locales, chains, "CMS_LOCALE_FALLBACKS")
    return chains


def _check_chains(
    locales: tuple[str, ...], chains: Mapping[str, tuple[str, ...]], name: str
) -> None:
    for locale, chain in chains.items():
        for code in (locale, *chain):
            if code not in locales:
                raise SettingsError(name, f"{code!r} is not one of the configured locales")
        if locale in chain or len(set(chain)) != len(chain):
            raise SettingsError(name, f"the chain of {locale!r} repeats a locale")


def _bundled_operations() -> Path | None:
    """The project's own ``schema/operations`` folder, when Cinq runs from a checkout."""
    folder = Path(__file__).resolve().parent.parent / "schema" / "operations"
    return folder if folder.is_dir() else None


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(name, f"expected true or false, got {raw!r}")


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise SettingsError(name, f"expected an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(name, f"must be between {low} and {high}, got {value}")
    return value


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingsError(name, f"expected a number of seconds, got {raw!r}") from None
    if not 0 <= value <= 86_400:
        raise SettingsError(name, f"must be between 0 and 86400 seconds, got {value}")
    return value


def _site_url(raw: str) -> str:
    url = raw.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
        raise SettingsError("CMS_SITE_URL", f"{raw!r} is not a site address like https://x.ca")
    return url


def _media_url(raw: str) -> str:
    url = raw if raw.endswith("/") else raw + "/"
    parts = urlsplit(url)
    if not (url.startswith("/") or (parts.scheme in {"http", "https"} and parts.netloc)):
        raise SettingsError("CMS_MEDIA_URL", f"{raw!r} should be /media/ or https://cdn.x/media/")
    return url


def _preview_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or "{token}" not in raw:
        raise SettingsError(
            "CMS_PREVIEW_URL", f"{raw!r} should be like https://x.ca/api/preview?token={{token}}"
        )
    try:
        raw.format(token="t", id=1, locale="fr-CA", slug="s")  # noqa: S106 - a trial value
    except (KeyError, IndexError, ValueError):
        raise SettingsError(
            "CMS_PREVIEW_URL", f"{raw!r} may only use {{token}}, {{id}}, {{locale}} and {{slug}}"
        ) from None
    return raw


def _paths(name: str, raw: str, locales: tuple[str, ...]) -> dict[str, str]:
    """Parse ``fr-CA=/fr/blogue/{slug},en-CA=/en/blog/{slug}``."""
    paths: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in raw.split(","))):
        locale, sep, template = entry.partition("=")
        locale, template = locale.strip(), template.strip()
        if not sep or locale not in locales:
            raise SettingsError(name, f"{entry!r} should read LOCALE=/path/{{slug}}")
        if not template.startswith("/") or "{slug}" not in template:
            raise SettingsError(name, f"{template!r} should start with / and contain {{slug}}")
        try:
            template.format(slug="x", locale="x")
        except (KeyError, IndexError, ValueError):
            raise SettingsError(
                name, f"{template!r} may only use {{slug}} and {{locale}}"
            ) from None
        paths[locale] = template
    return paths


def _listen_address(raw: str) -> tuple[str, int]:
    """``9100`` (every interface), ``127.0.0.1:9100`` or ``[::1]:9100``."""
    host, sep, port = raw.rpartition(":")
    if not sep:
        host = Settings.metrics_host
    elif host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise SettingsError(
            "CMS_METRICS_PORT",
            f"{raw!r} should be a port (9100) or an address and port (127.0.0.1:9100, [::1]:9100)",
        ) from None
    return host, _int("CMS_METRICS_PORT", port, 1, 65_535)


def _metrics_token(token: str) -> str:
    # A bearer token travels in a header: visible ASCII only. Sixteen characters at least,
    # since failed guesses at it are not throttled.
    if len(token) < 16 or not all("!" <= char <= "~" for char in token):
        raise SettingsError(
            "CMS_METRICS_TOKEN",
            "use at least 16 visible ASCII characters without spaces (`openssl rand -hex 32`)",
        )
    return token


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        parts = urlsplit(origin)
        if origin != "*" and (parts.scheme not in {"http", "https"} or not parts.netloc):
            raise SettingsError("CMS_CORS_ORIGINS", f"{origin!r} is not an origin like https://x")
    return origins
