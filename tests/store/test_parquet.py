"""Parquet export of a store's campaign: every table, typed, read back by pyarrow and DuckDB.

The example ledger is imported into a store and exported; the files are read
back and checked against what campaignkit itself says of the ledger: the rows of
each table, the exact sum of the money, the issues' states, and each record's
JSON. A folder that holds files is refused, a failed export leaves nothing, and
``campaignkit store export --format parquet`` lists what it wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
import sqlalchemy as sa

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.model.records import Activity, Enterprise, Issue, IssueEvent, Outcome
from campaignkit.store import Store, StoreError
from campaignkit.store import tables as t
from campaignkit.store.parquet import FILES, export_parquet

pa = pytest.importorskip("pyarrow", reason="Parquet export needs pyarrow (the pandas extra)")
pq = pytest.importorskip("pyarrow.parquet")

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
SECTIONS = {
    "enterprises": Enterprise,
    "activities": Activity,
    "issues": Issue,
    "outcomes": Outcome,
}


@pytest.fixture(scope="module")
def huainan() -> ck.Workspace:
    return ck.load_workspace(HUAINAN)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The ledger file as JSON: what every ``body`` is compared with."""
    found: dict[str, Any] = json.loads(HUAINAN.read_text("utf-8"))
    return found


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, huainan: ck.Workspace
) -> tuple[Path, list[Path]]:
    """The example's folder of Parquet files (written once for this module's tests)."""
    root = tmp_path_factory.mktemp("parquet")
    with ck.open(f"sqlite:///{root}/s.db") as store:
        store.import_ledger(huainan, author="test")
        files = export_parquet(store, huainan.ledger.campaign.id, root / "out")
    return root / "out", files


def _read(folder: Path, name: str) -> dict[str, list[Any]]:
    table = pq.read_table(folder / f"{name}.parquet")
    columns: dict[str, list[Any]] = table.to_pydict()
    return columns


