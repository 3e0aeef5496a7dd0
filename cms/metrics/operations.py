"""Which GraphQL operation a request ran, by name, and the bounded label metrics give it.

A client chooses its operation names, so a label taken from them as they come would let any
client create time series without end. Metrics name only the operations the site declared (the
persisted allow-list: ``CMS_OPERATIONS_DIR`` and the web app's own); any other name is
``other``, and an anonymous operation (``{ posts { … } }``) is the empty string.

The name itself is the request's ``operationName`` or, without one, the name of the document's
operation. Finding it walks the first tokens of the document, not a full parse: Strawberry
parses the document anyway (and caches the parse), and the walk stops at the first operation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphql import GraphQLError, Lexer, OperationDefinitionNode, Source, TokenKind, parse

#: The label of a request naming an operation the site did not declare.
OTHER = "other"
#: The label of an anonymous operation, and of a request that ran none (not GraphQL).
ANONYMOUS = ""

_KEYWORDS = frozenset({"query", "mutation", "subscription"})
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,127}")


def operation_name(query: str | None, given: str | None) -> str | None:
    """The name of the operation a request runs: ``given`` (its ``operationName``) when
    present, else that of the document's first operation; None when it is anonymous.

    ``given`` is what the client sent and may be any string: use :class:`OperationLabels` (for
    metrics) or :func:`loggable` (for logs) before writing it anywhere.
    """
    if given is not None:
        return given
    if not query:
        return None
    lexer = Lexer(Source(query))
    braces = parens = 0
    fragment = keyword = False
    try:
        while (token := lexer.advance()).kind is not TokenKind.EOF:
            kind = token.kind
            if keyword:
                return token.value if kind is TokenKind.NAME else None
            if kind is TokenKind.PAREN_L:
                parens += 1
            elif kind is TokenKind.PAREN_R:
                parens -= 1
            elif parens:
                continue  # arguments and variable defaults may hold braces of their own
            elif kind is TokenKind.BRACE_L:
                if braces == 0 and not fragment:
                    return None  # the query shorthand: `{ posts { … } }`
                braces += 1
            elif kind is TokenKind.BRACE_R:
                braces -= 1
                fragment = fragment and braces > 0
            elif braces == 0 and kind is TokenKind.NAME:
                if token.value == "fragment":
                    fragment = True
                elif not fragment and token.value in _KEYWORDS:
                    keyword = True
    except GraphQLError:
        return None  # execution reports the syntax error
    return None


def declared_names(documents: Iterable[str]) -> frozenset[str]:
    """The names of the operations defined in ``documents`` (the site's operation files)."""
    names = set()
    for text in documents:
        try:
            document = parse(text)
        except GraphQLError:
            continue
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                names.add(definition.name.value)
    return frozenset(names)


class OperationLabels:
    """Maps an operation's name to its metrics label: itself when declared, else ``other``."""

    def __init__(self, declared: Iterable[str]) -> None:
        self._labels: dict[str | None, str] = {name: name for name in declared}
        self._labels[None] = ANONYMOUS

    def __call__(self, name: str | None) -> str:
        return self._labels.get(name, OTHER)

    @property
    def values(self) -> frozenset[str]:
        """Every label this can give."""
        return frozenset(self._labels.values()) | {OTHER}


def loggable(name: str | None) -> str | None:
    """``name`` when it is a GraphQL name of at most 128 characters, else ``other``: a log
    line should show the name a client chose, but not carry whatever it sent in its place."""
    if name is None or _NAME.fullmatch(name):
        return name
    return OTHER
