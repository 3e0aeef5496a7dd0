"""Canonical values: how each column's values are written to an archive, and read back.

The same data gives the same JSON whichever engine it was read from (SQLite stores datetimes
as text and booleans as 0/1, asyncpg returns objects), so two exports compare by their
manifests. Each field type of the models gets a pair: ``dump`` turns a value read from the
database into its canonical JSON value, ``load`` turns a JSON value back into a parameter for
the database, refusing (``TypeError``/``ValueError``) one of the wrong type.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.fields.data import CharEnumFieldInstance, IntEnumFieldInstance

from cms.transfer.archive.manifest import is_int

Dump = Callable[[Any], Any]
Load = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    name: str
    dump: Dump  # a value read from the database -> its canonical JSON value
    load: Load  # a JSON value -> a parameter for the database


def column_for(name: str, field: fields.Field, dialect: str) -> Column:
    """How one column's values are made canonical, and turned back into parameters."""
    if isinstance(field, fields.DatetimeField):
        return Column(
            name, _dump_datetime, _load_datetime_sqlite if dialect == "sqlite" else _load_datetime
        )
    if isinstance(field, fields.DateField):
        return Column(name, _dump_date, date.fromisoformat if dialect != "sqlite" else _text)
    if isinstance(field, fields.BooleanField):
        return Column(name, bool, _load_bool)
    if isinstance(field, fields.JSONField):
        encoder = field.encoder

        def load_json(value: Any) -> str:
            return encoder(value)

        return Column(name, _dump_json, load_json)
    if isinstance(field, CharEnumFieldInstance):
        return Column(name, _dump_enum, _text)
    if isinstance(field, IntEnumFieldInstance):
        return Column(name, _dump_int_enum, _load_int)
    if isinstance(field, fields.DecimalField):
        return Column(name, _dump_decimal, Decimal if dialect != "sqlite" else _text)
    if isinstance(field, fields.FloatField):
        return Column(name, float, _load_float)
    if isinstance(field, fields.IntField | fields.TimeDeltaField):
        return Column(name, int, _load_int)
    if isinstance(field, fields.UUIDField):
        return Column(name, _dump_uuid, uuid.UUID if dialect != "sqlite" else _text)
    if isinstance(field, fields.BinaryField):
        return Column(name, _dump_binary, bytes.fromhex)
    return Column(name, str, _text)


def _dump_datetime(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # Cinq's time zone: naive values were written in UTC
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _load_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(_text(value))
    if parsed.tzinfo is None:
        raise ValueError("a datetime without a time zone")
    return parsed.astimezone(UTC)


def _load_datetime_sqlite(value: Any) -> str:
    # The text Tortoise itself stores, so text comparisons in SQL keep working.
    return _load_datetime(value).isoformat(" ")


def _dump_date(value: Any) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _dump_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _dump_enum(value: Any) -> str:
    return str(value.value if isinstance(value, Enum) else value)


def _dump_int_enum(value: Any) -> int:
    return int(value.value if isinstance(value, Enum) else value)


def _dump_decimal(value: Any) -> str:
    return str(Decimal(str(value)))


def _dump_uuid(value: Any) -> str:
    return str(uuid.UUID(str(value)))


def _dump_binary(value: Any) -> str:
    return bytes(value).hex()


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _load_int(value: Any) -> int:
    if not is_int(value):
        raise TypeError("expected an integer")
    return value


def _load_float(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("expected a number")
    return float(value)


def _load_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected true or false")
    return value