def _rows(folder: Path, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(folder / f"{name}.parquet").to_pylist()
    return rows


def _amounts(ledger: ck.Ledger, name: str) -> Decimal:
    return sum(
        (getattr(o, name) for o in ledger.outcomes if getattr(o, name) is not None), Decimal(0)
    )


# -- the files and their rows ----------------------------------------------------------------
def test_every_table_is_a_file_with_a_row_per_record(
    exported: tuple[Path, list[Path]], huainan: ck.Workspace
) -> None:
    folder, files = exported
    assert files == [folder / f"{name}.parquet" for name in FILES]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.parquet" for n in FILES)
    ledger = huainan.ledger
    expected = {
        "campaign": 1,
        "enterprises": len(ledger.enterprises),
        "activities": len(ledger.activities),
        "issues": len(ledger.issues),
        "events": sum(len(i.events) for i in ledger.issues),
        "outcomes": len(ledger.outcomes),
        "writes": 1,  # the import
    }
    assert {name: pq.read_metadata(folder / f"{name}.parquet").num_rows for name in FILES} == (
        expected
    )
    assert min(expected.values()) > 0


def test_rows_are_in_ledger_order(exported: tuple[Path, list[Path]], huainan: ck.Workspace) -> None:
    folder, _ = exported
    ledger = huainan.ledger
    for section in SECTIONS:
        columns = _read(folder, section)
        assert columns["id"] == [r.id for r in getattr(ledger, section)]
        assert columns["seq"] == list(range(len(columns["id"])))
    events = _read(folder, "events")
    assert list(zip(events["issue_id"], events["n"], strict=True)) == [
        (i.id, n) for i in ledger.issues for n in range(len(i.events))
    ]


def test_column_names_are_unique_and_json_columns_are_text(
    exported: tuple[Path, list[Path]],
) -> None:
    folder, _ = exported
    for name in FILES:
        schema = pq.read_schema(folder / f"{name}.parquet")
        assert len(set(schema.names)) == len(schema.names), name
    issues = pq.read_schema(folder / "issues.parquet")
    assert issues.field("extra").type == pa.string()
    assert issues.field("body").type == pa.string()


# -- typed columns ---------------------------------------------------------------------------
def test_fields_are_typed_columns(exported: tuple[Path, list[Path]]) -> None:
    folder, _ = exported
    types = {name: pq.read_schema(folder / f"{name}.parquet") for name in FILES}
    decimal = pa.decimal128(38, 6)
    assert types["outcomes"].field("amount_yuan").type == decimal
    assert types["outcomes"].field("land_mu").type == decimal
    assert types["outcomes"].field("date").type == pa.date32()
    assert types["outcomes"].field("enterprises").type == pa.list_(pa.string())
    assert types["enterprises"].field("classes").type == pa.list_(pa.string())
    assert types["activities"].field("enterprise_count").type == pa.int64()
    assert types["issues"].field("raised").type == pa.date32()
    assert types["issues"].field("legacy").type == pa.bool_()
    assert types["issues"].field("next_due").type == pa.date32()
    assert types["events"].field("day").type == pa.date32()
    assert types["events"].field("due").type == pa.date32()
    assert types["campaign"].field("period_start").type == pa.date32()
    assert types["writes"].field("at").type == pa.timestamp("us", tz="UTC")


def _as_json(value: Any, kind: Any) -> Any:
    """A column's value as the ledger JSON writes it (``kind``: the column's Arrow type)."""
    if value is None:
        return None
    if pa.types.is_date32(kind):
        return value.isoformat()
    if pa.types.is_decimal(kind):
        return value  # compared as a Decimal
    if pa.types.is_string(kind) and isinstance(value, str) and value[:1] in "[{":
        return orjson.loads(value)
    return value


def test_every_field_holds_the_records_value(
    exported: tuple[Path, list[Path]], document: dict[str, Any]
) -> None:
    folder, _ = exported
    checked = 0
    for section, cls in SECTIONS.items():
        schema = pq.read_schema(folder / f"{section}.parquet")
        fields = [f for f in attrs.fields(cls) if f.name != "events"]
        for row, record in zip(_rows(folder, section), document[section], strict=True):
            for f in fields:
                got = _as_json(row[f.name], schema.field(f.name).type)
                if f.name in record:
                    wanted = record[f.name]
                    if isinstance(got, Decimal):
                        wanted = Decimal(wanted)
                elif f.default is attrs.NOTHING:  # pragma: no cover - a required field
                    raise AssertionError(f"{section} {record['id']} lacks {f.name}")
                elif pa.types.is_list(schema.field(f.name).type):  # left out: empty
                    wanted = []
                elif isinstance(f.default, tuple | dict):  # a nested value left out: none
                    wanted = None
                else:  # its default: false, no value
                    wanted = f.default
                assert got == wanted, (section, record["id"], f.name)
                checked += 1
    assert checked > 10_000


def test_event_fields_hold_the_events_values(
    exported: tuple[Path, list[Path]], document: dict[str, Any]
) -> None:
    folder, _ = exported
    schema = pq.read_schema(folder / "events.parquet")
    events = [e for issue in document["issues"] for e in issue.get("events", [])]
    rows = _rows(folder, "events")
    assert len(rows) == len(events)
    names = [f.name for f in attrs.fields(IssueEvent) if f.name != "date"]
    for row, event in zip(rows, events, strict=True):
        assert row["day"].isoformat() == event["date"]
        for name in names:
            wanted = event.get(name)
            assert _as_json(row[name], schema.field(name).type) == wanted, (row["issue_id"], name)


# -- figures as campaignkit computes them ----------------------------------------------------
def test_money_and_land_sum_exactly(
    exported: tuple[Path, list[Path]], huainan: ck.Workspace
) -> None:
    folder, _ = exported
    pc = pytest.importorskip("pyarrow.compute")

    table = pq.read_table(folder / "outcomes.parquet")
    for name in ("amount_yuan", "land_mu"):
        total = pc.sum(table[name]).as_py()
        assert isinstance(total, Decimal)
        assert total == _amounts(huainan.ledger, name) > 0
        assert table[name].to_pylist() == [getattr(o, name) for o in huainan.ledger.outcomes]


def test_issue_states_are_campaignkits(
    exported: tuple[Path, list[Path]], huainan: ck.Workspace
) -> None:
    folder, _ = exported
    columns = _read(folder, "issues")
    table = ck.issue_table(huainan)
    assert columns["state"] == list(table["state"])
    assert columns["level"] == [None if pd_missing(v) else v for v in table["level"]]
    shapes = huainan.shapes()
    assert columns["state"] == [s.state for s in shapes]
    assert columns["state_kind"] == [s.kind.value for s in shapes]
    assert columns["next_due"] == [min((m.due for m in s.running), default=None) for s in shapes]
    issues = huainan.ledger.issues
    assert columns["events"] == [len(i.events) for i in issues]
    assert columns["last_day"] == [i.events[-1].date if i.events else i.raised for i in issues]
    assert len(set(columns["state"])) > 2


def pd_missing(value: Any) -> bool:
    return value is None or value != value  # pandas leaves NaN where there is no level


def test_duckdb_reads_the_same_figures(
    exported: tuple[Path, list[Path]], huainan: ck.Workspace
) -> None:
    duckdb = pytest.importorskip("duckdb")
    folder, _ = exported
    ledger = huainan.ledger

    def one(sql: str) -> Any:
        return duckdb.sql(sql).fetchall()[0][0]

    for section in SECTIONS:
        count = one(f"select count(*) from read_parquet('{folder}/{section}.parquet')")
        assert count == len(getattr(ledger, section))
    assert one(f"select count(*) from '{folder}/events.parquet'") == sum(
        len(i.events) for i in ledger.issues
    )
    assert one(f"select sum(amount_yuan) from '{folder}/outcomes.parquet'") == _amounts(
        ledger, "amount_yuan"
    )
    assert one(f"select typeof(sum(land_mu)) from '{folder}/outcomes.parquet'") == "DECIMAL(38,6)"
    states = duckdb.sql(
        f"SELECT state, count(*) FROM '{folder}/issues.parquet' GROUP BY state"
    ).fetchall()
    assert dict(states) == Counter(ck.issue_table(huainan)["state"])
    # the lists are lists, the dates dates, and events join their issues
    specialised = one(
        f"select count(*) from '{folder}/enterprises.parquet' "
        "where list_contains(classes, 'specialized')"
    )
    assert specialised == sum("specialized" in e.classes for e in ledger.enterprises)
    first = one(f"select min(day) from '{folder}/events.parquet'")
    assert first == min(e.date for i in ledger.issues for e in i.events)
    joined = one(
        f"select count(*) from '{folder}/events.parquet' e "
        f"join '{folder}/issues.parquet' i on i.id = e.issue_id where e.kind = 'resolved'"
    )
    assert joined == sum(e.kind == "resolved" for i in ledger.issues for e in i.events)


# -- nothing lost ----------------------------------------------------------------------------
def test_body_is_the_records_json(
    exported: tuple[Path, list[Path]], document: dict[str, Any]
) -> None:
    folder, _ = exported
    for section in ("enterprises", "activities", "outcomes"):
        bodies = [orjson.loads(b) for b in _read(folder, section)["body"]]
        assert bodies == document[section], section
    # an issue's body is its object of the ledger, history included; events.parquet
    # holds the same events, one row each
    issues = [orjson.loads(b) for b in _read(folder, "issues")["body"]]
    assert issues == document["issues"]
    columns = _read(folder, "events")
    events = [orjson.loads(b) for b in columns["body"]]
    assert events == [e for i in document["issues"] for e in i.get("events", [])]
    header = orjson.loads(_read(folder, "campaign")["header"][0])
    assert header == {k: document[k] for k in ("campaign", "regions", "work_groups")}


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    return dict(sorted(record.items()))


def test_the_campaign_row(exported: tuple[Path, list[Path]], huainan: ck.Workspace) -> None:
    folder, _ = exported
    (row,) = _rows(folder, "campaign")
    campaign = huainan.ledger.campaign
    assert (row["id"], row["type"], row["name"]) == (campaign.id, campaign.type, campaign.name)
    assert (row["period_start"], row["period_end"]) == (campaign.period.start, campaign.period.end)
    assert row["report_date"] == campaign.report_date
    assert row["rules"] == list(campaign.rules)
    assert row["derived_with"].startswith(f"{campaign.type}:")
    (write,) = _rows(folder, "writes")
    assert (write["action"], write["author"]) == ("import", "test")
    assert write["at"].utcoffset() == dt.timedelta(0)
    assert dt.timedelta(0) <= write["at"] - row["created_at"] < dt.timedelta(minutes=1)


_WRITTEN_AT = {"campaign": ("created_at", "changed_at"), "writes": ("at",)}
"""The columns that say when something was written: a second import has its own times."""


def test_every_backend_exports_the_same_tables(
    store_url: str,
    tmp_path: Path,
    huainan: ck.Workspace,
    exported: tuple[Path, list[Path]],
) -> None:
    with ck.open(store_url) as store:
        store.import_ledger(huainan, author="test")
        export_parquet(store, huainan.ledger.campaign.id, tmp_path / "out")
    folder, _ = exported
    for name in FILES:
        mine = pq.read_table(tmp_path / "out" / f"{name}.parquet")
        theirs = pq.read_table(folder / f"{name}.parquet")
        assert mine.schema == theirs.schema, name
        left_out = _WRITTEN_AT.get(name, ())
        assert mine.drop_columns(list(left_out)) == theirs.drop_columns(list(left_out)), name


# -- refusals and failures -------------------------------------------------------------------
@pytest.fixture
def store(tmp_path: Path, huainan: ck.Workspace) -> Any:
    with ck.open(f"sqlite:///{tmp_path}/s.db") as s:
        s.import_ledger(huainan, author="test")
        yield s


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "s.db" and "s.db-" not in p.name)


