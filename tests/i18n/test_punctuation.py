"""Chinese text uses full-width punctuation wherever people read it.

In Chinese, the comma, semicolon, colon, brackets, exclamation and question marks are
full-width (，；：（）！？): ``截止到5月12日，工作组…；`` is how the headline paragraph is
pasted into a 工作总结, not ``截止到5月12日,工作组…;``. These tests fail on an ASCII
``, ; : ( ) ! ?`` beside a Chinese character (or beside full-width punctuation) in

- the Chinese words of every code of the message catalogue (fields stand for words of
  the sentence), the command line's help among them;
- the Chinese labels of the built-in campaign type and of the example plugins' types,
  their rules, formats, calendars and validators, and the Chinese of their headline
  paragraphs;
- the command line's help as printed in Chinese;
- the import template's sheets (headers, notes, instructions);
- the Chinese text, Markdown and HTML reports of the Huainan example (and the example
  plugins' own text reports of their example ledgers);
- the prose of the Chinese documentation pages (code blocks and spans, link targets and
  HTML tags left out).

What is not Chinese text stays as it is: record paths and the colon after them
(``issues[42].enterprise: 未知的企业 'E0999'``), quoted values, a cell reference
(``问题台账!C7``), an exception's own words (``KeyError: 'x'``), names listed after one
another (``reopened, return_visit``), numbers (``1,093``, ``9:00``), code and JSON.

Brackets are checked in pairs too: a full-width bracket is never closed by an ASCII one
or the other way round.
"""

from __future__ import annotations

import importlib
import io
import re
import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

import campaignkit as ck
from campaignkit.cli.app import build_parser, parsers
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import codes, template
from campaignkit.report.build import build_report, render
from campaignkit.rules.records import Label, NarrativeTemplate
from campaignkit.testing import plugin_manager

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HUAINAN = ROOT / "examples" / "huainan-2020" / "ledger.json"
EXAMPLE_PLUGINS = {
    "campaignkit_henan.plugin": (
        ROOT / "examples" / "henan-wanren-plugin" / "example-ledger.json",
        ("henan-weekly",),
    ),
    "campaignkit_shandong.plugin": (
        ROOT / "examples" / "shandong-2115-plugin" / "example-ledger.json",
        ("text", "markdown"),
    ),
}

_CHINESE = "\u3400-\u9fff\uf900-\ufaff"
_WIDE = _CHINESE + "\u3000-\u303f\uff00-\uffef"  # Chinese characters and full-width forms
_ASCII = re.escape(",;:()!?")
_BESIDE = re.compile(rf"(?<=[{_WIDE}])[{_ASCII}]|[{_ASCII}](?=[{_WIDE}])")
_CELL = re.compile(r"!(?=\$?[A-Z]{0,3}\$?\d)")  # a sheet and a cell or row: 问题台账!C7, 成果!74:74
_HAN = re.compile(f"[{_CHINESE}]")
_OPENS = {"(": ")", "（": "）"}
_CLOSES = {")": "(", "）": "（"}

STAND_IN = "某"
"""What a field of a Chinese template stands for: words of the sentence."""
EXCEPTION = "{error}: {why}"
"""A field pair that is an exception's own words (``KeyError: 'x'``), not Chinese."""
LINE_FORMATS = {
    "labelled": "a column header before a cell's message, as a record path before a "
    "problem's: 问题台账!E2: 问题类别: 未知的问题类别 …",
}
"""Codes whose Chinese is a line's layout, not a sentence."""


def misplaced(text: str) -> list[str]:
    """Each ASCII ``, ; : ( ) ! ?`` beside Chinese in ``text``, and each bracket closed by
    one of the other width, with the text around it."""
    found = [
        text[max(0, m.start() - 12) : m.end() + 12]
        for m in _BESIDE.finditer(text)
        if not (m.group() == "!" and _CELL.match(text, m.start()))
    ]
    opened: list[tuple[str, int]] = []
    for at, char in enumerate(text):
        if char in _OPENS:
            opened.append((char, at))
        elif char in _CLOSES and opened:
            opening, start = opened.pop()
            if _CLOSES[char] != opening:
                found.append(text[max(0, start - 6) : at + 6])
    return found


def _without_json(text: str) -> str:
    """``text`` without the JSON shapes it shows (``{"claims": {指标 id: 值, ...}}``)."""
    return re.sub(r'\{+"[^\n]*\}', "", text)


def worded(zh: str) -> str:
    """A Chinese template as a sentence: each field stands for words of it."""
    zh = _without_json(zh.replace(EXCEPTION, "KeyError: 'x'"))
    pieces = []
    for literal, name, _, _ in string.Formatter().parse(zh):
        pieces.append(literal)
        if name is not None:
            pieces.append(STAND_IN)
    return "".join(pieces)


