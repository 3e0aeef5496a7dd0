"""What the client selected below the current field, read from the operation's AST.

Resolvers of lists use it to start loading, for a whole page at once, what the page's objects
are asked for, before the objects themselves ask. It is a hint and never decides an answer:
every field loads what it needs itself, whatever path reached it. Fragments are followed;
``@skip``/``@include`` are ignored, which can only make a resolver load something it then
does not show.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

from cms.graphql.context import Info


def selected(info: Info, *path: str) -> set[str]:
    """Names of the fields selected at ``path`` below the field being resolved.

    ``selected(info, "edges", "node")`` on a connection gives the fields asked of its nodes.
    """
    raw = info._raw_info
    fragments = raw.fragments
    nodes: list[FieldNode] = list(raw.field_nodes)
    for name in path:
        nodes = [
            f
            for node in nodes
            for f in _fields(node.selection_set, fragments)
            if f.name.value == name
        ]
    return {f.name.value for node in nodes for f in _fields(node.selection_set, fragments)}


def _fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments)
