"""Excel in: the campaign office's workbook (企业名录, 活动记录, 问题台账, 成果) into a ledger.

:func:`import_workbook` reads a workbook in the layout of
:mod:`campaignkit.workbook.sheets` and merges it into a *base* ledger, which
holds what a sheet cannot (the campaign, regions, working groups and teams).
Nothing is written: the result holds the merged ledger and every change, record by
record (:mod:`campaignkit.workbook.changes`), so the import is its own dry run.
The rules:

- **A row changes an existing record only when it names it**: by its id (企业编号,
  活动编号, 问题编号, 成果编号) — the row then updates that record — or, for an
  enterprise, by its 统一社会信用代码, the enterprise's own legal identity (blank
  cells of a row that names an enterprise by its code alone keep what the ledger has).
  Records without a row are **kept**.
- **A column the sheet does not have changes nothing**: a record a row names keeps what
  the ledger has there (the cell :func:`~campaignkit.workbook.sheets.record_row` gives
  stands in for it); a new record has nothing there.
- **A row without an id adds a record** whose id cannot be one of the base's: the
  prefix (``A`` activities, ``Q`` issues, ``O`` outcomes) and the highest number the
  base and the workbook's own ids give that prefix plus the row's 序号 — a second batch
  whose 序号 starts at 1 again gets ``Q-0007`` … after the first batch's ``Q-0001`` to
  ``Q-0006``, never overwriting them. A new enterprise's id is its code. A row
  without an id that repeats a record of the base (an issue with the same category,
  description, channel, date and enterprise; an activity or outcome the same in
  every column) is refused as looking imported already: write the id to update it.
- An issue row's handling columns describe where the issue stands now; the
  events needed to get there are **appended** to its history
  (:mod:`campaignkit.workbook.history`); a blank handling cell keeps what the
  ledger has. A row that agrees with the ledger changes nothing.
- An enterprise named in 问题台账 by a code found nowhere is added to the
  enterprise list (with 企业名称 and 所在县区 from the row).
- Masked values (``138****5678``, ``张*``) equal to the mask of what the base
  holds keep the base's value, so a report exported with masking imports
  back without losing data.
- An outcome's parties (参与方) are not in the sheet: an updated outcome keeps its own.

Every problem of the workbook is collected in one pass, located as ``问题台账!C7``
(sheet, column, row), ordered by place and raised together in one
:class:`~campaignkit.errors.LedgerError`: unknown or misspelt sheet and column names,
missing columns, merged cells, formulas, bad values (worded in Chinese by default,
in English with ``lang="en"`` on the problems), and the ledger checks of the merged
result mapped back to their cells. A structural problem does not hide the rows'
problems: the rows are read with the columns that are there.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from campaignkit.derive.views import Deriver
from campaignkit.errors import LedgerError, Problem, TransitionError
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.i18n.catalogue import Phrase, noun, os_error
from campaignkit.io import atomic_write, validate
from campaignkit.ledgerfile.reading import limit_of, refuse_if_larger
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import (
    Activity,
    Contact,
    Enterprise,
    Issue,
    Outcome,
    OutcomeStatus,
    Satisfaction,
)
from campaignkit.model.units import exact
from campaignkit.model.uscc import uscc_fault
from campaignkit.report.safety import (
    mask_email,
    mask_name,
    mask_phone,
    mask_text,
    neutralise_cell,
    xml_safe,
)
from campaignkit.rules.records import CampaignType, Kind, Label
from campaignkit.workbook.cells import CellError, parse_cell
from campaignkit.workbook.changes import SECTIONS, ChangeKind, RecordChange, field_changes
from campaignkit.workbook.history import PlanError, event_words, plan
from campaignkit.workbook.sheets import (
    ACTIVITIES,
    ENTERPRISES,
    ISSUES,
    OUTCOMES,
    RATING_LABELS,
    RECORD_SHEETS,
    REPORT_SHEETS,
    STATUS_LABELS,
    Handling,
    SheetColumn,
    SheetLayout,
    fit_cell,
    handling,
    layouts,
    looks_cut,
    parse_limit,
    record_row,
)
from campaignkit.workbook.xlsx import require_openpyxl, template_workbook

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["ID_PREFIXES", "ImportResult", "import_workbook", "write_template"]

Progress = Callable[[int, int], None]
"""Called as ``progress(rows_done, rows_total)`` while rows are read."""

ID_PREFIXES = {"activities": "A", "issues": "Q", "outcomes": "O"}
"""The prefix of the ids made for rows without one (``Q-0007``); see the module doc."""

_TRIMMED = ("id", "seq", "uscc")
_MASKED_NAME = re.compile(r"\S\*+(?: \*+)*")
_MASKED_TEXT = re.compile(r"\*{3,}[0-9]|\*\*\*@")
_PATH = re.compile(
    r"^(enterprises|activities|issues|outcomes)\[(\d+)\]"
    r"(?:\.([A-Za-z_]+)(?:\.([A-Za-z_]+))?)?"
)
_MODEL_FIELDS = {
    "enterprises": {"contact": "phone", "extra": "extra"},
    "activities": {"figures": "figure", "extra": "extra"},
    "issues": {"enterprise": "uscc", "events": "state", "extra": "extra"},
    "outcomes": {"extra": "extra"},
}
_SHEET_OF = {
    "enterprises": ENTERPRISES,
    "activities": ACTIVITIES,
    "issues": ISSUES,
    "outcomes": OUTCOMES,
}
_NOUN = {
    "enterprises": "enterprise",
    "activities": "activity",
    "issues": "issue",
    "outcomes": "outcome",
}
_ENTERPRISE_ON_ISSUE_ROW = {"name": "enterprise_name", "region": "county"}
"""The 问题台账 column of an enterprise field, for an enterprise an issue row adds."""
_LAST = (1 << 30, 0, 0)
"""Where problems of the base ledger go in the order: after the workbook's."""


