"""What an import changes, record by record: added, updated (which columns), unchanged.

:func:`~campaignkit.workbook.excel.import_workbook` lists one :class:`RecordChange`
per record a row names, in the order of the rows, before anything is written: a dry
run is the import itself (``ImportResult.changes``), and writing the merged ledger is
a separate step. An updated record lists each column whose value changed
(:class:`FieldChange`, with the values before and after) and, for an issue, the
handling events appended to its history.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from attrs import frozen

from campaignkit.i18n.catalogue import Phrase, Words, noun
from campaignkit.model.records import Activity, Contact, Enterprise, Issue, IssueEvent, Outcome
from campaignkit.rules.records import Label

__all__ = ["SECTIONS", "ChangeKind", "FieldChange", "RecordChange", "field_changes"]

SECTIONS = ("enterprises", "activities", "issues", "outcomes")
"""The ledger's sections a workbook holds rows of, in the order they are read."""

_NOUNS = {
    "enterprises": "enterprise",
    "activities": "activity",
    "issues": "issue",
    "outcomes": "outcome",
}

_SKIPPED = frozenset({"id", "events", "parties"})
"""Record fields no column holds (the id names the record; events are appended;
an outcome's parties stay as the ledger has them)."""

_COLUMN_OF = {
    "issues": {"enterprise": "enterprise_name"},
}
"""Where a record field is shown when its column has another name."""


class ChangeKind(enum.StrEnum):
    """What an import does to a record a row names."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@frozen
class FieldChange:
    """One value an updated record changes: the field, the column that shows it, before
    and after (as the ledger holds them: keys, Decimal yuan, dates)."""

    field: str
    """The column's field (``category``, ``figure:copies``, ``extra:media_level``)."""
    column: str
    """The column's header (问题类别)."""
    old: Any
    new: Any


class _Joined:
    """Column headers joined as a list is in each language."""

    def __init__(self, items: tuple[str, ...]) -> None:
        self.items = items

    def text(self, lang: str = "zh") -> str:
        return ("、" if lang == "zh" else ", ").join(self.items)


@frozen
class RecordChange:
    """What an import does to one record: ``kind`` of change, the record (``section`` and
    ``id``), the row it came from (``where``: ``问题台账!5:5``) and, for an update, the
    columns changed and the events appended."""

    kind: ChangeKind
    section: str
    """``enterprises``, ``activities``, ``issues`` or ``outcomes``."""
    id: str
    where: str
    fields: tuple[FieldChange, ...] = ()
    events: tuple[IssueEvent, ...] = ()
    """Events appended to an issue's history."""
    event_labels: tuple[Label, ...] = attrs.field(default=(), eq=False)
    """The appended events' labels (办结 / resolved), for :meth:`text`."""

    @property
    def phrase(self) -> Phrase:
        """The change as words in either language (see :meth:`text`)."""
        args: dict[str, object] = {
            "what": noun(_NOUNS.get(self.section, self.section)),
            "key": self.id,
            "where": self.where,
        }
        code = f"change.{self.kind.value}"
        if self.kind is ChangeKind.UPDATED and self.fields:
            args["columns"] = _Joined(tuple(dict.fromkeys(f.column for f in self.fields)))
        elif self.kind is ChangeKind.UPDATED:
            code = "change.updated-plain"
        phrase = Phrase(code, args)
        if not self.events:
            return phrase
        kinds: Words = (
            _Labels(self.event_labels)
            if self.event_labels
            else _Joined(tuple(e.kind for e in self.events))
        )
        events = Phrase("change.events", {"count": len(self.events), "kinds": kinds})
        return Phrase("change.with-events", {"change": phrase, "events": events})

    def text(self, lang: str = "zh") -> str:
        """One line: ``更新问题 Q-0001(问题台账!3:3):问题类别;追加办理记录 1 条(办结)``."""
        return self.phrase.text(lang)


class _Labels:
    """Labels joined as a list is in each language."""

    def __init__(self, labels: tuple[Label, ...]) -> None:
        self.labels = labels

    def text(self, lang: str = "zh") -> str:
        return _Joined(tuple(label.get(lang) for label in self.labels)).text(lang)


Record = Enterprise | Activity | Issue | Outcome


def _values(record: Record) -> Iterator[tuple[str, Any]]:
    """A record's values by the field of the column that shows them."""
    for a in attrs.fields(type(record)):
        if a.name in _SKIPPED:
            continue
        value = getattr(record, a.name)
        if isinstance(value, Contact) or (a.name == "contact" and value is None):
            for part in ("person", "phone", "email"):
                yield part, getattr(value, part) if value is not None else None
        elif a.name in ("figures", "extra"):
            prefix = "figure" if a.name == "figures" else "extra"
            for key, item in value.items():
                yield f"{prefix}:{key}", item
        else:
            yield a.name, value


def field_changes(
    section: str, old: Record, new: Record, headers: Mapping[str, str]
) -> tuple[FieldChange, ...]:
    """The values ``new`` changes of ``old``, each with the header of its column
    (``headers``: field → header; a field without one is shown by its name)."""
    before = dict(_values(old))
    after = dict(_values(new))
    rename = _COLUMN_OF.get(section, {})
    found = []
    for name in dict.fromkeys([*before, *after]):
        was, now = before.get(name), after.get(name)
        if was != now:
            field = rename.get(name, name)
            found.append(FieldChange(field, headers.get(field, field), was, now))
    return tuple(found)
