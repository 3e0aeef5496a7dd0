"""Persisted queries: Apollo's automatic protocol, and an allow-list of the site's operations.

A client sends ``extensions.persistedQuery = {version: 1, sha256Hash}`` instead of the query
text. A known hash runs its query; an unknown one answers ``PersistedQueryNotFound`` and the
client sends the text with the hash once, which registers it (after checking the hash). Hashes
are the SHA-256 of the query text, in hex.

The operations in ``CMS_OPERATIONS_DIR`` (by default the project's ``schema/operations``) and
those of the web app for writers (``cms/admin/operations``) are known from the start, by the
hash of each file's text. In strict mode, anonymous clients may
run those operations only, by hash or by the same text; clients with a token run anything.

Registered queries are kept in the database, so that a hash registered through one process
(or one machine) is found by every other; each process keeps those it used lately in memory.
The table is held to a bound: past it, the least recently used registrations go.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from graphql import GraphQLError, parse, print_ast
from graphql.language import (
    FieldNode,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Visitor,
    visit,
)
from strawberry.http import GraphQLRequestData
from tortoise import connections
from tortoise.exceptions import IntegrityError

from cms.admin import OPERATIONS
from cms.models import PersistedQuery
from cms.settings import Settings

#: Bounds on what clients may register: in the database, and in each process's memory.
MAX_REGISTERED = 5_000
MAX_REGISTERED_CHARS = 10_000_000
#: A registration's last use is written back at most this often.
USE_RESOLUTION = timedelta(hours=1)
#: The database is pruned to its bound once every this many registrations by a process.
PRUNE_EVERY = 50
_HASH = re.compile(r"[0-9a-f]{64}")


class PersistedQueryError(Exception):
    """A request the persisted-query protocol refuses; ``code`` is the error's code."""

    def __init__(self, message: str, code: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def query_hash(query: str) -> str:
    """The SHA-256 of the query's UTF-8 text, as clients compute it. A lone surrogate (from a
    JSON escape such as ``\\ud800``) has no UTF-8 form: such a document is refused."""
    try:
        return hashlib.sha256(query.encode()).hexdigest()
    except UnicodeEncodeError:
        raise PersistedQueryError(
            "The query holds a lone surrogate (an unpaired \\uD800-\\uDFFF escape): it is not "
            "valid Unicode text.",
            "BAD_USER_INPUT",
            status=400,
        ) from None


def load_operations(folder: Path | None) -> dict[str, str]:
    """Hash → text of each ``*.graphql`` file in ``folder``, as written and as Apollo Client
    sends it (:func:`as_apollo_sends`), so that its persisted-query link finds them too."""
    if folder is None:
        return {}
    known = {}
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        for form in (text, as_apollo_sends(text)):
            known[query_hash(form)] = form
    return known


def as_apollo_sends(text: str) -> str:
    """A document as Apollo Client sends it, and hashes it for persisted queries: printed
    (graphql-js and graphql-core print alike), with ``__typename`` added to every selection
    set but an operation's own, as its cache adds it (``addTypenameToDocument``)."""
    return print_ast(visit(parse(text), _AddTypename()))


_TYPENAME = FieldNode(name=NameNode(value="__typename"), arguments=(), directives=())


class _AddTypename(Visitor):
    """Apollo's rules: not an operation's selection set, not one already asking for a
    ``__`` field (``__typename``, introspection), not under a field marked ``@export``."""

    def enter_selection_set(
        self, node: SelectionSetNode, key: object, parent: object, *args: object
    ) -> SelectionSetNode | None:
        if isinstance(parent, OperationDefinitionNode):
            return None
        if any(isinstance(s, FieldNode) and s.name.value.startswith("__") for s in node.selections):
            return None
        if isinstance(parent, FieldNode) and any(
            d.name.value == "export" for d in parent.directives or ()
        ):
            return None
        return SelectionSetNode(selections=(*node.selections, _TYPENAME))


def manifest(folder: Path | None) -> dict[str, object]:
    """The operations of ``folder`` as an Apollo persisted-query manifest: each by the hash
    of its text as Apollo Client sends it, which is the id such a client sends alone."""
    operations = []
    for path in sorted(folder.glob("*.graphql")) if folder else ():
        body = as_apollo_sends(path.read_text(encoding="utf-8"))
        for definition in parse(body).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                operations.append(
                    {
                        "id": query_hash(body),
                        "name": definition.name.value,
                        "type": definition.operation.value,
                        "body": body,
                    }
                )
    return {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}


class PersistedQueries:
    def __init__(self, settings: Settings) -> None:
        self.mode = settings.persisted_queries
        self.max_tokens = settings.max_tokens
        self.allowed = load_operations(settings.operations_dir) | load_operations(OPERATIONS)
        self.registered: OrderedDict[str, str] = OrderedDict()
        self._registered_chars = 0
        self._since_prune = 0

    async def resolve(self, data: GraphQLRequestData, *, anonymous: bool) -> None:
        """Fill in ``data.query`` from its hash, register a new one, or refuse the request."""
        persisted = (data.extensions or {}).get("persistedQuery")
        if persisted is None:
            if (
                self.mode == "strict"
                and anonymous
                and data.query is not None
                and query_hash(data.query) not in self.allowed
            ):
                raise _not_allowed()
            return
        if self.mode == "off":
            raise PersistedQueryError("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
        digest = self._digest(persisted)
        if data.query is None:
            data.query = await self._lookup(digest, anonymous=anonymous)
            return
        if query_hash(data.query) != digest:
            raise PersistedQueryError(
                "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH", status=400
            )
        if digest in self.allowed:
            return
        if self.mode == "strict" and anonymous:
            raise _not_allowed()
        try:  # only documents that parse are worth keeping; execution reports the rest
            parse(data.query, max_tokens=self.max_tokens)
        except GraphQLError:
            return
        await self._register(digest, data.query)

    @staticmethod
    def _digest(persisted: object) -> str:
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                "Unsupported persisted query version; send version 1.",
                "PERSISTED_QUERY_INVALID",
                status=400,
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _HASH.fullmatch(digest):
            raise PersistedQueryError(
                "sha256Hash must be 64 lowercase hexadecimal digits.",
                "PERSISTED_QUERY_INVALID",
                status=400,
            )
        return digest

    async def _lookup(self, digest: str, *, anonymous: bool) -> str:
        query = self.allowed.get(digest)
        if query is not None:
            return query
        if not (self.mode == "strict" and anonymous):
            query = self.registered.get(digest)
            if query is not None:
                self.registered.move_to_end(digest)
                return query
            found = await PersistedQuery.get_or_none(hash=digest)
            if found is not None:  # registered through another process
                now = datetime.now(UTC)
                if found.used_at < now - USE_RESOLUTION:
                    await PersistedQuery.filter(hash=digest).update(used_at=now)
                self._remember(digest, found.query)
                return found.query
        raise PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")

    async def _register(self, digest: str, query: str) -> None:
        if digest in self.registered:
            self.registered.move_to_end(digest)
            return
        try:
            await PersistedQuery.create(hash=digest, query=query, used_at=datetime.now(UTC))
        except IntegrityError:
            pass  # registered through another process meanwhile: the same text, by its hash
        else:
            self._since_prune += 1
            if self._since_prune >= PRUNE_EVERY:
                self._since_prune = 0
                await _prune()
        self._remember(digest, query)

    def _remember(self, digest: str, query: str) -> None:
        self.registered[digest] = query
        self._registered_chars += len(query)
        while (
            len(self.registered) > MAX_REGISTERED or self._registered_chars > MAX_REGISTERED_CHARS
        ):
            _, evicted = self.registered.popitem(last=False)
            self._registered_chars -= len(evicted)


async def _prune() -> None:
    """Hold the table to :data:`MAX_REGISTERED` rows and :data:`MAX_REGISTERED_CHARS`
    characters, the least recently used going first."""
    rows = await connections.get("default").execute_query_dict(
        "SELECT hash, LENGTH(query) AS chars FROM persisted_query ORDER BY used_at DESC"
    )
    kept = chars = 0
    drop = []
    for row in rows:
        if kept < MAX_REGISTERED and chars + row["chars"] <= MAX_REGISTERED_CHARS:
            kept += 1
            chars += row["chars"]
        else:
            drop.append(row["hash"])
    if drop:
        await PersistedQuery.filter(hash__in=drop).delete()


def _not_allowed() -> PersistedQueryError:
    return PersistedQueryError(
        "Without a token, only the site's registered operations may run.",
        "PERSISTED_QUERY_REQUIRED",
        status=403,
    )
