"""Planned execution: queries run from a plan made once per document.

graphql-core completes every field of every object the same general way: it builds a
resolve info, looks the field up, asks whether the value is awaitable, an iterable, a leaf or
an object, and wraps each step in error handling. On a page of 20 posts that is about 430
fields, and most of the time the page costs. Yet a document names its fields once: which
field of which type, its resolver, the way its value completes. This executor works that out
once per operation (the parsed document is cached, so the same text gives the same nodes) and
then only calls resolvers and coerces leaves.

It keeps graphql-core's answer exactly, by running only what it is sure of:

* queries only; mutations and subscriptions keep their serial and streaming semantics;
* no directives anywhere in the operation (``@skip``/``@include`` make the fields depend on
  the variables, ``@defer``/``@stream`` change the response's shape), no schema middleware,
  no introspection field but ``__typename``;
* resolvers are the schema's own, called with the same info and arguments, so permission
  checks, loaders and field extensions run as before. A plain attribute is read as Strawberry
  would read it, and a resolver method with no field extension and no argument is called as
  Strawberry would call it (``_Call``), without the layers around the call;
* at the first thing off the plain path (a resolver that raises or returns an error, a null
  where the schema promises a value, a list that is not a list, an abstract type whose
  runtime type cannot be told at once), the attempt is dropped and graphql-core executes the
  operation from the start. Its answer, errors and paths included, is then the one sent.
  Queries only read, and the request's DataLoaders hold what the attempt already loaded, so
  the second run costs little and sees the same rows.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import get_strawberry_type_cast
from strawberry.types.field import StrawberryField

#: Plans kept, by operation: as many as the parser cache keeps documents.
PLANS_KEPT = 256


class Unplanned(Exception):
    """Something the plan does not cover happened: graphql-core runs the operation."""


# How a value completes: (run, value, path of the field) -> the value in the response.
Complete = Callable[["_Run", Any, Path], Any]
# The field a value completes for, as resolve infos name it: definition, nodes, parent type.
FieldAt = tuple[GraphQLField, list[FieldNode], GraphQLObjectType]


@dataclass(slots=True)
class FieldStep:
    """One response key of an object: the field it reads and how its value completes."""

    key: str
    #: None for ``__typename``: the parent type's name, no resolver involved.
    field_def: GraphQLField | None
    nodes: list[FieldNode]
    #: The attribute a plain field reads: Strawberry's resolver for it would do no more.
    attribute: str | None = None
    #: A resolver function Strawberry would call as it is (see :class:`_Call`).
    call: _Call | None = None
    resolve: Callable[..., Any] | None = None
    has_args: bool = False
    complete: Complete | None = None


@dataclass(slots=True)
class ObjectStep:
    type_: GraphQLObjectType
    fields: list[FieldStep]


class _Planner:
    """Turns an operation into steps, or finds that it cannot.

    It keeps what depends on the document only, never a request's executor: a plan outlives
    the request that made it.
    """

    def __init__(self, executor: PlannedExecutor) -> None:
        self.schema = executor.schema
        self.fragments = executor.fragments
        self.fragment_definitions = executor.fragment_definitions
        self.operation = executor.operation
        self.hide_suggestions = executor.hide_suggestions
        self.field_resolver = executor.field_resolver
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        self.info_class = strawberry_schema.config.info_class if strawberry_schema else None
        # Without directives, which fields are collected does not depend on the variables.
        self.no_variables = VariableValues({}, {})

    def root(self) -> ObjectStep | None:
        operation = self.operation
        if operation.operation is not OperationType.QUERY or _has_directives(
            operation, self.fragment_definitions
        ):
            return None
        root_type = self.schema.get_root_type(OperationType.QUERY)
        if root_type is None:
            return None
        grouped, defers, *_ = collect_fields(
            self.schema,
            self.fragments,
            self.no_variables,
            root_type,
            operation,
            self.hide_suggestions,
        )
        if defers:
            return None
        return self.object(root_type, grouped)

    def object(self, type_: GraphQLObjectType, grouped: GroupedFieldSet) -> ObjectStep | None:
        steps: list[FieldStep] = []
        for key, details in grouped.items():
            first = details[0]
            if first.fragment_variable_values is not None:
                return None
            name = first.node.name.value
            if name == "__typename":
                steps.append(FieldStep(key, None, []))
                continue
            if name.startswith("__"):
                return None  # introspection keeps graphql-core's own path
            field_def = self.schema.get_field(type_, name)
            if field_def is None:
                return None
            nodes = [d.node for d in details]
            step = FieldStep(
                key=key,
                field_def=field_def,
                nodes=nodes,
                attribute=_plain_attribute(field_def),
                call=_Call.of(field_def, self.info_class),
                resolve=field_def.resolve or self.field_resolver,
                has_args=bool(field_def.args or first.node.arguments),
            )
            step.complete = self.completion(field_def.type, (field_def, nodes, type_))
            if step.complete is None:
                return None
            steps.append(step)
        return ObjectStep(type_, steps)

    def completion(self, type_: GraphQLOutputType, field: FieldAt) -> Complete | None:
        if is_non_null_type(type_):
            assert isinstance(type_, GraphQLNonNull)
            if is_leaf_type(type_.of_type):
                return _leaf(type_.of_type, required=True)
            inner = self.completion(type_.of_type, field)
            return None if inner is None else _non_null(inner)
        if is_list_type(type_):
            assert isinstance(type_, GraphQLList)
            item = self.completion(type_.of_type, field)
            return None if item is None else _list(item)
        if is_leaf_type(type_):
            assert isinstance(type_, GraphQLLeafType)
            return _leaf(type_, required=False)
        if is_abstract_type(type_):
            assert isinstance(type_, GraphQLAbstractType)
            return _abstract(type_, field, self)
        assert isinstance(type_, GraphQLObjectType)
        sub = self.subfields(type_, field[1])
        return None if sub is None else _object(sub, field)

    def subfields(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> ObjectStep | None:
        details = [FieldDetails(node, None) for node in nodes]
        grouped, defers, *_ = collect_subfields(
            self.schema,
            self.fragments,
            self.no_variables,
            self.operation,
            type_,
            details,
            self.hide_suggestions,
        )
        return None if defers else self.object(type_, grouped)


def _plain_attribute(field_def: GraphQLField) -> str | None:
    """The attribute a field reads when Strawberry would only read it: no resolver, no field
    extension, the default ``getattr``."""
    if not getattr(field_def.resolve, "_is_default", False):
        return None
    definition = field_def.extensions.get("strawberry-definition")
    if (
        not isinstance(definition, StrawberryField)
        or definition.base_resolver is not None
        or definition.extensions
        or definition.default_resolver is not getattr
    ):
        return None
    return definition.python_name


@dataclass(slots=True, frozen=True)
class _Call:
    """How Strawberry calls a field's resolver when nothing stands between them: no field
    extension (permission checks are extensions), no GraphQL argument to convert. It passes
    the object as ``self``, ``root`` or ``parent`` and its Info as ``info``, as the resolver's
    signature asks; so does the plan, without the layers around the call."""

    func: Callable[..., Any]
    info_class: type[Any]
    field: StrawberryField
    self_arg: bool
    source_names: tuple[str, ...]
    info_name: str | None

    @classmethod
    def of(cls, field_def: GraphQLField, info_class: type[Any] | None) -> _Call | None:
        definition = field_def.extensions.get("strawberry-definition")
        if (
            info_class is None
            or not isinstance(definition, StrawberryField)
            or definition.base_resolver is None
            or definition.extensions
            or definition.arguments
            or field_def.args
        ):
            return None
        resolver = definition.base_resolver
        func = resolver.wrapped_func
        if not callable(func):
            return None  # Strawberry refuses to call it: its own path says how
        parent, root, info = (
            resolver.parent_parameter,
            resolver.root_parameter,
            resolver.info_parameter,
        )
        return cls(
            func=func,
            info_class=info_class,
            field=definition,
            self_arg=resolver.self_parameter is not None,
            source_names=tuple(p.name for p in (parent, root) if p is not None),
            info_name=info.name if info is not None else None,
        )

    def __call__(self, source: Any, raw_info: Any) -> Any:
        kwargs = dict.fromkeys(self.source_names, source)
        if self.info_name is not None:
            kwargs[self.info_name] = self.info_class(_raw_info=raw_info, _field=self.field)
        return self.func(source, **kwargs) if self.self_arg else self.func(**kwargs)


def _has_directives(operation: OperationDefinitionNode, fragments: dict[str, Any]) -> bool:
    seen: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> bool:
        if selection_set is None:
            return False
        for selection in selection_set.selections:
            if selection.directives:
                return True
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen:
                    continue
                seen.add(name)
                fragment = fragments.get(name)
                if fragment is None or fragment.directives or walk(fragment.selection_set):
                    return True
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and walk(
                selection.selection_set
            ):
                return True
        return False

    return bool(operation.directives) or walk(operation.selection_set)


# Completions. Each raises Unplanned where graphql-core would record an error.


def _non_null(inner: Complete) -> Complete:
    def complete(run: _Run, value: Any, path: Path) -> Any:
        completed = inner(run, value, path)
        if completed is None:
            raise Unplanned
        return completed

    return complete


# The values graphql-core's own scalars send as they are: most leaves of a page.
_AS_THEY_ARE: dict[GraphQLLeafType, Callable[[Any], bool]] = {
    GraphQLString: lambda value: type(value) is str,
    GraphQLID: lambda value: type(value) is str,
    GraphQLBoolean: lambda value: type(value) is bool,
    GraphQLInt: lambda value: type(value) is int and -(2**31) <= value < 2**31,
}


def _leaf(type_: GraphQLLeafType, *, required: bool) -> Complete:
    coerce = type_.coerce_output_value
    as_it_is = _AS_THEY_ARE.get(type_)

    def complete(run: _Run, value: Any, path: Path) -> Any:
        if value is None:
            if required:
                raise Unplanned
            return None
        if as_it_is is not None and as_it_is(value):
            return value
        if isinstance(value, Exception):
            raise Unplanned
        coerced = coerce(value)
        if coerced is None or coerced is Undefined:
            raise Unplanned
        return coerced

    return complete


def _list(item: Complete) -> Complete:
    def complete(run: _Run, value: Any, path: Path) -> Any:
        if value is None:
            return None
        if not isinstance(value, (list, tuple)):
            raise Unplanned  # generators, async iterables, errors: graphql-core's to handle
        completed: list[Any] = []
        is_awaitable = run.is_awaitable
        for index, element in enumerate(value):
            item_path = Path(path, index, None)
            if is_awaitable(element):
                completed.append(None)
                run.later(element, item, completed, index, item_path)
            else:
                completed.append(item(run, element, item_path))
        return completed

    return complete


def _object(step: ObjectStep, field: FieldAt) -> Complete:
    is_type_of = step.type_.is_type_of
    own_class = _own_class(step.type_)

    def complete(run: _Run, value: Any, path: Path) -> Any:
        if value is None:
            return None
        if isinstance(value, Exception):
            raise Unplanned
        if (
            is_type_of is not None
            and (type(value) is not own_class or get_strawberry_type_cast(value) is not None)
            and is_type_of(value, run.info_at(field, path)) is not True
        ):
            raise Unplanned
        return run.object(step, value, path)

    return complete


def _own_class(type_: GraphQLObjectType) -> type | None:
    """The class whose instances Strawberry's own ``is_type_of`` of ``type_`` accepts without
    a look (an instance not cast to another type); None when the check is the type's own."""
    definition = type_.extensions.get("strawberry-definition")
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_type_of:
        return None
    return definition.origin


