"""A campaign of the store as Parquet files, one per table, for DuckDB, Spark or pandas.

>>> from campaignkit.store.parquet import export_parquet
>>> export_parquet(store, "huainan-2020", "out")  # doctest: +SKIP
[PosixPath('out/campaign.parquet'), PosixPath('out/enterprises.parquet'), …]

:func:`export_parquet` writes ``campaign.parquet`` (one row), ``enterprises``,
``activities``, ``issues``, ``events``, ``outcomes`` and ``writes`` (``.parquet``
each), read in one transaction, so the files agree with one another. Every
top-level field of a record is a typed column, named as in the ledger: text as
strings, dates as ``date32``, counts as ``int64``, flags as booleans, money
(``amount_yuan``) and land (``land_mu``) as exact ``decimal128(38, 6)``
(:func:`~campaignkit.stats.metrics.exact_decimal_type`), lists of ids or keys
(an activity's enterprises, an enterprise's classes) as ``list<string>``; a
nested value (``extra``, ``contact``, ``parties``, an event's ``deadline``) is
its JSON text. A field a record leaves out holds its default (empty lists,
``legacy`` false, no value otherwise). Each record's own ledger JSON is kept
in ``body``, so nothing is lost (an issue's ``body`` holds its whole history;
``events.parquet`` has one row for each of those events).

Issues carry the store's derived columns beside their fields (``state``,
``state_kind``, ``level``, ``next_due``, ``last_day`` and ``events``, the
number of events in the history); events carry ``issue_id``, ``n`` (the
position in the history), ``day``, ``kind``, the event's other fields and
``write_id``, the write that appended it (``writes.parquet``). Rows are in
ledger order (events by their issue's place, then ``n``).

Needs ``pyarrow`` (the ``pandas`` extra). The files are written into a new
folder beside the target and moved into place when all are written: an export
that fails leaves nothing behind, and a folder that exists and is not empty is
refused, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import secrets
import shutil
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from campaignkit.i18n.catalogue import Phrase
from campaignkit.model.records import (
    Activity,
    Campaign,
    Enterprise,
    Issue,
    IssueEvent,
    Outcome,
    Period,
)
from campaignkit.stats.metrics import exact_decimal_type
from campaignkit.store import tables as t
from campaignkit.store.errors import missing_campaign
from campaignkit.store.store import Store, StoreError

__all__ = ["FILES", "export_parquet"]

FILES = ("campaign", "enterprises", "activities", "issues", "events", "outcomes", "writes")
"""The tables written, each as ``NAME.parquet``, in the order they are written."""

_BATCH = 20_000
"""Rows read from the database and written as one row group at a time."""

Getter = Callable[[Any, dict[str, Any]], Any]
"""A column's value, from the database row and the record's JSON object."""


@attrs.frozen
class _Column:
    name: str
    kind: str
    """One of the keys of :func:`_arrow_types`."""
    get: Getter


def _arrow_types(pa: Any) -> dict[str, Any]:
    return {
        "text": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "decimal": exact_decimal_type("Parquet export"),
        "list": pa.list_(pa.string()),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }


def _optional(tp: Any) -> Any:
    """``tp`` without ``| None``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(rest) == 1:
            return rest[0]
    return tp


def _kind(tp: Any) -> str:
    """The kind of column a field of type ``tp`` becomes (a nested value is JSON text)."""
    tp = _optional(tp)
    if tp is bool:
        return "bool"
    if tp is int:
        return "int"
    if tp is Decimal:
        return "decimal"
    if tp is dt.date:
        return "date"
    # a time of day stays the ledger's "HH:MM" text: Spark reads no Parquet TIME column
    if tp is str or tp is dt.time or (isinstance(tp, type) and issubclass(tp, enum.Enum)):
        return "text"
    if typing.get_origin(tp) is tuple and typing.get_args(tp) == (str, Ellipsis):
        return "list"
    return "json"