@frozen
class ImportResult:
    """The merged ledger and what the import changes.

    ``changes`` lists every record a row names, in the order of the rows: added,
    updated (with the columns changed and the events appended) or unchanged. The
    counts per section (``enterprises``, ``activities``, ``issues``, ``outcomes``)
    are those of ``changes``. Nothing has been written: write ``ledger`` (with
    :func:`campaignkit.dump`) to keep it.
    """

    ledger: Ledger
    added: Mapping[str, int]
    updated: Mapping[str, int]
    unchanged: Mapping[str, int]
    events_appended: int
    changes: tuple[RecordChange, ...] = ()

    @property
    def phrase(self) -> Phrase:
        """The counts as words in either language (see :meth:`describe`)."""
        counts = [
            Phrase(
                "import.counts",
                {
                    "what": Phrase(f"section.{section}"),
                    "added": self.added.get(section, 0),
                    "updated": self.updated.get(section, 0),
                    "unchanged": self.unchanged.get(section, 0),
                },
            )
            for section in SECTIONS
        ]
        events = Phrase("import.events", {"count": self.events_appended})
        return Phrase("import.summary", {"counts": _Semicolons(counts), "events": events})

    def describe(self, lang: str = "zh") -> str:
        """One line: ``企业 新增 2、更新 1、未变 0;活动 …;问题 …;成果 …;追加办理记录 4 条``."""
        return self.phrase.text(lang)

    def listing(self, lang: str = "zh") -> list[str]:
        """One line per record a row names (:meth:`RecordChange.text`), in row order."""
        return [change.text(lang) for change in self.changes]


class _Semicolons:
    """Phrases joined by semicolons, as each language writes them."""

    def __init__(self, parts: Sequence[Phrase]) -> None:
        self.parts = parts

    def text(self, lang: str = "zh") -> str:
        return ("；" if lang == "zh" else "; ").join(p.text(lang) for p in self.parts)


@frozen
class _Row:
    sheet: str
    number: int
    values: Mapping[str, Any]
    letters: Mapping[str, str]
    """Column letter per field, for locating problems."""
    columns: Mapping[str, int]
    """Column number per field, for ordering problems."""
    quiet: frozenset[str] = frozenset()
    """Fields whose blank is reported already (merged or formula cell, missing column)."""
    absent: frozenset[str] = frozenset()
    """Fields without a column in the sheet: the ledger's value stays (see ``value``)."""

    def where(self, field: str | None = None) -> str:
        if field is not None and field in self.letters:
            return f"{self.sheet}!{self.letters[field]}{self.number}"
        return f"{self.sheet}!{self.number}:{self.number}"