def test_a_folder_that_holds_files_is_refused_untouched(
    store: Store, tmp_path: Path, huainan: ck.Workspace
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(StoreError, match="not an empty folder") as refused:
        export_parquet(store, huainan.ledger.campaign.id, target)
    assert "nothing was written" in str(refused.value)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text("utf-8") == "mine"
    assert _siblings(tmp_path) == ["out"]  # no temporary folder left behind
    a_file = tmp_path / "a-file"
    a_file.write_text("x", "utf-8")
    with pytest.raises(StoreError, match="not an empty folder"):
        export_parquet(store, huainan.ledger.campaign.id, a_file)
    assert a_file.read_text("utf-8") == "x"


def test_an_empty_folder_is_filled(store: Store, tmp_path: Path, huainan: ck.Workspace) -> None:
    target = tmp_path / "out"
    target.mkdir()
    files = export_parquet(store, huainan.ledger.campaign.id, str(target))
    assert [p.parent for p in files] == [target] * len(FILES)
    assert all(p.is_file() for p in files)
    assert _siblings(tmp_path) == ["out"]


def test_a_failed_export_leaves_nothing(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no campaign 'nope'"):
        export_parquet(store, "nope", tmp_path / "out")
    assert _siblings(tmp_path) == []
    with pytest.raises(StoreError, match="does not exist"):
        export_parquet(store, "nope", tmp_path / "missing" / "out")
    assert _siblings(tmp_path) == []


def test_without_pyarrow_the_error_names_the_extra(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, huainan: ck.Workspace
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match=r"pip install 'campaignkit\[pandas\]'"):
        export_parquet(store, huainan.ledger.campaign.id, tmp_path / "out")
    assert _siblings(tmp_path) == []


# -- the command line ------------------------------------------------------------------------
def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_writes_and_lists_the_files(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], huainan: ck.Workspace
) -> None:
    url = f"sqlite:///{tmp_path}/s.db"
    target = tmp_path / "out"
    argv = ("store", "export", url, "--format", "parquet", "-o", str(target))
    code, out, err = _run(capsys, *argv, "--lang", "en")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"exported {huainan.ledger.campaign.id}: {target}"
    issues = len(huainan.ledger.issues)
    assert f"  {target / 'issues.parquet'} ({issues} rows)" in lines
    assert f"  {target / 'campaign.parquet'} (1 row)" in lines
    assert len(lines) == 1 + len(FILES)
    assert pq.read_metadata(target / "issues.parquet").num_rows == issues
    # a second export into the folder is refused, in the language asked for
    code, out, err = _run(capsys, *argv)
    assert code == 1 and out == ""
    assert "它已存在且不是空文件夹" in err
    # Chinese lines, and the ledger file as before without --format
    code, out, _ = _run(capsys, *argv[:-1], str(tmp_path / "zh"))
    assert code == 0 and f"{tmp_path / 'zh' / 'issues.parquet'}（{issues} 行）" in out
    code, _, _ = _run(capsys, "store", "export", url, "-o", str(tmp_path / "l.json"))
    assert code == 0 and (tmp_path / "l.json").read_bytes() == ck.dumps(huainan.ledger)


def test_the_command_warns_of_stale_derived_columns(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], huainan: ck.Workspace
) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.update(t.campaigns).values(derived_with="another calendar"))
    url = f"sqlite:///{tmp_path}/s.db"
    code, _, err = _run(
        capsys,
        "store",
        "export",
        url,
        "--format",
        "parquet",
        "-o",
        str(tmp_path / "out"),
        "--lang",
        "en",
    )
    assert code == 0
    assert "warning: the derived columns of campaign" in err
    assert "campaignkit store rederive" in err


def test_the_command_without_pyarrow_names_the_extra(
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    url = f"sqlite:///{tmp_path}/s.db"
    code, out, err = _run(
        capsys, "store", "export", url, "--format", "parquet", "-o", str(tmp_path / "out")
    )
    assert code == 1 and out == ""
    assert "写 Parquet 文件需要 pyarrow：pip install 'campaignkit[pandas]'" in err
    assert not (tmp_path / "out").exists()


def test_an_empty_store_says_it_holds_no_campaign(sqlite_url: str, tmp_path: Path) -> None:
    with ck.open(sqlite_url) as empty:
        with pytest.raises(StoreError) as info:
            export_parquet(empty, "sisong-yifu-2020-huainan-g7", tmp_path / "out")
        assert str(info.value) == (
            "no campaign 'sisong-yifu-2020-huainan-g7': the store holds none yet "
            "(campaignkit store import puts a ledger in)"
        )
        with pytest.raises(StoreError, match="holds none yet"):
            empty.workspace("sisong-yifu-2020-huainan-g7")
