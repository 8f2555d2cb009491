"""Reading and writing ledger files (the edge where JSON meets the model).

The file is a versioned JSON document::

    {"format": "campaignkit-ledger", "version": 1, "campaign": {...},
     "regions": [...], "work_groups": [...], "enterprises": [...],
     "activities": [...], "issues": [...], "outcomes": [...]}

:func:`dump` writes atomically: a crash never leaves a half-written file.
"""

from __future__ import annotations

import functools
import mmap
import os
import typing
import weakref
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import attrs
import msgspec
import orjson
from cattrs.errors import BaseValidationError

from campaignkit.derive.views import Deriver, Shape, StateColumns, latest_event_date
from campaignkit.errors import LedgerError, PluginError, Problem, TransitionError
from campaignkit.gcpause import paused
from campaignkit.hooks.manager import PluginManager, get_plugin_manager
from campaignkit.i18n.catalogue import Phrase, noun
from campaignkit.ledgerfile import jsontext, reading
from campaignkit.ledgerfile.atomic import atomic_write
from campaignkit.ledgerfile.converter import (
    COUNTING,
    OutOfRange,
    converter,
    counting_converter,
    describe,
    entry_problems,
    exception_problems,
    forget_texts,
    members_counted,
    quick_converter,
)
from campaignkit.model.ledger import FORMAT_NAME, FORMAT_VERSION, Ledger
from campaignkit.model.records import IssueEvent
from campaignkit.validation.checks import (
    MAX_PROBLEMS,
    check_ledger,
    event_checker,
    out_of_order,
    refusal,
)
from campaignkit.validation.types import record_problems, type_problems
from campaignkit.workspace import Workspace

if typing.TYPE_CHECKING:
    from campaignkit.derive.calendar import WorkCalendar

__all__ = [
    "append_events",
    "atomic_write",
    "document_from_ledger",
    "dump",
    "dumps",
    "ledger_from_document",
    "load",
    "load_workspace",
    "loads",
    "parse",
    "validate",
]

_SECTIONS = (
    "campaign",
    "regions",
    "work_groups",
    "enterprises",
    "activities",
    "issues",
    "outcomes",
)


def ledger_from_document(doc: Any, source: str | None = None) -> Ledger:
    """Structure a parsed JSON document into a :class:`Ledger` (no semantic checks).

    The document is structured by the quick converter; a document it refuses is
    judged record by record (the detailed converter names every bad field of a refused
    record, up to :data:`~campaignkit.validation.checks.MAX_PROBLEMS` problems), and
    where the records say nothing, by the detailed converter as a whole.
    """
    if not isinstance(doc, dict):
        raise LedgerError([Problem.of("document-not-object", "")], source)
    problems: list[Problem] = []
    if doc.get("format") != FORMAT_NAME:
        found = doc.get("format")
        got = Phrase("value.none") if found is None else repr(found)
        problems.append(Problem.of("expected-value", "format", wanted=FORMAT_NAME, got=got))
    version = doc.get("version")
    if type(version) in (bool, float, OutOfRange):  # 1.0 and true equal 1 in Python
        problems.append(
            Problem.of(
                "format-version-not-integer", "version", reads=FORMAT_VERSION, got=describe(version)
            )
        )
    elif version != FORMAT_VERSION:
        problems.append(
            Problem.of("format-version", "version", version=version, reads=FORMAT_VERSION)
        )
    body = {k: v for k, v in doc.items() if k not in ("format", "version")}
    try:  # the quick converter first (see structure); what it refuses is judged below
        ledger: Ledger = quick_converter.structure(body, Ledger)
    except Exception:  # noqa: BLE001 - refused: the records, then the detailed converter say why
        refused = _records_refused(body)
        if refused:
            raise LedgerError([*problems, *refused], source) from None
    else:
        if problems:
            raise LedgerError(problems, source)
        return ledger
    try:
        ledger = converter.structure(body, Ledger)
    except BaseValidationError as exc:
        problems.extend(exception_problems(exc))
        raise LedgerError(problems, source) from None
    except (TypeError, ValueError, KeyError) as exc:  # pragma: no cover - defensive
        problems.extend(exception_problems(exc))
        raise LedgerError(problems, source) from None
    if problems:
        raise LedgerError(problems, source)
    return ledger


def _takes(hook: Callable[[Any, Any], object], value: object, cls: object) -> bool:
    """True if the quick converter's ``hook`` structures ``value`` as ``cls``."""
    try:
        hook(value, cls)
    except Exception:  # noqa: BLE001 - refused: the caller asks the detailed converter why
        return False
    return True


