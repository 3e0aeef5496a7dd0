import dataclasses
import re
from pathlib import Path

import pytest

import cms.settings
from cms.settings import KNOWN_VARIABLES, Settings, SettingsError, unknown_variables


def test_defaults_are_the_embedded_setup(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.database_url == f"sqlite://{tmp_path / 'cinq.sqlite3'}"
    assert settings.media_root == tmp_path / "media"
    assert settings.locales == ("fr-CA", "en-CA")
    assert settings.default_locale == "fr-CA"
    assert settings.locale_chain("en-CA") == ("en-CA", "fr-CA")
    assert settings.locale_chain("fr-CA") == ("fr-CA",)
    assert settings.debug is False
    assert settings.webhook_allow_private is False


def test_values_are_read_from_the_environment(tmp_path) -> None:
    settings = Settings.from_env(
        {
            "CMS_DATABASE_URL": "postgresql://cinq@db/cinq",
            "CMS_MEDIA_ROOT": str(tmp_path / "files"),
            "CMS_LOCALES": "en-CA, fr-CA, es-MX",
            "CMS_LOCALE_FALLBACKS": "fr-CA:en-CA; es-MX:en-CA>fr-CA",
            "CMS_DEBUG": "yes",
            "CMS_MAX_BODY_BYTES": "2_000_000",
            "CMS_CORS_ORIGINS": "https://blog.example, http://localhost:5173/",
            "CMS_WEBHOOK_ALLOW_PRIVATE": "true",
        }
    )
    assert settings.database_url == "postgres://cinq@db/cinq"
    assert settings.media_root == Path(tmp_path / "files")
    assert settings.default_locale == "en-CA"
    assert settings.locale_chain("es-MX") == ("es-MX", "en-CA", "fr-CA")
    assert settings.locale_chain("en-CA") == ("en-CA",)
    assert settings.debug is True
    assert settings.max_body_bytes == 2_000_000
    assert settings.cors_origins == ("https://blog.example", "http://localhost:5173")
    assert settings.webhook_allow_private is True


def test_new_locales_fall_back_to_the_first_by_default() -> None:
    settings = Settings.from_env({"CMS_LOCALES": "en-CA,fr-CA"})
    assert settings.locale_chain("fr-CA") == ("fr-CA", "en-CA")
    assert settings.locale_chain("en-CA") == ("en-CA",)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CMS_DATABASE_URL", "mysql://root@db/cinq"),
        ("CMS_DATABASE_URL", "sqlite://"),
        ("CMS_LOCALES", "french"),
        ("CMS_LOCALES", "fr-CA,fr-CA"),
        ("CMS_LOCALE_FALLBACKS", "en-CA:de-DE"),
        ("CMS_LOCALE_FALLBACKS", "en-CA"),
        ("CMS_DEBUG", "maybe"),
        ("CMS_MAX_BODY_BYTES", "lots"),
        ("CMS_MAX_PAGE_SIZE", "0"),
        ("CMS_CORS_ORIGINS", "blog.example"),
        ("CMS_LOG_LEVEL", "chatty"),
        ("CMS_SITE_URL", "example.com"),
        ("CMS_POST_PATHS", "fr-CA=/fr/blogue"),
        ("CMS_POST_PATHS", "de-DE=/de/{slug}"),
        ("CMS_POST_PATHS", "fr-CA=/fr/{slug}/{year}"),
        ("CMS_MEDIA_URL", "cdn.example.com"),
        ("CMS_SCHEDULER_INTERVAL", "soon"),
        ("CMS_CHANGE_POLL_INTERVAL", "90"),
        ("CMS_RESPONSE_CACHE_ENTRIES", "-1"),
        ("CMS_HTTP_MAX_AGE", "forever"),
        ("CMS_PERSISTED_QUERIES", "sometimes"),
        ("CMS_OPERATIONS_DIR", "/no/such/folder"),
        ("CMS_WS_MAX_SUBSCRIPTIONS", "0"),
        ("CMS_JOB_CONCURRENCY", "0"),
        ("CMS_WEBHOOK_ALLOW_PRIVATE", "sometimes"),
        ("CMS_MEDIA_STORAGE", "s3:/bucket"),
        ("CMS_MEDIA_STORAGE", "gs://bucket/prefix"),
        ("CMS_MEDIA_STORAGE", "s3://bucket/../up"),
        ("CMS_S3_ENDPOINT", "seaweed:8333"),
    ],
)
def test_a_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({name: value})
    assert error.value.name == name
    assert str(error.value).startswith(f"{name}: ")


