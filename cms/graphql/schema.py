"""The schema: every domain's queries under one root, with the public-API limits."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import dateutil.parser
import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.types.base_scalars import isoformat, wrap_parser
from strawberry.types import ExecutionContext
from strawberry.types.scalar import ScalarDefinition

from cms.graphql.accounts.mutations import AccountMutations
from cms.graphql.accounts.queries import AccountQueries
from cms.graphql.common import Locale
from cms.graphql.context import Info
from cms.graphql.errors import should_mask
from cms.graphql.events.mutations import EventMutations
from cms.graphql.events.queries import EventQueries
from cms.graphql.limits import extensions
from cms.graphql.media.mutations import MediaMutations
from cms.graphql.media.queries import MediaQueries
from cms.graphql.planned import PlannedExecutor
from cms.graphql.posts.mutations import PostMutations
from cms.graphql.posts.queries import PostQueries
from cms.graphql.redirects.queries import RedirectQueries
from cms.graphql.search.queries import SearchQueries
from cms.graphql.subscriptions import Subscription
from cms.graphql.taxonomy.mutations import TaxonomyMutations
from cms.graphql.taxonomy.queries import TaxonomyQueries
from cms.graphql.webhooks.mutations import WebhookMutations
from cms.graphql.webhooks.queries import WebhookQueries
from cms.settings import Settings


@strawberry.type
class Query(
    PostQueries,
    TaxonomyQueries,
    AccountQueries,
    MediaQueries,
    EventQueries,
    SearchQueries,
    WebhookQueries,
    RedirectQueries,
):
    @strawberry.field(description="The locales content is written in; the default first.")
    def locales(self, info: Info) -> list[Locale]:
        settings = info.context.settings
        return [
            Locale(
                code=code,
                name=settings.locale_name(code),
                is_default=code == settings.default_locale,
                fallback=list(settings.fallbacks.get(code, ())),
            )
            for code in settings.locales
        ]


log = logging.getLogger("cms.graphql")


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log failures with their traceback; a client's own mistakes are not server errors.

        Every error leaves with ``extensions.code``, the field clients switch on (graphql-core's
        own errors have none): this hook sees the errors of every phase, before masking.
        """
        label_errors(errors, execution_context)
        for error in errors:
            if should_mask(error):
                log.error("%s", error.message, exc_info=error.original_error)
            else:
                log.debug("client error: %s", error.message)


def label_errors(errors: list[GraphQLError], context: ExecutionContext | None) -> None:
    """Give a code to errors that have none: a document that did not parse is
    GRAPHQL_PARSE_FAILED, one that did not validate GRAPHQL_VALIDATION_FAILED, a refusal before
    any field ran (variables that do not fit their types, an unknown operation name)
    BAD_USER_INPUT, and a field error nothing named a server fault, INTERNAL_SERVER_ERROR."""
    for error in errors:
        if (error.extensions or {}).get("code"):
            continue
        if context is None or context.graphql_document is None:
            code = "GRAPHQL_PARSE_FAILED"
        elif context.result is None:
            code = "GRAPHQL_VALIDATION_FAILED"
        elif not error.path:
            code = "BAD_USER_INPUT"
        else:
            code = "INTERNAL_SERVER_ERROR"
        error.extensions = {**(error.extensions or {}), "code": code}


@strawberry.type
class Mutation(
    PostMutations,
    TaxonomyMutations,
    AccountMutations,
    MediaMutations,
    EventMutations,
    WebhookMutations,
):
    pass


def _utc_datetime(text: str) -> datetime:
    """An ISO 8601 date-time that has a UTC form: "0001-01-01T00:00:00+14:00" has none (it
    falls before year 1), and would fail deep in a service or the database driver."""
    value: datetime = dateutil.parser.isoparse(text)
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError("it lies beyond the calendar's ends once in UTC") from None
    return value


# Strawberry's DateTime, parsed the same way, but refusing values with no UTC form.
DATETIME = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat)",
    specified_by_url=None,
    serialize=isoformat,
    parse_value=wrap_parser(_utc_datetime, "DateTime", exceptions=(ValueError, OverflowError)),
    parse_literal=None,
    origin=datetime,
)


def build_schema(settings: Settings) -> strawberry.Schema:
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(disable_field_suggestions=not settings.debug),
        extensions=extensions(settings),
        scalar_overrides={datetime: DATETIME},
        execution_context_class=PlannedExecutor,
    )


def sdl() -> str:
    """The schema in SDL, as exported to ``schema/schema.graphql``."""
    return build_schema(Settings()).as_str() + "\n"
