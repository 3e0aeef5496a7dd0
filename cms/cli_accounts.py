"""``cms token …`` and ``cms account …``: authoring access from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from cms import db
from cms.models import Account, ApiToken, Author, Role, TokenScope
from cms.services import accounts
from cms.settings import Settings


def add_commands(commands: argparse._SubParsersAction) -> None:
    token = commands.add_parser("token", help="create, list and revoke API tokens")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="print a new token (shown once)")
    create.add_argument("--name", required=True, help="what the token is for")
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--role", choices=[r.value for r in Role], help="on a service account")
    who.add_argument("--account", metavar="EMAIL", help="on this person's account")
    create.add_argument("--scope", choices=[s.value for s in TokenScope], default="full")
    create.add_argument("--expires-in", type=int, metavar="DAYS", help="default: never")
    actions.add_parser("list", help="list tokens (never their secrets)")
    revoke = actions.add_parser("revoke", help="revoke a token; it fails from its next use")
    revoke.add_argument("id", type=int)

    account = commands.add_parser("account", help="create accounts")
    account_actions = account.add_subparsers(dest="action", required=True)
    new = account_actions.add_parser("create", help="create a person's account")
    new.add_argument("--email", required=True)
    new.add_argument("--name", required=True, help="display name")
    new.add_argument("--role", choices=[r.value for r in Role], required=True)
    new.add_argument("--author", metavar="SLUG", help="the author profile it signs posts with")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    await db.migrate(settings)
    async with db.database(settings):
        try:
            if args.command == "account":
                return await _create_account(args)
            if args.action == "create":
                return await _create_token(args)
            if args.action == "list":
                return await _list_tokens()
            token = await accounts.revoke_token(args.id)
            print(f"Revoked token {token.id} ({token.name}).")
            return 0
        except accounts.AccountError as error:
            print(f"cms: {error}", file=sys.stderr)
            return 1


async def _create_token(args: argparse.Namespace) -> int:
    if args.role:
        account = await accounts.service_account(Role(args.role))
    else:
        found = await Account.get_or_none(email=args.account.strip().lower())
        if found is None:
            raise accounts.AccountError("account", f"No account uses {args.account}.")
        account = found
    expires = datetime.now(UTC) + timedelta(days=args.expires_in) if args.expires_in else None
    issued = await accounts.issue_token(
        account, args.name, TokenScope(args.scope), expires_at=expires
    )
    print(issued.secret)
    print(
        f"Token {issued.token.id} for {account.email} ({account.role.value}, scope "
        f"{args.scope}). It is shown only now: store it safely.",
        file=sys.stderr,
    )
    return 0


async def _list_tokens() -> int:
    tokens = await ApiToken.all().select_related("account").order_by("id")
    print(f"{'id':>4}  {'prefix':<12} {'name':<24} {'account':<32} {'scope':<8} state")
    now = datetime.now(UTC)
    for t in tokens:
        if t.revoked_at:
            state = "revoked"
        elif t.expires_at and t.expires_at <= now:
            state = "expired"
        else:
            state = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "unused"
        print(
            f"{t.id:>4}  {t.prefix:<12} {t.name[:24]:<24} {t.account.email[:32]:<32} "
            f"{t.scope.value:<8} {state}"
        )
    return 0


async def _create_account(args: argparse.Namespace) -> int:
    author_id = None
    if args.author:
        author = await Author.get_or_none(slug=args.author)
        if author is None:
            raise accounts.AccountError("author", f"No author profile has slug {args.author}.")
        author_id = author.id
    account = await accounts.create_account(
        args.email, args.name, Role(args.role), author_id=author_id
    )
    print(f"Account {account.id} created for {account.email} ({account.role.value}).")
    return 0
