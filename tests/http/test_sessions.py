"""Signing in to the web app, as a browser does it: forms, cookies, and what refuses them."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from tortoise import connections

from cms.app import create_app
from cms.http import throttle
from cms.models import Account, AuthFailure, Post, Role, Session
from cms.services import accounts, sessions
from cms.settings import Settings
from tests.auth import make_account, token_for

ORIGIN = "http://cinq.test"
PASSWORD = "une soirée de réseautage"
APP_HEADERS = {"x-cinq-csrf": "1", "origin": ORIGIN}
VIEWER = "{ viewer { email role signedIn permissions } }"
CREATE = """mutation { createPost(input: {translations: [{locale: "fr-CA", title: "Brouillon"}]})
  { post { id } errors { code } } }"""


@pytest.fixture
async def browser(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client with a cookie jar, over an app of its own (its own failure throttle)."""
    async with _client(settings, ORIGIN) as http:
        yield http


def _client(settings: Settings, base_url: str) -> httpx.AsyncClient:
    app = create_app(settings, manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


async def _person(role: Role = Role.EDITOR, password: str = PASSWORD) -> Account:
    account = await make_account(role)
    await accounts.set_password(account.id, password)
    return account


async def sign_in(
    http: httpx.AsyncClient, email: str, password: str = PASSWORD, **form: str
) -> httpx.Response:
    return await http.post(
        "/admin/sign-in",
        data={"email": email, "password": password, **form},
        headers={"origin": str(http.base_url).rstrip("/")},
    )


async def ask(
    http: httpx.AsyncClient, query: str = VIEWER, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await http.post("/graphql", json={"query": query}, headers=headers or APP_HEADERS)


def _cookie_header(response: httpx.Response) -> str:
    (header,) = [
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith(f"{sessions.COOKIE}=")
    ]
    return header


# --- signing in --------------------------------------------------------------------------------


async def test_signing_in_opens_a_session_the_api_recognises(browser) -> None:
    person = await _person(Role.EDITOR)

    response = await sign_in(browser, person.email.upper(), next="/admin/posts/new")

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/posts/new"
    answer = await ask(browser)
    assert answer.status_code == 200, answer.text
    viewer = answer.json()["data"]["viewer"]
    assert viewer["email"] == person.email
    assert viewer["role"] == "EDITOR"
    assert viewer["signedIn"] is True
    assert "PUBLISH" in viewer["permissions"]


async def test_the_session_cookie_is_http_only_same_site_lax_and_lasts_its_max_age(
    browser,
) -> None:
    person = await _person()

    header = _cookie_header(await sign_in(browser, person.email)).lower()

    assert "httponly" in header
    assert "samesite=lax" in header
    assert "path=/" in header
    assert f"max-age={Settings().session_max_age}" in header
    assert "secure" not in header  # plain HTTP: a Secure cookie would never come back


async def test_over_https_the_session_cookie_is_secure(settings) -> None:
    person = await _person()
    async with _client(settings, "https://cinq.test") as http:
        header = _cookie_header(await sign_in(http, person.email)).lower()

    assert "; secure" in header


async def test_only_a_hash_of_the_session_is_stored(browser) -> None:
    person = await _person()
    await sign_in(browser, person.email)
    secret = browser.cookies[sessions.COOKIE]

    rows = await connections.get("default").execute_query_dict("SELECT * FROM session")

    (row,) = rows
    assert not [column for column, value in row.items() if secret in str(value)]
    assert len(secret) >= 43  # 256 random bits


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/admin/", "/graphql", "/admin/sign-out"]
)
async def test_after_signing_in_the_app_never_sends_anyone_elsewhere(browser, target) -> None:
    person = await _person()

    response = await sign_in(browser, person.email, next=target)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"


async def test_a_sign_in_form_posted_from_another_site_is_refused(browser) -> None:
    person = await _person()

    response = await browser.post(
        "/admin/sign-in",
        data={"email": person.email, "password": PASSWORD},
        headers={"origin": "https://evil.example"},
    )

    assert response.status_code == 403
    assert sessions.COOKIE not in browser.cookies
    assert await Session.all().count() == 0


# --- failing to sign in ------------------------------------------------------------------------


async def _attempt(settings: Settings, email: str, password: str) -> tuple[httpx.Response, float]:
    await AuthFailure.all().delete()  # failures are shared: forget them, so none is throttled
    async with _client(settings, ORIGIN) as http:
        started = time.perf_counter()
        response = await sign_in(http, email, password)
        return response, time.perf_counter() - started


async def test_a_wrong_email_and_a_wrong_password_get_the_same_answer_in_the_same_time(
    settings,
) -> None:
    person = await _person()
    no_password = await make_account(Role.EDITOR)
    disabled = await _person()
    await accounts.set_disabled(disabled.id, True)
    cases = {
        "wrong password": person.email,
        "unknown email": "nobody@example.test",
        "no password": no_password.email,
        "disabled": disabled.email,
    }
    answers: dict[str, str] = {}
    timings: dict[str, float] = {}
    for case, email in cases.items():
        durations = []
        for _ in range(5):
            response, elapsed = await _attempt(settings, email, "not the password")
            assert response.status_code == 401, case
            assert sessions.COOKIE not in response.cookies
            durations.append(elapsed)
        answers[case] = response.text.replace(email, "EMAIL")
        timings[case] = statistics.median(durations)

    assert len(set(answers.values())) == 1, "every failure must read the same"
    # Each failure verifies an argon2 hash, found or not: no case is markedly quicker.
    assert max(timings.values()) < 2 * min(timings.values()), timings


async def test_failed_sign_ins_and_bad_tokens_share_one_throttle(browser) -> None:
    person = await _person()
    editor = await token_for(browser, person)
    for _ in range(5):
        assert (await sign_in(browser, person.email, "guess")).status_code == 401
    for _ in range(5):
        refused = await browser.post(
            "/graphql",
            json={"query": "{ locales { code } }"},
            headers={"authorization": "Bearer x"},
        )
        assert refused.status_code == 401

    throttled = await sign_in(browser, person.email)  # the right password, too late
    token_throttled = await editor.request("{ locales { code } }")

    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["retry-after"]) <= 61
    assert sessions.COOKIE not in browser.cookies
    assert token_throttled.status_code == 429


