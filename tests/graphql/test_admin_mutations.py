"""Taxonomy, accounts, tokens and preview links, written through the API."""

from __future__ import annotations

from cms.models import Account, PostStatus, Role, Tag
from tests.auth import caller
from tests.factories import make_author, make_category, make_post

CREATE_CATEGORY = """
mutation($names: [TermNameInput!]!) {
  createCategory(names: $names) { category { id name slug alternates { locale slug } }
                                  errors { field code message } }
}
"""


async def test_categories_are_created_renamed_and_deleted(client, gql) -> None:
    editor = await caller(client, Role.EDITOR)
    created = await editor.data(
        CREATE_CATEGORY,
        names=[{"locale": "fr-CA", "name": "Événements"}, {"locale": "en-CA", "name": "Events"}],
    )
    category = created["createCategory"]["category"]
    assert (category["name"], category["slug"]) == ("Événements", "evenements")

    clash = await editor.data(CREATE_CATEGORY, names=[{"locale": "en-CA", "name": "Events"}])
    assert clash["createCategory"]["errors"][0]["code"] == "SLUG_TAKEN"

    renamed = await editor.data(
        'mutation($id: ID!) { updateCategory(id: $id, names: [{locale: "en-CA", name: "Meetups"}]) '
        "{ category { alternates { locale slug } } errors { code } } }",
        id=category["id"],
    )
    assert {
        a["locale"]: a["slug"] for a in renamed["updateCategory"]["category"]["alternates"]
    } == {
        "fr-CA": "evenements",
        "en-CA": "meetups",
    }
    public = await gql.data('{ category(slug: "meetups", locale: "en-CA") { name } }')
    assert public["category"] == {"name": "Meetups"}

    used = await make_category()
    await make_post(category=used)
    refused = await editor.data(
        "mutation($id: ID!) { deleteCategory(id: $id) { deletedId errors { code message } } }",
        id=str(used.id),
    )
    assert refused["deleteCategory"]["deletedId"] is None
    assert refused["deleteCategory"]["errors"][0]["code"] == "CONFLICT"
    assert "1 post" in refused["deleteCategory"]["errors"][0]["message"]

    deleted = await editor.data(
        "mutation($id: ID!) { deleteCategory(id: $id) { deletedId errors { code } } }",
        id=category["id"],
    )
    assert deleted["deleteCategory"] == {"deletedId": category["id"], "errors": []}
    assert (await gql.data('{ category(slug: "meetups") { name } }'))["category"] is None


async def test_tags_and_authors(client, gql) -> None:
    editor = await caller(client, Role.EDITOR)
    tag = await editor.data(
        'mutation { createTag(names: [{locale: "fr-CA", name: "Réseautage", slug: "reseautage"}])'
        " { tag { id slug } errors { code } } }"
    )
    tag_id = tag["createTag"]["tag"]["id"]
    post = await make_post()
    await post.tags.add(await Tag.get(id=int(tag_id)))

    author = await editor.data(
        'mutation { createAuthor(name: "Léa Tremblay", '
        'bios: [{locale: "fr-CA", bio: "Elle écrit."}]) '
        "{ author { id slug bio } errors { code } } }"
    )
    assert author["createAuthor"]["author"]["slug"] == "lea-tremblay"
    assert author["createAuthor"]["author"]["bio"] == "Elle écrit."
    bad_locale = await editor.data(
        'mutation { createAuthor(name: "X", bios: [{locale: "de-DE", bio: "x"}]) '
        "{ errors { code } } }"
    )
    assert bad_locale["createAuthor"]["errors"] == [{"code": "INVALID"}]

    deleted = await editor.data(
        "mutation($id: ID!) { deleteTag(id: $id) { deletedId errors { code } } }", id=tag_id
    )
    assert deleted["deleteTag"]["deletedId"] == tag_id
    tags = await gql.data("query($id: ID!) { post(id: $id) { tags { name } } }", id=str(post.id))
    assert tags["post"]["tags"] == []

    signed = await make_author()
    await make_post(author=signed)
    refused = await editor.data(
        "mutation($id: ID!) { deleteAuthor(id: $id) { errors { code } } }", id=str(signed.id)
    )
    assert refused["deleteAuthor"]["errors"] == [{"code": "CONFLICT"}]


