"""Excel in: the campaign office's workbook (企业名录, 活动记录, 问题台账) into a ledger.

:func:`import_workbook` reads a workbook in the layout of
:mod:`campaignkit.workbook.sheets` and merges it into a *base* ledger, which
holds what a sheet cannot (the campaign, regions, working groups and teams,
outcomes). The rules:

- Records are matched by id (企业编号, 活动编号, 问题编号). A row whose id is in
  the base **updates** that record, a new id **adds** one (after the base's,
  in sheet order), and base records without a row are **kept**.
- Blank ids: an enterprise is matched by its 统一社会信用代码 (a new one gets the
  code as its id); an activity gets ``A-0001`` and an issue ``Q-0001`` from 序号.
- An issue row's handling columns describe where the issue stands now; the
  events needed to get there are **appended** to its history
  (:mod:`campaignkit.workbook.history`); a blank handling cell keeps what the
  ledger has. A row that agrees with the ledger changes nothing.
- An enterprise named in 问题台账 by a code found nowhere is added to the
  enterprise list (with 企业名称 and 所在县区 from the row).
- Masked values (``138****5678``, ``张*``) equal to the mask of what the base
  holds keep the base's value, so a report exported with masking imports
  back without losing data.

Every problem is collected, located as ``问题台账!C7`` (sheet, column, row) and
raised together in one :class:`~campaignkit.errors.LedgerError`: merged
cells, formulas, unknown or misspelt sheet and column names, bad values, and
the ledger checks of the merged result mapped back to their cells.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from campaignkit.derive.views import Deriver
from campaignkit.errors import LedgerError, Problem, TransitionError
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.i18n.catalogue import Phrase, noun
from campaignkit.io import atomic_write, validate
from campaignkit.ledgerfile.reading import limit_of, refuse_if_larger
from campaignkit.model.ledger import Ledger
from campaignkit.model.records import Activity, Contact, Enterprise, Issue, Satisfaction
from campaignkit.model.uscc import uscc_fault
from campaignkit.report.safety import mask_email, mask_name, mask_phone, mask_text, restore_cell
from campaignkit.rules.records import CampaignType, Kind
from campaignkit.workbook.history import PlanError, plan
from campaignkit.workbook.sheets import (
    ACTIVITIES,
    ENTERPRISES,
    ISSUES,
    RATING_LABELS,
    RECORD_SHEETS,
    REPORT_SHEETS,
    Handling,
    SheetColumn,
    SheetLayout,
    handling,
    layouts,
    parse_limit,
)
from campaignkit.workbook.xlsx import require_openpyxl, template_workbook

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["ImportResult", "import_workbook", "write_template"]

Progress = Callable[[int, int], None]
"""Called as ``progress(rows_done, rows_total)`` while rows are read."""

_SPLIT = re.compile(r"\s*[、,,;;]\s*")
_TRIMMED = ("id", "seq", "uscc")
_MASKED_NAME = re.compile(r"\S\*+(?: \*+)*")
_MASKED_TEXT = re.compile(r"\*{3,}[0-9]|\*\*\*@")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}
_PATH = re.compile(
    r"^(enterprises|activities|issues)\[(\d+)\](?:\.([A-Za-z_]+)(?:\.([A-Za-z_]+))?)?"
)

_MODEL_FIELDS = {
    "enterprises": {"contact": "phone", "extra": "extra"},
    "activities": {"figures": "figure", "extra": "extra"},
    "issues": {"enterprise": "uscc", "events": "state", "extra": "extra"},
}


@frozen
class ImportResult:
    """The merged ledger and what changed, per section (enterprises, activities, issues)."""

    ledger: Ledger
    added: Mapping[str, int]
    updated: Mapping[str, int]
    unchanged: Mapping[str, int]
    events_appended: int

    def describe(self, lang: str = "zh") -> str:
        """One line: ``企业 新增 2、更新 1；活动 …；问题 …；追加办理记录 4 条``."""
        names = {
            "enterprises": ("企业", "enterprises"),
            "activities": ("活动", "activities"),
            "issues": ("问题", "issues"),
        }
        parts = []
        for key, (zh, en) in names.items():
            a, u, s = self.added.get(key, 0), self.updated.get(key, 0), self.unchanged.get(key, 0)
            if lang == "en":
                parts.append(f"{en}: {a} added, {u} updated, {s} unchanged")
            else:
                parts.append(f"{zh} 新增 {a}、更新 {u}、未变 {s}")
        if lang == "en":
            return "; ".join(parts) + f"; {self.events_appended} events appended"
        return "；".join(parts) + f"；追加办理记录 {self.events_appended} 条"


class _CellError(Exception):
    """A bad cell value; its phrase (the first argument) follows the column header."""

    @property
    def phrase(self) -> Phrase:
        found = self.args[0]
        assert isinstance(found, Phrase)
        return found


@frozen
class _Row:
    sheet: str
    number: int
    values: Mapping[str, Any]
    letters: Mapping[str, str]
    """Column letter per field, for locating problems."""

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
        self.problems: list[Problem] = []
        self.done = 0
        self.total = 0
        self.origin: dict[tuple[str, str], _Row] = {}
        """(section, record id) → the row it came from."""
        self.added = {"enterprises": 0, "activities": 0, "issues": 0}
        self.updated = dict.fromkeys(self.added, 0)
        self.unchanged = dict.fromkeys(self.added, 0)
        self.events = 0
        self.enterprises: dict[str, Enterprise] = {}
        self.lookup: dict[str, list[str]] = {}
        """Enterprise ids by name, code and id (what a row may name an enterprise by)."""
        for e in base.enterprises:
            self.put_enterprise(e)
        self.activities: dict[str, Activity] = {a.id: a for a in base.activities}
        self.issues: dict[str, Issue] = {i.id: i for i in base.issues}
        self.regions = _names((r.name, r.code) for r in base.regions)
        self.teams = _names((t.name, t.id) for t in base.teams)

    def order(self, ident: str) -> int:
        """Position of an enterprise in the merged list (for stable messages)."""
        return list(self.enterprises).index(ident)

    # -- problems ------------------------------------------------------------------
    def problem(self, where: str, code: str, **args: object) -> None:
        self.problems.append(Problem.of(code, where, source=self.source, **args))

    def cell_problem(self, row: _Row, field: str, inner: Phrase) -> None:
        header = self.layouts[row.sheet].by_field(field).header
        self.problem(row.where(field), "labelled", label=header, inner=inner)

    # -- reading -------------------------------------------------------------------
    def read_sheet(self, ws: Worksheet, layout: SheetLayout) -> list[_Row]:
        from openpyxl.utils import get_column_letter

        for merged in ws.merged_cells.ranges:
            self.problem(f"{ws.title}!{merged.coord}", "merged-cells")
        by_header = {c.header: c for c in layout.columns}
        fields: dict[int, SheetColumn] = {}
        header_ok = True
        seen: dict[str, str] = {}
        width = ws.max_column
        for col in range(1, width + 1):
            letter = get_column_letter(col)
            raw = ws.cell(row=1, column=col).value
            text = str(raw).strip() if raw is not None else ""
            if not text:
                continue
            column = by_header.get(text)
            if column is None:
                near = difflib.get_close_matches(text, by_header, n=1)
                columns = "、".join(layout.headers)
                if near:
                    self.problem(
                        f"{ws.title}!{letter}1",
                        "unknown-column-near",
                        column=text,
                        near=near[0],
                        columns=columns,
                    )
                else:
                    self.problem(
                        f"{ws.title}!{letter}1", "unknown-column", column=text, columns=columns
                    )
                header_ok = False
                continue
            if text in seen:
                self.problem(
                    f"{ws.title}!{letter}1", "column-again", column=text, first=f"{seen[text]}1"
                )
                header_ok = False
                continue
            seen[text] = letter
            fields[col] = column
        for column in layout.columns:
            if column.required and column.header not in seen:
                self.problem(f"{ws.title}!1:1", "missing-column", column=column.header)
                header_ok = False
        if not header_ok or ws.merged_cells.ranges:
            return []
        letters = {c.field: get_column_letter(col) for col, c in fields.items()}
        rows: list[_Row] = []
        for number, cells in enumerate(ws.iter_rows(min_row=2, max_col=width), start=2):
            self.tick()
            values: dict[str, Any] = {}
            blank = True
            for col, cell in enumerate(cells, start=1):
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                blank = False
                where = f"{ws.title}!{cell.coordinate}"
                if cell.data_type == "f" or not isinstance(
                    value, (str, int, float, datetime, date, bool)
                ):
                    formula = str(getattr(value, "text", value))[:40]
                    self.problem(where, "formula", formula=formula)
                    continue
                column = fields.get(col)
                if column is None:
                    self.problem(where, "value-without-header")
                    continue
                values[column.field] = value
            if not blank:
                rows.append(_Row(ws.title, number, values, letters))
        return rows

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    # -- cell values ---------------------------------------------------------------
    def value(self, row: _Row, field: str, *, required: bool = False) -> Any:
        column = self.layouts[row.sheet].by_field(field)
        raw = row.values.get(field)
        if raw is None:
            if required or column.required:
                self.cell_problem(row, field, Phrase("required"))
            return None
        trim = field in _TRIMMED or column.choices is not None
        try:
            return _parse(raw, column.kind, trim)
        except _CellError as exc:
            self.cell_problem(row, field, exc.phrase)
            return None

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
        codes = self.regions.get(str(text))
        if codes is None and str(text) in self.base.region_index:
            return str(text)
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
        ids = self.teams.get(str(text))
        if ids and len(ids) == 1:
            return ids[0]
        if str(text) in self.base.team_index:
            return str(text)
        self.cell_problem(
            row, "team", Phrase("unknown-in-base", {"what": noun("team"), "key": text})
        )
        return None

    def extras(self, row: _Row, record: str, old: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(old)
        for a in self.ctype.extra_attributes:
            if a.record != record:
                continue
            field = f"extra:{a.name}"
            value = self.value(row, field)
            if value is None:
                out.pop(a.name, None)
                continue
            if a.type == "decimal":
                value = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
            elif a.type == "date":
                value = value.isoformat()
            elif a.type == "str":
                value = str(value)
            if a.choices and value not in a.choices:
                self.cell_problem(
                    row,
                    field,
                    Phrase(
                        "expected-one-of", {"choices": "、".join(a.choices), "got": repr(value)}
                    ),
                )
            out[a.name] = value
        return out

    def seq_ids(self, rows: Sequence[_Row], section: str, prefix: str) -> dict[int, str]:
        """Record id per row number: the id cell, or one made from 序号; duplicates reported."""
        ids: dict[int, str] = {}
        seqs: dict[int, int] = {}
        seen: dict[str, int] = {}
        for row in rows:
            seq = self.value(row, "seq")
            if isinstance(seq, int):
                if seq in seqs:
                    self.cell_problem(
                        row, "seq", Phrase("again-in-row", {"key": seq, "row": seqs[seq]})
                    )
                seqs.setdefault(seq, row.number)
            given = self.value(row, "id")
            if given is not None:
                ident = str(given)
            elif isinstance(seq, int) and prefix:
                ident = f"{prefix}-{seq:04d}"
            else:
                continue
            if ident in seen:
                self.cell_problem(
                    row, "id", Phrase("again-in-row", {"key": repr(ident), "row": seen[ident]})
                )
                continue
            seen[ident] = row.number
            ids[row.number] = ident
        return ids

    def count(self, section: str, old: object, new: object) -> None:
        if old is None:
            self.added[section] += 1
        elif old == new:
            self.unchanged[section] += 1
        else:
            self.updated[section] += 1

    # -- enterprises ---------------------------------------------------------------
    def read_enterprises(self, rows: Sequence[_Row]) -> None:
        ids = self.seq_ids(rows, "enterprises", "")
        by_uscc = {e.uscc: e.id for e in self.enterprises.values()}
        for row in rows:
            uscc = self.value(row, "uscc")
            if uscc is not None:
                uscc = str(uscc).upper()
                why = uscc_fault(uscc)
                if why:
                    self.cell_problem(row, "uscc", why)
            ident = ids.get(row.number) or (by_uscc.get(uscc, uscc) if uscc else None)
            name = self.value(row, "name")
            region = self.region(row, "region", required=True)
            if ident is None or uscc is None or name is None or region is None:
                continue
            old = self.enterprises.get(ident)
            classes = []
            for label in self.value(row, "classes") or ():
                key = _match_kind(label, self.ctype.enterprise_classes)
                if key is None:
                    known = "、".join(k.label.zh for k in self.ctype.enterprise_classes)
                    self.cell_problem(
                        row,
                        "classes",
                        Phrase(
                            "unknown-choice",
                            {"what": noun("class"), "key": label, "choices": known},
                        ),
                    )
                else:
                    classes.append(key)
            contact = self.contact(row, old.contact if old else None)
            record = Enterprise(
                id=ident,
                uscc=uscc,
                name=str(name),
                region=region,
                classes=tuple(classes),
                industry=_text(self.value(row, "industry")),
                contact=contact,
                extra=self.extras(row, "enterprise", old.extra if old else {}),
            )
            self.count("enterprises", old, record)
            self.put_enterprise(record)
            by_uscc[uscc] = ident
            self.origin[("enterprises", ident)] = row

    def text(
        self, row: _Row, field: str, old: str | None, mask: Callable[[str], str] = mask_text
    ) -> str | None:
        """A free-text cell. A masked value equal to the mask of the ledger's keeps the
        ledger's; other masked personal data is refused (it would replace real data)."""
        new = _text(self.value(row, field))
        if new is None or new == old:
            return new
        if old is not None and new == mask(old):
            return old
        if _looks_masked(new, mask):
            self.cell_problem(row, field, Phrase("masked-personal-data"))
            return old
        return new

    def contact(self, row: _Row, old: Contact | None) -> Contact | None:
        person = self.text(row, "person", old.person if old else None, mask_name)
        phone = self.text(row, "phone", old.phone if old else None, mask_phone)
        email = self.text(row, "email", old.email if old else None, mask_email)
        if person is None and phone is None and email is None:
            return old if old == Contact() else None
        return Contact(person=person, phone=phone, email=email)

    # -- activities ----------------------------------------------------------------
    def read_activities(self, rows: Sequence[_Row]) -> None:
        ids = self.seq_ids(rows, "activities", "A")
        for row in rows:
            ident = ids.get(row.number)
            kind = self.choice(row, "kind", self.ctype.activity_kinds, "activity kind")
            day = self.value(row, "date")
            if ident is None or kind is None or day is None:
                continue
            old = self.activities.get(ident)
            enterprises = []
            for name in self.value(row, "enterprises") or ():
                found = self.find_enterprise(row, "enterprises", name)
                if found is not None:
                    enterprises.append(found)
            figures = {}
            for f in self.ctype.figures:
                value = self.value(row, f"figure:{f.key}")
                if value is not None:
                    figures[f.key] = value
            record = Activity(
                id=ident,
                kind=kind,
                date=day,
                team=self.team(row),
                region=self.region(row, "region"),
                title=self.text(row, "title", old.title if old else None),
                subject=self.text(row, "subject", old.subject if old else None),
                enterprises=tuple(enterprises),
                enterprise_count=self.value(row, "enterprise_count"),
                officials=self.value(row, "officials"),
                figures=figures,
                notes=self.text(row, "notes", old.notes if old else None),
                extra=self.extras(row, "activity", old.extra if old else {}),
            )
            self.count("activities", old, record)
            self.activities[ident] = record
            self.origin[("activities", ident)] = row

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
        if uscc is None and name is None:
            return True, None
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
        if name is None or region is None:
            if name is None:
                self.cell_problem(row, "enterprise_name", Phrase("required-for-new-code"))
            if county_text is None:
                self.cell_problem(row, "county", Phrase("required-for-new-code"))
            return False, None
        record = Enterprise(id=uscc, uscc=uscc, name=name, region=region)
        self.put_enterprise(record)
        self.added["enterprises"] += 1
        self.origin[("enterprises", uscc)] = row
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
        ids = self.seq_ids(rows, "issues", "Q")
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
                self.problem(row.where("state"), "base-history-invalid", inner=exc.phrase)
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
            try:
                events = plan(
                    issue, target, lifecycle, self.ctype.policy.levels, as_written=written
                )
            except PlanError as exc:
                self.cell_problem(row, exc.field, exc.phrase)
                continue
            if events:
                issue = attrs.evolve(issue, events=(*issue.events, *events))
                self.events += len(events)
            self.count("issues", old, issue)
            self.issues[ident] = issue
            self.origin[("issues", ident)] = row

    # -- result --------------------------------------------------------------------
    def ledger(self) -> Ledger:
        return self.base.replace(
            enterprises=tuple(self.enterprises.values()),
            activities=tuple(self.activities.values()),
            issues=tuple(self.issues.values()),
        )

    def locate(self, ledger: Ledger, problems: Iterable[Problem]) -> list[Problem]:
        """Map ledger problems of records that came from rows back to their cells."""
        sections: dict[str, Sequence[Enterprise | Activity | Issue]] = {
            "enterprises": ledger.enterprises,
            "activities": ledger.activities,
            "issues": ledger.issues,
        }
        sheets = {"enterprises": ENTERPRISES, "activities": ACTIVITIES, "issues": ISSUES}
        out = []
        for p in problems:
            m = _PATH.match(p.path)
            row = None
            if m is not None:
                section, index = m.group(1), int(m.group(2))
                records = sections[section]
                if index < len(records):
                    row = self.origin.get((section, records[index].id))
            if row is None:
                out.append(p.located(self.base_source))
                continue
            assert m is not None
            field = _MODEL_FIELDS[m.group(1)].get(m.group(3) or "", m.group(3) or "")
            if field in ("figure", "extra") and m.group(4):
                field = f"{field}:{m.group(4)}"
            layout = self.layouts[sheets[m.group(1)]]
            try:
                header = layout.by_field(field).header
            except KeyError:
                out.append(
                    Problem.of(
                        "labelled", row.where(), source=self.source, label=p.path, inner=p.phrase
                    )
                )
                continue
            out.append(
                Problem.of(
                    "labelled", row.where(field), source=self.source, label=header, inner=p.phrase
                )
            )
        return out