def _convert(kind: str, value: Any) -> Any:
    if value is None:
        return [] if kind == "list" else None
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)  # the ledger writes amounts as strings (or integers)
    if kind == "json":
        return orjson.dumps(value).decode()
    return value


def _field(key: str, kind: str, default: Any) -> Getter:
    def get(_row: Any, body: dict[str, Any]) -> Any:
        return _convert(kind, body.get(key, default))

    return get


def _period_day(key: str, end: str) -> Getter:
    def get(_row: Any, body: dict[str, Any]) -> Any:
        period = body.get(key)
        return None if period is None else dt.date.fromisoformat(period[end])

    return get


def _fields(cls: type, *, skip: Iterable[str] = ()) -> list[_Column]:
    """A column for each top-level field of the record class ``cls`` (a period as its two
    dates, ``NAME_start`` and ``NAME_end``), in the order of the class."""
    hints = typing.get_type_hints(cls)
    left_out = set(skip)
    out: list[_Column] = []
    for f in attrs.fields(cls):
        if f.name in left_out:
            continue
        tp = _optional(hints[f.name])
        if tp is Period:
            for end in ("start", "end"):
                out.append(_Column(f"{f.name}_{end}", "date", _period_day(f.name, end)))
            continue
        kind = _kind(tp)
        default = f.default
        if default is attrs.NOTHING or kind == "json" or hasattr(default, "factory"):
            default = None  # a nested value left out is no value; none is made by a factory
        out.append(_Column(f.name, kind, _field(f.name, kind, default)))
    return out


def _row(name: str, kind: str, *, then: Callable[[Any], Any] | None = None) -> _Column:
    """A column read from the database row's column ``name``."""

    def get(row: Any, _body: dict[str, Any]) -> Any:
        value = getattr(row, name)
        return value if then is None or value is None else then(value)

    return _Column(name, kind, get)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC)  # the store keeps UTC times without their zone


def _campaign_columns() -> list[_Column]:
    return [
        *_fields(Campaign),
        _row("derived_with", "text"),
        _row("created_at", "timestamp", then=_utc),
        _row("changed_at", "timestamp", then=_utc),
        _row("header", "json"),
    ]


def _record_columns(cls: type, *extra: _Column) -> list[_Column]:
    return [
        _row("campaign_id", "text"),
        _row("seq", "int"),
        *_fields(cls, skip=("events",)),
        *extra,
        _row("body", "json"),
    ]


def _issue_columns() -> list[_Column]:
    return _record_columns(
        Issue,
        _row("state", "text"),
        _row("state_kind", "text"),
        _row("level", "text"),
        _row("next_due", "date"),
        _row("last_day", "date"),
        _row("events", "int"),
    )


def _event_columns() -> list[_Column]:
    return [
        _row("campaign_id", "text"),
        _row("issue_id", "text"),
        _row("n", "int"),
        _row("day", "date"),
        _row("kind", "text"),
        *_fields(IssueEvent, skip=("kind", "date")),  # the date is ``day``
        _row("write_id", "int"),
        _row("body", "json"),
    ]


def _write_columns() -> list[_Column]:
    return [
        _row("id", "int"),
        _row("campaign_id", "text"),
        _row("at", "timestamp", then=_utc),
        _row("author", "text"),
        _row("action", "text"),
        _row("kind", "text"),
        _row("record_id", "text"),
        _row("before", "json"),
        _row("after", "json"),
    ]