def _abstract(type_: GraphQLAbstractType, field: FieldAt, planner: _Planner) -> Complete:
    # One plan per runtime type, made the first time a value of that type comes.
    by_type: dict[str, ObjectStep | None] = {}

    def complete(run: _Run, value: Any, path: Path) -> Any:
        if value is None:
            return None
        if isinstance(value, Exception):
            raise Unplanned
        info = run.info_at(field, path)
        name = (type_.resolve_type or run.executor.type_resolver)(value, info, type_)
        if not isinstance(name, str):
            raise Unplanned
        if name not in by_type:
            details = [FieldDetails(node, None) for node in field[1]]
            runtime = run.executor.ensure_valid_runtime_type(name, type_, details, info, value)
            by_type[name] = planner.subfields(runtime, field[1])
        step = by_type[name]
        if step is None:
            raise Unplanned
        if step.type_.is_type_of is not None and step.type_.is_type_of(value, info) is not True:
            raise Unplanned
        return run.object(step, value, path)

    return complete


@dataclass(slots=True)
class _Later:
    value: Awaitable[Any]
    complete: Complete
    target: Any  # the dict or list the completed value goes into
    slot: Any
    path: Path


class _Run:
    """One execution of a plan: the values resolved so far and those still awaited."""

    __slots__ = ("executor", "is_awaitable", "pending")

    def __init__(self, executor: PlannedExecutor) -> None:
        self.executor = executor
        self.is_awaitable = executor.is_awaitable
        self.pending: list[_Later] = []

    def object(self, step: ObjectStep, source: Any, path: Path | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        type_ = step.type_
        for field_step in step.fields:
            key = field_step.key
            complete = field_step.complete
            if complete is None:  # __typename
                result[key] = type_.name
                continue
            field_path = Path(path, key, type_.name)
            attribute = field_step.attribute
            if attribute is not None:
                value = getattr(source, attribute)
            elif field_step.call is not None:
                raw_info = self.executor.build_resolve_info(
                    field_step.field_def,  # type: ignore[arg-type]
                    field_step.nodes,
                    type_,
                    field_path,
                )
                value = field_step.call(source, raw_info)
            else:
                value = self.resolve(field_step, type_, source, field_path)
            if self.is_awaitable(value):
                result[key] = None
                self.later(value, complete, result, key, field_path)
            else:
                result[key] = complete(self, value, field_path)
        return result

    def resolve(self, step: FieldStep, parent: GraphQLObjectType, source: Any, path: Path) -> Any:
        ex = self.executor
        assert step.field_def is not None
        info = ex.build_resolve_info(step.field_def, step.nodes, parent, path)
        args = (
            get_argument_values(
                step.field_def, step.nodes[0], ex.variable_values, None, ex.hide_suggestions
            )
            if step.has_args
            else {}
        )
        assert step.resolve is not None
        return step.resolve(source, info, **args)

    def info_at(self, field: FieldAt, path: Path) -> Any:
        """The resolve info of ``field`` (of the list field, for an item), for the type checks
        that ask for one."""
        while isinstance(path.key, int):
            assert path.prev is not None
            path = path.prev
        field_def, nodes, parent = field
        return self.executor.build_resolve_info(field_def, nodes, parent, path)

    def later(
        self, value: Awaitable[Any], complete: Complete, target: Any, slot: Any, path: Path
    ) -> None:
        self.pending.append(_Later(value, complete, target, slot, path))

    async def settle(self) -> None:
        """Await what the resolvers left pending, wave after wave: the loads of one wave
        start together, so their DataLoaders batch as graphql-core's would."""
        while self.pending:
            wave, self.pending = self.pending, []
            values = await asyncio.gather(*(p.value for p in wave), return_exceptions=True)
            for later, value in zip(wave, values, strict=True):
                if isinstance(value, BaseException):
                    raise Unplanned from value
                later.target[later.slot] = later.complete(self, value, later.path)

    def drop(self) -> None:
        """Close the coroutines left pending, so that none is left never awaited. Futures
        are left alone: a DataLoader's may be shared with the run that follows."""
        for later in self.pending:
            if inspect.iscoroutine(later.value):
                later.value.close()
        self.pending = []


_plans: OrderedDict[tuple[int, int], tuple[Any, OperationDefinitionNode, ObjectStep | None]] = (
    OrderedDict()
)


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, running plain queries from a plan (module docstring)."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        if serially or self.abort_signal is not None or not self._plain_middleware():
            return super().execute_operation(serially)
        plan = self._plan()
        if plan is None:
            return super().execute_operation(serially)
        run = _Run(self)
        try:
            data = run.object(plan, self.root_value, None)
        except Exception:
            run.drop()
            return super().execute_operation(serially)
        if not run.pending:
            return self.build_response(data)
        return self._settle(run, data, serially)

    async def _settle(self, run: _Run, data: dict[str, Any], serially: bool | None) -> Any:
        try:
            await run.settle()
        except Exception:
            run.drop()
            result = super().execute_operation(serially)
            return await result if self.is_awaitable(result) else result
        return self.build_response(data)

    def _plain_middleware(self) -> bool:
        manager = self.middleware_manager
        return manager is None or manager.get_field_resolver(_probe) is _probe

    def _plan(self) -> ObjectStep | None:
        key = (id(self.schema), id(self.operation))
        kept = _plans.get(key)
        if kept is not None and kept[0] is self.schema and kept[1] is self.operation:
            _plans.move_to_end(key)
            return kept[2]
        try:
            plan = _Planner(self).root()
        except Exception:
            plan = None  # whatever the planner trips on, graphql-core knows how to answer
        _plans[key] = (self.schema, self.operation, plan)
        if len(_plans) > PLANS_KEPT:
            _plans.popitem(last=False)
        return plan


def _probe(source: Any, info: Any, **args: Any) -> Any:  # pragma: no cover - never called
    return None


__all__: Sequence[str] = ("PLANS_KEPT", "PlannedExecutor")