class _Importer:
    def __init__(
        self,
        base: Ledger,
        ctype: CampaignType,
        source: str,
        base_source: str | None,
        progress: Progress | None,
    ) -> None:
        self.base = base
        self.ctype = ctype
        self.source = source
        self.base_source = base_source
        self.progress = progress
        self.layouts = layouts(ctype)
        self.headers = {
            section: {c.field: c.header for c in self.layouts[sheet].columns}
            for section, sheet in _SHEET_OF.items()
        }
        self.problems: list[tuple[tuple[int, int, int], Problem]] = []
        self.reported: set[str] = set()
        """Cells with a problem already (a ledger check there says nothing new)."""
        self.ranks: dict[str, int] = {}
        """Position of each sheet in the workbook, for ordering problems."""
        self.done = 0
        self.total = 0
        self.origin: dict[tuple[str, str], _Row] = {}
        """(section, record id) → the row it came from."""
        self.changes: list[RecordChange] = []
        self.events = 0
        self.left_out: set[str] = set()
        """Ids of records whose rows have problems: the merged ledger lacks them, so a
        reference to one is not a problem of its own."""
        self.enterprises: dict[str, Enterprise] = {}
        self.lookup: dict[str, list[str]] = {}
        """Enterprise ids by name, code and id (what a row may name an enterprise by)."""
        self.failed: dict[str, str] = {}
        """The same for enterprises whose rows have problems."""
        for e in base.enterprises:
            self.put_enterprise(e)
        self.activities: dict[str, Activity] = {a.id: a for a in base.activities}
        self.issues: dict[str, Issue] = {i.id: i for i in base.issues}
        self.outcomes: dict[str, Outcome] = {o.id: o for o in base.outcomes}
        self.choices = {
            (a.record, a.name): [
                Kind(c, _label(a.choice_label(c, "zh"), a.choice_label(c, "en"))) for c in a.choices
            ]
            for a in ctype.extra_attributes
        }
        """The choices of each extra attribute, with their labels."""
        self.regions = _names((r.name, r.code) for r in base.regions)
        self.teams = _names((t.name, t.id) for t in base.teams)
        self._order: dict[str, int] | None = None
        self._kept: dict[tuple[str, int], Mapping[str, Any]] = {}
        """The cells standing for a sheet's absent columns, per (sheet, row number)."""

    def order(self, ident: str) -> int:
        """Position of an enterprise in the merged list (for stable messages)."""
        if self._order is None or ident not in self._order:
            self._order = {e: i for i, e in enumerate(self.enterprises)}
        return self._order[ident]

    # -- problems ------------------------------------------------------------------
    def problem(
        self, where: str, code: str, *, at: tuple[int, int, int] = (-1, 0, 0), **args: object
    ) -> None:
        self.problems.append((at, Problem.of(code, where, source=self.source, **args)))
        self.reported.add(where)

    def at(self, sheet: str, row: int = 0, column: int = 0) -> tuple[int, int, int]:
        return (self.ranks.get(sheet, len(self.ranks)), row, column)

    def cell_problem(self, row: _Row, field: str, inner: Phrase) -> None:
        header = self.layouts[row.sheet].by_field(field).header
        self.problem(
            row.where(field),
            "labelled",
            at=self.at(row.sheet, row.number, row.columns.get(field, 0)),
            label=header,
            inner=inner,
        )

    # -- reading -------------------------------------------------------------------
    def read_sheet(self, ws: Worksheet, layout: SheetLayout) -> list[_Row]:
        """The sheet's rows, by the columns it has; every structural problem reported
        (unknown, repeated and missing columns, merged cells, formulas) without
        hiding the rows' own problems."""
        from openpyxl.utils import get_column_letter

        name = ws.title
        covered: dict[int, set[int]] = {}
        """Row → columns of cells that a merged range hides (all but its first)."""
        for merged in ws.merged_cells.ranges:
            self.problem(
                f"{name}!{merged.coord}",
                "merged-cells",
                at=self.at(name, merged.min_row, merged.min_col),
            )
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col):
                        covered.setdefault(r, set()).add(c)
        by_header = {c.header: c for c in layout.columns}
        fields: dict[int, SheetColumn] = {}
        headed: set[int] = set()
        """Columns with a header (known or not): their values are not "without header"."""
        seen: dict[str, str] = {}
        width = ws.max_column
        for col in range(1, width + 1):
            letter = get_column_letter(col)
            raw = ws.cell(row=1, column=col).value
            text = str(raw).strip() if raw is not None else ""
            if col in covered.get(1, ()):  # a header a merge hides: reported with the merge
                headed.add(col)
                continue
            if not text:
                continue
            headed.add(col)
            where = f"{name}!{letter}1"
            column = by_header.get(text)
            if column is None:
                near = difflib.get_close_matches(text, by_header, n=1)
                columns = "、".join(layout.headers)
                if near:
                    self.problem(
                        where,
                        "unknown-column-near",
                        at=self.at(name, 1, col),
                        column=text,
                        near=near[0],
                        columns=columns,
                    )
                else:
                    self.problem(
                        where,
                        "unknown-column",
                        at=self.at(name, 1, col),
                        column=text,
                        columns=columns,
                    )
                continue
            if text in seen:
                self.problem(
                    where,
                    "column-again",
                    at=self.at(name, 1, col),
                    column=text,
                    first=f"{seen[text]}1",
                )
                continue
            seen[text] = letter
            fields[col] = column
        missing = frozenset(c.field for c in layout.columns if c.header not in seen)
        for column in layout.columns:
            if column.required and column.header not in seen:
                self.problem(
                    f"{name}!1:1", "missing-column", at=self.at(name, 1, 0), column=column.header
                )
        letters = {c.field: get_column_letter(col) for col, c in fields.items()}
        numbers = {c.field: col for col, c in fields.items()}
        rows: list[_Row] = []
        for number, cells in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
            self.tick()
            values: dict[str, Any] = {}
            quiet = set(missing)
            hidden = covered.get(number, set())
            blank = True  # a row of cells a merge hides alone is no row
            for col, cell in enumerate(cells, start=1):
                column = fields.get(col)
                if col in hidden:
                    if column is not None:
                        quiet.add(column.field)
                    continue
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                blank = False
                where = f"{name}!{cell.coordinate}"
                if isinstance(value, dt_time | timedelta) and cell.data_type != "f":
                    # a time of day or a duration (a cell formatted as time): no column's kind
                    shown_time = str(value)[:40]
                    at = self.at(name, number, col)
                    self.problem(where, "cell-is-time", at=at, value=shown_time)
                    if column is not None:
                        quiet.add(column.field)
                    continue
                if cell.data_type == "f" or not isinstance(
                    value, (str, int, float, datetime, date, bool)
                ):
                    formula = str(getattr(value, "text", value))[:40]
                    self.problem(where, "formula", at=self.at(name, number, col), formula=formula)
                    if column is not None:
                        quiet.add(column.field)
                    continue
                if column is None:
                    if col not in headed:
                        self.problem(where, "value-without-header", at=self.at(name, number, col))
                    continue
                values[column.field] = value
            if not blank:
                rows.append(_Row(name, number, values, letters, numbers, frozenset(quiet), missing))
        return rows

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    # -- cell values ---------------------------------------------------------------
    def value(self, row: _Row, field: str, *, required: bool = False) -> Any:
        """The cell of ``field`` read as its column's kind (None when blank). A column the
        sheet does not have stands for the ledger's value of the record the row names (the
        cell :func:`record_row` gives), and for nothing on a row adding a record."""
        column = self.layouts[row.sheet].by_field(field)
        raw = row.values.get(field)
        if raw is None and field in row.absent:
            raw = self.kept(row).get(field)
        if raw is None:
            if (required or column.required) and field not in row.quiet:
                self.cell_problem(row, field, Phrase("required"))
            return None
        trim = field in _TRIMMED or column.choices is not None
        try:
            return parse_cell(raw, column.kind, trim=trim, units=column.units)
        except CellError as exc:
            self.cell_problem(row, field, exc.phrase)
            return None

    def kept(self, row: _Row) -> Mapping[str, Any]:
        """The cells of the record the row names, as the export writes them (text as a
        cell holds it); empty when the row names none (a new record). Never its 序号 or id:
        how the row names a record is the row's own."""
        key = (row.sheet, row.number)
        found = self._kept.get(key)
        if found is None:
            record = self.named_record(row)
            cells = record_row(self.base, self.ctype, record, self.enterprises) if record else {}
            found = self._kept[key] = {
                f: neutralise_cell(v) if isinstance(v, str) else v
                for f, v in cells.items()
                if f not in ("seq", "id")
            }
        return found

    def named_record(self, row: _Row) -> Enterprise | Activity | Issue | Outcome | None:
        """The record of the merged ledger a row names: by its id, or (an enterprise) by
        its 统一社会信用代码; None for a row adding one."""
        ident = _cell_text(row.values.get("id"))
        sections: dict[str, Mapping[str, Enterprise | Activity | Issue | Outcome]] = {
            ENTERPRISES: self.enterprises,
            ACTIVITIES: self.activities,
            ISSUES: self.issues,
            OUTCOMES: self.outcomes,
        }
        records = sections[row.sheet]
        if ident is not None:
            return records.get(ident)
        if row.sheet != ENTERPRISES:
            return None
        uscc = _cell_text(row.values.get("uscc"))
        if uscc is None:
            return None
        uscc = uscc.upper()
        return next(
            (
                self.enterprises[i]
                for i in self.lookup.get(uscc, ())
                if self.enterprises[i].uscc == uscc
            ),
            None,
        )

    def choice(self, row: _Row, field: str, kinds: Sequence[Kind], what: str) -> str | None:
        text = self.value(row, field)
        if text is None:
            return None
        found = _match_kind(str(text), kinds)
        if found is None:
            labels = "、".join(k.label.zh for k in kinds)
            self.cell_problem(
                row,
                field,
                Phrase("unknown-choice", {"what": noun(what), "key": text, "choices": labels}),
            )
        return found

    def region(self, row: _Row, field: str, *, required: bool = False) -> str | None:
        text = self.value(row, field, required=required)
        if text is None:
            return None
        if str(text) in self.base.region_index:  # a code: how a sheet names a shared name
            return str(text)
        codes = self.regions.get(str(text))
        if not codes:
            self.cell_problem(
                row, field, Phrase("unknown-in-base", {"what": noun("region"), "key": text})
            )
            return None
        if len(codes) > 1:
            self.cell_problem(
                row,
                field,
                Phrase(
                    "ambiguous",
                    {"what": noun("region name"), "key": text, "candidates": ", ".join(codes)},
                ),
            )
            return None
        return codes[0]

    def team(self, row: _Row) -> str | None:
        text = self.value(row, "team")
        if text is None:
            return None
        if str(text) in self.base.team_index:  # an id: how a sheet names a shared name
            return str(text)
        ids = self.teams.get(str(text))
        if ids and len(ids) == 1:
            return ids[0]
        if ids:
            self.cell_problem(
                row,
                "team",
                Phrase(
                    "ambiguous",
                    {"what": noun("team name"), "key": text, "candidates": self.team_names(ids)},
                ),
            )
            return None
        self.cell_problem(
            row, "team", Phrase("unknown-in-base", {"what": noun("team"), "key": text})
        )
        return None

    def team_names(self, ids: Sequence[str]) -> str:
        """The teams sharing a name, by id and working group: ``T1 (第七工作组), T6 (…)``."""
        group = {t.id: g.name for g in self.base.work_groups for t in g.teams}
        return ", ".join(f"{i} ({group[i]})" if group.get(i) else i for i in ids)

    def extras(
        self, row: _Row, record: str, old: Mapping[str, Any], *, keep_blank: bool = False
    ) -> dict[str, Any]:
        """The extra attributes of a row; a blank cell removes the attribute, unless
        ``keep_blank`` (a row that names an enterprise by its code alone)."""
        out = dict(old)
        for a in self.ctype.extra_attributes:
            if a.record != record:
                continue
            field = f"extra:{a.name}"
            value = self.value(row, field)
            if value is None:
                if not keep_blank:
                    out.pop(a.name, None)
                continue
            if a.choices:
                key = _match_kind(str(value), self.choices[(a.record, a.name)])
                if key is None:
                    shown = "、".join(a.choice_label(c) for c in a.choices)
                    self.cell_problem(
                        row,
                        field,
                        Phrase("expected-one-of", {"choices": shown, "got": repr(str(value))}),
                    )
                    continue
                value = key
            if a.type == "decimal":
                value = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
            elif a.type == "date":
                value = value.isoformat()
            elif a.type == "str":
                value = str(value)
                kept = old.get(a.name)
                if looks_cut(value):  # cut by the export: the ledger's whole text stays
                    if not (isinstance(kept, str) and _cut_of(value, kept, mask_text)):
                        self.cell_problem(row, field, Phrase("cut-text"))
                    if kept is not None:
                        out[a.name] = kept
                    continue
            out[a.name] = value
        return out

    def seq_ids(
        self, rows: Sequence[_Row], existing: Iterable[str], prefix: str
    ) -> tuple[dict[int, str], set[int]]:
        """Record id per row number, and the rows whose id cell names one.

        A blank id is made from ``prefix``: the highest number the base's ids and the
        sheet's own give the prefix (``Q-0006``: 6), plus the row's 序号. Duplicate
        序号 and ids are reported.
        """
        given: dict[int, str] = {}
        seq_of: dict[int, int] = {}
        seqs: dict[int, int] = {}
        for row in rows:
            seq = self.value(row, "seq")
            if isinstance(seq, int):
                if seq in seqs:
                    self.cell_problem(
                        row, "seq", Phrase("again-in-row", {"key": seq, "row": seqs[seq]})
                    )
                seqs.setdefault(seq, row.number)
                seq_of[row.number] = seq
            ident = self.value(row, "id")
            if ident is not None:
                given[row.number] = str(ident)
        offset = 0
        if prefix:
            pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
            for ident in (*existing, *given.values()):
                m = pattern.fullmatch(ident)
                if m is not None:
                    offset = max(offset, int(m.group(1)))
        ids: dict[int, str] = {}
        seen: dict[str, int] = {}
        for row in rows:
            ident = given.get(row.number)
            if ident is None:
                seq = seq_of.get(row.number)
                if not prefix or seq is None:
                    continue
                if seq < 1:
                    header = self.layouts[row.sheet].by_field("id").header
                    self.cell_problem(row, "seq", Phrase("seq-for-id", {"column": header}))
                    continue
                ident = f"{prefix}-{offset + seq:04d}"
            if ident in seen:
                if row.number in given:  # a made id repeats only with its 序号 (reported)
                    self.cell_problem(
                        row, "id", Phrase("again-in-row", {"key": repr(ident), "row": seen[ident]})
                    )
                continue
            seen[ident] = row.number
            ids[row.number] = ident
        return ids, set(given)

    def noted(
        self,
        section: str,
        ident: str,
        row: _Row,
        old: Enterprise | Activity | Issue | Outcome | None,
        new: Enterprise | Activity | Issue | Outcome,
    ) -> None:
        """List what the row does to the record (added, updated, unchanged)."""
        self.origin[(section, ident)] = row
        if old is None:
            self.changes.append(RecordChange(ChangeKind.ADDED, section, ident, row.where()))
            return
        if old == new:
            self.changes.append(RecordChange(ChangeKind.UNCHANGED, section, ident, row.where()))
            return
        fields = field_changes(section, old, new, self.headers[section])
        appended: tuple[Any, ...] = ()
        if isinstance(old, Issue) and isinstance(new, Issue):
            appended = new.events[len(old.events) :]
        labels = tuple(event_words(self.ctype.lifecycle, e.kind) for e in appended)
        self.changes.append(
            RecordChange(
                ChangeKind.UPDATED,
                section,
                ident,
                row.where(),
                fields,
                appended,
                labels,
            )
        )

    def repeats(
        self,
        row: _Row,
        section: str,
        key: object,
        index: Mapping[object, str],
    ) -> bool:
        """True (and reported) if a row without an id repeats a record of the base."""
        found = index.get(key)
        if found is None:
            return False
        header = self.headers[section]["id"]
        self.cell_problem(
            row,
            "id",
            Phrase(
                "already-imported",
                {
                    "what": noun(_NOUN[section]),
                    "key": found,
                    "fields": Phrase(f"same.{section}"),
                    "column": header,
                },
            ),
        )
        return True

    def leave_out(self, ident: str | None) -> None:
        if ident is not None:
            self.left_out.add(ident)

    # -- enterprises ---------------------------------------------------------------
    def read_enterprises(self, rows: Sequence[_Row]) -> None:
        ids, _ = self.seq_ids(rows, (), "")
        by_uscc = {e.uscc: e.id for e in self.enterprises.values()}
        seen: dict[str, int] = {}
        for row in rows:
            uscc = self.value(row, "uscc")
            bad = False
            if uscc is not None:
                uscc = str(uscc).upper()
                why = uscc_fault(uscc)
                if why:
                    self.cell_problem(row, "uscc", why)
                    bad = True
            given = ids.get(row.number)
            ident = given or (by_uscc.get(uscc, uscc) if uscc else None)
            name = self.value(row, "name")
            region = self.region(row, "region", required=True)
            old = self.enterprises.get(ident) if ident is not None else None
            by_code = given is None and old is not None  # named by its code: blanks keep
            classes = self.classes(row, old.classes if by_code and old else ())
            if ident is not None and ident in seen:
                field = "id" if given else "uscc"
                self.cell_problem(
                    row, field, Phrase("again-in-row", {"key": repr(ident), "row": seen[ident]})
                )
                continue
            if ident is not None:
                seen[ident] = row.number
            if old is not None and given is None and old.uscc != uscc:
                header = self.headers["enterprises"]["id"]
                self.cell_problem(
                    row,
                    "uscc",
                    Phrase(
                        "code-is-another-id", {"key": old.id, "other": old.uscc, "column": header}
                    ),
                )
                bad = True
            if ident is None or uscc is None or name is None or region is None or bad:
                self.fail_enterprise(ident, name, uscc)
                continue
            contact = self.contact(row, old.contact if old else None, keep_blank=by_code)
            industry = _text(self.value(row, "industry"))
            if industry is None and by_code and old is not None:
                industry = old.industry
            record = Enterprise(
                id=ident,
                uscc=uscc,
                name=str(name),
                region=region,
                classes=tuple(classes),
                industry=industry,
                contact=contact,
                extra=self.extras(row, "enterprise", old.extra if old else {}, keep_blank=by_code),
            )
            self.put_enterprise(record)
            by_uscc[uscc] = ident
            self.noted("enterprises", ident, row, old, record)

    def classes(self, row: _Row, blank: Sequence[str]) -> list[str]:
        """The 企业类别 keys of a row (``blank`` when the cell is)."""
        labels = self.value(row, "classes")
        if labels is None:
            return list(blank)
        classes = []
        for label in labels:
            key = _match_kind(label, self.ctype.enterprise_classes)
            if key is None:
                known = "、".join(k.label.zh for k in self.ctype.enterprise_classes)
                self.cell_problem(
                    row,
                    "classes",
                    Phrase(
                        "unknown-choice", {"what": noun("class"), "key": label, "choices": known}
                    ),
                )
            else:
                classes.append(key)
        return classes

    def fail_enterprise(self, ident: str | None, name: Any, uscc: str | None) -> None:
        """Remember an enterprise whose row has problems: a row naming it says nothing more
        (without an id or code the enterprise is known by its name alone)."""
        if ident is None:
            if name is None:
                return
            ident = str(name)
        self.leave_out(ident)
        for key in (ident, uscc, None if name is None else str(name)):
            if key is not None and key not in self.lookup:
                self.failed.setdefault(key, ident)

    def text(
        self,
        row: _Row,
        field: str,
        old: str | None,
        mask: Callable[[str], str] = mask_text,
        *,
        keep_blank: bool = False,
    ) -> str | None:
        """A free-text cell. A masked value equal to the mask of the ledger's keeps the
        ledger's; other masked personal data is refused (it would replace real data)."""
        new = _text(self.value(row, field))
        if new is None and keep_blank:
            return old
        if new is None or new == old:
            return new
        if old is not None and new == mask(old):
            return old
        if looks_cut(new):  # a text longer than a cell holds, cut by the export
            if old is not None and _cut_of(new, old, mask):
                return old
            self.cell_problem(row, field, Phrase("cut-text"))
            return old
        if _looks_masked(new, mask):
            self.cell_problem(row, field, Phrase("masked-personal-data"))
            return old
        return new

    def contact(
        self, row: _Row, old: Contact | None, *, keep_blank: bool = False
    ) -> Contact | None:
        keep = {"keep_blank": keep_blank}
        person = self.text(row, "person", old.person if old else None, mask_name, **keep)
        phone = self.text(row, "phone", old.phone if old else None, mask_phone, **keep)
        email = self.text(row, "email", old.email if old else None, mask_email, **keep)
        if person is None and phone is None and email is None:
            return old if old == Contact() else None
        return Contact(person=person, phone=phone, email=email)

    # -- activities ----------------------------------------------------------------
    def read_activities(self, rows: Sequence[_Row]) -> None:
        ids, given = self.seq_ids(rows, self.activities, ID_PREFIXES["activities"])
        index = {_activity_key(a): a.id for a in self.base.activities}
        for row in rows:
            ident = ids.get(row.number)
            kind = self.choice(row, "kind", self.ctype.activity_kinds, "activity kind")
            day = self.value(row, "date")
            old = self.activities.get(ident) if ident is not None else None
            enterprises = self.named(row, "enterprises")
            figures = {}
            for f in self.ctype.figures:
                value = self.value(row, f"figure:{f.key}")
                if value is not None:
                    figures[f.key] = value
            team = self.team(row)
            region = self.region(row, "region")
            title = self.text(row, "title", old.title if old else None)
            subject = self.text(row, "subject", old.subject if old else None)
            count = self.value(row, "enterprise_count")
            officials = self.value(row, "officials")
            notes = self.text(row, "notes", old.notes if old else None)
            extra = self.extras(row, "activity", old.extra if old else {})
            if ident is None or kind is None or day is None:
                self.leave_out(ident)
                continue
            record = Activity(
                id=ident,
                kind=kind,
                date=day,
                team=team,
                region=region,
                title=title,
                subject=subject,
                enterprises=tuple(enterprises),
                enterprise_count=count,
                officials=officials,
                figures=figures,
                notes=notes,
                extra=extra,
            )
            if row.number not in given and self.repeats(
                row, "activities", _activity_key(record), index
            ):
                self.leave_out(ident)
                continue
            self.activities[ident] = record
            self.noted("activities", ident, row, old, record)

    def named(self, row: _Row, field: str) -> list[str]:
        """The enterprises a list cell names (参加企业, 相关企业)."""
        found = []
        for name in self.value(row, field) or ():
            ident = self.find_enterprise(row, field, name)
            if ident is not None:
                found.append(ident)
        return found

    def put_enterprise(self, record: Enterprise) -> None:
        """Add or replace an enterprise, keeping the lookup index current."""
        old = self.enterprises.get(record.id)
        if old is not None:
            for key in {old.name, old.uscc, old.id}:
                self.lookup[key].remove(old.id)
        self.enterprises[record.id] = record
        for key in {record.name, record.uscc, record.id}:
            self.lookup.setdefault(key, []).append(record.id)

    def find_enterprise(self, row: _Row, field: str, text: str) -> str | None:
        matches = list(dict.fromkeys(self.lookup.get(text, ())))
        if len(matches) > 1:
            matches.sort(key=self.order)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            if text in self.failed:  # its own row has problems, reported there
                return self.failed[text]
            self.cell_problem(row, field, Phrase("unknown-enterprise-in-book", {"key": text}))
        else:
            self.cell_problem(
                row,
                field,
                Phrase(
                    "ambiguous",
                    {"what": noun("enterprise"), "key": text, "candidates": ", ".join(matches)},
                ),
            )
        return None

    # -- issues --------------------------------------------------------------------
    def issue_enterprise(self, row: _Row) -> tuple[bool, str | None]:
        """(ok, enterprise id) for an issue row; adds an enterprise for an unknown code."""
        uscc = self.value(row, "uscc")
        name = _text(self.value(row, "enterprise_name"))
        county_text = self.value(row, "county")
        if uscc is None and name is None:  # none, unless a merge or a formula hides it
            hidden = row.quiet - row.absent
            return "uscc" not in hidden and "enterprise_name" not in hidden, None
        if uscc is None:
            assert name is not None
            found = self.find_enterprise(row, "enterprise_name", name)
            return found is not None, found
        uscc = str(uscc).upper()
        why = uscc_fault(uscc)
        if why:
            self.cell_problem(row, "uscc", why)
            return False, None
        ent = next(
            (
                self.enterprises[i]
                for i in self.lookup.get(uscc, ())
                if self.enterprises[i].uscc == uscc
            ),
            None,
        )
        if ent is None and uscc in self.failed:  # its 企业名录 row has problems
            return True, self.failed[uscc]
        if ent is not None:
            ok = True
            if name is not None and name != ent.name:
                self.cell_problem(
                    row,
                    "enterprise_name",
                    Phrase("name-differs", {"name": name, "known": ent.name, "enterprise": ent.id}),
                )
                ok = False
            if county_text is not None:
                county = self.base.county_of(ent.region)
                names = {
                    self.base.region_name(county),
                    self.base.region_name(ent.region),
                    county,
                    ent.region,
                }
                if str(county_text) not in names:
                    known = self.base.region_name(county or ent.region)
                    self.cell_problem(
                        row,
                        "county",
                        Phrase(
                            "county-differs",
                            {"county": county_text, "known": known, "enterprise": ent.id},
                        ),
                    )
                    ok = False
            return ok, ent.id
        region = self.region(row, "county")
        taken = self.enterprises.get(uscc)
        if taken is not None:  # the code is the id of an enterprise with another code
            header = self.headers["enterprises"]["id"]
            self.cell_problem(
                row,
                "uscc",
                Phrase(
                    "code-is-another-id", {"key": taken.id, "other": taken.uscc, "column": header}
                ),
            )
            return False, None
        if name is None or region is None:
            if name is None:
                self.cell_problem(row, "enterprise_name", Phrase("required-for-new-code"))
            if county_text is None:
                self.cell_problem(row, "county", Phrase("required-for-new-code"))
            self.fail_enterprise(uscc, name, uscc)
            return False, None
        record = Enterprise(id=uscc, uscc=uscc, name=name, region=region)
        self.put_enterprise(record)
        self.noted("enterprises", uscc, row, None, record)
        return True, uscc

    def target(self, row: _Row, current: Handling | None) -> tuple[Handling, Handling] | None:
        """(the row with blanks filled from the ledger, the row as written)."""
        ctype = self.ctype
        level_kinds = [
            Kind(
                level,
                _label(
                    ctype.policy.level_label(level, "zh"), ctype.policy.level_label(level, "en")
                ),
            )
            for level in ctype.policy.levels
        ]
        state_kinds = [Kind(s.key, s.label) for s in ctype.lifecycle.states]
        rating_kinds = [
            Kind(r.value, _label(RATING_LABELS[r], r.value.replace("_", " "))) for r in Satisfaction
        ]
        level = self.choice(row, "level", level_kinds, "handling level")
        state = self.choice(row, "state", state_kinds, "state")
        rating_key = self.choice(row, "rating", rating_kinds, "rating")
        limit_raw = self.value(row, "limit")
        limit: Any = limit_raw
        if isinstance(limit_raw, str):
            limit = parse_limit(limit_raw)
            if limit is None:
                self.cell_problem(
                    row, "limit", Phrase("expected-date-or-workdays", {"got": repr(limit_raw)})
                )
                return None
        for field, value in (("level", level), ("state", state), ("rating", rating_key)):
            if row.values.get(field) is not None and value is None:
                return None
        old = current or Handling(state=ctype.lifecycle.initial)
        department = self.text(row, "department", old.department)
        result = self.text(row, "result", old.result)
        rating = Satisfaction(rating_key) if rating_key else None
        dates = {f: self.value(row, f) for f in ("assigned_on", "resolved_on", "visited_on")}
        written = Handling(
            state=state or ctype.lifecycle.initial,
            level=level,
            department=department,
            limit=limit,
            result=result,
            rating=rating,
            **dates,
        )
        if current is None:
            return written, written
        filled = Handling(
            state=state or old.state,
            level=level or old.level,
            department=department or old.department,
            limit=limit if limit is not None else old.limit,
            result=result or old.result,
            rating=rating or old.rating,
            assigned_on=dates["assigned_on"] or old.assigned_on,
            resolved_on=dates["resolved_on"] or old.resolved_on,
            visited_on=dates["visited_on"] or old.visited_on,
        )
        return filled, written

    def read_issues(self, rows: Sequence[_Row]) -> None:
        ids, given = self.seq_ids(rows, self.issues, ID_PREFIXES["issues"])
        index = {_issue_key(i): i.id for i in self.base.issues}
        lifecycle = self.ctype.lifecycle
        states = Deriver.of_states(lifecycle)
        for row in rows:
            ident = ids.get(row.number)
            category = self.choice(row, "category", self.ctype.issue_categories, "issue category")
            channel = self.choice(row, "channel", self.ctype.issue_channels, "issue channel")
            old = self.issues.get(ident) if ident is not None else None
            description = self.text(row, "description", old.description if old else None)
            raised = self.value(row, "raised")
            ok, enterprise = self.issue_enterprise(row)
            team = self.team(row)
            legacy = self.value(row, "legacy")
            activity = self.value(row, "activity")
            try:
                current = handling(old, lifecycle, states=states) if old else None
            except TransitionError as exc:
                self.problem(
                    row.where("state"),
                    "base-history-invalid",
                    at=self.at(row.sheet, row.number, row.columns.get("state", 0)),
                    inner=exc.phrase,
                )
                self.leave_out(ident)
                continue
            targets = self.target(row, current)
            extra = self.extras(row, "issue", old.extra if old else {})
            if (
                ident is None
                or category is None
                or channel is None
                or description is None
                or raised is None
                or targets is None
                or not ok
            ):
                self.leave_out(ident)
                continue
            target, written = targets
            base_issue = old or Issue(
                id=ident, category=category, description="", channel=channel, raised=raised
            )
            issue = attrs.evolve(
                base_issue,
                category=category,
                description=description,
                channel=channel,
                raised=raised,
                enterprise=enterprise,
                team=team,
                activity=str(activity) if activity is not None else None,
                legacy=bool(legacy),
                extra=extra,
            )
            if row.number not in given and self.repeats(row, "issues", _issue_key(issue), index):
                self.leave_out(ident)
                continue
            try:
                events = plan(
                    issue, target, lifecycle, self.ctype.policy.levels, as_written=written
                )
            except PlanError as exc:
                self.cell_problem(row, exc.field, exc.phrase)
                self.leave_out(ident)
                continue
            if events:
                issue = attrs.evolve(issue, events=(*issue.events, *events))
                self.events += len(events)
            self.issues[ident] = issue
            self.noted("issues", ident, row, old, issue)

    # -- outcomes ------------------------------------------------------------------
    def read_outcomes(self, rows: Sequence[_Row]) -> None:
        ids, given = self.seq_ids(rows, self.outcomes, ID_PREFIXES["outcomes"])
        index = {_outcome_key(o): o.id for o in self.base.outcomes}
        statuses = [Kind(s.value, _label(label, s.value)) for s, label in STATUS_LABELS.items()]
        for row in rows:
            ident = ids.get(row.number)
            kind = self.choice(row, "kind", self.ctype.outcome_kinds, "outcome kind")
            status = self.choice(row, "status", statuses, "outcome status")
            day = self.value(row, "date")
            old = self.outcomes.get(ident) if ident is not None else None
            enterprises = self.named(row, "enterprises")
            team = self.team(row)
            region = self.region(row, "region")
            title = self.text(row, "title", old.title if old else None)
            amount = self.value(row, "amount_yuan")
            land = self.value(row, "land_mu")
            activity = self.value(row, "activity")
            extra = self.extras(row, "outcome", old.extra if old else {})
            if ident is None or kind is None or status is None or day is None:
                self.leave_out(ident)
                continue
            record = Outcome(
                id=ident,
                kind=kind,
                status=OutcomeStatus(status),
                date=day,
                activity=str(activity) if activity is not None else None,
                team=team,
                title=title,
                enterprises=tuple(enterprises),
                parties=old.parties if old else (),
                amount_yuan=amount,
                land_mu=land,
                region=region,
                extra=extra,
            )
            if row.number not in given and self.repeats(
                row, "outcomes", _outcome_key(record), index
            ):
                self.leave_out(ident)
                continue
            self.outcomes[ident] = record
            self.noted("outcomes", ident, row, old, record)

    # -- result --------------------------------------------------------------------
    def ledger(self) -> Ledger:
        return self.base.replace(
            enterprises=tuple(self.enterprises.values()),
            activities=tuple(self.activities.values()),
            issues=tuple(self.issues.values()),
            outcomes=tuple(self.outcomes.values()),
        )

    def locate(self, ledger: Ledger, problems: Iterable[Problem]) -> None:
        """Add the ledger's problems, those of records that came from rows mapped back to
        their cells; a reference to a record whose row has problems is not one, and a
        cell with a problem already gets no second."""
        sections: dict[str, Sequence[Enterprise | Activity | Issue | Outcome]] = {
            "enterprises": ledger.enterprises,
            "activities": ledger.activities,
            "issues": ledger.issues,
            "outcomes": ledger.outcomes,
        }
        for p in problems:
            if p.code == "unknown-reference" and str(p.args.get("key")) in self.left_out:
                continue
            m = _PATH.match(p.path)
            row = None
            if m is not None:
                section, index = m.group(1), int(m.group(2))
                records = sections[section]
                if index < len(records):
                    row = self.origin.get((section, records[index].id))
            if row is None:
                self.problems.append((_LAST, p.located(self.base_source)))
                continue
            assert m is not None
            section = m.group(1)
            field = _MODEL_FIELDS[section].get(m.group(3) or "", m.group(3) or "")
            if section == "issues" and m.group(3) == "events" and p.code == "before-raised":
                field = "raised"  # the row's dates disagree with its 反映日期: said there
            if section == "enterprises" and row.sheet == ISSUES:  # added from an issue row
                field = _ENTERPRISE_ON_ISSUE_ROW.get(field, field)
            if field in ("figure", "extra") and m.group(4):
                field = f"{field}:{m.group(4)}"
            elif field == "extra" and isinstance(p.args.get("name"), str):  # a required one
                field = f"extra:{p.args['name']}"
            layout = self.layouts[row.sheet]
            at = self.at(row.sheet, row.number, row.columns.get(field, 0))
            try:
                header = layout.by_field(field).header
            except KeyError:
                self.problem(row.where(), "labelled", at=at, label=p.path, inner=p.phrase)
                continue
            where = row.where(field)
            if where in self.reported:
                continue
            self.problem(where, "labelled", at=at, label=header, inner=p.phrase)

    def result(self, ledger: Ledger) -> ImportResult:
        counts = {kind: Counter[str]() for kind in ChangeKind}
        for change in self.changes:
            counts[change.kind][change.section] += 1
        added, updated, unchanged = (
            {section: counts[kind][section] for section in SECTIONS}
            for kind in (ChangeKind.ADDED, ChangeKind.UPDATED, ChangeKind.UNCHANGED)
        )
        return ImportResult(ledger, added, updated, unchanged, self.events, tuple(self.changes))


