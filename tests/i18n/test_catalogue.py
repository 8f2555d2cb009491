"""The message catalogue: both languages for every code, and plugins' own codes."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import campaignkit
from campaignkit.errors import Problem
from campaignkit.hooks.manager import get_plugin_manager
from campaignkit.i18n.catalogue import (
    CatalogueConflict,
    Phrase,
    codes,
    register,
    template,
)

SRC = Path(campaignkit.__file__).parent
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("code", codes())
def test_every_code_has_both_languages(code: str) -> None:
    words = template(code)
    assert words.en.strip() and words.zh.strip()
    assert _fields(words.zh) <= _fields(words.en), code
    # formatted with an argument for each field it declares, in both languages
    args = {name: 1.5 for name in words.fields()}
    assert Phrase(code, args).text("en")
    assert Phrase(code, args).text("zh")


def test_the_chinese_words_are_chinese() -> None:
    same = [c for c in codes() if template(c).en == template(c).zh]
    # words that read the same in both: a label before a message, an OS error text, …
    assert all(c == "labelled" for c in same), same
    assert len([c for c in codes() if _CJK.search(template(c).zh)]) > 150


def _used_codes() -> set[str]:
    found: set[str] = set()
    pattern = re.compile(
        r"""(?:Problem\.of|Phrase|problem)\(\s*"([a-z0-9][a-z0-9.-]*[a-z0-9])"|"""
        r"""(?:code|_problem\([^)]*?)\s*=\s*"([a-z0-9][a-z0-9.-]*[a-z0-9])\""""
    )
    for path in SRC.rglob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_code_the_sources_name_is_in_the_catalogue() -> None:
    get_plugin_manager()  # the built-in plugins register their own words when loaded
    used = _used_codes()
    assert len(used) > 100
    assert used <= set(codes()), sorted(used - set(codes()))


def test_a_plugin_registers_a_bilingual_message() -> None:
    register(
        "test-plugin.major-without-assignment",
        en="a major issue needs its assignment ({severity})",
        zh="重大问题要有交办记录（{severity}）",
        owner="test_plugin",
    )
    problem = Problem.of(
        "test-plugin.major-without-assignment", "issues[3].events", severity="major"
    )
    assert str(problem) == "issues[3].events: a major issue needs its assignment (major)"
    assert problem.text() == "issues[3].events: 重大问题要有交办记录（major）"
    assert problem.text("en") == str(problem)
    # the same words again are no conflict
    register(
        "test-plugin.major-without-assignment",
        en="a major issue needs its assignment ({severity})",
        zh="重大问题要有交办记录（{severity}）",
        owner="another_plugin",
    )


def test_a_conflicting_registration_is_reported_naming_both() -> None:
    register("test-plugin.clash", en="one", zh="一", owner="first_plugin")
    with pytest.raises(CatalogueConflict) as info:
        register("test-plugin.clash", en="two", zh="二", owner="second_plugin")
    said = str(info.value)
    assert "'test-plugin.clash'" in said
    assert "first_plugin" in said and "'one'" in said and "'一'" in said
    assert "second_plugin" in said and "'two'" in said and "'二'" in said
    assert template("test-plugin.clash").en == "one"


def test_a_code_of_campaignkit_cannot_be_reworded() -> None:
    with pytest.raises(CatalogueConflict, match="campaignkit"):
        register("required", en="needed", zh="需要")


def test_chinese_words_may_not_use_fields_the_english_ones_lack() -> None:
    with pytest.raises(ValueError, match="extra"):
        register("test-plugin.fields", en="plain", zh="{extra}")