def _catalogue_codes() -> list[str]:
    """Every code campaignkit, its help and the example plugins register (not the test
    suite's own codes)."""
    for module in ("campaignkit.cli.helptext", "campaignkit.plugins.escalation_rules"):
        importlib.import_module(module)
    for module in EXAMPLE_PLUGINS:
        importlib.import_module(module)
    return [c for c in codes() if not c.startswith(("test-", "test."))]


# -- the message catalogue ------------------------------------------------------------
def test_every_chinese_template_uses_full_width_punctuation() -> None:
    found = {
        code: misplaced(worded(template(code).zh))
        for code in _catalogue_codes()
        if code not in LINE_FORMATS
    }
    wrong = {code: where for code, where in found.items() if where}
    assert wrong == {}
    assert len(found) > 300  # the help and the plugins' codes among them


def test_every_code_has_chinese_words_of_its_own() -> None:
    """Not the English again: each template with words has Chinese ones."""
    no_chinese = [
        code
        for code in _catalogue_codes()
        if re.search("[A-Za-z]", worded(template(code).zh).replace(STAND_IN, ""))
        and not _HAN.search(template(code).zh)
        and code not in LINE_FORMATS
    ]
    assert no_chinese == []


def test_a_template_is_read_as_a_sentence() -> None:
    assert misplaced(worded("插件 {plugin!r}:{reason}"))
    assert not misplaced(worded("插件 {plugin!r}：{reason}"))
    assert not misplaced(worded("校验插件 {name!r} 出错：{error}: {why}"))
    assert not misplaced(
        worded('没有要核对的数字：核对文件的格式是 {{"claims": {{指标 id: 值, ...}}}}')
    )
    assert misplaced("（a)") == ["（a)"]  # a bracket closed by one of the other width
    assert misplaced("问题台账!C7: 必填") == []  # a cell, as a record path
    assert misplaced("新增成果 O-0073（成果!74:74）") == []
    assert misplaced("issues[42].enterprise: 未知的企业 'E0999'") == []
    assert misplaced("截止到5月12日,工作组") == ["截止到5月12日,工作组"]


# -- labels ---------------------------------------------------------------------------
def _found(value: object, seen: set[int]) -> Iterator[object]:
    """Every object reachable from ``value`` through attrs fields, containers and the
    attributes of campaignkit's own objects."""
    if id(value) in seen or isinstance(value, str | bytes | int | float) or value is None:
        return
    seen.add(id(value))
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _found(item, seen)
    elif isinstance(value, tuple | list | set | frozenset):
        for item in value:
            yield from _found(item, seen)
    elif attrs.has(type(value)):
        for field in attrs.fields(cast(Any, type(value))):
            yield from _found(getattr(value, field.name), seen)
    elif type(value).__module__.startswith(("campaignkit", "tests")) and hasattr(value, "__dict__"):
        for item in vars(value).values():
            yield from _found(item, seen)


def _records(manager: PluginManager) -> Iterator[tuple[str, object]]:
    for key, ctype in manager.campaign_types().items():
        yield f"campaign type {key}", ctype
    for name, rule in manager.escalation_rules().items():
        yield f"escalation rule {name}", rule
    for name, formatter in manager.report_formatters().items():
        yield f"report format {name}", formatter
    for key in manager.campaign_types():
        for name, formatter in manager.report_formatters(key).items():
            yield f"report format {name} of {key}", formatter
    for name, calendar in manager.calendars().items():
        yield f"calendar {name}", calendar
    for name, validator in manager.validators().items():
        yield f"validator {name}", validator


def _chinese_of(where: str, record: object) -> Iterator[tuple[str, str]]:
    """(where, Chinese text) of every label and headline paragraph reachable from a record."""
    for found in _found(record, set()):
        if isinstance(found, Label):
            yield f"{where}: {found.en!r}", found.zh
        elif isinstance(found, NarrativeTemplate):
            for part in found.zh:
                yield f"{where}: narrative", worded(part)
            yield f"{where}: narrative joined", found.separator_zh.join(["某", "某"])
            yield f"{where}: narrative ends", f"某{found.suffix_zh}{found.prefix_zh}某"


@pytest.fixture(scope="module")
def manager() -> Iterator[PluginManager]:
    with plugin_manager(*EXAMPLE_PLUGINS) as pm:
        yield pm


def test_every_label_uses_full_width_punctuation(manager: PluginManager) -> None:
    texts = [pair for where, record in _records(manager) for pair in _chinese_of(where, record)]
    keys = {where.split(":")[0] for where, _ in texts}
    assert {"campaign type sisong-yifu", "campaign type wanren-zhuwanqi"} <= keys
    assert "campaign type suqiu-2115" in keys
    assert len(texts) > 300
    wrong = {where: misplaced(text) for where, text in texts if misplaced(text)}
    assert wrong == {}


def test_every_label_has_chinese_words(manager: PluginManager) -> None:
    """A label whose English has words has Chinese ones (names such as ``HTML`` aside)."""
    texts = [pair for where, record in _records(manager) for pair in _chinese_of(where, record)]
    english = [
        where for where, zh in texts if not _HAN.search(zh) and len(re.findall("[a-z]{3,}", zh)) > 1
    ]
    assert english == []


