"""``cms token …`` and ``cms account …``: authoring access from the command line.

Passwords are read from a prompt (twice, unechoed) or, when standard input is not a terminal,
from its first line: never from the command's arguments, which other users of the machine and
the shell's history can read.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime, timedelta

from cms import db
from cms.models import Account, ApiToken, Author, Role, TokenScope
from cms.services import accounts, password_links, passwords
from cms.settings import Settings

#: A hundred years: longer is "never", which leaving ``--expires-in`` out already says.
MAX_EXPIRY_DAYS = 36_500


def add_commands(commands: argparse._SubParsersAction) -> None:
    token = commands.add_parser("token", help="create, list and revoke API tokens")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="print a new token (shown once)")
    create.add_argument("--name", required=True, help="what the token is for")
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--role", choices=[r.value for r in Role], help="on a service account")
    who.add_argument("--account", metavar="EMAIL", help="on this person's account")
    create.add_argument("--scope", choices=[s.value for s in TokenScope], default="full")
    create.add_argument(
        "--expires-in",
        type=_days,
        metavar="DAYS",
        help=f"1 to {MAX_EXPIRY_DAYS} (default: never)",
    )
    actions.add_parser("list", help="list tokens (never their secrets)")
    revoke = actions.add_parser("revoke", help="revoke a token; it fails from its next use")
    revoke.add_argument("id", type=int)

    account = commands.add_parser("account", help="create and manage people's accounts")
    account_actions = account.add_subparsers(dest="action", required=True)
    new = account_actions.add_parser("create", help="create a person's account")
    new.add_argument("--email", required=True)
    new.add_argument("--name", required=True, help="display name")
    new.add_argument("--role", choices=[r.value for r in Role], required=True)
    new.add_argument("--author", metavar="SLUG", help="the author profile it signs posts with")
    new.add_argument(
        "--password",
        action="store_true",
        help="also set a password to sign in to the web app (asked for, or read from stdin)",
    )
    reset = account_actions.add_parser(
        "set-password",
        help="set or reset a password (asked for, or read from stdin); ends the account's sessions",
    )
    reset.add_argument("email")
    link = account_actions.add_parser(
        "password-link",
        help="print a one-time link with which the person chooses a password (an invitation, "
        "or a reset); no mail is sent",
    )
    link.add_argument("email")
    link.add_argument(
        "--base-url",
        default="http://localhost:8000",
        help="where people reach this server (default: %(default)s)",
    )
    disable = account_actions.add_parser(
        "disable", help="stop an account's tokens and sessions at once (its content stays)"
    )
    disable.add_argument("email")
    enable = account_actions.add_parser("enable", help="let a disabled account in again")
    enable.add_argument("email")
    account_actions.add_parser("list", help="list accounts")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    await db.migrate(settings)
    async with db.database(settings):
        try:
            if args.command == "account":
                return await _account(args)
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
    expires = None
    if args.expires_in is not None:
        expires = datetime.now(UTC) + timedelta(days=args.expires_in)
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


def _days(text: str) -> int:
    """A token's lifetime in days: 0 or less would once have meant "never", silently."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise argparse.ArgumentTypeError(
            f"{days} is not between 1 and {MAX_EXPIRY_DAYS} days; leave it out for a token "
            "that never expires"
        )
    return days


async def _list_tokens() -> int:
    """Every token: who holds it, with which role and scope, until when, and its state."""
    tokens = await ApiToken.all().select_related("account").order_by("id")
    print(
        f"{'id':>4}  {'prefix':<12} {'name':<24} {'account':<32} {'role':<7} {'scope':<8} "
        f"{'expires':<17} state"
    )
    now = datetime.now(UTC)
    for t in tokens:
        if t.revoked_at:
            state = "revoked"
        elif t.expires_at and t.expires_at <= now:
            state = "expired"
        else:
            state = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "unused"
        expires = f"{t.expires_at:%Y-%m-%d %H:%M}Z" if t.expires_at else "never"
        print(
            f"{t.id:>4}  {t.prefix:<12} {t.name[:24]:<24} {t.account.email[:32]:<32} "
            f"{t.account.role.value:<7} {t.scope.value:<8} {expires:<17} {state}"
        )
    return 0


async def _account(args: argparse.Namespace) -> int:
    if args.action == "create":
        return await _create_account(args)
    if args.action == "list":
        return await _list_accounts()
    account = await _find(args.email)
    if args.action == "set-password":
        await accounts.set_password(account.id, _read_password())
        print(f"Password set for {account.email}; its sessions have ended.")
    elif args.action == "password-link":
        issued = await password_links.issue(account.id)
        print(f"{args.base_url.rstrip('/')}{issued.path}")
        until = issued.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        note = f"Give it to {account.email}: it sets a password once, until {until}."
        print(note, file=sys.stderr)
    else:
        disabled = args.action == "disable"
        await accounts.set_disabled(account.id, disabled)
        state = "disabled: its tokens and sessions no longer work" if disabled else "enabled"
        print(f"Account {account.email} {state}.")
    return 0


async def _find(email: str) -> Account:
    account = await Account.get_or_none(email=email.strip().lower())
    if account is None:
        raise accounts.AccountError("email", f"No account uses {email}.")
    return account


def _read_password() -> str:
    """A new password from the terminal (asked twice) or from the first line of stdin."""
    if sys.stdin.isatty():
        password = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != password:
            raise accounts.AccountError("password", "The two passwords differ.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        passwords.check(password)
    except passwords.WeakPassword as error:
        raise accounts.AccountError("password", str(error)) from None
    return password


async def _list_accounts() -> int:
    print(f"{'id':>4}  {'email':<32} {'role':<7} {'password':<9} state")
    for a in await Account.filter(is_service=False).order_by("id"):
        state = "disabled" if a.disabled_at else "active"
        password = "set" if a.password_hash else "none"
        print(f"{a.id:>4}  {a.email[:32]:<32} {a.role.value:<7} {password:<9} {state}")
    return 0


async def _create_account(args: argparse.Namespace) -> int:
    password = _read_password() if args.password else None
    author_id = None
    if args.author:
        author = await Author.get_or_none(slug=args.author)
        if author is None:
            raise accounts.AccountError("author", f"No author profile has slug {args.author}.")
        author_id = author.id
    account = await accounts.create_account(
        args.email, args.name, Role(args.role), author_id=author_id, password=password
    )
    signs_in = " It can sign in at /admin." if password is not None else ""
    print(f"Account {account.id} created for {account.email} ({account.role.value}).{signs_in}")
    return 0