def _label(zh: str, en: str) -> Any:
    from campaignkit.rules.records import Label

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


def _looks_masked(text: str, mask: Callable[[str], str]) -> bool:
    """Whether ``text`` looks like the output of ``mask`` (personal data hidden by stars)."""
    if mask is mask_name:
        return bool(_MASKED_NAME.fullmatch(text))
    return bool(_MASKED_TEXT.search(text))


def _match_kind(text: str, kinds: Sequence[Kind]) -> str | None:
    folded = text.strip().casefold()
    for k in kinds:
        if folded in (k.key.casefold(), k.label.zh.casefold(), k.label.en.casefold()):
            return k.key
    return None


def _parse(raw: Any, kind: str, trim: bool = False) -> Any:
    """A cell value as the column's kind; raises _CellError with a message for users.

    Free text is kept as written (spaces included); codes, ids, choices,
    numbers and dates are trimmed.
    """
    if isinstance(raw, str):
        raw = restore_cell(raw)
        if kind != "text" or trim:
            raw = raw.strip()
    if kind in ("text", "list"):
        if isinstance(raw, bool):
            raise _CellError(Phrase("expected-text", {"got": str(raw)}))
        if isinstance(raw, float):
            if not raw.is_integer():
                raise _CellError(
                    Phrase("expected-text", {"got": Phrase("value.number", {"value": repr(raw)})})
                )
            raw = int(raw)
        if isinstance(raw, (datetime, date)):
            raise _CellError(Phrase("expected-text-not-date", {"day": f"{raw:%Y-%m-%d}"}))
        text = str(raw)
        if kind == "list":
            return [part for part in _SPLIT.split(text) if part]
        return text
    if kind == "int":
        if isinstance(raw, bool):
            raise _CellError(Phrase("expected-whole-number", {"got": str(raw)}))
        if isinstance(raw, int):
            value = raw
        elif (isinstance(raw, float) and raw.is_integer()) or (
            isinstance(raw, str) and raw.isdigit()
        ):
            value = int(raw)
        else:
            raise _CellError(Phrase("expected-whole-number", {"got": repr(raw)}))
        if value < 0:
            raise _CellError(Phrase("negative-value", {"value": value}))
        return value
    if kind == "decimal":
        if isinstance(raw, bool):
            raise _CellError(Phrase("expected-number", {"got": str(raw)}))
        try:
            return Decimal(str(raw)) if not isinstance(raw, float) else Decimal(repr(raw))
        except InvalidOperation:
            raise _CellError(Phrase("expected-number", {"got": repr(raw)})) from None
    if kind == "bool":
        text = str(raw).strip().casefold()
        if raw is True or text in _YES:
            return True
        if raw is False or text in _NO:
            return False
        raise _CellError(Phrase("expected-yes-no", {"got": repr(raw)}))
    if kind in ("date", "limit"):
        if isinstance(raw, datetime):
            if raw.time() != datetime.min.time():
                raise _CellError(
                    Phrase("expected-date-without-time", {"got": f"{raw:%Y-%m-%d %H:%M}"})
                )
            return raw.date()
        if isinstance(raw, date):
            return raw
        if isinstance(raw, str):
            m = _DATE_TEXT.fullmatch(raw)
            if m:
                try:
                    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError as exc:
                    raise _CellError(
                        Phrase("not-a-calendar-date", {"value": raw, "why": str(exc)})
                    ) from None
            if kind == "limit":
                return raw
        raise _CellError(Phrase("expected-date-example", {"got": repr(raw)}))
    raise AssertionError(kind)  # pragma: no cover - the layouts use the kinds above