# --- using the session -------------------------------------------------------------------------


async def test_a_cookie_request_without_the_csrf_header_is_refused(browser) -> None:
    person = await _person()
    await sign_in(browser, person.email)

    response = await ask(browser, CREATE, headers={"origin": ORIGIN})

    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "X-Cinq-CSRF" in error["message"]
    assert await Post.all().count() == 0


@pytest.mark.parametrize("origin", [None, "https://evil.example", "http://cinq.test:8080"])
async def test_a_cookie_request_from_another_origin_is_refused(browser, origin) -> None:
    person = await _person()
    await sign_in(browser, person.email)
    headers = {"x-cinq-csrf": "1"} | ({"origin": origin} if origin else {})

    response = await ask(browser, CREATE, headers=headers)

    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Post.all().count() == 0


async def test_the_app_s_own_request_writes_with_the_person_s_rights(browser) -> None:
    person = await _person(Role.AUTHOR)
    await sign_in(browser, person.email)

    created = await ask(browser, CREATE)
    refused = await ask(
        browser,
        'mutation { createCategory(names: [{locale: "fr-CA", name: "Blogue"}]) '
        "{ errors { code } } }",
    )

    assert created.json()["data"]["createPost"]["errors"] == []
    post = await Post.get()
    assert post.created_by_id == person.id
    assert refused.json()["data"]["createCategory"]["errors"] == [{"code": "FORBIDDEN"}]


async def test_tokens_need_no_csrf_header(browser) -> None:
    token = await token_for(browser, await make_account(Role.EDITOR))

    response = await browser.post(
        "/graphql", json={"query": VIEWER}, headers={"authorization": f"Bearer {token.secret}"}
    )

    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["signedIn"] is False


async def test_a_signed_in_person_never_gets_an_answer_kept_for_the_public(browser) -> None:
    person = await _person()
    query = "{ viewer { email } locales { code } }"
    public = await browser.get("/graphql", params={"query": query})
    assert public.json()["data"]["viewer"] is None
    assert "etag" in public.headers  # kept and shareable

    await sign_in(browser, person.email)
    mine = await browser.post("/graphql", json={"query": query}, headers=APP_HEADERS)

    assert mine.json()["data"]["viewer"] == {"email": person.email}
    assert mine.headers["cache-control"] == "no-store"


async def test_originals_are_served_to_a_signed_in_writer(browser, settings) -> None:
    person = await _person(Role.AUTHOR)
    anonymous = await browser.get("/media/original/1")
    await sign_in(browser, person.email)

    signed_in = await browser.get("/media/original/1")

    assert anonymous.status_code == 401
    assert signed_in.status_code == 404  # past authentication: there is no such file


# --- ending sessions ---------------------------------------------------------------------------


