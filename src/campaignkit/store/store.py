"""A store of campaigns in SQLite or PostgreSQL: checked writes, kept views, exact exports.

>>> import campaignkit
>>> store = campaignkit.open("sqlite:///campaign.db")  # doctest: +SKIP
>>> store.import_ledger(campaignkit.load("ledger.json"), author="省专班")  # doctest: +SKIP
>>> store.append_events("huainan-2020", "I0042", [event], author="T3")  # doctest: +SKIP
>>> workspace = store.workspace("huainan-2020")  # doctest: +SKIP

Each record is kept as the JSON :func:`campaignkit.dumps` writes for it, so
:meth:`Store.export` gives back the ledger file byte for byte. Each issue's
derived shape (state, level, running clocks as moments) is kept beside it and
updated in the transaction of every write that touches the issue, by the one
walk through a history (:class:`~campaignkit.derive.views.Deriver`);
:meth:`Store.workspace` hands statistics, reports and escalation a workspace
whose shapes come from those columns, so nothing replays the histories.

Every write names its author and is checked before it commits (the record's
types and references, the lifecycle for appended events, the campaign type's
validators, then each ``campaignkit_write_checks`` rule); it is kept as a row of
the append-only ``writes`` table. Two writers on one issue serialise (the second waits for
the first, then appends after it), or, when the writer says which history it
appends to (``expect``), the second gets a :class:`ConflictError` it can retry.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import EllipsisType
from typing import Any, NamedTuple

import attrs
import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from campaignkit.derive.calendar import WorkCalendar
from campaignkit.derive.views import Deriver, Shape, replay_columns
from campaignkit.errors import LedgerError, Problem
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.hooks.watchdog import call_with_timeout
from campaignkit.i18n.catalogue import Phrase, noun
from campaignkit.io import (
    append_events,
    document_from_ledger,
    ledger_from_document,
    parse,
    validate,
)
from campaignkit.ledgerfile.converter import converter
from campaignkit.model.ledger import FORMAT_NAME, FORMAT_VERSION, Ledger
from campaignkit.model.limits import MAX_NAME, hidden_characters, latest_date, visible
from campaignkit.model.records import Activity, Enterprise, Issue, IssueEvent, Outcome
from campaignkit.rules.records import CampaignType
from campaignkit.rules.writes import Write, WriteAction
from campaignkit.store import tables as t
from campaignkit.store.engine import WRITE, connect, migrate, revision, writer_queue
from campaignkit.store.engine import shown as shown_url
from campaignkit.store.errors import ConflictError, StoreError, missing_campaign
from campaignkit.store.fingerprint import derived_with
from campaignkit.store.shapes import ShapeCodec, facts_of, facts_of_view, known_states, next_due
from campaignkit.validation.checks import plugin_failed, plugin_problems
from campaignkit.workspace import Workspace

__all__ = ["ConflictError", "Store", "StoreError", "StoredWrite", "check_author"]

Record = Enterprise | Activity | Issue | Outcome

try:
    _VERSION = importlib.metadata.version("campaignkit")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
    _VERSION = "0"

_SECTION_OF: dict[type, str] = {
    Enterprise: "enterprises",
    Activity: "activities",
    Issue: "issues",
    Outcome: "outcomes",
}
_HEADER = ("campaign", "regions", "work_groups")
_RECORDS = ("enterprises", "activities", "issues", "outcomes")
_SECTIONS = (*_HEADER, *_RECORDS)
_BATCH = 20_000


def _header_of(ledger: Ledger) -> dict[str, Any]:
    """The campaign header of ``ledger`` (campaign, regions, working groups) as stored."""
    return {k: v for k, v in document_from_ledger(ledger).items() if k in _HEADER}


def _taken(section: str, key: str) -> Phrase:
    """That a record of ``section`` (``issues`` …) with id ``key`` was added by another
    write first."""
    what = noun(section.removesuffix("s").replace("ie", "y"))
    return Phrase("store-taken", {"what": what, "key": key})


class _Changed(Exception):
    """An issue was written between reading it and writing to it: work it out again."""


class _Prepared(NamedTuple):
    """An append checked and worked out from one version of its issue."""

    issue: str
    version: int
    had: int
    """How many events the history had."""
    events: tuple[IssueEvent, ...]
    bodies: list[Any]
    values: dict[str, Any]


_RETRIES = 100
"""How many times a writer works an append out again when other writers keep changing its
issue first, before it gives up (``store-busy``)."""


@attrs.frozen
class StoredWrite:
    """One row of a campaign's write history."""

    id: int
    at: dt.datetime
    """When it committed (UTC)."""
    author: str
    action: str
    kind: str | None
    record_id: str | None
    before: str | None
    """The record before a correction, as its ledger JSON."""
    after: str | None
    """What was written, as JSON (the record, the events appended, or counts)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


class _Rules:
    """A campaign type with its calendar and fingerprint, as one store resolves them."""

    def __init__(self, pm: PluginManager, type_key: str) -> None:
        self.campaign_type: CampaignType = pm.campaign_type(type_key)
        self.calendar = WorkCalendar.from_manager(pm, self.campaign_type.key)

    def deriver(self) -> Deriver:
        return Deriver(self.campaign_type.lifecycle, self.campaign_type.policy, self.calendar)


class Store:
    """Campaigns in one database (see the module). Open one with :meth:`open` or
    :func:`campaignkit.open`; close it with :meth:`close` (or use it as a context manager).

    ``manager`` is the plugin manager writes are checked and views derived under (the
    shared one by default).
    """

    def __init__(self, engine: Engine, *, manager: PluginManager | None = None) -> None:
        self.engine = engine
        self.manager = manager or get_plugin_manager()
        self._rules: dict[str, _Rules] = {}
        self._headers: dict[str, tuple[str, Ledger]] = {}
        self._fingerprints: dict[tuple[str, dt.date, dt.date], str] = {}

    @classmethod
    def open(cls, url: str, *, manager: PluginManager | None = None, create: bool = True) -> Store:
        """The store at ``url`` (``sqlite:///campaign.db``, ``postgresql://user@host/db``),
        its schema created or upgraded to this version's (``create=False``: a database
        without the schema is refused)."""
        try:
            engine = connect(url, create=create)
        except FileNotFoundError as exc:
            raise StoreError(Phrase("store-missing", {"path": str(exc)})) from None
        except (ValueError, sa.exc.ArgumentError) as exc:
            raise StoreError(
                Phrase("store-cannot-open", {"url": shown_url(url), "why": str(exc)})
            ) from None
        shown = shown_url(engine.url)
        try:
            found = revision(engine)
            if found is None and not create:
                raise StoreError(Phrase("store-not-a-store", {"url": shown}))
            if found is not None and found > t.SCHEMA_VERSION:
                raise StoreError(Phrase("store-newer", {"url": shown, "found": found}))
            if found != t.SCHEMA_VERSION:
                from alembic.util.exc import CommandError

                try:
                    migrate(engine)
                except CommandError as exc:  # a revision no version of campaignkit wrote
                    raise StoreError(
                        Phrase("store-cannot-open", {"url": shown, "why": str(exc)})
                    ) from None
        except (sa.exc.DBAPIError, sa.exc.ArgumentError) as exc:
            engine.dispose()
            raise StoreError(
                Phrase("store-cannot-open", {"url": shown, "why": _why(exc)})
            ) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, manager=manager)

    @property
    def url(self) -> str:
        """The store's URL as it may be shown (no password)."""
        return shown_url(self.engine.url)

    def close(self) -> None:
        """Close every connection to the database."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A read transaction that sees one state of the store (on PostgreSQL, a repeatable
        read: what several queries read belongs together)."""
        with self._refused(), self.engine.connect() as conn:
            if self._postgres():
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction, its locks taken first (after the writers ahead of it on an
        SQLite file: see :func:`~campaignkit.store.engine.writer_queue`)."""
        with self._refused(), writer_queue(self.engine), self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def _refused(self) -> Iterator[None]:
        """A database error (a read-only file, a lock another program holds past the
        waiting time, a lost connection …) as a :class:`StoreError` worded on one line; a
        unique key taken by another write first is left to the caller to word."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise
        except sa.exc.DBAPIError as exc:
            raise StoreError(Phrase("store-failed", {"url": self.url, "why": _why(exc)})) from None

    def _postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def _rules_for(self, type_key: str) -> _Rules:
        found = self._rules.get(type_key)
        if found is None:
            found = self._rules[type_key] = _Rules(self.manager, type_key)
        return found

    def _fingerprint(self, rules: _Rules, ledger: Ledger) -> str:
        """What the views of ``ledger``'s campaign are derived under: the type's rules, the
        working days of every year its records may carry (its period to ten years on), and
        the plugins that register the type and the calendars, with their versions."""
        period = ledger.campaign.period
        key = (rules.campaign_type.key, period.start, period.end)
        found = self._fingerprints.get(key)
        if found is not None:  # the store's plugins and calendars do not change while open
            return found
        pm = self.manager
        owners = {
            *pm.registered_by("campaignkit_campaign_types").get(rules.campaign_type.key, ()),
            *(
                p
                for c in rules.calendar.calendars
                for p in pm.registered_by("campaignkit_calendars").get(c.name, ())
            ),
        }
        sources = pm.sources
        plugins = [
            f"{name}={sources[name].distribution or sources[name].origin}"
            f"@{sources[name].version or _VERSION}"
            for name in owners
            if name in sources
        ]
        found = self._fingerprints[key] = derived_with(
            rules.campaign_type, rules.calendar, period.start, latest_date(period.end), plugins
        )
        return found

    def _same_rules(self, ws: Workspace, rules: _Rules) -> bool:
        """True if ``ws`` derives as the store does: the same campaign type, and a calendar
        that answers every day of the fingerprint's span alike."""
        if ws.campaign_type != rules.campaign_type:
            return False
        if ws.calendar is rules.calendar:
            return True
        period = ws.ledger.campaign.period
        end = latest_date(period.end)
        mine = derived_with(rules.campaign_type, rules.calendar, period.start, end)
        return derived_with(ws.campaign_type, ws.calendar, period.start, end) == mine

    def _deriving_alike(self, camp: sa.Row[Any]) -> _Rules:
        """The rules this store derives the campaign of ``camp`` (its row) under, if they
        are those its stored views were derived under; else (another process's plugins or
        calendars, a calendar or plugin changed since the views were derived) a
        :class:`StoreError`: columns this store derives would sit beside columns derived
        otherwise, under a fingerprint that vouches for neither."""
        rules = self._rules_for(camp.type)
        header = self._header(camp.id, camp.header)
        if camp.derived_with != self._fingerprint(rules, header):
            raise StoreError(Phrase("store-derived-otherwise", {"campaign": camp.id}))
        return rules

    # -- reading -----------------------------------------------------------------------
    def campaigns(self) -> tuple[str, ...]:
        """The ids of the campaigns held, sorted."""
        with self._reading() as conn:
            rows = conn.execute(sa.select(t.campaigns.c.id).order_by(t.campaigns.c.id))
            return tuple(r[0] for r in rows)

    def _campaign_row(self, conn: Connection, campaign: str, *, lock: bool = False) -> sa.Row[Any]:
        """The campaign's row; with ``lock``, locked until the transaction ends (on
        PostgreSQL: a writer of an SQLite file holds the whole file already)."""
        query = sa.select(t.campaigns).where(t.campaigns.c.id == campaign)
        if lock and self._postgres():
            query = query.with_for_update()
        row = conn.execute(query).one_or_none()
        if row is None:
            raise missing_campaign(campaign, self.campaigns())
        return row

    def _document(
        self, conn: Connection, campaign: str
    ) -> tuple[sa.Row[Any], bytearray, list[str], list[str]]:
        """The campaign's row, its ledger document as compact JSON text, and its issues'
        shape and facts texts (in ledger order)."""
        row = self._campaign_row(conn, campaign)
        header = orjson.loads(row.header)
        sections: dict[str, bytes | bytearray] = {k: _json(v).encode() for k, v in header.items()}
        shapes: list[str] = []
        facts: list[str] = []
        for section in _RECORDS:
            table = t.RECORD_TABLES[section]
            where = table.c.campaign_id == campaign
            if section == "issues":
                query = sa.select(table.c.body, table.c.shape, table.c.facts)
            else:
                query = sa.select(table.c.body)
            found = conn.execute(
                query.where(where).order_by(table.c.seq).execution_options(yield_per=_BATCH)
            )
            text = bytearray(b"[")
            for row_ in found:  # one record's text at a time: no list of them all
                if len(text) > 1:
                    text += b","
                text += row_[0].encode()
                if section == "issues":
                    shapes.append(row_[1])
                    facts.append(row_[2])
            if len(text) > 1:
                text += b"]"
                sections[section] = text
        document = bytearray(b'{"format":' + _json(FORMAT_NAME).encode())
        document += b',"version":' + str(FORMAT_VERSION).encode()
        for key in _SECTIONS:
            if key in sections:
                document += b',"' + key.encode() + b'":'
                document += sections.pop(key)  # each section's text let go once copied
        document += b"}"
        return row, document, shapes, facts

    def export(self, campaign: str) -> bytes:
        """The campaign as ledger JSON: byte for byte what :func:`campaignkit.dumps` writes
        for the ledger the store holds."""
        with self._reading() as conn:
            _, text, _, _ = self._document(conn, campaign)
        return orjson.dumps(orjson.loads(text), option=orjson.OPT_INDENT_2) + b"\n"

    def ledger(self, campaign: str) -> Ledger:
        """The campaign's records as a :class:`~campaignkit.model.ledger.Ledger`."""
        with self._reading() as conn:
            _, text, _, _ = self._document(conn, campaign)
        return parse(text, source=campaign)

    def workspace(self, campaign: str, *, calendar: WorkCalendar | None = None) -> Workspace:
        """A workspace on the campaign whose issues' shapes are read from the store's columns
        (none is derived again), unless they are stale (:meth:`stale`) or another
        ``calendar`` is given: then each history is derived afresh, in memory."""
        with self._reading() as conn:
            row, text, shape_texts, facts = self._document(conn, campaign)
        ledger = parse(text, source=campaign)
        rules = self._rules_for(ledger.campaign.type)
        ws = Workspace(
            ledger,
            campaign_type=rules.campaign_type,
            calendar=calendar or rules.calendar,
            manager=self.manager,
        )
        if calendar is None and row.derived_with == self._fingerprint(rules, ledger):
            codec = ShapeCodec()
            shapes = [codec.decode(text) for text in shape_texts]
            ws.adopt(shapes)
            ws.known_states = known_states(shapes, facts)
        return ws

    def stale(self, campaign: str) -> bool:
        """True if the campaign's derived columns were derived under other rules or calendar
        data than the plugins give today (``campaignkit store rederive`` derives them again)."""
        with self._reading() as conn:
            row = self._campaign_row(conn, campaign)
        header = self._header(campaign, row.header)
        return bool(row.derived_with != self._fingerprint(self._rules_for(row.type), header))

    def writes(self, campaign: str) -> tuple[StoredWrite, ...]:
        """The campaign's write history, oldest first."""
        w = t.writes.c
        with self._reading() as conn:
            rows = conn.execute(
                sa.select(w.id, w.at, w.author, w.action, w.kind, w.record_id, w.before, w.after)
                .where(w.campaign_id == campaign)
                .order_by(w.id)
            ).all()
        return tuple(StoredWrite(*r) for r in rows)

    def overdue(self, campaign: str, as_of: dt.date) -> tuple[str, ...]:
        """Ids of the campaign's issues with a running clock due before ``as_of`` (by the
        derived columns, in ledger order): one indexed query, no history read."""
        c = t.issues.c
        with self._reading() as conn:
            rows = conn.execute(
                sa.select(c.id).where(c.campaign_id == campaign, c.next_due < as_of).order_by(c.seq)
            )
            return tuple(r[0] for r in rows)

    # -- writing -----------------------------------------------------------------------
    def _write_row(
        self,
        conn: Connection,
        campaign: str,
        author: str,
        action: WriteAction,
        kind: str | None = None,
        record_id: str | None = None,
        before: str | None = None,
        after: str | None = None,
    ) -> int:
        found = conn.execute(
            sa.insert(t.writes)
            .values(
                campaign_id=campaign,
                at=_now(),
                author=author,
                action=action.value,
                kind=kind,
                record_id=record_id,
                before=before,
                after=after,
            )
            .returning(t.writes.c.id)
        ).scalar_one()
        return int(found)

    def _checked_by_plugins(self, write: Write, type_key: str) -> None:
        problems: list[Problem] = []
        limit = self.manager.timeout
        for check in self.manager.write_checks(type_key).values():
            try:
                found = call_with_timeout(
                    _problems_of,
                    check.check,
                    write,
                    timeout=limit,
                    what=f"write check {check.name!r}",
                )
            except Exception as exc:  # noqa: BLE001 - a failing check refuses, naming itself
                owner = self.manager.owner("campaignkit_write_checks", check.name, type_key)
                if owner is None:
                    problems.append(plugin_failed("write-check-failed", check.name, exc))
                else:  # and its plugin
                    code = "write-check-of-plugin-failed"
                    problems.append(plugin_failed(code, check.name, exc, plugin=owner))
                continue
            problems.extend(found)
        if problems:
            raise LedgerError(problems, write.campaign)

    def import_ledger(
        self,
        source: Ledger | Workspace,
        *,
        author: str,
    ) -> int:
        """Import a ledger (or a workspace, whose derived shapes are kept) as a new campaign,
        in one transaction; returns the write's id.

        The ledger is validated first (a ledger with problems raises
        :class:`~campaignkit.errors.LedgerError` and nothing is written); a campaign
        id the store already holds is refused (:class:`StoreError`).
        """
        check_author(author)
        ws = (
            source
            if isinstance(source, Workspace)
            else Workspace.open(source, manager=self.manager)
        )
        ledger = ws.ledger
        campaign = ledger.campaign.id
        problems = validate(ledger, self.manager, campaign, workspace=ws)
        if problems:
            raise LedgerError(problems, campaign)
        rules = self._rules_for(ledger.campaign.type)
        if not self._same_rules(ws, rules):
            # derived under other rules or another calendar than the store's: derive afresh,
            # so that the views the fingerprint vouches for are the store's own
            ws = Workspace(
                ledger,
                campaign_type=rules.campaign_type,
                calendar=rules.calendar,
                manager=self.manager,
            )
        shapes = ws.shapes()
        self._checked_by_plugins(
            Write(campaign=campaign, action=WriteAction.IMPORT, author=author),
            rules.campaign_type.key,
        )
        doc = document_from_ledger(ledger)
        header = {k: doc[k] for k in _HEADER if k in doc}
        now = _now()
        try:
            with self._writing() as conn:
                exists = conn.execute(
                    sa.select(t.campaigns.c.id).where(t.campaigns.c.id == campaign)
                ).first()
                if exists is not None:
                    raise StoreError(Phrase("store-campaign-exists", {"campaign": campaign}))
                conn.execute(
                    sa.insert(t.campaigns).values(
                        id=campaign,
                        type=ledger.campaign.type,
                        header=_json(header),
                        derived_with=self._fingerprint(rules, ledger),
                        created_at=now,
                        changed_at=now,
                    )
                )
                counts = {s: len(doc.get(s, ())) for s in _RECORDS}
                write_id = self._write_row(
                    conn, campaign, author, WriteAction.IMPORT, after=_json(counts)
                )
                for section in ("enterprises", "activities", "outcomes"):
                    rows = [
                        _record_row(section, campaign, n, body)
                        for n, body in enumerate(doc.get(section, ()))
                    ]
                    _insert(conn, t.RECORD_TABLES[section], rows)
                codec = ShapeCodec()
                states = ws.known_states  # the state facts walked with the shapes
                if states is None:  # shapes adopted from elsewhere without them
                    states = replay_columns(ledger.issues, rules.campaign_type.lifecycle)
                issue_rows: list[dict[str, Any]] = []
                event_rows: list[dict[str, Any]] = []
                for n, (issue, body, shape) in enumerate(
                    zip(ledger.issues, doc.get("issues", ()), shapes, strict=True)
                ):
                    events = body.get("events", [])
                    facts = facts_of(states, n)
                    issue_rows.append(_issue_row(campaign, n, issue, body, shape, codec, 0, facts))
                    event_rows.extend(
                        _event_row(campaign, issue.id, k, e, ev, write_id)
                        for k, (e, ev) in enumerate(zip(issue.events, events, strict=True))
                    )
                    if len(issue_rows) >= _BATCH:
                        _insert(conn, t.issues, issue_rows)
                        issue_rows = []
                    if len(event_rows) >= _BATCH:
                        _insert(conn, t.issues, issue_rows)
                        issue_rows = []
                        _insert(conn, t.events, event_rows)
                        event_rows = []
                _insert(conn, t.issues, issue_rows)
                _insert(conn, t.events, event_rows)
        except sa.exc.IntegrityError:  # another import of this campaign came first
            raise StoreError(Phrase("store-campaign-exists", {"campaign": campaign})) from None
        return write_id

    def _header(self, campaign: str, text: str) -> Ledger:
        found = self._headers.get(campaign)
        if found is None or found[0] != text:
            doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION, **orjson.loads(text)}
            found = self._headers[campaign] = (text, ledger_from_document(doc, campaign))
        return found[1]

    def append_events(
        self,
        campaign: str,
        issue: str,
        events: Sequence[IssueEvent],
        *,
        author: str,
        expect: int | None = None,
    ) -> int:
        """Append ``events`` to the history of ``issue``, checked (their types and dates,
        whether the lifecycle allows them where the issue stands, the issue with them under
        the campaign type's validators, then every ``campaignkit_write_checks`` rule) and
        with the issue's derived columns updated, in one transaction; returns the write's
        id.

        A refused append raises :class:`~campaignkit.errors.LedgerError` (located as in
        the ledger file: ``issues[41].events[7].kind: …``) and writes nothing. With
        ``expect`` (the number of events the writer saw in the history), a history that
        has changed since raises :class:`ConflictError`; without it, the events are
        appended after whatever came first.
        """
        check_author(author)
        events = tuple(events)
        if not events:
            raise ValueError("no events to append")
        expected = None if expect is None else {issue: expect}
        return self._append_optimistically(campaign, {issue: events}, author, expected)[0]

    def append_many(
        self,
        campaign: str,
        additions: Mapping[str, Sequence[IssueEvent]],
        *,
        author: str,
        expect: Mapping[str, int] | None = None,
    ) -> tuple[int, ...]:
        """Append events to several issues (issue id → events) in one transaction, each
        checked as :meth:`append_events` checks it: all land, or none (the first refusal
        or conflict is raised). ``expect`` gives, by issue id, the number of events the
        writer saw; returns the writes' ids (in the order of the issues' ids)."""
        check_author(author)
        wanted = {issue: tuple(additions[issue]) for issue in sorted(additions) if additions[issue]}
        if not wanted:
            return ()
        return self._append_optimistically(campaign, wanted, author, expect)

    def _append_optimistically(
        self,
        campaign: str,
        wanted: Mapping[str, tuple[IssueEvent, ...]],
        author: str,
        expect: Mapping[str, int] | None,
    ) -> tuple[int, ...]:
        """Check and derive every append from the issues as read, in a read transaction with
        no lock held (the lifecycle, the validators, the deployment's checks, the
        derivation: everything slow), then take the
        write lock only to confirm each issue is still as read and write the rows. An issue
        written meanwhile is read and worked out again (and with ``expect``, is a
        conflict), so writers hold the lock for the few statements of their rows alone."""
        i = t.issues.c
        for _attempt in range(_RETRIES):
            with self._reading() as conn:
                camp = self._campaign_row(conn, campaign)
                rows = {
                    r.id: r
                    for r in conn.execute(
                        sa.select(t.issues).where(i.campaign_id == campaign, i.id.in_(list(wanted)))
                    )
                }
                prepared = [
                    self._prepare(
                        conn,
                        camp,
                        rows.get(issue),
                        issue,
                        events,
                        author,
                        None if expect is None else expect.get(issue),
                    )
                    for issue, events in wanted.items()
                ]
            try:
                with self._writing() as conn:
                    return tuple(self._commit_append(conn, camp, p, author) for p in prepared)
            except _Changed:
                continue
        raise StoreError(Phrase("store-busy", {"tries": _RETRIES}))

    def _prepare(
        self,
        conn: Connection,
        camp: sa.Row[Any],
        row: sa.Row[Any] | None,
        issue: str,
        events: tuple[IssueEvent, ...],
        author: str,
        expect: int | None,
    ) -> _Prepared:
        """Check ``events`` against the issue as ``row`` holds it (types and dates, the
        lifecycle, then the issue with them validated with the records it refers to, as
        :meth:`put` validates a record, and the deployment's checks) and work out what
        writing them changes; ``conn`` reads those records."""
        campaign: str = camp.id
        if row is None:
            raise LedgerError(
                [Problem.of("unknown-reference", "issues", what=noun("issue"), key=issue)],
                campaign,
            )
        if expect is not None and row.events != expect:
            raise ConflictError(campaign, issue, expect, row.events)
        rules = self._deriving_alike(camp)
        header = self._header(campaign, camp.header)
        before: Issue = converter.structure(orjson.loads(row.body), Issue)
        mini, places = self._neighbours(conn, campaign, header, before, row.seq)
        try:
            after = append_events(mini, {issue: events}, manager=self.manager)
        except LedgerError as exc:
            raise LedgerError([_relocated(p, places) for p in exc.problems], campaign) from None
        # what the campaign type's validators say of the issue with its new events (a
        # limit a major issue's assignment must record …), as of any record written
        problems = validate(after, self.manager, campaign)
        if problems:
            raise LedgerError([_relocated(p, places) for p in problems], campaign)
        self._checked_by_plugins(
            Write(
                campaign=campaign,
                action=WriteAction.APPEND,
                author=author,
                record=before,
                events=events,
            ),
            camp.type,
        )
        new = after.issues[0]
        view = rules.deriver().view(new)  # shape and facts, one walk
        return _Prepared(
            issue=issue,
            version=row.version,
            had=row.events,
            events=events,
            bodies=[converter.unstructure(ev, IssueEvent) for ev in events],
            values={
                "body": _json(converter.unstructure(new, Issue)),
                "version": row.version + 1,
                "events": row.events + len(events),
                "last_day": new.events[-1].date,
                **_derived(view.shape, ShapeCodec(), facts_of_view(view)),
            },
        )

    def _commit_append(self, conn: Connection, camp: sa.Row[Any], p: _Prepared, author: str) -> int:
        """Write a prepared append, if the issue is still the version it was prepared from
        (else raise :class:`_Changed`: the transaction is rolled back and worked out again)."""
        campaign: str = camp.id
        i = t.issues.c
        derived_with = conn.execute(
            sa.select(t.campaigns.c.derived_with).where(t.campaigns.c.id == campaign)
        ).scalar_one()
        if derived_with != camp.derived_with:  # derived again meanwhile: check again
            raise _Changed(p.issue)
        done = conn.execute(
            sa.update(t.issues)
            .where(i.campaign_id == campaign, i.id == p.issue, i.version == p.version)
            .values(**p.values)
        )
        if done.rowcount != 1:
            raise _Changed(p.issue)
        write_id = self._write_row(
            conn, campaign, author, WriteAction.APPEND, "issues", p.issue, after=_json(p.bodies)
        )
        _insert(
            conn,
            t.events,
            [
                _event_row(campaign, p.issue, p.had + k, ev, body, write_id)
                for k, (ev, body) in enumerate(zip(p.events, p.bodies, strict=True))
            ],
        )
        return write_id

    def _append(
        self,
        conn: Connection,
        camp: sa.Row[Any],
        issue: str,
        events: tuple[IssueEvent, ...],
        author: str,
        expect: int | None,
    ) -> int:
        """Append within a write transaction already holding the lock (a merge)."""
        i = t.issues.c
        query = sa.select(t.issues).where(i.campaign_id == camp.id, i.id == issue)
        if self._postgres():
            query = query.with_for_update()
        row = conn.execute(query).one_or_none()
        prepared = self._prepare(conn, camp, row, issue, events, author, expect)
        return self._commit_append(conn, camp, prepared, author)

    def put(
        self,
        campaign: str,
        record: Record,
        *,
        author: str,
        expect: Record | EllipsisType | None = ...,
    ) -> int:
        """Add ``record`` (an enterprise, activity, issue or outcome) to the campaign, or
        correct the record of its id; returns the write's id.

        With ``expect``, the record of that id as the writer read it (None: the writer
        believes there is none yet), a record another write corrected or added since
        raises :class:`ConflictError` and nothing is written, instead of that write being
        silently overwritten; without it, the record is written whatever is stored.

        The record is checked with the records it refers to (types, references, and for
        an issue its history through the lifecycle; a corrected activity or enterprise
        with the records that refer to it as well), then by every
        ``campaignkit_write_checks`` rule; a refused write raises
        :class:`~campaignkit.errors.LedgerError` and writes nothing. A correction keeps
        the record it replaces in the write history. A corrected issue keeps its history:
        the events it carries must be the stored ones (append new ones with
        :meth:`append_events`).
        """
        check_author(author)
        if type(record) not in _SECTION_OF:
            raise TypeError(f"cannot put a {type(record).__name__}: give a record of a section")
        try:
            with self._writing() as conn:
                camp = self._campaign_row(conn, campaign)
                return self._put(conn, camp, record, author, expect)
        except sa.exc.IntegrityError:  # the same new record, added by another write first
            raise StoreError(_taken(_SECTION_OF[type(record)], record.id)) from None

    def _put(
        self,
        conn: Connection,
        camp: sa.Row[Any],
        record: Record,
        author: str,
        expect: Record | EllipsisType | None = ...,
    ) -> int:
        campaign: str = camp.id
        rules = self._deriving_alike(camp)
        section = _SECTION_OF[type(record)]
        table = t.RECORD_TABLES[section]
        c = table.c
        query = sa.select(table).where(c.campaign_id == campaign, c.id == record.id)
        if self._postgres():
            query = query.with_for_update()
        row = conn.execute(query).one_or_none()
        header = self._header(campaign, camp.header)
        previous: Record | None = None
        if row is not None:
            previous = converter.structure(orjson.loads(row.body), type(record))
        if expect is not ... and expect != previous:  # another write came first
            if expect is None:  # added meanwhile
                phrase = _taken(section, record.id)
            else:
                phrase = Phrase("store-changed-since", {"key": record.id})
            raise ConflictError(campaign, record.id, phrase=phrase)
        if row is not None:
            if section == "issues":
                assert isinstance(previous, Issue) and isinstance(record, Issue)
                if record.events != previous.events:
                    raise LedgerError(
                        [Problem.of("history-rewritten", f"issues[{row.seq}].events")],
                        campaign,
                    )
            seq = row.seq
        else:
            if self._postgres():  # new records of a campaign are numbered one at a time
                conn.execute(
                    sa.select(t.campaigns.c.id)
                    .where(t.campaigns.c.id == campaign)
                    .with_for_update()
                )
            seq = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(c.seq) + 1, 0)).where(
                    c.campaign_id == campaign
                )
            ).scalar_one()
        # a corrected activity or enterprise is checked with the records that refer to it
        mini, places = self._neighbours(
            conn, campaign, header, record, seq, referrers=previous is not None
        )
        problems = validate(mini, self.manager, campaign)
        if problems:
            raise LedgerError([_relocated(p, places) for p in problems], campaign)
        self._checked_by_plugins(
            Write(
                campaign=campaign,
                action=WriteAction.CORRECT if previous is not None else WriteAction.ADD,
                author=author,
                record=record,
                before=previous,
            ),
            camp.type,
        )
        body = converter.unstructure(record, type(record))
        events = body.get("events", []) if section == "issues" else []
        before_text = None if row is None else row.body
        write_id = self._write_row(
            conn,
            campaign,
            author,
            WriteAction.CORRECT if previous is not None else WriteAction.ADD,
            section,
            record.id,
            before=before_text,
            after=_json(body),
        )
        if section == "issues":
            assert isinstance(record, Issue)
            view = rules.deriver().view(record)  # shape and facts at once
            version = 0 if row is None else row.version + 1
            values = _issue_row(
                campaign, seq, record, body, view.shape, ShapeCodec(), version, facts_of_view(view)
            )
        else:
            values = _record_row(section, campaign, seq, body)
        if row is None:
            conn.execute(sa.insert(table).values(**values))
            if events:
                assert isinstance(record, Issue)
                _insert(
                    conn,
                    t.events,
                    [
                        _event_row(campaign, record.id, k, ev, eb, write_id)
                        for k, (ev, eb) in enumerate(zip(record.events, events, strict=True))
                    ],
                )
        else:
            conn.execute(
                sa.update(table)
                .where(c.campaign_id == campaign, c.id == record.id)
                .values(**values)
            )
        return write_id

    def merge(self, ledger: Ledger, *, author: str, base: Ledger | None = None) -> tuple[int, ...]:
        """Write what ``ledger`` changes in the stored campaign of its id, in one transaction
        (what an Excel import or an edited ledger file brings); returns the writes' ids.

        ``base`` is the campaign as the writer read it from the store, ``ledger`` being
        made from it: then only what the writer changed since ``base`` is written, and a
        record someone else changed meanwhile that the writer changed too is a conflict
        (``store-changed-since``, located; read again and retry) instead of being set back,
        unless both changed it alike (then it is not written again).
        Without ``base``, ``ledger`` is taken as the whole campaign: every record that
        differs from the stored one is written.

        The ledger is validated as a whole first. Then each record it adds is added and each
        record it changes is corrected (:meth:`put`), each history it extends has its new
        events appended (:meth:`append_events`; after any appended since ``base``), and a
        changed campaign header (campaign, regions, working groups) is corrected; every
        write is checked and kept as :meth:`put` and :meth:`append_events` keep theirs. A
        ledger that leaves out a stored record (of ``base``, when given), rewrites a
        history or changes the campaign type is refused whole
        (:class:`~campaignkit.errors.LedgerError`), and nothing is written. Added records
        come after the stored ones in an export.
        """
        check_author(author)
        campaign = ledger.campaign.id
        problems = validate(ledger, self.manager, campaign)
        if problems:
            raise LedgerError(problems, campaign)
        found: list[int] = []
        try:
            return self._merge(ledger, author, base, problems, found)
        except sa.exc.IntegrityError:  # a record added by another write (not a merge) first
            raise StoreError(Phrase("store-merge-taken", {"campaign": campaign})) from None

    def _merge(
        self,
        ledger: Ledger,
        author: str,
        base: Ledger | None,
        problems: list[Problem],
        found: list[int],
    ) -> tuple[int, ...]:
        campaign = ledger.campaign.id
        with self._writing() as conn:
            # merges of one campaign, one at a time: each compares with what the last wrote
            camp = self._campaign_row(conn, campaign, lock=True)
            rules = self._deriving_alike(camp)
            _, text, _, _ = self._document(conn, campaign)
            stored = parse(text, source=campaign)
            was = base if base is not None else stored
            if stored.campaign.type != ledger.campaign.type:
                problems.append(
                    Problem.of(
                        "expected-value",
                        "campaign.type",
                        wanted=stored.campaign.type,
                        got=ledger.campaign.type,
                    )
                )
            for section in _RECORDS:
                kept = {r.id for r in getattr(ledger, section)}
                problems.extend(
                    Problem.of("store-record-left-out", f"{section}[{n}]", key=r.id)
                    for n, r in enumerate(getattr(was, section))
                    if r.id not in kept
                )
            writes: list[tuple[str, Record, Record | None]] = []
            for section in _RECORDS:
                before = {r.id: r for r in getattr(was, section)}
                now = {r.id: r for r in getattr(stored, section)}
                for n, record in enumerate(getattr(ledger, section)):
                    old = before.get(record.id)
                    if old == record:
                        continue  # not changed by this writer
                    current = now.get(record.id)
                    if record == current:
                        continue  # changed alike by another write meanwhile: nothing to write
                    if isinstance(record, Issue):
                        events = old.events if isinstance(old, Issue) else ()
                        if record.events[: len(events)] != events:
                            problems.append(Problem.of("history-rewritten", f"issues[{n}].events"))
                            continue
                    if old is None and current is not None:
                        # new to this writer, added by another write meanwhile
                        if record != current:
                            path = f"{section}[{n}]"
                            problems.append(Problem(path, _taken(section, record.id)))
                        continue
                    if (
                        old is not None
                        and current is not None
                        and _fields(current) != _fields(old)
                        and _fields(record) != _fields(old)
                        and _fields(record) != _fields(current)  # not the same correction
                    ):
                        problems.append(
                            Problem.of("store-changed-since", f"{section}[{n}]", key=record.id)
                        )
                        continue
                    writes.append((section, record, old))
            header = _header_of(ledger)
            if base is not None:
                was_header, now_header = _header_of(base), _header_of(stored)
                if header == was_header:
                    header = now_header  # not changed by this writer: left as it is
                elif now_header not in (was_header, header):  # changed by both since base
                    problems.append(Problem.of("store-changed-since", "campaign", key=campaign))
            if problems:
                raise LedgerError(problems, campaign)
            new_header = _json(header) != camp.header
            if new_header:
                found.append(self._new_header(conn, camp, header, author))
            for _section, record, old in writes:
                current = stored.issue_index.get(record.id) if isinstance(record, Issue) else None
                if isinstance(record, Issue) and isinstance(current, Issue):
                    seen = old.events if isinstance(old, Issue) else current.events
                    mine = _fields(record)
                    earlier = _fields(old if old is not None else current)
                    if mine not in (earlier, _fields(current)):  # corrected here, not yet so
                        corrected = attrs.evolve(record, events=current.events)
                        found.append(self._put(conn, camp, corrected, author))
                    if len(record.events) > len(seen):
                        new = record.events[len(seen) :]
                        found.append(self._append(conn, camp, record.id, new, author, None))
                elif record != _stored(stored, record):
                    found.append(self._put(conn, camp, record, author))
            if new_header:  # its period may move the span the fingerprint covers
                self._derived_under(conn, campaign, rules)
        return tuple(found)

    def _columns(self, ledger: Ledger, rules: _Rules) -> Iterator[tuple[Issue, dict[str, Any]]]:
        """Each issue of ``ledger`` with its derived columns' values under ``rules``: every
        history walked once, in a workspace of its own (what a rederive writes)."""
        fresh = Workspace(
            ledger, campaign_type=rules.campaign_type, calendar=rules.calendar, manager=self.manager
        )
        shapes = fresh.shapes()
        states = fresh.known_states
        assert states is not None  # a workspace derives them in the walk of its shapes
        codec = ShapeCodec()
        for n, (issue, shape) in enumerate(zip(ledger.issues, shapes, strict=True)):
            yield issue, _derived(shape, codec, facts_of(states, n))

    def _derived_under(self, conn: Connection, campaign: str, rules: _Rules) -> None:
        """Keep the campaign's fingerprint true to its header, within a write's transaction
        that corrected the header: the views were derived under ``rules`` (checked when the
        write began) over the old header's span; if the new header's span differs, every
        issue is derived again under ``rules`` (the columns of any it changes rewritten)
        and the new fingerprint kept."""
        row, text, shape_texts, facts = self._document(conn, campaign)
        ledger = parse(text, source=campaign)
        fingerprint = self._fingerprint(rules, ledger)
        if fingerprint == row.derived_with:
            return
        i = t.issues.c
        for n, (issue, values) in enumerate(self._columns(ledger, rules)):
            if (shape_texts[n], facts[n]) != (values["shape"], values["facts"]):
                conn.execute(
                    sa.update(t.issues)
                    .where(i.campaign_id == campaign, i.id == issue.id)
                    .values(**values)
                )
        conn.execute(
            sa.update(t.campaigns)
            .where(t.campaigns.c.id == campaign)
            .values(derived_with=fingerprint, changed_at=_now())
        )

    def _new_header(
        self, conn: Connection, camp: sa.Row[Any], header: dict[str, Any], author: str
    ) -> int:
        self._checked_by_plugins(Write(camp.id, WriteAction.CORRECT, author), camp.type)
        text = _json(header)
        conn.execute(sa.update(t.campaigns).where(t.campaigns.c.id == camp.id).values(header=text))
        return self._write_row(
            conn,
            camp.id,
            author,
            WriteAction.CORRECT,
            "campaign",
            camp.id,
            before=camp.header,
            after=text,
        )

    def _neighbours(
        self,
        conn: Connection,
        campaign: str,
        header: Ledger,
        record: Record,
        seq: int,
        *,
        referrers: bool = False,
    ) -> tuple[Ledger, _Places]:
        """A ledger of the header, ``record`` (at ``seq`` in its section) and the records
        it refers to (with theirs), and where each of them stands in the campaign.

        With ``referrers`` (a corrected activity or enterprise), the records that refer to
        ``record`` come too, with the records they refer to: an issue raised in an
        activity must be of its team, an outcome's enterprises among its activity's …, and
        a correction of the activity or enterprise is checked against them."""
        found: dict[str, dict[str, tuple[int, Record]]] = {s: {} for s in _RECORDS}
        wanted: dict[str, set[str]] = {"enterprises": set(), "activities": set()}

        def refers(r: Record) -> None:
            if isinstance(r, Issue):
                if r.enterprise is not None:
                    wanted["enterprises"].add(r.enterprise)
                if r.activity is not None:
                    wanted["activities"].add(r.activity)
            elif isinstance(r, Activity | Outcome):
                wanted["enterprises"].update(r.enterprises)
                if isinstance(r, Outcome) and r.activity is not None:
                    wanted["activities"].add(r.activity)

        def keep(section: str, at: int, item: Record) -> None:
            found[section][item.id] = (at, item)
            refers(item)

        keep(_SECTION_OF[type(record)], seq, record)
        if referrers and isinstance(record, Activity | Enterprise):
            for section in _referring_sections(record):
                for at, item in self._referring(conn, campaign, section, record):
                    keep(section, at, item)
        for section in ("activities", "enterprises"):  # an activity's enterprises too
            ids = sorted(wanted[section] - found[section].keys())
            table = t.RECORD_TABLES[section]
            cls: type[Activity | Enterprise] = Activity if section == "activities" else Enterprise
            for start in range(0, len(ids), 500):
                for at, body in conn.execute(
                    sa.select(table.c.seq, table.c.body).where(
                        table.c.campaign_id == campaign, table.c.id.in_(ids[start : start + 500])
                    )
                ):
                    keep(section, at, converter.structure(orjson.loads(body), cls))
        places: _Places = {}
        parts: dict[str, tuple[Any, ...]] = {}
        for section, records in found.items():
            ordered = sorted(records.values(), key=lambda pair: pair[0])  # as in the campaign
            places[section] = [at for at, _ in ordered]
            parts[section] = tuple(item for _, item in ordered)
        return header.replace(**parts), places

    def _referring(
        self, conn: Connection, campaign: str, section: str, record: Activity | Enterprise
    ) -> Iterator[tuple[int, Record]]:
        """The records of ``section`` that refer to ``record``, with their places: those
        whose text holds its id (as JSON text, so a query finds them without a column of
        their references), then only those that name it."""
        table = t.RECORD_TABLES[section]
        text = _json(record.id)
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        cls: type[Record] = {"activities": Activity, "issues": Issue, "outcomes": Outcome}[section]
        for at, body in conn.execute(
            sa.select(table.c.seq, table.c.body).where(
                table.c.campaign_id == campaign, table.c.body.like(pattern, escape="\\")
            )
        ):
            item: Record = converter.structure(orjson.loads(body), cls)
            if _refers_to(item, record):
                yield at, item

    def rederive(self, campaign: str, *, author: str) -> int:
        """Derive every issue's columns again under today's plugins and calendar data, in one
        transaction, and record the new fingerprint; returns how many issues' columns
        changed."""
        check_author(author)
        i = t.issues.c
        with self._reading() as conn:  # read before the records: see below
            versions = dict(
                conn.execute(sa.select(i.id, i.version).where(i.campaign_id == campaign)).all()
            )
        ws = self.workspace(campaign, calendar=None)
        ledger = ws.ledger
        rules = self._rules_for(ledger.campaign.type)
        self._checked_by_plugins(
            Write(campaign, WriteAction.REDERIVE, author), rules.campaign_type.key
        )
        changed = 0
        with self._writing() as conn:
            stored = {
                r.id: (r.shape, r.facts)
                for r in conn.execute(
                    sa.select(i.id, i.shape, i.facts).where(i.campaign_id == campaign)
                )
            }
            for issue, values in self._columns(ledger, rules):
                if stored.get(issue.id) != (values["shape"], values["facts"]):
                    # an issue written since the versions were read was derived by that
                    # write, under today's rules: its newer columns stay
                    done = conn.execute(
                        sa.update(t.issues)
                        .where(
                            i.campaign_id == campaign,
                            i.id == issue.id,
                            i.version == versions.get(issue.id, -1),
                        )
                        .values(**values)
                    )
                    changed += done.rowcount
            fingerprint = self._fingerprint(rules, ledger)
            conn.execute(
                sa.update(t.campaigns)
                .where(t.campaigns.c.id == campaign)
                .values(derived_with=fingerprint, changed_at=_now())
            )
            self._write_row(
                conn,
                campaign,
                author,
                WriteAction.REDERIVE,
                after=_json({"changed": changed, "derived_with": fingerprint}),
            )
        return changed


