"""A signed-in person manages their own account: their password (giving the current one) and
the browsers signed in as them."""

from __future__ import annotations

import json

from cms.models import Session
from cms.services import sessions
from tests.auth import token_for
from tests.http.test_sessions import PASSWORD, _person, ask, sign_in
from tests.http.test_sessions import browser as browser  # the fixture

NEW = "un nouveau mot de passe, bien long"
CHANGE = """mutation($current: String!, $new: String!) {
  changeMyPassword(currentPassword: $current, newPassword: $new) {
    account { email } errors { field code message }
  }
}"""
MINE = "{ mySessions { id current userAgent } }"
END = "mutation($id: ID!) { endMySession(id: $id) { deletedId errors { code } } }"


async def _ask(http, query: str, **variables: object) -> dict:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"x-cinq-csrf": "1", "origin": "http://cinq.test"},
    )
    return response.json()


async def test_a_person_changes_their_password_and_their_other_browsers_are_signed_out(
    browser, settings
) -> None:
    person = await _person()
    other = await sessions.start(person.id, "the phone")
    await sign_in(browser, person.email)

    wrong = (await _ask(browser, CHANGE, current="not it", new=NEW))["data"]["changeMyPassword"]
    assert wrong["errors"] == [
        {
            "field": "currentPassword",
            "code": "INVALID",
            "message": "The current password is not right.",
        }
    ]
    short = (await _ask(browser, CHANGE, current=PASSWORD, new="court"))["data"]["changeMyPassword"]
    assert [e["field"] for e in short["errors"]] == ["newPassword"]

    done = (await _ask(browser, CHANGE, current=PASSWORD, new=NEW))["data"]["changeMyPassword"]
    assert done == {"account": {"email": person.email}, "errors": []}
    # This browser goes on; the other one is signed out; the new password works.
    assert (await ask(browser)).json()["data"]["viewer"]["signedIn"] is True
    lifetime = sessions.Lifetime.of(settings)
    assert await sessions.authenticate(other, lifetime) is None
    assert await sessions.sign_in(person.email, NEW, lifetime) is not None


async def test_a_person_lists_their_browsers_and_signs_one_out(browser) -> None:
    person = await _person()
    stranger = await _person()
    await sessions.start(person.id, "the phone")
    await sessions.start(stranger.id, "someone else's laptop")
    await sign_in(browser, person.email)

    mine = (await _ask(browser, MINE))["data"]["mySessions"]
    assert len(mine) == 2 and [s["current"] for s in mine].count(True) == 1
    phone = next(s for s in mine if s["userAgent"] == "the phone")
    theirs = await Session.get(account_id=stranger.id)

    ended = (await _ask(browser, END, id=phone["id"]))["data"]["endMySession"]
    refused = (await _ask(browser, END, id=str(theirs.id)))["data"]["endMySession"]

    assert ended == {"deletedId": phone["id"], "errors": []}
    assert refused["errors"] == [{"code": "NOT_FOUND"}]
    assert await Session.filter(id=theirs.id).exists()
    assert [s["current"] for s in (await _ask(browser, MINE))["data"]["mySessions"]] == [True]


async def test_a_token_cannot_change_the_password(client) -> None:
    person = await _person()
    caller = await token_for(client, person)

    body = await caller(CHANGE, current=PASSWORD, new=NEW)

    errors = body["data"]["changeMyPassword"]["errors"]
    assert errors[0]["message"] == "Sign in to the web app to change your password."
    assert json.dumps(await caller(MINE)) == json.dumps({"data": {"mySessions": []}})