def _records_refused(body: dict[str, Any], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The problems of the records of a document the quick converter refused, record by
    record, up to ``limit`` (then one more that says validation stopped); empty if its
    sections are not lists of records or its records have no problem of their own (the
    detailed converter then says what is wrong with the whole).

    A document of hundreds of thousands of wrongly typed records is answered within
    seconds: each record is structured quickly, only a refused one by the detailed
    converter, and no more of them than are listed.
    """
    fields = _ledger_fields()
    required = {a.name for a in attrs.fields(Ledger) if a.init and a.default is attrs.NOTHING}
    if not (required <= body.keys() <= fields.keys()) or not all(
        type(body[name]) is list for name, (_, many) in fields.items() if many and name in body
    ):
        return []
    problems: list[Problem] = []
    for name, (cls, many) in fields.items():
        if name not in body:
            continue
        if not many:
            try:
                converter.structure(body[name], cls)
            except (BaseValidationError, TypeError, ValueError, KeyError) as exc:
                problems.extend(exception_problems(exc, name))
            continue
        quick = quick_converter.get_structure_hook(cls)
        for i, value in enumerate(body[name]):
            if _takes(quick, value, cls):
                continue
            problems.extend(entry_problems(value, cls, f"{name}[{i}]"))
            if len(problems) > limit:
                return [*problems[:limit], Problem.of("too-many-problems", "", limit=limit)]
    return problems


_BATCH = 1 << 15
"""Records structured between two calls of ``release`` (see :func:`_by_record`)."""

_CHUNK = 64
"""Records parsed (and checked for keys given twice) at a time by :func:`_by_record`: few
enough that orjson parses a chunk faster than as many records one by one (a chunk of 1,024
costs more), and that a chunk read again for a colon in its text is small."""

_split_document = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode
_split_section = msgspec.json.Decoder(list[msgspec.Raw]).decode


@functools.cache
def _ledger_fields() -> dict[str, tuple[Any, bool]]:
    """Each field of a ledger: its record class, and whether it holds a tuple of them."""
    hints = typing.get_type_hints(Ledger)
    out: dict[str, tuple[Any, bool]] = {}
    for a in attrs.fields(Ledger):
        if a.init:
            t = hints[a.name]
            many = typing.get_origin(t) is tuple
            out[a.name] = (typing.get_args(t)[0] if many else t, many)
    return out


def _by_record(data: jsontext.Text, release: Callable[[], object] | None = None) -> Ledger | None:
    """The ledger in ``data`` structured one record at a time, or None to take the full path.

    A document parsed whole takes several times its size in memory. Here
    msgspec only cuts the document into the raw text of its sections and each
    section into that of its records (it decodes nothing); the records are then
    parsed by orjson a chunk at a time and structured by the hook for their class
    of the quick converter (the one that counts members, with the same hooks as on
    the full path), so what stays in memory is
    the file and the records built. Anything the full path would not take as it
    is (a BOM, an unknown or missing key, a refused record, a key given twice in
    one object) returns None: the full path then reads the file and names every
    problem.

    Keys given twice are looked for as :mod:`campaignkit.ledgerfile.jsontext`
    explains: the document's own keys in its text, and for each chunk of records
    the colons of its text against the members of the objects structured from it
    (counted by :func:`~campaignkit.ledgerfile.converter.counting_converter`).

    ``release`` is called after each section is cut and after each batch of
    records (e.g. to let the system drop the pages of a memory-mapped file read
    so far); the records of a section replace their raw text a chunk at a time.
    """
    if isinstance(data, str) or data[:3] == b"\xef\xbb\xbf":
        return None
    with COUNTING:
        members_counted()
        try:
            return _records_counted(data, release)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001 - refused: the full path says why
            return None


def _records_counted(
    data: bytes | bytearray | mmap.mmap, release: Callable[[], object] | None
) -> Ledger | None:
    """The body of :func:`_by_record`, holding :data:`COUNTING`."""
    fields = _ledger_fields()
    loads = orjson.loads
    once = jsontext.members_once
    counting = counting_converter()
    top = _split_document(data)
    if release is not None:
        release()
    version = loads(memoryview(top.get("version", b"null")))
    if (
        loads(memoryview(top.get("format", b"null"))) != FORMAT_NAME
        or type(version) is not int
        or version != FORMAT_VERSION
        or "campaign" not in top
        or not fields.keys() >= top.keys() - {"format", "version"}
        or not jsontext.object_keys_once(data, top)
    ):
        return None
    values: dict[str, Any] = {}
    for name, (cls, many) in fields.items():
        raw = top.pop(name, None)
        if raw is None:
            continue
        hook = counting.get_structure_hook(cls)
        if not many:
            text = bytes(raw)
            values[name] = hook(loads(text), cls)
            if not once(text, members_counted()):
                return None
            continue
        items: list[Any] = _split_section(raw)
        del raw
        for start in range(0, len(items), _CHUNK):
            end = start + _CHUNK
            text = _array(items[start:end])
            items[start:end] = [hook(v, cls) for v in loads(text)]
            if not once(text, members_counted()):
                return None
            del text
            if release is not None and end % _BATCH == 0:
                release()
        values[name] = tuple(items)
        del items
    return Ledger(**values)


def _array(records: list[Any]) -> bytes:
    """The JSON array of the raw records ``records`` (at least one), copied once."""
    records[0] = b"[" + bytes(records[0])
    records[-1] = bytes(records[-1]) + b"]"
    return b",".join(records)


MAP_FROM = 64 * 1024 * 1024
"""Files of at least this many bytes are loaded from a memory map.

Smaller files are read whole: the memory saved would be small, and a mapped
file that another program shrinks in place while it is being read ends the
process (``SIGBUS``) instead of raising an error. Ledgers written by
campaignkit are replaced by renaming, never shrunk in place."""


def _checked(
    ledger: Ledger,
    manager: PluginManager | None,
    source: str | None,
    workspace: Callable[[Ledger], Workspace | None] | None = None,
) -> Ledger:
    """``ledger``, validated (:class:`LedgerError` with every problem). With ``workspace``,
    the workspace it makes of the ledger walks the histories: the shapes validation
    derives are the workspace's own (see :func:`load_workspace`)."""
    with paused():
        opened = workspace(ledger) if workspace is not None else None
        problems = _validate(ledger, manager, source, opened)
    if problems:
        raise LedgerError(problems, source)
    return ledger


def validate(
    ledger: Ledger,
    manager: PluginManager | None = None,
    source: str | None = None,
    *,
    workspace: Workspace | None = None,
) -> list[Problem]:
    """Every problem of ``ledger`` under its campaign type (built-in and plugin checks).

    With ``workspace`` (a :class:`~campaignkit.workspace.Workspace` of this very
    ledger), the ledger is validated under the workspace's manager, once: each
    history is walked by the workspace's deriver, whose shapes the workspace then
    keeps, and the problems are kept in :attr:`Workspace.validated
    <campaignkit.workspace.Workspace.validated>`, so validating again (as after
    :func:`load_workspace`, which validated it already) reads them. ``manager``, if
    given, must be the workspace's.

    A ledger built in code is first checked for values of the wrong type (a float
    amount, a string date, a list where a tuple is declared: see
    :mod:`campaignkit.validation.types`); those are its problems, located as a file's
    are, and ``validate`` never raises on them.

    The cyclic garbage collector is paused meanwhile and left as it was
    (:mod:`campaignkit.gcpause`).
    """
    read = _READ.get(id(ledger)) is ledger  # structured by the converter: typed as declared
    wrong = (
        type_problems(ledger, MAX_PROBLEMS)
        if not read and (workspace is None or workspace.validated is None)
        else []
    )
    if wrong:
        return [p.located(source) for p in wrong]
    if workspace is None:
        with paused():
            return _validate(ledger, manager, source)
    if workspace.ledger is not ledger:
        raise ValueError("the workspace holds another ledger")
    if manager is not None and manager is not workspace.manager:
        raise ValueError("the workspace was opened with another plugin manager")
    found = workspace.validated
    if found is None:
        with paused():
            found = tuple(_validate(ledger, workspace.manager, None, workspace))
        workspace.validated = found
    return [p.located(source) for p in found]


def _validate(
    ledger: Ledger,
    manager: PluginManager | None,
    source: str | None,
    workspace: Workspace | None = None,
) -> list[Problem]:
    pm = manager or get_plugin_manager()
    try:
        ctype = pm.campaign_type(ledger.campaign.type)
    except PluginError as exc:
        return [Problem("campaign.type", exc.phrase, source)]
    validators = pm.validators(ctype.key).values()

    def owner(name: str) -> str | None:
        return pm.owner("campaignkit_validators", name, ctype.key)

    if workspace is None:
        problems = check_ledger(ledger, ctype, validators, owner=owner)
    else:
        shapes: list[Shape | None] = []
        states = StateColumns.empty()  # what each history says, walked with its shape
        problems = check_ledger(
            ledger,
            ctype,
            validators,
            deriver=workspace.deriver,
            shapes=shapes,
            states=states,
            culprit=pm.culprit,  # a plugin calendar that fails is named, not a problem
            owner=owner,
        )
        if not problems and None not in shapes:  # else the workspace derives them itself
            workspace.adopt(cast("list[Shape]", shapes), states)
    return [p.located(source) for p in problems]


def loads(
    data: bytes | str,
    *,
    manager: PluginManager | None = None,
    source: str | None = None,
    max_bytes: int | None = None,
) -> Ledger:
    """Parse and validate a ledger document; raise :class:`LedgerError` with every problem.

    A document of more than ``max_bytes`` bytes (by default ``CAMPAIGNKIT_MAX_BYTES``,
    else 1 GiB: see :mod:`campaignkit.ledgerfile.reading`) is refused unread.
    """
    limit = reading.limit_of(max_bytes)
    reading.refuse_if_larger(len(data), limit, source, what="document")
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")  # the quick route reads bytes
        except UnicodeEncodeError:  # lone surrogates: the full path words them
            pass
        else:
            reading.refuse_if_larger(len(data), limit, source, what="document")
    return _checked(_parsed(data, source), manager, source)


def parse(data: bytes | bytearray | str, *, source: str | None = None) -> Ledger:
    """The ledger of a document's JSON text, structured as :func:`loads` structures it but
    not validated (for text already checked, such as what a store keeps); a document the
    converter refuses raises :class:`LedgerError` naming every problem."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return _parsed(data, source)


_READ: weakref.WeakValueDictionary[int, Ledger] = weakref.WeakValueDictionary()
"""The ledgers read from a document (by id, while they live): the converter made them, so
every value has its declared type and :func:`validate` does not check the types again."""


def _parsed(
    data: jsontext.Text, source: str | None, release: Callable[[], object] | None = None
) -> Ledger:
    """The ledger of a document, not yet validated."""
    with paused():
        try:
            ledger = _by_record(data, release)
            if ledger is None:
                ledger = _from_text(data, source)
        finally:
            forget_texts()  # the strings shared while structuring: kept by the records alone
    _READ[id(ledger)] = ledger
    return ledger


def _from_text(data: jsontext.Text, source: str | None) -> Ledger:
    """The ledger of a document parsed whole: every problem of its text and structure."""
    return jsontext.parsed(data, source, lambda doc: ledger_from_document(doc, source))


def _read(path: str | os.PathLike[str], max_bytes: int | None = None) -> tuple[Ledger, str]:
    """The ledger of the file at ``path`` (a folder: its ``ledger.json``), not yet
    validated, and the file's name. Files of :data:`MAP_FROM` bytes or more are
    mapped, not read; no more than ``max_bytes`` are read (see :func:`load`)."""
    p = Path(path)
    if p.is_dir():
        p = p / "ledger.json"
    with reading.opened(p, max_bytes, map_from=MAP_FROM) as (data, release):
        return _parsed(data, str(p), release), str(p)


def load(
    path: str | os.PathLike[str],
    *,
    manager: PluginManager | None = None,
    max_bytes: int | None = None,
) -> Ledger:
    """Read and validate the ledger file at ``path``.

    At most ``max_bytes`` bytes are read (by default the ``CAMPAIGNKIT_MAX_BYTES``
    environment variable, else 1 GiB): a larger file, or a pipe or device that
    gives more, is refused with a :class:`LedgerError` (see
    :mod:`campaignkit.ledgerfile.reading`).
    """
    ledger, source = _read(path, max_bytes)
    return _checked(ledger, manager, source)


def load_workspace(
    path: str | os.PathLike[str],
    *,
    manager: PluginManager | None = None,
    calendar: WorkCalendar | None = None,
    max_bytes: int | None = None,
) -> Workspace:
    """Read and validate the ledger file at ``path`` (as :func:`load`, ``max_bytes`` too) and open a
    :class:`~campaignkit.workspace.Workspace` on it, its issues' shapes derived once:
    the summary, ``overdue`` and escalation of every date then read them. Validation
    walks each history with the workspace's deriver, so the walk that checks a history
    is the one that derives its shape."""
    pm = manager or get_plugin_manager()
    ledger, source = _read(path, max_bytes)
    opened: list[Workspace] = []

    def workspace(ledger: Ledger) -> Workspace | None:
        try:
            opened.append(Workspace.open(ledger, manager=pm, calendar=calendar))
        except PluginError:  # an unknown campaign type: validation says so
            return None
        return opened[0]

    _checked(ledger, pm, source, workspace)
    found = opened[0] if opened else Workspace.open(ledger, manager=pm, calendar=calendar)
    found.validated = ()  # validated above, without a problem
    found.shapes()
    return found


def append_events(
    ledger: Ledger,
    additions: Mapping[str, Iterable[IssueEvent]],
    *,
    manager: PluginManager | None = None,
) -> Ledger:
    """A new ledger with ``additions`` (issue id → events) appended to those issues'
    histories, each event checked before anything is appended: its values' types, its
    date (not before the issue was raised or any event before it) and whether the
    campaign type's lifecycle allows it where it stands, and what validation checks of
    every event on its own (levels, due dates, ratings, names, notes, extra attributes
    and dates no later than the campaign allows). A refused addition raises
    :class:`LedgerError` listing every problem (``issues[3].events[5].kind: …``) and
    ``ledger`` is unchanged; an unknown issue id is one of them.

    :meth:`Ledger.with_events <campaignkit.model.ledger.Ledger.with_events>` appends
    without any check (the records are data); this is the checked way.
    """
    pm = manager or get_plugin_manager()
    try:
        ctype = pm.campaign_type(ledger.campaign.type)
    except PluginError as exc:
        raise LedgerError([Problem("campaign.type", exc.phrase)]) from None
    index = {issue.id: n for n, issue in enumerate(ledger.issues)}
    problems: list[Problem] = []
    added: dict[str, tuple[IssueEvent, ...]] = {}
    check = event_checker(ledger, ctype)
    for iid, events in additions.items():
        if iid not in index:
            problems.append(Problem.of("unknown-reference", "issues", what=noun("issue"), key=iid))
            continue
        n = index[iid]
        issue = ledger.issues[n]
        added[iid] = tuple(events)
        # the latest event before it (in a ledger nobody validated, not always the last)
        previous, at = latest_event_date(issue), len(issue.events) - 1
        if issue.events and issue.events[-1].date != previous:
            at = max(range(len(issue.events)), key=lambda e: issue.events[e].date)
        for k, event in enumerate(added[iid], start=len(issue.events)):
            path = f"issues[{n}].events[{k}]"
            wrong = record_problems(event, IssueEvent, path)
            problems.extend(wrong)
            if wrong:
                continue
            problems.extend(check(event, path))
            if event.date < previous or event.date < issue.raised:
                wrong_day = out_of_order(event.date, issue.raised, previous, at, f"{path}.date")
                problems.append(wrong_day)
            else:
                previous, at = event.date, k
    if not problems:
        deriver = Deriver.of_states(ctype.lifecycle)
        for iid, events in added.items():
            n = index[iid]
            issue = ledger.issues[n]
            history = (*issue.events, *events)
            try:
                deriver.shape(issue, events=history)
            except TransitionError as exc:
                at = exc.position or 0  # (the deriver always says where)
                where = f"issues[{n}].events[{at}].kind"
                problems.append(refusal(history[at], exc, ctype, where))
    if problems:
        raise LedgerError(problems)
    return ledger.with_events(added)


def document_from_ledger(ledger: Ledger) -> dict[str, Any]:
    """The JSON document (plain dicts and lists) of a ledger."""
    body = converter.unstructure(ledger, Ledger)
    doc: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for section in _SECTIONS:
        if section in body:
            doc[section] = body[section]
    return doc


def dumps(ledger: Ledger) -> bytes:
    """Serialise a ledger to canonical JSON bytes (UTF-8, two-space indent, trailing newline).

    Serialisation only: :func:`dump` validates before it writes a file."""
    return orjson.dumps(document_from_ledger(ledger), option=orjson.OPT_INDENT_2) + b"\n"


def dump(
    ledger: Ledger,
    path: str | os.PathLike[str],
    *,
    manager: PluginManager | None = None,
    check: bool = True,
) -> Path:
    """Write ``ledger`` to ``path`` atomically and fire ``campaignkit_ledger_saved``.

    The ledger is validated first (under ``manager``, the shared plugin manager by
    default): one with problems raises :class:`LedgerError` listing them and nothing is
    written, so a file ``dump`` writes is one :func:`load` reads. ``check=False`` skips
    that for a ledger just validated (the file is then as good as the ledger)."""
    if check:
        problems = validate(ledger, manager, str(path))
        if problems:
            raise LedgerError(problems, str(path))
    target = atomic_write(path, dumps(ledger))
    if manager is not None:
        manager.notify("campaignkit_ledger_saved", path=str(target), ledger=ledger)
    return target