def _queries(campaign: str) -> dict[str, tuple[sa.Select[Any], list[_Column], str | None]]:
    """Each file's query (in ledger order), its columns, and where a row's JSON object is:
    its ``body`` column, the campaign of the ``header``, or nowhere (writes)."""

    def records(table: sa.Table) -> sa.Select[Any]:
        wanted = [c for c in table.c if c.name != "shape"]  # the shape's codec is internal
        return sa.select(*wanted).where(table.c.campaign_id == campaign).order_by(table.c.seq)

    e, i, w = t.events.c, t.issues.c, t.writes.c
    events = (
        sa.select(e.campaign_id, e.issue_id, e.n, e.day, e.kind, e.body, e.write_id)
        .join(t.issues, sa.and_(i.campaign_id == e.campaign_id, i.id == e.issue_id))
        .where(e.campaign_id == campaign)
        .order_by(i.seq, e.n)
    )
    return {
        "campaign": (
            sa.select(t.campaigns).where(t.campaigns.c.id == campaign),
            _campaign_columns(),
            "header",
        ),
        "enterprises": (records(t.enterprises), _record_columns(Enterprise), "body"),
        "activities": (records(t.activities), _record_columns(Activity), "body"),
        "issues": (records(t.issues), _issue_columns(), "body"),
        "events": (events, _event_columns(), "body"),
        "outcomes": (records(t.outcomes), _record_columns(Outcome), "body"),
        "writes": (
            sa.select(t.writes).where(w.campaign_id == campaign).order_by(w.id),
            _write_columns(),
            None,
        ),
    }


def _object(row: Any, source: str | None) -> dict[str, Any]:
    if source is None:
        return {}
    found: dict[str, Any] = orjson.loads(getattr(row, source))
    return found["campaign"] if source == "header" else found


def _batches(
    pa: Any,
    schema: Any,
    conn: Connection,
    query: sa.Select[Any],
    columns: list[_Column],
    source: str | None,
) -> Iterator[Any]:
    """The query's rows as Arrow record batches of ``schema``, :data:`_BATCH` rows at most."""
    result = conn.execute(query.execution_options(yield_per=_BATCH))
    for part in result.partitions():
        values: list[list[Any]] = [[] for _ in columns]
        for row in part:
            body = _object(row, source)
            for found, column in zip(values, columns, strict=True):
                found.append(column.get(row, body))
        arrays = [pa.array(v, type=f.type) for v, f in zip(values, schema, strict=True)]
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _fsync(path: Path) -> None:
    with suppress(OSError):  # a folder cannot be opened for this on every system
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _import_pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ImportError(
            "Parquet export needs pyarrow: pip install 'campaignkit[pandas]'"
        ) from exc
    return pa, pq


def _refuse_taken(target: Path) -> None:
    if target.is_dir():
        with os.scandir(target) as entries:
            if next(entries, None) is None:
                return
    elif not target.exists() and not target.is_symlink():
        folder = target.parent
        if not folder.is_dir():
            raise StoreError(
                Phrase("cannot-write-no-folder", {"path": str(target), "folder": str(folder)})
            )
        return
    raise StoreError(Phrase("store-export-not-empty", {"path": str(target)}))


def export_parquet(store: Store, campaign: str, folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``campaign`` of ``store`` as Parquet files into ``folder`` (see the module);
    returns the files written, in the order of :data:`FILES`.

    ``folder`` must not exist yet, or be empty; its parent folder must exist. A folder
    that holds anything is refused (:class:`~campaignkit.store.StoreError`) and nothing
    is written. Needs ``pyarrow`` (``pip install 'campaignkit[pandas]'``).
    """
    pa, pq = _import_pyarrow()
    target = Path(folder)
    _refuse_taken(target)
    work = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    work.mkdir()
    try:
        with store.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one snapshot for every table
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                found = conn.execute(
                    sa.select(t.campaigns.c.id).where(t.campaigns.c.id == campaign)
                ).first()
                if found is None:
                    raise missing_campaign(campaign, store.campaigns())
                types_ = _arrow_types(pa)
                queries = _queries(campaign)
                for name in FILES:
                    query, columns, source = queries[name]
                    schema = pa.schema([pa.field(c.name, types_[c.kind]) for c in columns])
                    path = work / f"{name}.parquet"
                    with pq.ParquetWriter(path, schema) as writer:
                        for batch in _batches(pa, schema, conn, query, columns, source):
                            writer.write_batch(batch)
                    _fsync(path)
        _fsync(work)
        if target.is_dir():
            target.rmdir()  # empty, as checked (it fails if something came in since)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _fsync(target.parent)
    return [target / f"{name}.parquet" for name in FILES]