def test_public_addresses_come_from_the_site_settings() -> None:
    settings = Settings.from_env(
        {
            "CMS_SITE_URL": "https://reseau.example/",
            "CMS_POST_PATHS": "fr-CA=/fr/blogue/{slug}, en-CA=/{locale}/blog/{slug}",
            "CMS_MEDIA_URL": "https://cdn.example/media",
        }
    )
    assert settings.post_url("fr-CA", "reseauter") == "https://reseau.example/fr/blogue/reseauter"
    assert (
        settings.post_url("en-CA", "networking") == "https://reseau.example/en-ca/blog/networking"
    )
    assert settings.media_url == "https://cdn.example/media/"


def test_caching_and_live_update_settings(tmp_path) -> None:
    settings = Settings.from_env(
        {
            "CMS_CHANGE_POLL_INTERVAL": "0.25",
            "CMS_RESPONSE_CACHE_ENTRIES": "0",
            "CMS_RESPONSE_CACHE_TTL": "5",
            "CMS_HTTP_MAX_AGE": "30",
            "CMS_HTTP_STALE_WHILE_REVALIDATE": "0",
            "CMS_PERSISTED_QUERIES": "Strict",
            "CMS_OPERATIONS_DIR": str(tmp_path),
            "CMS_WS_INIT_TIMEOUT": "3",
            "CMS_WS_MAX_SUBSCRIPTIONS": "5",
        }
    )
    assert settings.change_poll_interval == 0.25
    assert settings.response_cache_entries == 0
    assert settings.response_cache_ttl == 5
    assert settings.public_cache_control == "public, max-age=30"
    assert settings.persisted_queries == "strict"
    assert settings.operations_dir == tmp_path
    assert (settings.ws_init_timeout, settings.ws_max_subscriptions) == (3, 5)
    assert Settings().public_cache_control == "public, max-age=60, stale-while-revalidate=300"
    assert Settings().operations_dir == Path(__file__).parents[1] / "schema" / "operations"


def test_session_lifetimes_and_the_preview_route() -> None:
    settings = Settings.from_env(
        {
            "CMS_SESSION_IDLE_TIMEOUT": "3600",
            "CMS_SESSION_MAX_AGE": "86400",
            "CMS_PREVIEW_URL": "https://blog.example/api/preview?token={token}&slug={slug}",
        }
    )
    assert (settings.session_idle_timeout, settings.session_max_age) == (3600, 86400)
    assert settings.preview_link("t0k", 8, "fr-CA", "reseautage") == (
        "https://blog.example/api/preview?token=t0k&slug=reseautage"
    )
    with pytest.raises(SettingsError, match="CMS_SESSION_IDLE_TIMEOUT"):
        Settings.from_env({"CMS_SESSION_IDLE_TIMEOUT": "90000", "CMS_SESSION_MAX_AGE": "86400"})
    for bad in ("https://blog.example/preview", "https://blog.example/p?t={token}&x={nope}"):
        with pytest.raises(SettingsError, match="CMS_PREVIEW_URL"):
            Settings.from_env({"CMS_PREVIEW_URL": bad})


def test_term_archives_have_paths_per_locale() -> None:
    defaults = Settings()
    assert defaults.category_url("fr-CA", "vie") == "http://localhost:3000/fr/blogue/categorie/vie"
    assert defaults.category_url("en-CA", "life") == "http://localhost:3000/en/blog/category/life"
    assert defaults.tag_url("fr-CA", "emploi") == "http://localhost:3000/fr/blogue/etiquette/emploi"
    assert defaults.tag_url("en-CA", "jobs") == "http://localhost:3000/en/blog/tag/jobs"

    settings = Settings.from_env(
        {
            "CMS_SITE_URL": "https://reseau.example/",
            "CMS_CATEGORY_PATHS": "fr-CA=/fr/sujets/{slug}, en-CA=/{locale}/topics/{slug}",
            "CMS_TAG_PATHS": "fr-CA=/fr/mots/{slug},en-CA=/en/words/{slug}",
        }
    )
    assert settings.category_url("fr-CA", "vie") == "https://reseau.example/fr/sujets/vie"
    assert settings.category_url("en-CA", "life") == "https://reseau.example/en-ca/topics/life"
    assert settings.tag_url("fr-CA", "emploi") == "https://reseau.example/fr/mots/emploi"
    assert settings.tag_url("en-CA", "jobs") == "https://reseau.example/en/words/jobs"