async def test_signing_out_ends_the_session_for_good(browser) -> None:
    person = await _person()
    await sign_in(browser, person.email)
    old = browser.cookies[sessions.COOKIE]

    response = await browser.post("/admin/sign-out", headers={"origin": ORIGIN})

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/sign-in?signed_out=1"
    assert "max-age=0" in _cookie_header(response).lower()
    assert await Session.all().count() == 0
    assert sessions.COOKIE not in browser.cookies
    replay = await ask(browser, headers={**APP_HEADERS, "cookie": f"{sessions.COOKIE}={old}"})
    assert replay.status_code == 401
    assert replay.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def _idle(account: Account, settings: Settings) -> None:
    past = datetime.now(UTC) - timedelta(seconds=settings.session_idle_timeout + 1)
    await Session.filter(account_id=account.id).update(last_seen_at=past)


async def _past_max_age(account: Account, settings: Settings) -> None:
    await Session.filter(account_id=account.id).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )


async def _disabled(account: Account, settings: Settings) -> None:
    await accounts.set_disabled(account.id, True)


async def _password_reset(account: Account, settings: Settings) -> None:
    await accounts.set_password(account.id, "a brand new passphrase")


@pytest.mark.parametrize(
    "end",
    [_idle, _past_max_age, _disabled, _password_reset],
    ids=["idle too long", "past its max age", "account disabled", "password reset"],
)
async def test_a_session_stops_working_on_the_very_next_request(browser, settings, end) -> None:
    person = await _person()
    await sign_in(browser, person.email)
    assert (await ask(browser)).status_code == 200

    await end(person, settings)

    response = await ask(browser)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert sessions.COOKIE not in browser.cookies  # the answer cleared it


async def test_using_a_session_keeps_it_alive(browser, settings) -> None:
    person = await _person()
    await sign_in(browser, person.email)
    nearly_idle = datetime.now(UTC) - timedelta(seconds=settings.session_idle_timeout - 30)
    await Session.filter(account_id=person.id).update(last_seen_at=nearly_idle)

    assert (await ask(browser)).status_code == 200

    seen = (await Session.get(account_id=person.id)).last_seen_at
    assert datetime.now(UTC) - seen < timedelta(seconds=5)


async def test_disabling_an_account_also_stops_its_tokens_until_it_is_enabled(browser) -> None:
    account = await make_account(Role.EDITOR)
    token = await token_for(browser, account)
    await accounts.set_disabled(account.id, True)

    refused = await token.request(VIEWER)
    await accounts.set_disabled(account.id, False)
    allowed = await token.request(VIEWER)

    assert refused.status_code == 401
    assert allowed.status_code == 200


# --- the app's pages ---------------------------------------------------------------------------


async def test_the_app_sends_a_stranger_to_the_sign_in_page(browser) -> None:
    response = await browser.get("/admin/posts/12", params={"locale": "en-CA"})

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/sign-in?next=/admin/posts/12%3Flocale%3Den-CA"


async def test_the_app_shell_is_served_to_a_signed_in_person_with_a_strict_policy(
    browser,
) -> None:
    person = await _person()
    await sign_in(browser, person.email)

    response = await browser.get("/admin/posts/new")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["cache-control"] == "no-store"


async def test_an_ended_session_is_sent_to_sign_in_again_with_a_word_why(browser) -> None:
    person = await _person()
    await sign_in(browser, person.email)
    await accounts.set_disabled(person.id, True)

    response = await browser.get("/admin/")

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/sign-in?next=/admin/&expired=1"
    assert sessions.COOKIE not in browser.cookies


async def test_the_sign_in_page_works_without_a_session(browser) -> None:
    response = await browser.get("/admin/sign-in")

    assert response.status_code == 200
    assert 'name="email"' in response.text
    assert 'name="password"' in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_failures_count_across_processes(settings) -> None:
    """Two apps over one database stand for two processes (or machines) of one site: five
    failures on each make ten, and both refuse the next try."""
    person = await _person()
    async with _client(settings, ORIGIN) as first, _client(settings, ORIGIN) as second:
        for _ in range(5):
            assert (await sign_in(first, person.email, "not the password")).status_code == 401
            assert (await sign_in(second, person.email, "not the password")).status_code == 401
        await asyncio.sleep(throttle.READ_EVERY)  # what each process read of the other's
        for http in (first, second):
            refused = await sign_in(http, person.email, PASSWORD)
            assert refused.status_code == 429
    assert await AuthFailure.filter(client="127.0.0.1").count() >= 10