def _fields(record: Record | None) -> Record | None:
    """``record`` without its history (an issue's fields alone)."""
    return attrs.evolve(record, events=()) if isinstance(record, Issue) else record


def _stored(ledger: Ledger, record: Record) -> Record | None:
    """The record of ``ledger`` with ``record``'s id and kind (None if it holds none)."""
    if isinstance(record, Enterprise):
        return ledger.enterprise_index.get(record.id)
    if isinstance(record, Activity):
        return ledger.activity_index.get(record.id)
    if isinstance(record, Issue):
        return ledger.issue_index.get(record.id)
    return ledger.outcome_index.get(record.id)


def check_author(author: object) -> None:
    """Refuse (:class:`StoreError`) an author a write history cannot name: not text,
    blank, too long, or holding characters that do not print. Every write checks it; a
    caller may check first, before opening or creating anything."""
    why: Phrase | None = None
    if not isinstance(author, str):
        why = Phrase("store-bad-author.not-text", {"type": type(author).__name__})
    elif len(author) > MAX_NAME:
        why = Phrase("store-bad-author.too-long", {"limit": MAX_NAME})
    elif hidden_characters(author):
        why = Phrase("store-bad-author.hidden", {"characters": repr(hidden_characters(author))})
    elif not visible(author):
        why = Phrase("store-bad-author.blank", {})
    if why is not None:
        raise StoreError(Phrase("store-bad-author", {"author": str(author)[:40], "why": why}))