# -- the command line's help ----------------------------------------------------------
def test_the_help_in_chinese_uses_full_width_punctuation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    helps = {p.prog: p.format_help() for p in parsers(build_parser())}
    assert len(helps) >= 10
    assert all(_HAN.search(text) for text in helps.values())
    wrong = {prog: misplaced(_without_json(text)) for prog, text in helps.items()}
    assert {prog: where for prog, where in wrong.items() if where} == {}


# -- workbooks and the report's words -------------------------------------------------
def test_the_import_template_uses_full_width_punctuation(manager: PluginManager) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from campaignkit.workbook.xlsx import template_workbook

    ledger = ck.load(HUAINAN)
    for key in manager.campaign_types():
        book = openpyxl.load_workbook(
            io.BytesIO(
                template_workbook(
                    manager.campaign_type(key), ledger if key == "sisong-yifu" else None
                )
            )
        )
        texts = [_cells(sheet) for sheet in book.worksheets]
        wrong = [where for text in texts for where in misplaced(text)]
        assert wrong == [], key


def _cells(sheet: Any) -> str:
    texts = [sheet.title]
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                texts.append(cell.value)
            if cell.comment is not None:
                texts.append(cell.comment.text)
    for check in sheet.data_validations.dataValidation:
        texts += [check.prompt or "", check.promptTitle or "", check.error or ""]
    return "\n".join(texts)


# -- rendered reports -----------------------------------------------------------------
def _reports() -> Iterable[tuple[str, str, bytes]]:
    report = build_report(ck.load(HUAINAN), lang="zh")
    for fmt in ("text", "markdown", "html"):
        yield "huainan", fmt, render(report, fmt, include_charts=fmt == "html")
    with plugin_manager(*EXAMPLE_PLUGINS) as pm:
        for ledger_path, formats in EXAMPLE_PLUGINS.values():
            example = build_report(ck.load(ledger_path, manager=pm), lang="zh", manager=pm)
            for fmt in formats:
                yield ledger_path.parent.name, fmt, render(example, fmt, manager=pm)


@pytest.fixture(scope="module")
def reports() -> list[tuple[str, str, str]]:
    return [(name, fmt, data.decode("utf-8")) for name, fmt, data in _reports()]


def test_the_chinese_reports_use_full_width_punctuation(
    reports: list[tuple[str, str, str]],
) -> None:
    assert {(name, fmt) for name, fmt, _ in reports} >= {
        ("huainan", "text"),
        ("huainan", "markdown"),
        ("huainan", "html"),
    }
    wrong = {(name, fmt): misplaced(text) for name, fmt, text in reports}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_the_headline_paragraph_reads_as_chinese(reports: list[tuple[str, str, str]]) -> None:
    text = next(text for name, fmt, text in reports if (name, fmt) == ("huainan", "markdown"))
    assert "截止到5月12日，工作组实地走访企业215家，走访重点项目25个；" in text
    assert "要素涉及资金7.5亿元。" in text


# -- the Chinese documentation ---------------------------------------------------------
_FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.M | re.S)
_DIRECTIVE = re.compile(r"^:::.*(?:\n(?:[ \t].*)?)*", re.M)  # mkdocstrings blocks
_CODE = re.compile(r"``.+?``|`[^`\n]+`")
_MARKUP = re.compile(
    r"\]\([^)\n]*\)"  # a link's target
    r"|\]\[[^\]\n]*\]"  # a reference link's target
    r"|^\s*\[[^\]\n]+\]:\s.*$"  # a link definition
    r"|<[^>\n]+>"  # HTML tags
    r"|https?://\S+"
    r"|\*",  # emphasis
    re.M,
)


def prose(markdown: str) -> str:
    """The prose of a Markdown page: code blocks, code spans (each as ``x``), link targets,
    HTML tags and emphasis marks left out."""
    text = _DIRECTIVE.sub("", _FENCED.sub("", markdown))
    return _MARKUP.sub("", _CODE.sub("x", text))


CHINESE_PAGES = sorted(p.name for p in DOCS.glob("*.md") if not p.name.endswith(".en.md"))


@pytest.mark.parametrize("page", CHINESE_PAGES)
def test_the_chinese_pages_use_full_width_punctuation(page: str) -> None:
    text = prose((DOCS / page).read_text("utf-8"))
    lines = [line for line in text.splitlines() if misplaced(line)]
    assert lines == [], page


def test_prose_leaves_code_out() -> None:
    page = (
        "问题以 `issues[42].enterprise: 未知的企业` 开头（见[命令行](cli.md#x)）。\n"
        "```text\n截止到5月12日,工作组\n```\n"
        "**返回**:`Label`\n"
    )
    assert [line for line in prose(page).splitlines() if misplaced(line)] == ["返回:x"]
    assert len(CHINESE_PAGES) >= 15
