"""Every mutation and draft-exposing field declares a permission, and roles get what they should.

The matrix sends every mutation of the schema as each kind of caller, over HTTP, and checks
who is let through: anonymous callers and revoked or expired tokens get HTTP 401, a token
without the right gets FORBIDDEN in the payload, and everyone else gets past the check (to
success or to an ordinary error such as NOT_FOUND).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cms.graphql.permissions import required_permission
from cms.graphql.schema import build_schema
from cms.models import ApiToken, Role, TokenScope
from cms.services import accounts
from cms.settings import Settings
from tests.auth import caller, make_account
from tests.factories import make_author, make_category, make_post, make_tag

SCHEMA = build_schema(Settings())
WRITERS = {"author", "editor", "admin"}
EDITORS = {"editor", "admin"}
ADMINS = {"admin"}

# Every mutation, how to call it, and which roles may. $post is a draft the author created;
# $account an account nobody needs; ids that do not exist are fine: the check comes first.
MATRIX: dict[str, tuple[str, set[str]]] = {
    "createPost": (
        'createPost(input: {translations: [{locale: "fr-CA", title: "Neuf"}]})',
        WRITERS,
    ),
    "updatePost": ("updatePost(id: $post, expectedVersion: 1, input: {seriesNumber: 9})", WRITERS),
    "upsertTranslation": (
        "upsertTranslation(postId: $post, expectedVersion: 1, "
        'input: {locale: "en-CA", title: "T"})',
        WRITERS,
    ),
    "deleteTranslation": (
        'deleteTranslation(postId: $post, expectedVersion: 1, locale: "en-CA")',
        WRITERS,
    ),
    "publishPost": ("publishPost(id: $post, expectedVersion: 1)", EDITORS),
    "unpublishPost": ("unpublishPost(id: $post, expectedVersion: 1)", EDITORS),
    "schedulePost": (
        'schedulePost(id: $post, expectedVersion: 1, publishAt: "2099-01-01T00:00:00Z")',
        EDITORS,
    ),
    "archivePost": ("archivePost(id: $post, expectedVersion: 1)", EDITORS),
    "deletePost": ("deletePost(id: $post, expectedVersion: 999)", WRITERS),
    "restorePost": ("restorePost(id: $post)", EDITORS),
    "purgePost": ("purgePost(id: $post)", EDITORS),
    "restoreRevision": (
        'restoreRevision(postId: $post, revisionId: "999", expectedVersion: 1)',
        EDITORS,
    ),
    "createCategory": ('createCategory(names: [{locale: "fr-CA", name: "Cat"}])', EDITORS),
    "updateCategory": (
        'updateCategory(id: $category, names: [{locale: "fr-CA", name: "C"}])',
        EDITORS,
    ),
    "deleteCategory": ('deleteCategory(id: "999")', EDITORS),
    "createTag": ('createTag(names: [{locale: "fr-CA", name: "Étiquette"}])', EDITORS),
    "updateTag": ('updateTag(id: $tag, names: [{locale: "fr-CA", name: "T"}])', EDITORS),
    "deleteTag": ('deleteTag(id: "999")', EDITORS),
    "createAuthor": ('createAuthor(name: "Nouvelle Plume")', EDITORS),
    "updateAuthor": ('updateAuthor(id: $author, name: "Renamed")', EDITORS),
    "deleteAuthor": ('deleteAuthor(id: "999")', EDITORS),
    "createAccount": (
        'createAccount(email: "x@example.test", displayName: "X", role: AUTHOR)',
        ADMINS,
    ),
    "deleteAccount": ('deleteAccount(id: "999", reassignTo: $account)', ADMINS),
    "setAccountActive": ("setAccountActive(id: $account, active: true)", ADMINS),
    "createToken": ('createToken(accountId: $account, name: "ci")', ADMINS),
    "revokeToken": ('revokeToken(id: "999")', ADMINS),
    "createPreviewToken": ("createPreviewToken(postId: $post)", WRITERS),
    # JSON cannot carry files: past the permission check, these answer INVALID.
    "uploadMedia": ("uploadMedia(file: $file)", WRITERS),
    "uploadMediaFiles": ("uploadMediaFiles(files: [$file])", WRITERS),
    "updateMedia": ('updateMedia(id: "999", focalPoint: {x: 0.5, y: 0.5})', WRITERS),
    "deleteMedia": ('deleteMedia(id: "999")', EDITORS),
    "replaceMedia": ('replaceMedia(id: "999", file: $file)', EDITORS),
    "retryMedia": ('retryMedia(id: "999")', WRITERS),
    "createEvent": (
        'createEvent(input: {timezone: "America/Montreal", startLocal: "2027-01-06T17:00", '
        'endLocal: "2027-01-06T19:00", onlineUrl: "https://meet.example/x"}, '
        'translations: [{locale: "fr-CA", title: "Rencontre"}])',
        WRITERS,
    ),
    "updateEvent": (
        'updateEvent(id: "999", expectedVersion: 1, input: {timezone: "America/Montreal", '
        'startLocal: "2027-01-06T17:00", endLocal: "2027-01-06T19:00", '
        'onlineUrl: "https://meet.example/x"})',
        WRITERS,
    ),
    "upsertEventTranslation": (
        'upsertEventTranslation(eventId: "999", expectedVersion: 1, '
        'input: {locale: "en-CA", title: "Meetup"})',
        WRITERS,
    ),
    "deleteEvent": ('deleteEvent(id: "999", expectedVersion: 1)', WRITERS),
    "publishEvent": ('publishEvent(id: "999", expectedVersion: 1)', EDITORS),
    "unpublishEvent": ('unpublishEvent(id: "999", expectedVersion: 1)', EDITORS),
    "changeOccurrence": (
        'changeOccurrence(eventId: "999", expectedVersion: 1, '
        'occurrenceStart: "2027-01-06T17:00", cancelled: true)',
        EDITORS,
    ),
    "saveOrganizer": ('saveOrganizer(names: [{locale: "fr-CA", name: "Réseau"}])', EDITORS),
    "deleteOrganizer": ('deleteOrganizer(id: "999")', EDITORS),
    "saveVenue": ('saveVenue(input: {name: "Café", city: "Montréal"})', EDITORS),
    "deleteVenue": ('deleteVenue(id: "999")', EDITORS),
    "createWebhook": (
        'createWebhook(url: "https://hooks.example.com/in", events: ["post.published"])',
        ADMINS,
    ),
    "updateWebhook": ('updateWebhook(id: "999", active: false)', ADMINS),
    "rotateWebhookSecret": ('rotateWebhookSecret(id: "999")', ADMINS),
    "deleteWebhook": ('deleteWebhook(id: "999")', ADMINS),
    "redeliverWebhookDelivery": ('redeliverWebhookDelivery(id: "999")', ADMINS),
    "createPasswordLink": ('createPasswordLink(accountId: "999")', ADMINS),
    "setAccountRole": ('setAccountRole(id: "999", role: AUTHOR)', ADMINS),
    "endAccountSessions": ('endAccountSessions(id: "999")', ADMINS),
    "changeMyPassword": ('changeMyPassword(currentPassword: "x", newPassword: "y")', WRITERS),
    "endMySession": ('endMySession(id: "999")', WRITERS),
    "sendWebhookTest": ('sendWebhookTest(id: "999")', ADMINS),
}
VARIABLE_TYPES = {"file": "Upload!"}


def _fields(type_name: str):
    return SCHEMA.get_type_by_name(type_name).fields


def test_every_mutation_declares_a_permission() -> None:
    missing = [f.name for f in _fields("Mutation") if required_permission(f) is None]
    assert missing == []


def test_draft_exposing_fields_declare_a_permission() -> None:
    query = {f.name: f for f in _fields("Query")}
    for name in ("post", "posts"):
        declared = required_permission(query[name])
        assert declared is not None and declared.when == "preview", name
    assert "preview" in {a.python_name for a in query["post"].arguments}
    for name in ("accounts", "tokens", "media", "media_list", "webhooks", "webhook_deliveries"):
        assert required_permission(query[name]) is not None, name
    post = {f.name: f for f in _fields("Post")}
    assert required_permission(post["revisions"]) is not None


def test_the_matrix_covers_every_mutation() -> None:
    names = {SCHEMA.config.name_converter.get_graphql_name(f) for f in _fields("Mutation")}
    assert names == set(MATRIX)


@pytest.fixture
async def world(client):
    author_profile = await make_author()
    callers = {
        "author": await caller(client, Role.AUTHOR, author=author_profile),
        "editor": await caller(client, Role.EDITOR),
        "admin": await caller(client, Role.ADMIN),
    }
    revoked = await caller(client, Role.ADMIN)
    await accounts.revoke_token(revoked.token.id)
    expired = await caller(client, Role.ADMIN)
    await ApiToken.filter(id=expired.token.id).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    preview = await caller(client, Role.ADMIN, scope=TokenScope.PREVIEW)
    post = await make_post(locales=("fr-CA", "en-CA"))
    post.created_by_id = callers["author"].account.id
    post.status = "draft"
    await post.save()
    variables = {
        "post": str(post.id),
        "category": str((await make_category()).id),
        "tag": str((await make_tag()).id),
        "author": str((await make_author()).id),
        "account": str((await make_account(Role.AUTHOR)).id),
        "file": "not a file",
    }
    return callers, {"revoked": revoked, "expired": expired, "preview": preview}, variables


def _operation(name: str, variables: dict[str, str]) -> tuple[str, dict[str, str]]:
    call = MATRIX[name][0]
    used = sorted(v for v in variables if f"${v}" in call)
    declared = ", ".join(f"${v}: {VARIABLE_TYPES.get(v, 'ID!')}" for v in used)
    declared = f"({declared})" if used else ""
    operation = f"mutation Probe{declared} {{ {call} {{ errors {{ code }} }} }}"
    return operation, {v: variables[v] for v in used}


@pytest.mark.parametrize("name", sorted(MATRIX))
async def test_role_matrix(client, world, name: str) -> None:
    callers, others, all_variables = world
    operation, variables = _operation(name, all_variables)
    body = {"query": operation, "variables": variables}

    anonymous = await client.post("/graphql", json=body)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["data"][name]["errors"] == [{"code": "UNAUTHENTICATED"}]

    for kind in ("revoked", "expired"):
        response = await others[kind].request(operation, **variables)
        assert response.status_code == 401, (kind, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    # An admin's token scoped to previews cannot write anything.
    scoped = await others["preview"](operation, **variables)
    assert scoped["data"][name]["errors"] == [{"code": "FORBIDDEN"}]

    for role, who in callers.items():
        result = await who(operation, **variables)
        assert "errors" not in result, (role, result)
        codes = {error["code"] for error in result["data"][name]["errors"]}
        if role in MATRIX[name][1]:
            assert not codes & {"FORBIDDEN", "UNAUTHENTICATED"}, (role, codes)
        else:
            assert codes == {"FORBIDDEN"}, (role, codes)


def test_a_permission_extension_shared_by_two_fields_is_refused_when_the_schema_is_built() -> None:
    import strawberry

    from cms.graphql.permissions import Requires
    from cms.services.permissions import Permission

    shared = [Requires(Permission.READ_DRAFTS)]

    @strawberry.type
    class Query:
        @strawberry.field(extensions=shared)
        def first(self) -> int:
            return 1

        @strawberry.field(extensions=shared)
        def second(self) -> int:
            return 2

    with pytest.raises(TypeError, match="applied to two fields"):
        strawberry.Schema(query=Query)
