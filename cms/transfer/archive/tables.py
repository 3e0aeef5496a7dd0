"""Which tables an archive holds, their columns, and the order a restore fills them in.

Everything is read off the models of the ``models`` app, so a new model or field travels in
archives without a change here. Also the few helpers that name tables and parameters in SQL,
for both engines.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from tortoise import Tortoise, fields
from tortoise.fields.relational import ManyToManyFieldInstance
from tortoise.models import Model

from cms.db import MODEL_MODULES
from cms.transfer.archive.manifest import TABLES
from cms.transfer.archive.values import Column, column_for

#: The Tortoise app whose tables are exported, and the package of its migrations.
APP = "models"
MIGRATIONS = "cms.migrations"
#: Tables of the app that are not exported (see the package's docstring).
SKIPPED = frozenset({"content_change"})


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]  # sorted by name
    key: tuple[str, ...]  # the order rows are written in, and pages are read by
    references: frozenset[str]  # tables its foreign keys point to
    serial: str | None  # the generated integer primary key, whose sequence a restore moves

    @property
    def member(self) -> str:
        return f"{TABLES}{self.name}.jsonl"


def table_names() -> set[str]:
    """Names of the tables an archive holds, read off the model classes (no database needed)."""
    names: set[str] = set()
    for model in _model_classes():
        names.add(model._meta.db_table)
        for field in model._meta.fields_map.values():
            if isinstance(field, ManyToManyFieldInstance) and field.through:
                names.add(field.through)
    return names - SKIPPED


def _model_classes() -> list[type[Model]]:
    found: dict[str, type[Model]] = {}
    for module_name in MODEL_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Model)
                and value.__module__ == module_name
                and not value._meta.abstract
                and value._meta.db_table
            ):
                found[value._meta.db_table] = value
    return [found[name] for name in sorted(found)]


def plan(dialect: str) -> list[Table]:
    """Every exported table, in an order that satisfies foreign keys (referenced first)."""
    apps = Tortoise.apps
    models = apps[APP] if apps is not None and APP in apps else None
    if not models:
        raise RuntimeError("The ORM is not open: run inside cms.db.database(settings).")
    tables: dict[str, Table] = {}
    for model in models.values():
        meta = model._meta
        if meta.abstract or not meta.db_table or meta.db_table in SKIPPED:
            continue
        columns = tuple(
            sorted(
                (
                    column_for(column, meta.fields_map[name], dialect)
                    for name, column in meta.fields_db_projection.items()
                ),
                key=lambda c: c.name,
            )
        )
        references = {
            meta.fields_map[name].related_model._meta.db_table
            for name in (*meta.fk_fields, *meta.o2o_fields)
        }
        pk = meta.pk
        pk_column = meta.fields_db_projection[meta.pk_attr]
        serial = pk_column if pk.generated and isinstance(pk, fields.IntField) else None
        tables[meta.db_table] = Table(
            meta.db_table, columns, (pk_column,), frozenset(references - {meta.db_table}), serial
        )
        for field in meta.fields_map.values():
            if not isinstance(field, ManyToManyFieldInstance) or field._generated:
                continue
            related = field.related_model._meta
            ends = {
                field.backward_key: (meta.db_table, meta.pk),
                field.forward_key: (related.db_table, related.pk),
            }
            link_columns = tuple(
                column_for(column, key_field, dialect)
                for column, (_, key_field) in sorted(ends.items())
            )
            tables[field.through] = Table(
                field.through,
                link_columns,
                tuple(c.name for c in link_columns),
                frozenset(table for table, _ in ends.values()),
                None,
            )
    if set(tables) != table_names():
        raise RuntimeError("The ORM's tables differ from the models' (is the ORM open on Cinq?).")
    return _dependency_order(tables)


def _dependency_order(tables: dict[str, Table]) -> list[Table]:
    """Referenced tables before those referencing them; ties by name, for stable archives."""
    ordered: list[Table] = []
    placed: set[str] = set()
    pending = dict(sorted(tables.items()))
    while pending:
        ready = [name for name, t in pending.items() if t.references <= placed]
        if not ready:
            raise RuntimeError(f"Foreign keys form a cycle between {sorted(pending)}.")
        for name in ready:
            ordered.append(pending.pop(name))
            placed.add(name)
    return ordered


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def placeholders(dialect: str, count: int) -> list[str]:
    if dialect == "sqlite":
        return ["?"] * count
    return [f"${n}" for n in range(1, count + 1)]