def _open(path: Path) -> Any:
    require_openpyxl()
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        info = os.stat(path)
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
        why = f"{type(exc).__name__}: {exc}"
        raise LedgerError([Problem.of(code, "", why=why)], str(path)) from None


def import_workbook(
    path: str | os.PathLike[str],
    base: Ledger,
    *,
    manager: PluginManager | None = None,
    base_source: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read the workbook at ``path`` and merge its records into ``base`` (see the module doc).

    Raises :class:`~campaignkit.errors.LedgerError` with every problem, each located as
    ``问题台账!C7`` (or by path in the base ledger, named by ``base_source``).
    """
    book = Path(path)
    pm = manager or get_plugin_manager()
    ctype = pm.campaign_type(base.campaign.type)
    wb = _open(book)
    importer = _Importer(base, ctype, str(book), base_source, progress)
    names = list(wb.sheetnames)
    for name in names:
        if name not in RECORD_SHEETS and name not in REPORT_SHEETS:
            near = difflib.get_close_matches(name, RECORD_SHEETS, n=1, cutoff=0.3)
            sheets = {"records": "、".join(RECORD_SHEETS), "reports": "、".join(REPORT_SHEETS)}
            if near:
                importer.problem(name, "unknown-sheet-near", near=near[0], **sheets)
            else:
                importer.problem(name, "unknown-sheet", **sheets)
    if not any(n in names for n in RECORD_SHEETS):
        importer.problem("", "no-sheet", names="、".join(RECORD_SHEETS), found="、".join(names))
    worksheets = {n: wb[n] for n in RECORD_SHEETS if n in names}
    importer.total = sum(max(ws.max_row - 1, 0) for ws in worksheets.values())
    rows = {n: importer.read_sheet(ws, importer.layouts[n]) for n, ws in worksheets.items()}
    importer.read_enterprises(rows.get(ENTERPRISES, []))
    importer.read_activities(rows.get(ACTIVITIES, []))
    importer.read_issues(rows.get(ISSUES, []))
    if importer.problems:
        raise LedgerError(importer.problems, str(book))
    ledger = importer.ledger()
    found = importer.locate(ledger, validate(ledger, pm))
    if found:
        raise LedgerError(found, str(book))
    return ImportResult(
        ledger,
        importer.added,
        importer.updated,
        importer.unchanged,
        importer.events,
    )


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
