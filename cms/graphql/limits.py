"""Bounds on what one operation may ask for: depth, aliases, tokens and cost, and text no
column can hold.

The validation rules are built once per schema and passed through ``AddValidationRules`` so
that Strawberry's ValidationCache, keyed on the rule classes, keeps hitting.

Text input is checked once for every argument, before any resolver runs: string literals in
the document by a validation rule (:class:`StorableText`), variable values, which validation
never sees, by an extension (:class:`StorableVariables`). A NUL or a lone surrogate is a
``BAD_USER_INPUT`` error naming the argument or variable, on every engine: PostgreSQL cannot
store or compare NUL, and a lone surrogate cannot be encoded at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    Node,
    ObjectFieldNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableDefinitionNode,
    VariableNode,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from cms.graphql.errors import BadUserInput, should_mask
from cms.http.params import unstorable
from cms.services.permissions import Permission
from cms.settings import Settings

#: Arguments that multiply the cost of everything selected below them.
PAGE_ARGUMENTS = ("first", "limit")


def cost_rule(max_cost: int, max_page_size: int) -> type[ValidationRule]:
    """A rule bounding the number of objects an operation can fetch.

    Each field that returns objects costs the product of the page sizes of the connections
    above it (scalar leaves are free), and a connection multiplies its children by ``first``.
    A page size given as a variable counts as the maximum page size, since validation is
    cached per document, not per request:
    ``posts(first: 100) { author { posts(first: 100) { … } } }`` is refused.
    """

    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = self._cost(node.selection_set, 1, frozenset())
            if cost > max_cost:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"Operation '{name}' may fetch up to {cost} objects; the limit is "
                        f"{max_cost}. Ask for smaller pages or fewer nested lists.",
                        nodes=[node],
                        extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost},
                    )
                )

        def _cost(
            self, selections: SelectionSetNode | None, factor: int, seen: frozenset[str]
        ) -> int:
            if selections is None:
                return 0
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    if selection.selection_set is None:
                        continue
                    total += factor
                    child = factor * self._page_size(selection)
                    total += self._cost(selection.selection_set, child, seen)
                elif isinstance(selection, InlineFragmentNode):
                    total += self._cost(selection.selection_set, factor, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is not None and name not in seen:
                        total += self._cost(fragment.selection_set, factor, seen | {name})
            return total

        @staticmethod
        def _page_size(field: FieldNode) -> int:
            for argument in field.arguments or ():
                if argument.name.value not in PAGE_ARGUMENTS:
                    continue
                if isinstance(argument.value, IntValueNode):
                    return max(1, int(argument.value.value))
                if isinstance(argument.value, VariableNode):
                    return max_page_size
            return 1

    return CostLimit


def extensions(settings: Settings) -> list[Callable[[], SchemaExtension]]:
    """Schema extensions, as factories, in the order they must run."""
    rules = [
        _safe_depth_rule(settings.max_query_depth),
        alias_rule(settings.max_aliases),
        cost_rule(settings.max_query_cost, settings.max_page_size),
        StorableText,
    ]
    factories: list[Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=should_mask),
        StorableVariables,
        RecordOperationType,
    ]
    if not settings.debug:
        factories.append(IntrospectionForEditors)
    return factories


class IntrospectionForEditors(SchemaExtension):
    """Introspection (``__schema``, ``__type``) for those who may edit any content, by
    session or token: the explorer and code generators need it, and an editor knows the
    schema anyway. Everyone else is refused it, as with debug off it always was (debug on,
    it is open to all)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        viewer = getattr(context, "viewer", None)
        if viewer is None or not viewer.can(Permission.EDIT_ANY_CONTENT):
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules,
                NoSchemaIntrospectionCustomRule,
            )
        yield


def _safe_depth_rule(max_depth: int) -> type[ValidationRule]:
    """Strawberry's depth rule, except that documents it cannot measure are refused as what
    they are: the rule measures depths when it is built, and fails on an empty selection set
    (``{}``, which graphql-core parses) with a ValueError and on a spread of an unknown
    fragment with a KeyError, which would be server errors."""
    base = depth_rule(max_depth, None, None)

    class DepthLimit(base):  # type: ignore[misc, valid-type]
        def __init__(self, context: ValidationContext) -> None:
            try:
                super().__init__(context)
            except KeyError:
                # A spread of an unknown fragment: graphql-core's own rule reports it.
                ValidationRule.__init__(self, context)
            except ValueError:
                ValidationRule.__init__(self, context)
                context.report_error(
                    GraphQLError(
                        "A selection set cannot be empty: select at least one field.",
                        extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                    )
                )

    return DepthLimit


class RecordOperationType(SchemaExtension):
    """Tell the context which kind of operation ran: only queries may be cached."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if hasattr(context, "operation_type"):
            context.operation_type = self.execution_context.operation_type.value
        yield


class StorableText(ValidationRule):
    """Refuse string literals holding what no text column can (see the module docstring)."""

    def enter_string_value(
        self, node: StringValueNode, _key: Any, parent: Any, _path: Any, ancestors: list[Any]
    ) -> None:
        problem = unstorable(node.value)
        if problem is None:
            return
        name = _literal_path([*ancestors, parent])  # the parent is not among the ancestors
        self.report_error(
            GraphQLError(
                f"{name!r} holds {problem}, which text cannot contain.",
                nodes=[node],
                extensions={"code": BadUserInput.code, "field": name},
            )
        )


def _literal_path(ancestors: list[Any]) -> str:
    """Where a literal sits: its argument (or ``$variable`` default) and input fields."""
    names = []
    for node in ancestors:
        if not isinstance(node, Node):
            continue  # the visitor also passes the lists it walks through
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            names.append(node.name.value)
        elif isinstance(node, VariableDefinitionNode):
            names.append("$" + node.variable.name.value)
    return ".".join(names) or "value"


class StorableVariables(SchemaExtension):
    """Refuse variable values holding what no text column can, before execution."""

    def on_execute(self) -> Iterator[None]:
        variables = self.execution_context.variables or {}
        found = _unstorable_variable(variables)
        if found is not None:
            path, problem = found
            raise BadUserInput(
                f"Variable {path!r} holds {problem}, which text cannot contain.", field=path
            )
        yield


def _unstorable_variable(variables: dict[str, Any]) -> tuple[str, str] | None:
    """The first string (value or object key) in ``variables`` that no column can hold, as
    ``($path, what)``; walked without recursion, since JSON nests as deep as a client likes."""
    stack: list[tuple[str, Any]] = [(f"${name}", value) for name, value in variables.items()]
    stack.reverse()
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if problem := unstorable(value):
                return path, problem
        elif isinstance(value, dict):
            items = []
            for key, item in value.items():
                if isinstance(key, str) and (problem := unstorable(key)):
                    return path, f"a key with {problem}"
                items.append((f"{path}.{key}", item))
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))
    return None