@pytest.mark.parametrize("name", ["CMS_CATEGORY_PATHS", "CMS_TAG_PATHS"])
@pytest.mark.parametrize(
    "value", ["fr-CA=/fr/sujets", "de-DE=/de/{slug}", "fr-CA=fr/{slug}", "fr-CA=/fr/{slug}/{year}"]
)
def test_a_bad_term_path_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({name: value})
    assert error.value.name == name


def test_every_variable_read_is_known() -> None:
    source = Path(cms.settings.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'"(CMS_[A-Z0-9_]+[A-Z0-9])"', source))
    assert read <= KNOWN_VARIABLES
    assert KNOWN_VARIABLES - read <= {"CMS_WORKERS"}  # read by the container's start command


def test_unknown_variables_are_named_with_the_closest_known_one() -> None:
    env = {
        "CMS_DATABSE_URL": "x",
        "CMS_FROBNICATE": "1",
        "CMS_TEST_POSTGRES_URL": "postgres://",
        "CMS_SITE_URL": "https://x.ca",
        "PATH": "/bin",
    }
    assert unknown_variables(env) == [
        "CMS_DATABSE_URL is not a Cinq setting; did you mean CMS_DATABASE_URL?",
        "CMS_FROBNICATE is not a Cinq setting; it is ignored.",
    ]


def test_body_timeouts_come_from_the_environment() -> None:
    settings = Settings.from_env({"CMS_BODY_TIMEOUT": "5", "CMS_BODY_MIN_RATE": "2000"})
    assert (settings.body_timeout, settings.body_min_rate) == (5.0, 2000)
    with pytest.raises(SettingsError, match="CMS_BODY_TIMEOUT"):
        Settings.from_env({"CMS_BODY_TIMEOUT": "0"})


def test_log_format_is_text_or_json() -> None:
    assert Settings.from_env({}).log_format == "text"
    assert Settings.from_env({"CMS_LOG_FORMAT": " JSON "}).log_format == "json"
    with pytest.raises(SettingsError, match="CMS_LOG_FORMAT: expected text or json, got 'yaml'"):
        Settings.from_env({"CMS_LOG_FORMAT": "yaml"})


@pytest.mark.parametrize(
    ("raw", "host", "port"),
    [
        ("9100", "0.0.0.0", 9100),
        ("127.0.0.1:9101", "127.0.0.1", 9101),
        ("[::1]:9102", "::1", 9102),
        ("10.0.0.5:9103", "10.0.0.5", 9103),
    ],
)
def test_the_metrics_port_may_name_its_address(raw: str, host: str, port: int) -> None:
    settings = Settings.from_env({"CMS_METRICS_PORT": raw})
    assert (settings.metrics_host, settings.metrics_port) == (host, port)


@pytest.mark.parametrize("raw", ["metrics", "0", "70000", "localhost:9100", "[::1]", "1.2.3:9100"])
def test_a_metrics_port_that_is_not_one_is_refused(raw: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"CMS_METRICS_PORT": raw})
    assert error.value.name == "CMS_METRICS_PORT"


def test_the_metrics_token_is_long_kept_out_of_reprs_and_optional() -> None:
    assert Settings.from_env({"CMS_METRICS_TOKEN": ""}).metrics_token is None
    token = "0123456789abcdef0123"
    settings = Settings.from_env({"CMS_METRICS_TOKEN": f" {token} "})
    assert settings.metrics_token == token
    assert token not in repr(settings)
    for weak in ("short", "sixteen chars ok", "é" * 20):
        with pytest.raises(SettingsError, match="CMS_METRICS_TOKEN: use at least 16 visible"):
            Settings.from_env({"CMS_METRICS_TOKEN": weak})


