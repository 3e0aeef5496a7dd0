"""Every mutation, sent by every kind of caller, answers with its own payload and never fails.

The mutations are not listed by hand: the test walks the schema's Mutation type and builds each
call from its argument types (placeholder values, ids of real rows), selecting every field of
its payload a few levels deep. A refusal must come back as that mutation's own payload, with
one UNAUTHENTICATED or FORBIDDEN error and nothing else; any answer holding
"Unexpected error." or a 5xx status is a bug, whoever the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphql
import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLUnionType,
)

from cms.graphql.permissions import required_permission
from cms.graphql.schema import build_schema
from cms.models import Organizer, OrganizerTranslation, Role, TokenScope, Venue, WebhookDelivery
from cms.services import accounts
from cms.services.permissions import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Permission
from cms.services.webhooks import endpoints
from cms.settings import Settings
from tests.auth import Caller, make_account, token_for
from tests.conftest import GraphQLClient
from tests.factories import make_author, make_category, make_event, make_post, make_tag
from tests.media.test_uploads import PREFLIGHT, multipart, png

STRAWBERRY_SCHEMA = build_schema(Settings())
# The printed SDL is the public contract; graphql-core reads it back with full type info.
SCHEMA = graphql.build_schema(STRAWBERRY_SCHEMA.as_str())
MUTATION = SCHEMA.mutation_type
assert MUTATION is not None
NAMES = sorted(MUTATION.fields)

# How deep the payload selection goes: the payload's fields, their objects' fields, and the
# scalars of the objects below those.
DEPTH = 3
# Placeholder values by argument (or input field) name, where any string would not even look
# valid; everything else gets a value of its type.
NAMED_VALUES: dict[str, object] = {
    "locale": "fr-CA",
    "locales": ["fr-CA"],
    "timezone": "America/Montreal",
    "startLocal": "2027-01-06T17:00",
    "endLocal": "2027-01-06T19:00",
    "occurrenceStart": "2026-10-07T17:00",
    "url": "https://hooks.example.com/in",
    "events": ["post.published"],
    "email": "placeholder@example.test",
    "title": "Titre",
    "name": "Nom",
    "city": "Montréal",
    "country": "CA",
    "file": "not a file",  # JSON cannot carry a file: past the check, this is INVALID
    "files": ["not a file"],
}
SCALAR_VALUES: dict[str, object] = {
    "String": "placeholder",
    "Int": 1,
    "Float": 0.5,
    "Boolean": True,
    "DateTime": "2030-01-01T00:00:00+00:00",
    "JSON": {},
    "Upload": "not a file",
}
# Which row an ID argument names: by the argument's name, else by the mutation's name.
ID_ARGUMENTS = {
    "postId": "post",
    "eventId": "event",
    "eventIds": "event",
    "tagIds": "tag",
    "coverId": "media",
    "accountId": "account",
    "reassignTo": "account",
    "authorId": "author",
    "revisionId": "missing",
}
KINDS_IN_NAMES = (
    "delivery",
    "webhook",
    "token",
    "account",
    "media",
    "post",
    "category",
    "tag",
    "author",
    "event",
    "occurrence",
    "organizer",
    "venue",
)


@dataclass(frozen=True)
class Who:
    """A kind of caller: anonymous (no role), or a token of ``role`` with ``scope``."""

    name: str
    role: Role | None = None
    scope: TokenScope = TokenScope.FULL
    one_post: bool = False  # a preview link's token, limited to one post

    def permissions(self) -> frozenset[Permission]:
        if self.role is None:
            return frozenset()
        return ROLE_PERMISSIONS[self.role] & SCOPE_PERMISSIONS[self.scope]


# Those who may least first: an admin's writes run last, on the rows the others left.
CALLERS = (
    Who("anonymous"),
    Who("admin, read scope", Role.ADMIN, TokenScope.READ),
    Who("admin, preview scope", Role.ADMIN, TokenScope.PREVIEW),
    Who("preview link", Role.ADMIN, TokenScope.PREVIEW, one_post=True),
    Who("author", Role.AUTHOR),
    Who("editor", Role.EDITOR),
    Who("admin", Role.ADMIN),
)


def _named(type_: GraphQLInputType | GraphQLOutputType):
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def _required(arg: graphql.GraphQLArgument | graphql.GraphQLInputField) -> bool:
    """Non-null without a default (a schema read from SDL keeps defaults in ``default``)."""
    has_default = arg.default_value is not graphql.Undefined or arg.default is not None
    return isinstance(arg.type, GraphQLNonNull) and not has_default


def _value(name: str, type_: GraphQLInputType, ids: dict[str, str], kind: str) -> object:
    """A placeholder value of ``type_`` for an argument or input field called ``name``."""
    if isinstance(type_, GraphQLNonNull):
        return _value(name, type_.of_type, ids, kind)
    if isinstance(type_, GraphQLList):
        if name in NAMED_VALUES:
            return NAMED_VALUES[name]
        return [_value(name, type_.of_type, ids, kind)]
    if isinstance(type_, GraphQLInputObjectType):
        return {
            field_name: _value(field_name, field.type, ids, kind)
            for field_name, field in type_.fields.items()
            if _required(field)
        }
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    assert isinstance(type_, GraphQLScalarType)
    if type_.name == "ID":
        return ids[ID_ARGUMENTS.get(name, kind)]
    if name in NAMED_VALUES:
        return NAMED_VALUES[name]
    return SCALAR_VALUES[type_.name]


def _declared(type_name: str, field_name: str) -> Permission | None:
    """The permission a field of an object type declares (checked on every call), if any."""
    definition = STRAWBERRY_SCHEMA.get_type_by_name(type_name)
    for field in getattr(definition, "fields", ()):
        if STRAWBERRY_SCHEMA.config.name_converter.get_graphql_name(field) == field_name:
            declared = required_permission(field)
            return declared.permission if declared and declared.when is None else None
    return None


def _selection(type_: GraphQLOutputType, depth: int, may: frozenset[Permission]) -> str:
    """Every field of ``type_`` the caller ``may`` read with no argument given, objects
    followed ``depth`` levels.

    Fields the caller may not read are left out: asking for them is a FORBIDDEN error on
    that field, another test's subject.
    """
    named = _named(type_)
    if isinstance(named, GraphQLUnionType):
        return "__typename"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
    parts = []
    for field_name, field in named.fields.items():
        if any(_required(arg) for arg in field.args.values()):
            continue
        needed = _declared(named.name, field_name)
        if needed is not None and needed not in may:
            continue
        inner = _named(field.type)
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            parts.append(field_name)
        elif depth > 1:
            parts.append(f"{field_name} {{ {_selection(field.type, depth - 1, may)} }}")
    return " ".join(parts) or "__typename"


def _kind(mutation: str) -> str:
    lowered = mutation.lower()
    return next((kind for kind in KINDS_IN_NAMES if kind in lowered), "missing")


def operation(
    name: str, ids: dict[str, str], may: frozenset[Permission] = frozenset(Permission)
) -> tuple[str, dict[str, object]]:
    """The call of mutation ``name`` (its required arguments) by a caller who ``may`` do
    that: the document and its variables."""
    field: GraphQLField = MUTATION.fields[name]
    kind = _kind(name)
    arguments = {a: arg for a, arg in field.args.items() if _required(arg)}
    declared = ", ".join(f"${a}: {arg.type}" for a, arg in arguments.items())
    passed = ", ".join(f"{a}: ${a}" for a in arguments)
    variables = {a: _value(a, arg.type, ids, kind) for a, arg in arguments.items()}
    selection = _selection(field.type, DEPTH, may)
    document = (
        f"mutation Probe{f'({declared})' if declared else ''} "
        f"{{ {name}{f'({passed})' if passed else ''} {{ {selection} }} }}"
    )
    return document, variables


def _permission(name: str) -> Permission:
    declared = _declared("Mutation", name)
    assert declared is not None, name
    return declared


def test_every_refusal_is_built_as_its_own_mutations_payload() -> None:
    """The declaration on each mutation knows that mutation's payload type, not another's."""
    mismatched = {
        field.name: (field.type, declared.payload)
        for field in STRAWBERRY_SCHEMA.get_type_by_name("Mutation").fields
        if (declared := required_permission(field)) is not None
        and declared.payload is not field.type
    }
    assert mismatched == {}


def test_the_walk_builds_a_call_for_every_mutation() -> None:
    ids = dict.fromkeys((*KINDS_IN_NAMES, "missing"), "1")
    for name in NAMES:
        for who in CALLERS:
            document, _ = operation(name, ids, who.permissions())
            assert graphql.validate(SCHEMA, graphql.parse(document)) == [], (name, document)
    assert {"createWebhook", "updateWebhook", "rotateWebhookSecret", "createPost"} <= set(NAMES)


async def _world(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, GraphQLClient]]:
    """A row of every kind a mutation names, and a caller of every kind."""
    author = await make_author()
    editor = await token_for(client, await make_account(Role.EDITOR))
    upload = multipart(
        "mutation($file: Upload!) { uploadMedia(file: $file) { media { id } } }",
        {"0": ("photo.png", png(), "image/png")},
        {"0": "variables.file"},
    )
    uploaded = await client.post("/graphql", files=upload, headers={**editor.headers, **PREFLIGHT})
    media_id = uploaded.json()["data"]["uploadMedia"]["media"]["id"]
    event = await make_event()
    organizer = await Organizer.create()
    await OrganizerTranslation.create(organizer=organizer, locale="fr-CA", name="Réseau")
    venue = await Venue.create(name="Café", city="Montréal")
    webhook = await endpoints.create(
        "https://hooks.example.com/in", ["post.published"], allow_private=False
    )
    delivery = await WebhookDelivery.create(
        endpoint=webhook.endpoint, event_type="post.published", payload="{}"
    )
    nobody = await make_account(Role.AUTHOR)
    token = await accounts.issue_token(nobody, "spare")

    callers: dict[str, GraphQLClient] = {}
    for who in CALLERS:
        if who.role is None:
            callers[who.name] = GraphQLClient(client)
            continue
        account = await make_account(who.role, author=author if who.role is Role.AUTHOR else None)
        if who.one_post:
            draft = await make_post(locales=("fr-CA",))
            issued = await accounts.issue_token(account, "preview", who.scope, post=draft)
            callers[who.name] = Caller(client, account, issued.token, issued.secret)
        else:
            callers[who.name] = await token_for(client, account, scope=who.scope)
    # The post the writers act on: a bilingual draft of the author's, filed and tagged.
    post = await make_post(category=await make_category(), tags=[await make_tag()], author=author)
    post.created_by_id = callers["author"].account.id  # type: ignore[attr-defined]
    post.status = "draft"
    await post.save()
    ids = {
        "post": str(post.id),
        "category": str(post.category_id),
        "tag": str((await make_tag()).id),
        "author": str(author.id),
        "account": str(nobody.id),
        "token": str(token.token.id),
        "media": media_id,
        "event": str(event.id),
        "occurrence": str(event.id),
        "organizer": str(organizer.id),
        "venue": str(venue.id),
        "webhook": str(webhook.endpoint.id),
        "delivery": str(delivery.id),
        "missing": "999999",
    }
    return ids, callers


def _refusal_only(payload: dict) -> bool:
    """Nothing in a refused payload but its errors: every other field null or empty."""
    return all(value in (None, []) for key, value in payload.items() if key != "errors")


@pytest.mark.parametrize("name", NAMES)
async def test_every_caller_gets_the_mutations_own_payload(client, name: str) -> None:
    ids, callers = await _world(client)
    permission = _permission(name)

    for who in CALLERS:
        document, variables = operation(name, ids, who.permissions())
        response = await callers[who.name].request(document, **variables)
        context = (who.name, name, response.status_code, response.text)
        assert response.status_code < 500, context
        assert "Unexpected error." not in response.text, context
        answer = response.json()
        assert "errors" not in answer, context
        payload = answer["data"][name]
        codes = [error["code"] for error in payload["errors"]]
        if permission not in who.permissions():
            expected = "UNAUTHENTICATED" if who.role is None else "FORBIDDEN"
            assert response.status_code == (401 if who.role is None else 200), context
            assert codes == [expected], context
        # A refusal, by the declaration or by a rule past it (an author and a published
        # event), writes nothing and shows nothing.
        if {"FORBIDDEN", "UNAUTHENTICATED"} & set(codes):
            assert _refusal_only(payload), context
