"""Everything people read is worded by the message catalogue: rule reasons, amounts of
time, the command line's help, and labels as arguments of any message."""

from __future__ import annotations

import datetime as dt

import pytest

from campaignkit.cli.helptext import ZH, translate
from campaignkit.derive.clocks import ClockStatus, Judged, amount, late_phrase, late_text
from campaignkit.derive.deadlines import deadline_text
from campaignkit.i18n.catalogue import Phrase, Words, codes, pick, register, template
from campaignkit.model.records import Deadline, DeadlineUnit
from campaignkit.plugins.escalation_rules import REASONS
from campaignkit.rules.records import Label


def test_the_reasons_of_the_built_in_rules_are_registered() -> None:
    for code, (en, zh) in REASONS.items():
        assert code in codes()
        assert (template(code).en, template(code).zh) == (en, zh)


def test_amounts_in_each_unit() -> None:
    assert amount(3, DeadlineUnit.WORKING_DAYS).text() == "3个工作日"
    assert amount(3, DeadlineUnit.WORKING_DAYS).text("en") == "3 working day(s)"
    assert deadline_text(Deadline(2, DeadlineUnit.DAYS)) == "2天"
    assert deadline_text(Deadline(24, DeadlineUnit.HOURS), "en") == "24 hour(s)"
    late = Judged(ClockStatus.MISSED, 1, dt.timedelta(hours=14, minutes=59))
    assert late_text(late, DeadlineUnit.HOURS) == "14小时59分"
    assert late_phrase(late, DeadlineUnit.HOURS).text("en") == "14 h 59 min"
    on_the_hour = Judged(ClockStatus.MISSED, 1, dt.timedelta(hours=3))
    assert late_text(on_the_hour, DeadlineUnit.HOURS, "en") == "3 h"


def test_a_label_is_words_of_any_message() -> None:
    register("test.label-argument", "{stage} is late", "{stage}超期", owner="tests")
    label = Label("办结", "resolution")
    assert isinstance(label, Words)
    phrase = Phrase("test.label-argument", {"stage": label})
    assert (phrase.text(), phrase.text("en")) == ("办结超期", "resolution is late")


def test_one_choice_of_language() -> None:
    label = Label("办结", "resolution")
    for lang in ("zh", "en"):
        assert label.get(lang) == pick("办结", "resolution", lang)
    for lang in ("fr", "", "zh-CN"):  # never Chinese in silence
        with pytest.raises(ValueError, match=f"unknown language {lang!r} \\(known: zh, en\\)"):
            label.get(lang)


def test_the_help_is_worded_by_the_catalogue() -> None:
    english, chinese = next((en, zh) for en, zh in ZH.items() if "{" in en)
    assert "help." + english in codes()
    assert translate(english, "zh") == chinese
    assert translate(english, "en") == english  # braces are text, not fields
    assert translate("no entry for this", "zh") == "no entry for this"
