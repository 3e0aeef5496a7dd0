"""The app's operations: one per file, named after it, valid against the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, build_schema, parse, validate

from cms.admin import OPERATIONS

SCHEMA = build_schema((Path(__file__).parents[2] / "schema" / "schema.graphql").read_text())
FILES = sorted(OPERATIONS.glob("*.graphql"))


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_each_operation_is_valid_and_named_after_its_file(path: Path) -> None:
    document = parse(path.read_text(encoding="utf-8"))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert [op.name.value for op in operations if op.name] == [path.stem]
    assert len(document.definitions) == 1
    assert validate(SCHEMA, document) == []
