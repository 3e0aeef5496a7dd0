"""``Post.viewerCan`` tells each caller what the mutations will let them do, and they agree."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cms.models import Role, TokenScope
from tests.auth import Caller, caller
from tests.factories import make_author
from tests.graphql.test_authoring import CREATE, PUBLISH, TRASH, fr, ok, payload_of

RIGHTS = """
query($id: ID!) {
  post(id: $id, preview: true) {
    createdById viewerCan { edit publish trash restore purge viewRevisions }
  }
}
"""
# What each right lets one do, as a mutation sent with the post's id and version.
MUTATIONS = {
    "edit": (
        "mutation($id: ID!, $v: Int!) { upsertTranslation(postId: $id, expectedVersion: $v, "
        'input: {locale: "fr-CA", title: "Retouché"}) { errors { code } } }'
    ),
    "publish": (
        "mutation($id: ID!, $v: Int!) { publishPost(id: $id, expectedVersion: $v) "
        "{ errors { code } } }"
    ),
    "trash": (
        "mutation($id: ID!, $v: Int!) { deletePost(id: $id, expectedVersion: $v) "
        "{ errors { code } } }"
    ),
    "restore": "mutation($id: ID!) { restorePost(id: $id) { errors { code } } }",
    "purge": "mutation($id: ID!) { purgePost(id: $id) { errors { code } } }",
}
KINDS = ["own draft", "own published post", "someone else's draft", "own trashed draft"]
NONE = dict.fromkeys(("edit", "publish", "trash", "restore", "purge", "viewRevisions"), False)


@dataclass
class World:
    author: Caller
    editor: Caller
    colleague: Caller
    preview_scoped: Caller

    def who(self, name: str) -> Caller:
        return {
            "author": self.author,
            "editor": self.editor,
            "preview-scoped admin": self.preview_scoped,
        }[name]

    async def post(self, kind: str) -> dict:
        """A post of ``kind``, as the author sees it."""
        writer = self.colleague if kind == "someone else's draft" else self.author
        post = await ok(writer, CREATE, input={"translations": [fr(kind)]})
        if kind == "own published post":
            post = await ok(self.editor, PUBLISH, id=post["id"], v=post["version"])
        elif kind == "own trashed draft":
            await ok(self.author, TRASH, id=post["id"], v=post["version"])
            post = {**post, "version": post["version"] + 1}
        return post


@pytest.fixture
async def world(client) -> World:
    return World(
        author=await caller(client, Role.AUTHOR, author=await make_author()),
        editor=await caller(client, Role.EDITOR),
        colleague=await caller(client, Role.AUTHOR, author=await make_author()),
        preview_scoped=await caller(client, Role.ADMIN, scope=TokenScope.PREVIEW),
    )


async def rights_of(who: Caller, post_id: str) -> dict[str, bool]:
    """What ``who`` is told it may do; nothing when it cannot even open the post."""
    post = (await who.data(RIGHTS, id=post_id))["post"]
    return post["viewerCan"] if post else NONE


EXPECTED = {
    ("author", "own draft"): {"edit", "trash"},
    ("author", "own published post"): set(),
    ("author", "someone else's draft"): set(),
    ("author", "own trashed draft"): set(),
    ("editor", "own draft"): {"edit", "publish", "trash", "viewRevisions"},
    ("editor", "own published post"): {"edit", "publish", "trash", "viewRevisions"},
    ("editor", "someone else's draft"): {"edit", "publish", "trash", "viewRevisions"},
    ("editor", "own trashed draft"): {"restore", "purge", "viewRevisions"},
}


@pytest.mark.parametrize(("who", "kind"), sorted(EXPECTED))
async def test_each_caller_is_told_what_it_may_do(world, who, kind) -> None:
    post = await world.post(kind)

    rights = await rights_of(world.who(who), post["id"])

    assert {name for name, value in rights.items() if value} == EXPECTED[who, kind]


@pytest.mark.parametrize("action", sorted(MUTATIONS))
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", ["author", "editor", "preview-scoped admin"])
async def test_the_mutations_do_what_the_rights_say(world, who, kind, action) -> None:
    post = await world.post(kind)
    caller_ = world.who(who)
    told = (await rights_of(caller_, post["id"]))[action]

    variables = {"id": post["id"], "v": post["version"]}
    if "$v" not in MUTATIONS[action]:
        del variables["v"]
    payload = await payload_of(caller_, MUTATIONS[action], **variables)

    codes = [error["code"] for error in payload["errors"]]
    if told:
        assert codes == [], codes
    else:
        assert codes in (["FORBIDDEN"], ["NOT_FOUND"]), codes


async def test_the_revisions_are_there_when_the_rights_say_so(world) -> None:
    post = await world.post("own draft")
    query = "query($id: ID!) { post(id: $id, preview: true) { revisions { version } } }"

    for who in (world.author, world.editor):
        told = (await rights_of(who, post["id"]))["viewRevisions"]
        body = await who(query, id=post["id"])
        assert ("errors" not in body) is told


async def test_the_creator_is_shown_to_writers_only(world, gql) -> None:
    post = await world.post("own published post")

    seen = (await world.editor.data(RIGHTS, id=post["id"]))["post"]
    public = await gql(
        "query($id: ID!) { post(id: $id) { createdById viewerCan { edit } } }", id=post["id"]
    )

    assert seen["createdById"] == str(world.author.account.id)
    assert [e["extensions"]["code"] for e in public["errors"]] == ["FORBIDDEN"]
    assert public["data"]["post"] == {"createdById": None, "viewerCan": {"edit": False}}