@pytest.mark.parametrize(
    ("env", "fields"),
    [
        ({"CMS_DATABASE_URL": "mysql://root@db/cinq"}, {"database_url": "mysql://root@db/cinq"}),
        ({"CMS_DATABASE_URL": "sqlite://"}, {"database_url": "sqlite://"}),
        ({"CMS_LOCALES": "french"}, {"locales": ("french",)}),
        ({"CMS_LOCALES": "fr-CA,fr-CA"}, {"locales": ("fr-CA", "fr-CA")}),
        ({"CMS_LOCALE_FALLBACKS": "en-CA:de-DE"}, {"fallbacks": {"en-CA": ("de-DE",)}}),
        ({"CMS_LOCALE_FALLBACKS": "en-CA:en-CA"}, {"fallbacks": {"en-CA": ("en-CA",)}}),
        ({"CMS_MAX_PAGE_SIZE": "0"}, {"max_page_size": 0}),
        ({"CMS_MAX_UPLOAD_BYTES": "10"}, {"max_upload_bytes": 10}),
        ({"CMS_CORS_ORIGINS": "blog.example"}, {"cors_origins": ("blog.example",)}),
        ({"CMS_LOG_LEVEL": "chatty"}, {"log_level": "chatty"}),
        ({"CMS_LOG_FORMAT": "yaml"}, {"log_format": "yaml"}),
        ({"CMS_SITE_URL": "example.com"}, {"site_url": "example.com"}),
        ({"CMS_MEDIA_URL": "cdn.example.com"}, {"media_url": "cdn.example.com"}),
        ({"CMS_POST_PATHS": "de-DE=/de/{slug}"}, {"post_paths": {"de-DE": "/de/{slug}"}}),
        (
            {"CMS_TAG_PATHS": "fr-CA=/fr/{slug}/{year}"},
            {"tag_paths": {"fr-CA": "/fr/{slug}/{year}"}},
        ),
        ({"CMS_CHANGE_POLL_INTERVAL": "90"}, {"change_poll_interval": 90.0}),
        ({"CMS_BODY_TIMEOUT": "0"}, {"body_timeout": 0.0}),
        ({"CMS_PERSISTED_QUERIES": "sometimes"}, {"persisted_queries": "sometimes"}),
        ({"CMS_OPERATIONS_DIR": "/no/such/folder"}, {"operations_dir": Path("/no/such/folder")}),
        (
            {"CMS_PREVIEW_URL": "https://blog.example/preview"},
            {"preview_url": "https://blog.example/preview"},
        ),
        ({"CMS_METRICS_PORT": "70000"}, {"metrics_port": 70000}),
        (
            {"CMS_METRICS_PORT": "localhost:9100"},
            {"metrics_host": "localhost", "metrics_port": 9100},
        ),
        ({"CMS_METRICS_TOKEN": "short"}, {"metrics_token": "short"}),
        (
            {"CMS_SESSION_IDLE_TIMEOUT": "90000", "CMS_SESSION_MAX_AGE": "86400"},
            {"session_idle_timeout": 90000, "session_max_age": 86400},
        ),
    ],
)
def test_a_bad_value_is_refused_in_code_as_from_the_environment(
    env: dict[str, str], fields: dict[str, object]
) -> None:
    with pytest.raises(SettingsError) as from_env:
        Settings.from_env(env)
    with pytest.raises(SettingsError) as in_code:
        Settings(**fields)  # type: ignore[arg-type]
    assert str(in_code.value) == str(from_env.value)
    assert in_code.value.name == from_env.value.name
    with pytest.raises(SettingsError) as replaced:
        dataclasses.replace(Settings(), **fields)
    assert str(replaced.value) == str(from_env.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"debug": "yes"}, "CMS_DEBUG: expected true or false, got 'yes'"),
        ({"max_page_size": "10"}, "CMS_MAX_PAGE_SIZE: expected an integer, got '10'"),
        ({"max_page_size": True}, "CMS_MAX_PAGE_SIZE: expected an integer, got True"),
        ({"body_timeout": "5"}, "CMS_BODY_TIMEOUT: expected a number of seconds, got '5'"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_in_code(fields: dict[str, object], message) -> None:
    with pytest.raises(SettingsError) as error:
        Settings(**fields)  # type: ignore[arg-type]
    assert str(error.value) == message


def test_a_value_given_in_code_is_kept_as_the_environment_would_keep_it() -> None:
    env = {
        "CMS_DATABASE_URL": "postgresql://cinq@db/cinq",
        "CMS_SITE_URL": "https://reseau.example/",
        "CMS_MEDIA_URL": "https://cdn.example/media",
        "CMS_CORS_ORIGINS": "https://blog.example/",
        "CMS_LOG_LEVEL": "debug",
        "CMS_LOG_FORMAT": "JSON",
        "CMS_PERSISTED_QUERIES": "Strict",
        "CMS_LOCALES": "en-CA,fr-CA",
        "CMS_CHANGE_POLL_INTERVAL": "1",
    }
    in_code = Settings(
        database_url="postgresql://cinq@db/cinq",
        site_url="https://reseau.example/",
        media_url="https://cdn.example/media",
        cors_origins=("https://blog.example/",),
        log_level="debug",
        log_format="JSON",
        persisted_queries="Strict",
        locales=("en-CA", "fr-CA"),
        change_poll_interval=1,
    )
    assert in_code == Settings.from_env(env)
    assert in_code.locale_chain("fr-CA") == ("fr-CA", "en-CA")  # the first is the default
    assert isinstance(in_code.change_poll_interval, float)


def test_default_paths_stand_for_a_site_in_one_locale() -> None:
    settings = Settings(locales=("en-CA",))
    assert settings.post_url("en-CA", "hello") == "http://localhost:3000/en/blog/hello"
    assert settings.locale_chain("en-CA") == ("en-CA",)
    assert Settings.from_env({"CMS_LOCALES": "en-CA"}) == settings


def test_media_go_to_an_object_store_when_one_is_named(tmp_path) -> None:
    from cms.files.s3 import S3Storage
    from cms.files.storage import LocalStorage, from_settings

    assert isinstance(
        from_settings(Settings.from_env({"CMS_MEDIA_ROOT": str(tmp_path)})), LocalStorage
    )
    settings = Settings.from_env(
        {
            "CMS_MEDIA_ROOT": str(tmp_path),
            "CMS_MEDIA_STORAGE": "s3://site-media/cinq",
            "CMS_S3_ENDPOINT": "http://127.0.0.1:8333/",
            "CMS_S3_ACCESS_KEY_ID": "key-id",
            "CMS_S3_SECRET_ACCESS_KEY": "a secret that stays out of reprs",
        }
    )
    assert settings.s3_endpoint == "http://127.0.0.1:8333"
    assert "a secret that stays out of reprs" not in repr(settings)
    assert "key-id" not in repr(settings)
    storage = from_settings(settings)
    assert isinstance(storage, S3Storage)
    assert (storage.location.bucket, storage.location.prefix) == ("site-media", "cinq")
    assert storage.temp_path().parent == tmp_path / ".tmp"


def test_the_sites_name_and_description_are_read_per_locale() -> None:
    settings = Settings.from_env(
        {
            "CMS_SITE_NAME": "fr-CA=Réseau, 5 à 7; en-CA=The 5-to-7 Network",
            "CMS_SITE_DESCRIPTION": "Business networking in Montreal",
        }
    )
    assert settings.site_names == {"fr-CA": "Réseau, 5 à 7", "en-CA": "The 5-to-7 Network"}
    assert settings.site_name("fr-CA") == "Réseau, 5 à 7"
    assert settings.site_description("en-CA") == "Business networking in Montreal"
    assert Settings.from_env({}).site_name("fr-CA") == "localhost"
    with pytest.raises(SettingsError, match="de-DE is not among CMS_LOCALES"):
        Settings.from_env({"CMS_SITE_NAME": "de-DE=Netzwerk"})
    with pytest.raises(SettingsError, match="should read LOCALE=text"):
        Settings.from_env({"CMS_SITE_NAME": "fr-CA=Réseau;en-CA"})