def _issue_key(issue: Issue) -> object:
    """What makes a row without an id the same issue as one of the base."""
    return (issue.category, issue.description, issue.channel, issue.raised, issue.enterprise)


def _activity_key(a: Activity) -> object:
    return (
        a.kind,
        a.date,
        a.team,
        a.region,
        a.title,
        a.subject,
        a.enterprises,
        a.enterprise_count,
        a.officials,
        tuple(sorted(a.figures.items())),
        a.notes,
        tuple(sorted((k, str(v)) for k, v in a.extra.items())),
    )


def _outcome_key(o: Outcome) -> object:
    return (
        o.kind,
        o.status,
        o.date,
        o.activity,
        o.team,
        o.title,
        o.enterprises,
        o.amount_yuan,
        o.land_mu,
        o.region,
        tuple(sorted((k, str(v)) for k, v in o.extra.items())),
    )


def _label(zh: str, en: str) -> Label:
    return Label(zh, en)


def _names(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, key in pairs:
        out.setdefault(name, []).append(key)
    return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _cell_text(raw: Any) -> str | None:
    """A cell naming a record (an id, a code), as the importer reads it; None when it is
    blank or cannot be read (its own problem is reported where the cell is read)."""
    if raw is None:
        return None
    try:
        return _text(parse_cell(raw, "text", trim=True))
    except CellError:
        return None


def _cut_of(cell: str, text: str, mask: Callable[[str], str]) -> bool:
    """Whether ``cell`` is ``text`` (shown or masked) as the export cuts it to fit a cell."""
    return cell in {xml_safe(fit_cell(text)), xml_safe(fit_cell(mask(text)))}


def _looks_masked(text: str, mask: Callable[[str], str]) -> bool:
    """Whether ``text`` looks like the output of ``mask`` (personal data hidden by stars)."""
    if mask is mask_name:
        return bool(_MASKED_NAME.fullmatch(text))
    return bool(_MASKED_TEXT.search(text))


def _match_kind(text: str, kinds: Sequence[Kind]) -> str | None:
    folded = text.strip().casefold()
    for k in kinds:
        if folded == k.key.casefold():
            return k.key
    for k in kinds:
        if folded in (k.label.zh.casefold(), k.label.en.casefold()):
            return k.key
    return None


def _open(path: Path) -> Any:
    require_openpyxl()
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):  # (openpyxl would speak of an unsupported format)
            raise IsADirectoryError(str(path))
        if stat.S_ISREG(info.st_mode):  # no larger than a ledger may be (a pipe: openpyxl refuses)
            refuse_if_larger(info.st_size, limit_of(None), str(path))
        return load_workbook(path, data_only=False)
    except FileNotFoundError:
        raise LedgerError([Problem.of("no-such-file", "")], str(path)) from None
    except IsADirectoryError:
        raise LedgerError([Problem.of("workbook-is-folder", "")], str(path)) from None
    except PermissionError:
        raise LedgerError([Problem.of("permission-denied", "")], str(path)) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        code = "not-xlsx-xls" if path.suffix.lower() == ".xls" else "not-xlsx"
        why = _unreadable(exc, InvalidFileException)
        raise LedgerError([Problem.of(code, "", why=why)], str(path)) from None


