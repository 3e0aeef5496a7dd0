"""``cms webhook …``: registering webhook endpoints from the command line."""

from __future__ import annotations

import argparse
import sys

from cms import db
from cms.models import WebhookEndpoint
from cms.services.errors import ContentError
from cms.services.webhooks import EVENT_TYPES, endpoints
from cms.settings import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    webhook = commands.add_parser("webhook", help="create, list and delete webhook endpoints")
    actions = webhook.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="register an endpoint; prints its secret (once)")
    create.add_argument("--url", required=True, help="where deliveries are POSTed")
    create.add_argument(
        "--event",
        dest="events",
        action="append",
        required=True,
        choices=EVENT_TYPES,
        metavar="TYPE",
        help=f"an event type to receive (repeat for more): {', '.join(EVENT_TYPES)}",
    )
    create.add_argument("--description", default="", help="what the endpoint is for")
    actions.add_parser("list", help="list endpoints (never their secrets)")
    delete = actions.add_parser("delete", help="delete an endpoint and its delivery log")
    delete.add_argument("id", type=int)


async def run(settings: Settings, args: argparse.Namespace) -> int:
    await db.migrate(settings)
    async with db.database(settings):
        try:
            if args.action == "create":
                return await _create(settings, args)
            if args.action == "list":
                return await _list()
            await endpoints.delete(args.id)
            print(f"Deleted webhook {args.id}.")
            return 0
        except ContentError as error:
            print(f"cms: {error}", file=sys.stderr)
            return 1


async def _create(settings: Settings, args: argparse.Namespace) -> int:
    issued = await endpoints.create(
        args.url,
        args.events,
        allow_private=settings.webhook_allow_private,
        description=args.description,
    )
    print(issued.secret)
    print(
        f"Webhook {issued.endpoint.id} for {', '.join(issued.endpoint.events)} at "
        f"{issued.endpoint.url}. The secret above signs its deliveries; it is shown only now: "
        "store it with the receiver.",
        file=sys.stderr,
    )
    return 0


async def _list() -> int:
    print(f"{'id':>4}  {'state':<8} {'url':<48} events")
    for endpoint in await WebhookEndpoint.all().order_by("id"):
        state = "active" if endpoint.active else "inactive"
        print(f"{endpoint.id:>4}  {state:<8} {endpoint.url:<48} {', '.join(endpoint.events)}")
    return 0