async def test_admins_manage_accounts_and_tokens(client) -> None:
    admin = await caller(client, Role.ADMIN)
    made = await admin.data(
        'mutation { createAccount(email: "Nadia@Example.test", displayName: "Nadia", role: AUTHOR)'
        " { account { id email role } errors { code } } }"
    )
    account = made["createAccount"]["account"]
    assert (account["email"], account["role"]) == ("nadia@example.test", "AUTHOR")
    again = await admin.data(
        'mutation { createAccount(email: "nadia@example.test", displayName: "N", role: EDITOR)'
        " { errors { field code } } }"
    )
    assert again["createAccount"]["errors"] == [{"field": "email", "code": "CONFLICT"}]

    issued = await admin.data(
        'mutation($id: ID!) { createToken(accountId: $id, name: "laptop", scope: PREVIEW)'
        " { secret token { id prefix scope } errors { code } } }",
        id=account["id"],
    )
    secret = issued["createToken"]["secret"]
    assert secret.startswith(issued["createToken"]["token"]["prefix"])
    headers = {"authorization": f"Bearer {secret}"}
    query = {"query": "{ posts(preview: true) { totalCount } }"}
    assert (await client.post("/graphql", json=query, headers=headers)).status_code == 200

    listed = await admin.data("{ tokens { id prefix } accounts { email } }")
    assert "secret" not in str(listed) and secret not in str(listed)
    assert "nadia@example.test" in {a["email"] for a in listed["accounts"]}

    await admin.data(
        "mutation($id: ID!) { revokeToken(id: $id) { token { revokedAt } } }",
        id=issued["createToken"]["token"]["id"],
    )
    assert (await client.post("/graphql", json=query, headers=headers)).status_code == 401

    mine = await admin(
        "mutation($id: ID!, $to: ID!) "
        "{ deleteAccount(id: $id, reassignTo: $to) { errors { code } } }",
        id=str(admin.account.id),
        to=account["id"],
    )
    assert mine["data"]["deleteAccount"]["errors"] == [{"code": "INVALID"}]
    assert await Account.exists(id=admin.account.id)


async def test_a_preview_link_opens_one_draft_only(client, gql) -> None:
    profile = await make_author()
    author = await caller(client, Role.AUTHOR, author=profile)
    category = await make_category()
    before = await make_post(category=category, series_number=1)
    draft = await make_post(category=category, series_number=2, status=PostStatus.DRAFT)
    draft.created_by_id = author.account.id
    await draft.save()
    other_draft = await make_post(category=category, series_number=3, status=PostStatus.DRAFT)

    minted = await author.data(
        "mutation($id: ID!) { createPreviewToken(postId: $id, expiresInMinutes: 30)"
        " { secret token { scope postId expiresAt } errors { code } } }",
        id=str(draft.id),
    )
    token = minted["createPreviewToken"]
    assert token["token"]["scope"] == "PREVIEW" and token["token"]["postId"] == str(draft.id)
    headers = {"authorization": f"Bearer {token['secret']}"}

    async def ask(query: str, **variables) -> dict:
        body = {"query": query, "variables": variables}
        return (await client.post("/graphql", json=body, headers=headers)).json()

    shown = await ask(
        "query($id: ID!) { post(id: $id, preview: true) { id previous { id } next { id } } }",
        id=str(draft.id),
    )
    assert shown["data"]["post"] == {
        "id": str(draft.id),
        "previous": {"id": str(before.id)},
        "next": None,  # the next number is someone else's draft
    }
    other = await ask(
        "query($id: ID!) { post(id: $id, preview: true) { id } }", id=str(other_draft.id)
    )
    assert other == {"data": {"post": None}}  # not even told that it exists
    listing = await ask("{ posts(preview: true) { totalCount } }")
    assert listing["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    write = await ask(
        "mutation($id: ID!) { archivePost(id: $id, expectedVersion: 1) { errors { code } } }",
        id=str(draft.id),
    )
    assert write["data"]["archivePost"]["errors"] == [{"code": "FORBIDDEN"}]

    someone_elses = await author.data(
        "mutation($id: ID!) { createPreviewToken(postId: $id) { secret errors { code } } }",
        id=str(other_draft.id),
    )
    assert someone_elses["createPreviewToken"] == {
        "secret": None,
        "errors": [{"code": "FORBIDDEN"}],
    }