def _unreadable(exc: Exception, unsupported: type[Exception]) -> Phrase:
    """Why openpyxl could not read a workbook, in the catalogue's words (in English, the
    exception as it was written)."""
    raw = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, zipfile.BadZipFile):
        return Phrase("workbook.not-zip", {"raw": raw})
    if isinstance(exc, unsupported):
        return Phrase("workbook.unsupported-extension", {"raw": raw})
    if isinstance(exc, KeyError):
        return Phrase("workbook.missing-part", {"raw": raw})
    if isinstance(exc, OSError):
        return os_error(exc)
    return Phrase("workbook.damaged", {"raw": raw})


@exact
def import_workbook(
    path: str | os.PathLike[str],
    base: Ledger,
    *,
    manager: PluginManager | None = None,
    base_source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read the workbook at ``path`` and merge its records into ``base`` (see the module doc).

    Writes nothing: the result holds the merged ledger and every change record by record
    (``ImportResult.changes``), so calling this is the dry run.

    Raises :class:`~campaignkit.errors.LedgerError` with every problem, each located as
    ``问题台账!C7`` (or by path in the base ledger, named by ``base_source``).
    """
    book = Path(path)
    pm = manager or get_plugin_manager()
    ctype = pm.campaign_type(base.campaign.type)
    wb = _open(book)
    importer = _Importer(base, ctype, str(book), base_source, progress)
    names = list(wb.sheetnames)
    importer.ranks = {name: i for i, name in enumerate(names)}
    for name in names:
        if name not in RECORD_SHEETS and name not in REPORT_SHEETS:
            near = difflib.get_close_matches(name, RECORD_SHEETS, n=1, cutoff=0.3)
            sheets = {"records": "、".join(RECORD_SHEETS), "reports": "、".join(REPORT_SHEETS)}
            at = importer.at(name)
            if near:
                importer.problem(name, "unknown-sheet-near", at=at, near=near[0], **sheets)
            else:
                importer.problem(name, "unknown-sheet", at=at, **sheets)
    if not any(n in names for n in RECORD_SHEETS):
        importer.problem("", "no-sheet", names="、".join(RECORD_SHEETS), found="、".join(names))
    worksheets = {n: wb[n] for n in RECORD_SHEETS if n in names}
    importer.total = sum(max(ws.max_row - 1, 0) for ws in worksheets.values())
    rows = {n: importer.read_sheet(ws, importer.layouts[n]) for n, ws in worksheets.items()}
    importer.read_enterprises(rows.get(ENTERPRISES, []))
    importer.read_activities(rows.get(ACTIVITIES, []))
    importer.read_issues(rows.get(ISSUES, []))
    importer.read_outcomes(rows.get(OUTCOMES, []))
    ledger = importer.ledger()
    importer.locate(ledger, validate(ledger, pm))
    if importer.problems:
        ordered = sorted(importer.problems, key=lambda found: found[0])
        raise LedgerError([p for _, p in ordered], str(book))
    return importer.result(ledger)


def write_template(
    path: str | os.PathLike[str],
    *,
    campaign_type: str = "sisong-yifu",
    base: Ledger | None = None,
    manager: PluginManager | None = None,
) -> Path:
    """Write an empty workbook in the import layout, atomically.

    With ``base`` its campaign type is used and its regions and teams fill the
    drop-down lists.
    """
    pm = manager or get_plugin_manager()
    ctype = pm.campaign_type(base.campaign.type if base is not None else campaign_type)
    return atomic_write(path, template_workbook(ctype, base))
