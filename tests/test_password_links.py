"""One-time password links: an administrator makes one (API or shell), the person opens it,
chooses a password and signs in with it. The link works once, for a week, only for the
latest one made, and never for a disabled or service account."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest

from cms.models import Account, PasswordLink, Role, Session
from cms.services import accounts, sessions
from tests.auth import caller, make_account
from tests.test_cli_accounts import cms

PASSWORD = "cinq à sept au Plateau"
LINK = """mutation($id: ID!) {
  createPasswordLink(accountId: $id) { link expiresAt account { email } errors { code message } }
}"""
ORIGIN = {"origin": "http://cinq.test"}


@pytest.fixture(autouse=True)
def in_english(client) -> None:
    client.cookies.set("cinq_lang", "en")  # the pages' words, as the assertions read them


async def _link(admin, account: Account) -> str:
    payload = (await admin.data(LINK, id=str(account.id)))["createPasswordLink"]
    assert payload["errors"] == [], payload
    return payload["link"]


async def test_an_invited_person_sets_a_password_and_signs_in(client, settings) -> None:
    admin = await caller(client, Role.ADMIN)
    person = await accounts.create_account("lea@example.test", "Léa Gagnon", Role.AUTHOR)

    link = await _link(admin, person)
    assert re.fullmatch(r"http://cinq\.test/admin/password/[\w-]{43}", link)
    stored = await PasswordLink.get(account_id=person.id)
    assert link.rsplit("/", 1)[1] not in stored.secret_hash  # only its hash is kept
    assert timedelta(days=6) < stored.expires_at - datetime.now(UTC) <= timedelta(days=7)

    page = await client.get(link)
    assert page.status_code == 200
    assert "lea@example.test" in page.text and 'autocomplete="new-password"' in page.text
    done = await client.post(link, data={"password": PASSWORD, "again": PASSWORD}, headers=ORIGIN)
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/sign-in?password_set=1"
    welcome = await client.get(done.headers["location"])
    assert "Your password is set. Sign in with it." in welcome.text

    lifetime = sessions.Lifetime.of(settings)
    assert await sessions.sign_in("lea@example.test", PASSWORD, lifetime) is not None
    # Once used, the link says so, and sets nothing.
    again = await client.post(link, data={"password": "x" * 20, "again": "x" * 20}, headers=ORIGIN)
    assert again.status_code == 404
    assert await sessions.sign_in("lea@example.test", PASSWORD, lifetime) is not None


async def test_a_new_link_ends_the_one_before_and_setting_ends_the_sessions(client) -> None:
    admin = await caller(client, Role.ADMIN)
    person = await make_account(Role.EDITOR)
    await sessions.start(person.id)
    first = await _link(admin, person)
    second = await _link(admin, person)

    assert (await client.get(first)).status_code == 404
    assert (await client.get(second)).status_code == 200
    done = await client.post(second, data={"password": PASSWORD, "again": PASSWORD}, headers=ORIGIN)
    assert done.status_code == 303
    assert await Session.filter(account_id=person.id).count() == 0


@pytest.mark.parametrize(
    ("form", "shown"),
    [
        ({"password": PASSWORD, "again": PASSWORD + "!"}, "differ"),
        ({"password": "court", "again": "court"}, "at least 8"),
    ],
)
async def test_a_mismatch_or_a_short_password_is_refused_and_the_link_still_works(
    client, form, shown
) -> None:
    admin = await caller(client, Role.ADMIN)
    link = await _link(admin, await make_account(Role.AUTHOR))

    refused = await client.post(link, data=form, headers=ORIGIN)

    assert refused.status_code == 400 and shown in refused.text
    assert (await client.get(link)).status_code == 200


async def test_a_form_sent_from_another_site_is_refused(client) -> None:
    admin = await caller(client, Role.ADMIN)
    person = await make_account(Role.AUTHOR)
    link = await _link(admin, person)

    forged = await client.post(
        link,
        data={"password": PASSWORD, "again": PASSWORD},
        headers={"origin": "https://evil.example"},
    )

    assert forged.status_code == 403
    assert (await Account.get(id=person.id)).password_hash is None


async def test_an_expired_link_or_a_disabled_account_sets_nothing(client) -> None:
    admin = await caller(client, Role.ADMIN)
    late, off = await make_account(Role.AUTHOR), await make_account(Role.AUTHOR)
    late_link, off_link = await _link(admin, late), await _link(admin, off)
    await PasswordLink.filter(account_id=late.id).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    await accounts.set_disabled(off.id, True)

    for link in (late_link, off_link):
        page = await client.get(link)
        assert page.status_code == 404 and "This link has expired" in page.text
        post = await client.post(
            link, data={"password": PASSWORD, "again": PASSWORD}, headers=ORIGIN
        )
        assert post.status_code == 404
    assert await Account.filter(id__in=[late.id, off.id], password_hash__isnull=False).count() == 0
    refused = (await admin.data(LINK, id=str(off.id)))["createPasswordLink"]
    assert [e["code"] for e in refused["errors"]] == ["INVALID"]


async def test_only_administrators_make_links_and_never_for_service_accounts(client) -> None:
    admin = await caller(client, Role.ADMIN)
    editor = await caller(client, Role.EDITOR)
    service = await accounts.service_account(Role.EDITOR)

    denied = (await editor.data(LINK, id=str(admin.account.id)))["createPasswordLink"]
    refused = (await admin.data(LINK, id=str(service.id)))["createPasswordLink"]

    assert denied["link"] is None and denied["errors"][0]["code"] == "FORBIDDEN"
    assert refused["link"] is None and refused["errors"][0]["code"] == "INVALID"
    assert await PasswordLink.all().count() == 0


async def test_the_shell_prints_a_link_that_works(client, settings, tmp_path) -> None:
    person = await make_account(Role.AUTHOR)

    result = cms(
        settings, tmp_path, "password-link", person.email, "--base-url", "http://cinq.test/"
    )

    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert link.startswith("http://cinq.test/admin/password/")
    assert person.email in result.stderr
    assert (await client.get(link)).status_code == 200


SET_ROLE = """mutation($id: ID!, $role: Role!) {
  setAccountRole(id: $id, role: $role) { account { role } errors { code message } }
}"""
END_SESSIONS = "mutation($id: ID!) { endAccountSessions(id: $id) { errors { code } } }"


async def test_roles_change_except_ones_own_and_sessions_end(client) -> None:
    admin = await caller(client, Role.ADMIN)
    person = await make_account(Role.AUTHOR)
    await sessions.start(person.id)

    changed = (await admin.data(SET_ROLE, id=str(person.id), role="EDITOR"))["setAccountRole"]
    own = (await admin.data(SET_ROLE, id=str(admin.account.id), role="AUTHOR"))["setAccountRole"]
    ended = (await admin.data(END_SESSIONS, id=str(person.id)))["endAccountSessions"]

    assert changed == {"account": {"role": "EDITOR"}, "errors": []}
    assert own["errors"] == [{"code": "INVALID", "message": "You cannot change your own role."}]
    assert (await Account.get(id=admin.account.id)).role == Role.ADMIN
    assert ended["errors"] == [] and await Session.filter(account_id=person.id).count() == 0


async def test_the_access_log_keeps_where_a_link_led_not_its_secret(client, caplog) -> None:
    admin = await caller(client, Role.ADMIN)
    link = await _link(admin, await make_account(Role.AUTHOR))
    secret = link.rsplit("/", 1)[1]

    with caplog.at_level(logging.INFO, logger="cms.access"):
        assert (await client.get(link)).status_code == 200

    lines = [record.getMessage() for record in caplog.records if record.name == "cms.access"]
    assert any("/admin/password/…" in line for line in lines), lines
    assert not any(secret in line for line in lines)