def _why(exc: BaseException) -> str:
    """What a database error says, on one line, without SQLAlchemy's statement and links."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return " ".join(text.split("(Background on this error")[0].split())


def _problems_of(check: Any, write: Write) -> list[Problem]:
    return plugin_problems(check(write))


_Places = dict[str, list[int]]
"""Where the records of a small ledger stand in the campaign: by section, the place of each
record in the campaign's section, in the small ledger's order."""

_PLACE = re.compile(r"(enterprises|activities|issues|outcomes)\[(\d+)\]")


def _relocated(problem: Problem, places: _Places) -> Problem:
    """``problem`` of a small ledger (:meth:`Store._neighbours`), located where its record
    is in the campaign."""
    found = _PLACE.match(problem.path)
    if found is None:
        return problem
    section, n = found.group(1), int(found.group(2))
    if n >= len(places.get(section, ())):
        return problem
    at = places[section][n]
    return attrs.evolve(problem, path=f"{section}[{at}]" + problem.path[found.end() :])


def _referring_sections(record: Activity | Enterprise) -> tuple[str, ...]:
    """The sections whose records may refer to ``record``."""
    if isinstance(record, Activity):
        return ("issues", "outcomes")
    return ("activities", "issues", "outcomes")


def _refers_to(item: Record, record: Activity | Enterprise) -> bool:
    """True if ``item`` names ``record``."""
    if isinstance(record, Activity):
        return isinstance(item, Issue | Outcome) and item.activity == record.id
    if isinstance(item, Issue):
        return item.enterprise == record.id
    return isinstance(item, Activity | Outcome) and record.id in item.enterprises


def _derived(shape: Shape, codec: ShapeCodec, facts: str) -> dict[str, Any]:
    return {
        "state": shape.state,
        "state_kind": shape.kind.value,
        "level": shape.level,
        "next_due": next_due(shape),
        "shape": codec.encode(shape),
        "facts": facts,
    }


def _record_row(section: str, campaign: str, seq: int, body: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "campaign_id": campaign,
        "id": body["id"],
        "seq": seq,
        "body": _json(body),
    }
    if section in ("activities", "outcomes"):
        row["kind"] = body["kind"]
    return row


def _issue_row(
    campaign: str,
    seq: int,
    issue: Issue,
    body: Mapping[str, Any],
    shape: Shape,
    codec: ShapeCodec,
    version: int,
    facts: str,
) -> dict[str, Any]:
    return {
        "campaign_id": campaign,
        "id": issue.id,
        "seq": seq,
        "body": _json(body),
        "version": version,
        "events": len(issue.events),
        "last_day": issue.events[-1].date if issue.events else issue.raised,
        "team": issue.team,
        "category": issue.category,
        "channel": issue.channel,
        **_derived(shape, codec, facts),
    }


def _event_row(
    campaign: str, issue: str, n: int, event: IssueEvent, body: Any, write_id: int
) -> dict[str, Any]:
    return {
        "campaign_id": campaign,
        "issue_id": issue,
        "n": n,
        "day": event.date,
        "kind": event.kind,
        "body": _json(body),
        "write_id": write_id,
    }


def _insert(conn: Connection, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert ``rows`` (each with every column of ``table``) through the driver's own
    ``executemany``: at a million rows, SQLAlchemy's per-row parameter processing would
    cost more than the database's work. Dates are given as SQLite keeps them (ISO text)."""
    batch = list(rows)
    if not batch:
        return
    names = list(batch[0])
    sqlite = conn.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    columns = ", ".join(names)  # the names of our own tables' columns, never input
    statement = f"INSERT INTO {table.name} ({columns}) VALUES ({', '.join([mark] * len(names))})"  # noqa: S608
    dated = [n for n, name in enumerate(names) if isinstance(table.c[name].type, sa.Date)]
    values: list[tuple[Any, ...]] = []
    for row in batch:
        item = tuple(row.values())
        if sqlite and dated:
            cells = list(item)
            for n in dated:
                if cells[n] is not None:
                    cells[n] = cells[n].isoformat()
            item = tuple(cells)
        values.append(item)
    conn.exec_driver_sql(statement, values)
