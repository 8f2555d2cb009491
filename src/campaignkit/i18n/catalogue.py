"""The message catalogue: every problem code's words in English and Chinese.

A problem (:class:`~campaignkit.errors.Problem`) carries a stable code such as
``unknown-reference`` and its arguments (``what``, ``key`` …); its words come
from here, as ``str.format`` templates with named fields, one per language:

>>> Phrase("unknown-reference", {"what": noun("enterprise"), "key": "E0999"}).text()
"未知的企业 'E0999'"
>>> Phrase("unknown-reference", {"what": noun("enterprise"), "key": "E0999"}).text("en")
"unknown enterprise 'E0999'"

An argument that is itself words (a noun such as ``enterprise``, what a value
turned out to be, a message quoted inside another) is a :class:`Phrase` too, or
anything else with words of its own (:class:`Words`: a plugin's
:class:`~campaignkit.rules.records.Label`), worded in the same language; any other
argument is shown as it is. Plugins add their own codes with :func:`register`.

Everything campaignkit shows a user goes through here: problems, the reasons
escalation rules give, amounts of time (``3个工作日``, ``14小时59分``), the command
line's help, and labels (whose language is chosen by :func:`pick`).
"""

from __future__ import annotations

import errno
import os
import string
from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable

from attrs import field, frozen

from campaignkit.i18n.shown import shown

__all__ = [
    "LANGUAGES",
    "CatalogueConflict",
    "Joined",
    "Phrase",
    "Template",
    "Words",
    "codes",
    "literal",
    "noun",
    "os_error",
    "pick",
    "recognise",
    "register",
    "template",
]

LANGUAGES = ("zh", "en")
"""The languages messages can be read in (the first is the default)."""

LITERAL = ""
"""The code of words as written: the same in every language (see :func:`literal`)."""


class CatalogueConflict(ValueError):
    """A code registered again with different words."""


@runtime_checkable
class Words(Protocol):
    """Anything with words of its own in each language (a :class:`Phrase`, a label)."""

    def text(self, lang: str = "zh") -> str:
        """The words in ``lang``."""
        ...


def pick(zh: str, en: str, lang: str) -> str:
    """Of the same words in Chinese and English, those in ``lang`` (``zh``, the default
    language, or ``en``). The one place a language is chosen, for templates and labels
    alike: any other language is a ``ValueError`` naming the known ones, never Chinese in
    silence."""
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")


@frozen
class Template:
    """A code's words: ``str.format`` templates with the same named fields."""

    en: str
    zh: str
    owner: str = "campaignkit"
    """Who registered it: ``campaignkit`` or a plugin's name."""

    def fields(self) -> frozenset[str]:
        """The named fields the templates use (the arguments a phrase of it must give)."""
        return _fields(self.en) | _fields(self.zh)

    def words(self, lang: str) -> str:
        return pick(self.zh, self.en, lang)


def _fields(text: str) -> frozenset[str]:
    return frozenset(
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    )


_CATALOGUE: dict[str, Template] = {}


def register(code: str, en: str, zh: str, *, owner: str = "campaignkit") -> None:
    """Add ``code`` with its English and Chinese templates (``str.format``, named fields).

    Registering a code again with the same words does nothing; with different words
    it raises :class:`CatalogueConflict` naming both.
    """
    if not code or not isinstance(code, str):
        raise ValueError(f"a message code must be non-empty text, got {code!r}")
    if not isinstance(en, str) or not isinstance(zh, str):
        raise TypeError(f"message {code!r}: the English and Chinese words must be text")
    if _fields(en) != _fields(zh) and not _fields(zh) <= _fields(en):
        raise ValueError(
            f"message {code!r}: the Chinese words use fields the English ones do not "
            f"({', '.join(sorted(_fields(zh) - _fields(en)))})"
        )
    new = Template(en, zh, owner)
    old = _CATALOGUE.get(code)
    if old is not None:
        if (old.en, old.zh) == (en, zh):
            return
        raise CatalogueConflict(
            f"message {code!r} is registered twice with different words: "
            f"by {old.owner!r} as {old.en!r} / {old.zh!r}, "
            f"by {owner!r} as {en!r} / {zh!r}"
        )
    _CATALOGUE[code] = new


def template(code: str) -> Template:
    """The words of ``code`` (``KeyError`` if nobody registered it)."""
    return _CATALOGUE[code]


def codes() -> tuple[str, ...]:
    """Every registered code, sorted."""
    return tuple(sorted(_CATALOGUE))


def _frozen_args(args: Mapping[str, object]) -> Mapping[str, object]:
    return dict(args)


@frozen
class Phrase:
    """Words to be read in either language: a catalogue code and its arguments."""

    code: str
    args: Mapping[str, object] = field(factory=dict, converter=_frozen_args, hash=False)

    def text(self, lang: str = "zh") -> str:
        """The words in ``lang`` (``zh``, the default, or ``en``)."""
        if self.code == LITERAL:
            return str(self.args.get("text", ""))
        found = _CATALOGUE.get(self.code)
        if found is None:  # nobody registered it: say what is known
            shown = ", ".join(f"{k}={_worded(v, lang)}" for k, v in self.args.items())
            return f"{self.code} ({shown})" if shown else self.code
        values = {k: _worded(v, lang) for k, v in self.args.items()}
        return found.words(lang).format_map(values)

    def missing(self) -> frozenset[str]:
        """Fields of the code's templates this phrase gives no argument for."""
        found = _CATALOGUE.get(self.code)
        return frozenset() if found is None else found.fields() - set(self.args)

    def __str__(self) -> str:
        return self.text("en")


def _parts(parts: Iterable[str | Words]) -> tuple[str | Words, ...]:
    return tuple(parts)


@frozen
class Joined:
    """Several reasons as one, each worded in the language asked for and joined by a
    semicolon (full-width in Chinese); text is shown as written."""

    parts: tuple[str | Words, ...] = field(converter=_parts)

    def text(self, lang: str = "zh") -> str:
        """The reasons in ``lang``, one after another."""
        return pick("；", "; ", lang).join(
            p if isinstance(p, str) else p.text(lang) for p in self.parts
        )


def _worded(value: object, lang: str) -> object:
    if type(value) is int:
        return value
    if isinstance(value, str):  # most arguments: shown as they are, if they print
        return shown(value)
    if isinstance(value, Phrase):
        return value.text(lang)
    words = getattr(value, "text", None)  # Words (a label), without a slow Protocol check
    return words(lang) if callable(words) else value


def literal(text: str) -> Phrase:
    """Words as written, the same in every language (a plugin's message, say)."""
    return Phrase(LITERAL, {"text": text})


def noun(english: str) -> Phrase:
    """A noun of the catalogue (``enterprise``, ``issue category`` …), worded in each language."""
    code = "noun." + english.replace(" ", "-")
    return Phrase(code) if code in _CATALOGUE else literal(english)


class _AsWritten(str):
    """Text read back from a message: shown as it is, even where a template says ``!r``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


_RECURSE = frozenset({"got", "what", "inner", "reason", "allowed"})
"""Arguments read back as words of their own (see :func:`recognise`)."""


def _match(pieces: list[tuple[str, str | None]], text: str) -> dict[str, str] | None:
    """The fields of a template (its literal text and field names, in order) in ``text``."""
    literal_text, name = pieces[0]
    if not text.startswith(literal_text):
        return None
    rest = text[len(literal_text) :]
    if name is None:
        return {} if not rest else None
    if len(pieces) == 1:
        return {name: rest} if rest else None
    following = pieces[1][0]
    start = 1
    while True:  # the shortest value first, as the templates read
        at = rest.find(following, start) if following else len(rest)
        if at < 0:
            return None
        found = _match(pieces[1:], rest[at:])
        if found is not None:
            return {name: rest[:at], **found}
        if not following:
            return None
        start = at + 1


def _pieces(text: str) -> list[tuple[str, str | None]]:
    """Each field of a template and the literal text before it (escaped braces joined in)."""
    pieces: list[tuple[str, str | None]] = []
    before = ""
    for lit, name, _, _ in string.Formatter().parse(text):
        before += lit
        if name is not None:
            pieces.append((before, name))
            before = ""
    if before or not pieces:
        pieces.append((before, None))
    return pieces


_FOREIGN: list[str] = []
"""Codes whose English :func:`recognise` reads back, in the order tried."""


def recognise(text: str) -> Phrase | None:
    """The phrase ``text`` is the English of, for words campaignkit receives as text.

    Only a short list of codes is read back: argparse's own usage errors and the
    messages of the packages that do not give codes yet (``campaignkit.stats``,
    ``campaignkit.derive``, ``campaignkit.escalation``). Everything else carries
    its code from where it is made; text that fits none of them gives None.
    """
    for code in _FOREIGN:
        found = _match(_pieces(_CATALOGUE[code].en), text)
        if found is None:
            continue
        args: dict[str, object] = {}
        for name, value in found.items():
            inner = recognise(value) if name in _RECURSE else None
            args[name] = inner if inner is not None else _AsWritten(value)
        return Phrase(code, args)
    return None


def _os_errors() -> Iterable[tuple[str, str, str]]:
    chinese = {
        "ENOENT": "没有这个文件或文件夹",
        "EACCES": "没有权限",
        "EISDIR": "这是一个文件夹",
        "ENOTDIR": "路径中有一项不是文件夹",
        "ENOSPC": "磁盘空间不足",
        "EROFS": "文件系统是只读的",
        "ENAMETOOLONG": "文件名太长",
        "EDQUOT": "超出磁盘配额",
        "EMFILE": "打开的文件太多",
    }
    for name, zh in chinese.items():
        number = getattr(errno, name, None)
        if number is not None:
            yield f"os.{name}", os.strerror(number), zh


def os_error(exc: OSError) -> Phrase:
    """What the operating system says of ``exc``, keyed by its ``errno``."""
    name = errno.errorcode.get(exc.errno or 0, "")
    found = _CATALOGUE.get(f"os.{name}")
    if found is not None and exc.strerror == found.en:
        return Phrase(f"os.{name}")
    return literal(str(exc.strerror or exc))


# -- campaignkit's own words ----------------------------------------------------------
_NOUNS = {
    "activity": "活动",
    "activity id": "活动编号",
    "activity kind": "活动种类",
    "campaign type": "活动类型",
    "class": "企业类别",
    "enterprise": "企业",
    "enterprise class": "企业类别",
    "enterprise id": "企业编号",
    "deadline stage": "时限环节",
    "event kind": "办理记录种类",
    "handling level": "交办层级",
    "issue": "问题",
    "issue category": "问题类别",
    "issue channel": "反映渠道",
    "issue id": "问题编号",
    "level": "办理层级",
    "outcome": "成果",
    "outcome id": "成果编号",
    "outcome kind": "成果种类",
    "outcome status": "成果状态",
    "rating": "满意度",
    "region": "地区",
    "region code": "地区代码",
    "region name": "地区名称",
    "state": "办理状态",
    "team": "小组",
    "team id": "小组编号",
    "team name": "小组名称",
    "unified social credit code": "统一社会信用代码",
    "work group id": "工作组编号",
    "campaign period": "专项行动期间",
}

BUILTIN: Mapping[str, tuple[str, str]] = {
    # amounts of time, in the unit of the clock or limit they belong to
    "amount.working-days": ("{n} working day(s)", "{n}个工作日"),
    "amount.days": ("{n} day(s)", "{n}天"),
    "amount.hours": ("{n} hour(s)", "{n}小时"),
    "amount.late-hours": ("{hours} h", "{hours}小时"),
    "amount.late-hours-minutes": ("{hours} h {minutes} min", "{hours}小时{minutes}分"),
    # -- what a value turned out to be ---------------------------------------------
    "value.null": ("null", "空值（null）"),
    "value.none": ("None", "空值"),
    "value.boolean": ("a boolean", "布尔值"),
    "value.integer": ("an integer", "整数"),
    "value.fraction": ("a number with a fraction", "带小数的数"),
    "value.binary": ("a binary number", "二进制小数"),
    "value.list": ("a list", "列表"),
    "value.object": ("an object", "对象"),
    "value.string": ("the string {value}", "字符串 {value}"),
    "value.number": ("the number {value}", "数字 {value}"),
    # -- reading a file ------------------------------------------------------------
    "bom": (
        "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
        "文件以字节顺序标记（BOM）开头，请另存为不带 BOM 的 UTF-8",
    ),
    "document-not-object": ("the document must be a JSON object", "文件内容必须是一个 JSON 对象"),
    "cannot-read": ("cannot read: {reason}", "无法读取：{reason}"),
    "not-utf8": (
        "not UTF-8 at byte {byte} (is it GBK? save it as UTF-8)",
        "第 {byte} 个字节起不是 UTF-8（是不是 GBK 编码？请另存为 UTF-8）",
    ),
    "not-json": ("not valid JSON: {why}", "不是有效的 JSON：{why}"),
    "json.at": (
        "{reason}: line {line} column {column} (char {char})",
        "{reason}（第 {line} 行第 {column} 列）",
    ),
    "json.end": ("unexpected end of data", "数据意外结束（缺少结尾的引号或括号）"),
    "json.trailing-comma": ("trailing comma is not allowed", "多了结尾的逗号"),
    "json.literal-true": ("invalid literal, expected 'true'", "写法有误，应为 true"),
    "json.literal-false": ("invalid literal, expected 'false'", "写法有误，应为 false"),
    "json.literal-null": ("invalid literal, expected 'null'", "写法有误，应为 null"),
    "json.expected-colon": (
        "unexpected character, expected ':' after key",
        "出现了意外的字符，键名后应为冒号 :",
    ),
    "json.expected-comma-brace": (
        "unexpected character, expected ',' or '}}'",
        "出现了意外的字符，这里应为逗号 , 或 }}",
    ),
    "json.expected-comma-bracket": (
        "unexpected character, expected ',' or ']'",
        "出现了意外的字符，这里应为逗号 , 或 ]",
    ),
    "json.expected-key": (
        "unexpected character, expected a string key",
        "出现了意外的字符，这里应为带双引号的键名",
    ),
    "json.expected-value": (
        "unexpected character, expected a JSON value",
        "出现了意外的字符，这里应为一个 JSON 值"
        "（数字、带双引号的文字、true、false、null、[ 或 {{）",
    ),
    "json.leading-zero": ("number with leading zero is not allowed", "数字不能以 0 开头"),
    "json.no-digit-point": ("no digit after decimal point", "小数点后缺少数字"),
    "json.no-digit-exponent": ("no digit after exponent sign", "指数符号后缺少数字"),
    "json.no-digit-sign": (
        "no digit after sign",
        "正负号后缺少数字（数字前不能写 + 或只写小数点）",
    ),
    "json.after-document": ("unexpected content after document", "文档结束后还有多余的内容"),
    "json.escape": ("invalid escaped sequence in string", "文字中的转义序列（\\…）有误"),
    "json.control-character": (
        "unexpected control character in string",
        "文字中有控制字符（如未转义的换行或制表符）",
    ),
    "json.low-surrogate": ("no low surrogate in string", "文字中的 \\u 代理对缺少后一半"),
    "json.high-surrogate": ("invalid high surrogate in string", "文字中的 \\u 代理对前一半有误"),
    "json.bad-low-surrogate": ("invalid low surrogate in string", "文字中的 \\u 代理对后一半有误"),
    "is-zip": (
        "this is an Excel workbook (or another zip file), not a ledger file: bring a workbook "
        "in with `campaignkit import WORKBOOK --base LEDGER`",
        "这是 Excel 工作簿（或别的 zip 文件），不是台账文件：工作簿请用 "
        "`campaignkit import 工作簿 --base 台账` 导入",
    ),
    "empty-document": (
        "the file is empty: a ledger file is one JSON object",
        "文件是空的：台账文件应是一个 JSON 对象",
    ),
    "format-version": (
        "unsupported format version {version!r} (this campaignkit reads {reads})",
        "不支持的格式版本 {version!r}（这个版本的 campaignkit 读取格式版本 {reads}）",
    ),
    "too-deep": ("nested more than {depth} levels deep", "嵌套超过 {depth} 层"),
    "required-key-missing": ("required key missing", "缺少必填的键"),
    "fraction-not-string": (
        "numbers with a fraction must be written as strings",
        "带小数的数必须写成字符串",
    ),
    "keys-not-strings": ("object keys must be strings", "对象的键必须是字符串"),
    "unknown-keys": ("unknown key(s) {keys}", "不认识的键 {keys}"),
    "unknown-keys-allowed": (
        "unknown key(s) {keys}; allowed: {allowed}",
        "不认识的键 {keys}；可以用的键：{allowed}",
    ),
    "keys-among": (
        "expected an object with keys among {keys}",
        "应为对象，键只能是 {keys} 之一",
    ),
    "not-a-json-value": ("not a JSON value: {got}", "不是 JSON 值：{got}"),
    # -- values of the wrong type or form ------------------------------------------
    "expected-date": (
        'expected a date as "YYYY-MM-DD", got {got}',
        '应为 "YYYY-MM-DD" 格式的日期，实际是{got}',
    ),
    "expected-time": (
        'expected a time as "HH:MM", got {got}',
        '应为 "HH:MM" 格式的时刻，实际是{got}',
    ),
    "expected-amount": (
        "expected an exact amount such as {example}, got {got}",
        "应为精确的数，如 {example}，实际是{got}",
    ),
    "expected-amount-string": (
        "expected an exact amount as a string (e.g. {example}), got {got}",
        "精确的数应写成字符串（如 {example}），实际是{got}",
    ),
    "expected-one-of": ("expected one of {choices}, got {got}", "应为 {choices} 之一，实际是{got}"),
    "expected-list": ("expected a list, got {got}", "应为列表，实际是{got}"),
    "expected-string": ("expected a string, got {got}", "应为字符串，实际是{got}"),
    "expected-integer": ("expected an integer, got {got}", "应为整数，实际是{got}"),
    "expected-object": ("expected an object, got {got}", "应为对象，实际是{got}"),
    "expected-boolean": ("expected true or false, got {got}", "应为 true 或 false，实际是{got}"),
    "expected-date-example": (
        "expected a date such as 2020-04-13, got {got}",
        "应为日期，如 2020-04-13，实际是 {got}",
    ),
    "expected-date-or-workdays": (
        "expected a date or “10个工作日”, got {got}",
        "应为日期或“10个工作日”，实际是 {got}",
    ),
    "expected-date-without-time": (
        "expected a date without time, got {got}",
        "应为不带时刻的日期，实际是 {got}",
    ),
    "expected-number": ("expected a number, got {got}", "应为数字，实际是 {got}"),
    "expected-whole-number": ("expected a whole number, got {got}", "应为整数，实际是 {got}"),
    "expected-text-not-date": (
        "expected text, got a date ({day}); format the column as text",
        "应为文字，实际是日期（{day}）；请把这一列设成文本格式",
    ),
    "expected-text": ("expected text, got {got}", "应为文字，实际是{got}"),
    "expected-yes-no": ("expected 是 or 否, got {got}", "应为“是”或“否”，实际是 {got}"),
    "expected-value": ("expected {wanted!r}, got {got}", "应为 {wanted!r}，实际是{got}"),
    "expected-type": ("expected {type}, got {got}", "应为 {type} 类型的值，实际是 {got}"),
    "invalid-value": ("invalid value: {why}", "无效的值：{why}"),
    "value-error": ("{error}: {why}", "无效的值（{error}: {why}）"),
    "not-a-calendar-date": (
        "not a calendar date: {value!r} ({why})",
        "不是日历上的日期：{value!r}（{why}）",
    ),
    "not-a-time": ("not a time of day: {value!r} ({why})", "不是有效的时刻：{value!r}（{why}）"),
    "why.no-such-year": ("there is no year {year}", "没有公元 {year} 年"),
    "why.no-such-month": ("there is no month {month}", "没有 {month} 月"),
    "why.days-in-month": (
        "the days of month {month} of {year} run from 1 to {days}",
        "{year} 年 {month} 月的日期是 1 日到 {days} 日",
    ),
    "why.hours": ("hours run from 00 to 23", "小时应在 00 到 23 之间"),
    "why.minutes": ("minutes run from 00 to 59", "分钟应在 00 到 59 之间"),
    "why.seconds": ("seconds run from 00 to 59", "秒应在 00 到 59 之间"),
    "must-not-be-negative": ("must not be negative", "不能是负数"),
    "negative-value": ("must not be negative, got {value}", "不能是负数，实际是 {value}"),
    "must-not-be-empty": ("must not be empty", "不能为空"),
    "required": ("required", "必填"),
    "cut-text": (
        "holds a text cut to fit a cell (ending in the mark 〔截断：…〕) that is not the "
        "ledger's: edit a text this long in the ledger, not in the workbook",
        "是为装进单元格而截断的文字（以〔截断：…〕结尾），与台账里的不同："
        "这么长的文字请在台账里修改，不要在工作簿里改",
    ),
    "text-too-long": (
        "text of {length} characters exceeds the limit of {limit}",
        "文字有 {length} 个字符，超过上限 {limit}",
    ),
    "hidden-characters": (
        "holds characters that do not show or that change how text shows: {characters!r}",
        "含有不显示或改变文字显示方式的字符：{characters!r}",
    ),
    "no-visible-character": ("has no visible character", "没有可见的字符"),
    "not-a-number": ("{value} is not a number", "{value} 不是数"),
    "too-many-problems": (
        "stopped after {limit} problems: fix these and validate again",
        "已列出 {limit} 个问题，其余未查：改正后请再校验一次",
    ),
    "as-of-too-late": (
        "{day} is more than {years} years after the campaign ends (the latest is {latest})",
        "{day} 晚于行动结束后 {years} 年（最晚为 {latest}）",
    ),
    "report-date-outside": (
        "{day} is outside {start} to {latest} (the campaign's start to {years} years after "
        "its end)",
        "{day} 不在 {start} 至 {latest} 之间（行动开始至结束后 {years} 年）",
    ),
    "extensions-too-long": (
        "the issue's extensions add {days} days together, more than the limit of {limit} "
        "({years} years; a working day counts two, an hour a whole day)",
        "这个问题的延期合计 {days} 天，超过上限 {limit} 天（{years} 年；一个工作日按两天、"
        "不足一天的小时按一天计）",
    ),
    "too-many-events": (
        "the issue's history holds {count} events, more than the limit of {limit}; it "
        "was not checked further",
        "这个问题的办理记录有 {count} 条，超过上限 {limit} 条，未再逐条检查",
    ),
    "clash": (
        "{kind} {name!r} is registered by {plugins}: {name!r} is unusable until only one of "
        "them registers it",
        "{kind} {name!r} 由 {plugins} 重复注册：在只剩其中一个注册它之前，{name!r} 不能使用",
    ),
    "clash.not-replacing": (
        "{kind} {name!r} is registered by {plugins}; a plugin's record of a built-in name "
        "must say it replaces the built-in one (replaces=True), and that of {unmarked} does "
        "not: {name!r} is unusable until it is removed or replaces the built-in one on purpose",
        "{kind} {name!r} 由 {plugins} 重复注册；插件注册内置的名字时须声明替换内置的"
        "（replaces=True），而 {unmarked} 没有声明：在去掉它或声明替换之前，{name!r} 不能使用",
    ),
    "clash.replaced-twice": (
        "{kind} {name!r} is registered by {plugins}, and {replacing} each replace the same "
        "built-in record (replaces=True) for the same campaign types: {name!r} is unusable "
        "until one is removed or they are limited to different campaign types (campaign_types)",
        "{kind} {name!r} 由 {plugins} 重复注册，其中 {replacing} 都声明替换同一条内置记录"
        "（replaces=True），适用的活动类型又有重叠：在去掉其中一个或把它们限定到不同的活动类型"
        "（campaign_types）之前，{name!r} 不能使用",
    ),
    "unknown-chosen-rule": (
        "campaign type {type!r} chooses escalation rule {name!r}, which no plugin registers",
        "活动类型 {type!r} 选用的督办规则 {name!r} 没有插件注册",
    ),
    "chosen-rule-for-others": (
        "campaign type {type!r} chooses escalation rule {name!r}, which is registered for"
        " other campaign types only ({types}): add {type!r} to its campaign_types",
        "活动类型 {type!r} 选用的督办规则 {name!r} 只为别的活动类型注册（{types}）："
        "请把 {type!r} 加进它的 campaign_types",
    ),
    "wrong-type": ("expected {expected}, got {got}", "应为 {expected}，实为 {got}"),
    "clocks-failed": (
        "its deadline clocks cannot be worked out: {why}",
        "算不出它的办理时限：{why}",
    ),
    "rating-not-allowed": (
        "an event of kind {kind!r} carries no satisfaction rating (only: {rated})",
        "{kind!r} 类办理记录不能带满意度评价（只有：{rated}）",
    ),
    "too-large": ("{value} is larger than the limit of {limit}", "{value} 超过上限 {limit}"),
    "too-many-places": (
        "{value} has more than {limit} decimal places",
        "{value} 的小数位多于 {limit} 位",
    ),
    "deadline-too-long": (
        "a deadline of {amount} is longer than the limit of {limit} ({years} years)",
        "时限 {amount} 超过上限 {limit}（{years} 年）",
    ),
    "too-late-for-campaign": (
        "{day} is more than {years} years after the campaign ends (the latest is {latest})",
        "{day} 晚于活动结束后 {years} 年（最晚为 {latest}）",
    ),
    "period-too-long": (
        "the period is longer than {years} years",
        "期间超过 {years} 年",
    ),
    "too-late": (
        "{day} is too late: a campaign's period must end by the end of {year}",
        "{day} 太晚：活动期间最晚在 {year} 年底结束",
    ),
    # -- unified social credit codes -----------------------------------------------
    "uscc-check-character": ("check character should be {expected!r}", "校验码应为 {expected!r}"),
    "uscc-characters": (
        "invalid character(s) {characters!r}; allowed: {allowed}",
        "含有不允许的字符 {characters!r}；允许的字符：{allowed}",
    ),
    "uscc-length": (
        "must be {length} characters, got {got}",
        "应为 {length} 个字符，实际 {got} 个",
    ),
    "uscc-17": ("need exactly 17 characters", "需要正好 17 个字符"),
    "not-gbt2260": (
        "{code!r} is not a six-digit GB/T 2260 code",
        "{code!r} 不是六位的 GB/T 2260 代码",
    ),
    # -- region codes: GB/T 2260 in force during the campaign, zone codes, parents (issue 22)
    "gbt2260-not-ascii": (
        "{code!r} must be written in ASCII digits 0-9 (full-width and other digits are not"
        " GB/T 2260 codes)",
        "{code!r} 须用半角数字 0-9 书写（全角等其他数字不是 GB/T 2260 代码）",
    ),
    "gbt2260-unknown": (
        "{code!r} is not a GB/T 2260 code in force during the campaign ({start} – {end})",
        "{code!r} 不是专项行动期间（{start} 至 {end}）在用的 GB/T 2260 代码",
    ),
    "gbt2260-unknown-newer": (
        "{code!r} is not a GB/T 2260 code in the lists up to {newest} that campaignkit knows"
        " (a code made since needs a newer campaignkit)",
        "{code!r} 不在 campaignkit 所知的 GB/T 2260 代码表中（截至 {newest} 年；"
        "此后新设的代码需要更新版本的 campaignkit）",
    ),
    "gbt2260-not-in-force": (
        "{code!r} ({name}) was a GB/T 2260 code {years}, not during the campaign ({start} – {end})",
        "{code!r}（{name}）是 {years}在用的 GB/T 2260 代码，专项行动期间（{start} 至 {end}）不在用",
    ),
    "gbt2260.years": ("from {since} to {until}", "{since} 年至 {until} 年"),
    "gbt2260.years-since": ("from {since}", "{since} 年起"),
    "gbt2260.years-until": ("until {until}", "{until} 年以前"),
    "gbt2260-level": (
        "{code!r} is the code of a {expected}, but the level is {level!r}",
        "{code!r} 是{expected}的代码，层级却是 {level!r}",
    ),
    "gbt2260.level.province": ("province", "省级行政区"),
    "gbt2260.level.city": ("city", "地级行政区"),
    "gbt2260.level.county": ("county or district", "县级行政区"),
    "zone-code": (
        "{code!r} is not a zone code: use visible characters (letters, digits, '-' …),"
        " no spaces, no characters that do not show",
        "{code!r} 不能作开发区代码：只能用看得见的字符（字母、数字、“-”等），"
        "不含空格和不显示的字符",
    ),
    "region-own-parent": ("region {code!r} is its own parent", "地区 {code!r} 的上级是它自己"),
    "region-parent-cycle": (
        "the chain of parents comes back to where it started after {count} regions: {chain}",
        "上级链条经过 {count} 个地区后绕回了起点：{chain}",
    ),
    "region-parent-code": (
        "{parent!r} cannot be the parent of {code!r}: by GB/T 2260 its parent is {expected}",
        "{parent!r} 不能是 {code!r} 的上级：按 GB/T 2260 代码，上级应为 {expected}",
    ),
    "gbt2260.no-parent": ("none (it is a province)", "无（它是省级行政区）"),
    # -- records: references, kinds, duplicates, dates -------------------------------
    "end-before-start": ("end is before start", "结束日期早于开始日期"),
    "due-before-event": ("is before the event itself", "早于这条办理记录本身的日期"),
    "mobile-team-regions": ("a mobile team covers no fixed regions", "机动小组不固定负责地区"),
    "duplicate": (
        "duplicate {what} {key!r} (first at {first})",
        "{what} {key!r} 重复（第一次出现在 {first}）",
    ),
    "unknown-for-type": (
        "unknown {what} {key!r} for campaign type {campaign_type!r} (known: {known})",
        "活动类型 {campaign_type!r} 没有{what} {key!r}（已有：{known}）",
    ),
    "extended-twice-over": (
        "an extension gives both a new due date and a deadline to add: give one (the due "
        "date would be taken and the deadline ignored)",
        "延期同时给了新的到期日和延长的期限：只写一个（否则按到期日，期限不起作用）",
    ),
    "stage-not-started": (
        "{kind} does not start the {stage} clock, so its due date or deadline would count for "
        "nothing (it starts: {starts})",
        "办理记录 {kind} 不开始“{stage}”时限，它给的到期日或期限不会生效（它开始的时限：{starts}）",
    ),
    "unknown-figure": (
        "unknown figure for campaign type {campaign_type!r}",
        "活动类型 {campaign_type!r} 没有这项活动数字",
    ),
    "undeclared-attribute": (
        "attribute not declared by campaign type {campaign_type!r}",
        "活动类型 {campaign_type!r} 没有声明这个属性",
    ),
    "required-attribute": ("required attribute {name!r} missing", "缺少必填的属性 {name!r}"),
    "required-attribute-of-channel": (
        "{label} missing: required of issues from the {channel} channel",
        "缺少{label}：来自“{channel}”渠道的问题必须填写",
    ),
    "required-attribute-of-category": (
        "{label} missing: required of {category} issues",
        "缺少{label}：“{category}”类问题必须填写",
    ),
    "required-attribute-of-both": (
        "{label} missing: required of {category} issues from the {channel} channel",
        "缺少{label}：来自“{channel}”渠道的“{category}”类问题必须填写",
    ),
    "unknown-campaign-type": (
        "unknown campaign type {key!r} (registered: {registered})",
        "未知的活动类型 {key!r}（已注册：{registered}）",
    ),
    "unknown-reference": ("unknown {what} {key!r}", "未知的{what} {key!r}"),
    "unknown-in-base": (
        "unknown {what} {key!r} (not in the base ledger)",
        "未知的{what} {key!r}（基础台账里没有）",
    ),
    "unknown-enterprise-in-book": (
        "unknown enterprise {key!r} (not in 企业名录 or the base)",
        "未知的企业 {key!r}（企业名录和基础台账里都没有）",
    ),
    "unknown-choice": (
        "unknown {what} {key!r} (choose from: {choices})",
        "未知的{what} {key!r}（可选：{choices}）",
    ),
    "ambiguous": (
        "{what} {key!r} is ambiguous ({candidates})",
        "{what} {key!r} 不明确（可能是 {candidates}）",
    ),
    "listed-twice": ("enterprise {key!r} listed twice", "企业 {key!r} 列了两次"),
    "fewer-than-named": (
        "{count} is fewer than the {named} enterprises named",
        "{count} 少于列出的 {named} 家企业",
    ),
    "team-differs": (
        "{team!r} differs from the team {other!r} of activity {activity!r}",
        "{team!r} 与活动 {activity!r} 的小组 {other!r} 不同",
    ),
    "region-covered-twice": (
        "region {region!r} is already covered by team {team!r}",
        "地区 {region!r} 已由小组 {team!r} 负责",
    ),
    "visit-names-enterprises": (
        "each {kind} must name the enterprise(s) visited",
        "{kind}要写明走访的企业",
    ),
    "outside-period": (
        "{day} is outside the {what} {start}–{end}",
        "{day} 不在{what} {start}–{end} 内",
    ),
    "action-before-latest": (
        "issue {issue!r}: action {kind!r} of rule {rule!r} is dated {day}, before the "
        "issue's latest event or raising ({latest}); evaluate as of {latest} or later to "
        "apply",
        "问题 {issue!r}：规则 {rule!r} 建议的“{kind}”日期是 {day}，早于这个问题最近的"
        "办理记录或反映日期（{latest}）；要追加，请按 {latest} 或更晚的日期评估",
    ),
    "before-previous-event": (
        "{day} is before events[{previous}] ({previous_day})",
        "{day} 早于 events[{previous}]（{previous_day}）",
    ),
    "before-raised": (
        "{day} is before the issue was raised ({raised})",
        "{day} 早于问题的收集日期（{raised}）",
    ),
    "before-campaign": ("{day} is before the campaign started", "{day} 早于专项行动开始的日期"),
    "activity-after-raised": (
        "activity {activity!r} on {day} is after the issue was raised",
        "活动 {activity!r}（{day}）晚于问题的收集日期",
    ),
    # -- histories -----------------------------------------------------------------
    "transition": (
        "issue {issue}: event {event} is not allowed in state {state}; allowed events: {allowed}",
        "问题 {issue}：状态 {state} 下不能有办理记录 {event}（可以有：{allowed}）",
    ),
    "transition-to": (
        "issue {issue}: event {event} (to {to}) is not allowed in state {state}; "
        "allowed events: {allowed}",
        "问题 {issue}：状态 {state} 下不能有办理记录 {event}（可以有：{allowed}）",
    ),
    "final-state": ("nothing (final state)", "无（已是最终状态）"),
    "transition.refused": (
        "issue {issue}: event {event} {reason}",
        "问题 {issue}：办理记录 {event} {reason}",
    ),
    "transition.guard": (
        "issue {issue}: event {event} is refused in state {state}: {reason}",
        "问题 {issue}：状态 {state} 下的办理记录 {event} 不被接受：{reason}",
    ),
    "lifecycle.unknown-state": (
        "transition {event!r}: unknown state {state!r}",
        "办理记录 {event!r} 的转换用到了未知的状态 {state!r}",
    ),
    "lifecycle.unknown-initial": ("unknown initial state {state!r}", "未知的初始状态 {state!r}"),
    "lifecycle.unknown-rated": (
        "rated: {kind!r} is not an event kind of the lifecycle",
        "rated 中的 {kind!r} 不是这个生命周期的办理记录种类",
    ),
    "guard.needs": ("needs {fields}", "缺少 {fields}"),
    "guard.needs-one": ("needs {fields}", "缺少 {fields}（至少要有一项）"),
    # -- workbooks -----------------------------------------------------------------
    "labelled": ("{label}: {inner}", "{label}: {inner}"),
    "value-without-header": ("a value in a column without a header", "没有表头的列里有值"),
    "merged-cells": (
        "merged cells cannot be read; unmerge them and fill every cell",
        "读不了合并的单元格：请取消合并，并把每个单元格填上",
    ),
    "workbook-is-folder": ("is a folder, not a workbook", "是文件夹，不是工作簿"),
    "no-such-file": ("no such file", "没有这个文件"),
    "permission-denied": ("permission denied", "没有读取权限"),
    "required-for-new-code": (
        "required to add the enterprise with this new code",
        "这个代码是新的，要加入企业名录，此项必填",
    ),
    "missing-column": ("required column {column!r} is missing", "缺少必需的列 {column!r}"),
    "column-again": (
        "column {column!r} again (first at {first})",
        "列 {column!r} 重复（第一次在 {first}）",
    ),
    "unknown-column": (
        "unknown column {column!r} (columns: {columns})",
        "不认识的列 {column!r}（表头：{columns}）",
    ),
    "unknown-column-near": (
        "unknown column {column!r}; did you mean {near!r}? (columns: {columns})",
        "不认识的列 {column!r}；是不是 {near!r}？（表头：{columns}）",
    ),
    "unknown-sheet": (
        "unknown sheet (record sheets: {records}; {reports} are skipped)",
        "未知的工作表（记录表：{records}；{reports} 不读入）",
    ),
    "unknown-sheet-near": (
        "unknown sheet; did you mean {near!r}? (record sheets: {records}; {reports} are skipped)",
        "未知的工作表；是不是 {near!r}？（记录表：{records}；{reports} 不读入）",
    ),
    "cell-is-time": (
        "a time of day or a duration ({value!r}), which no column holds: write a date as "
        "YYYY-MM-DD, or the value as text",
        "时间或时长（{value!r}），没有哪一列填这样的值：日期请写成 YYYY-MM-DD，其他值请写成文字",
    ),
    "formula": (
        "a formula ({formula!r}); cells must hold values — copy and paste as values",
        "公式（{formula!r}）；单元格只能填值，请复制后“只粘贴数值”",
    ),
    "masked-personal-data": (
        "holds masked personal data that is not the ledger's; edit personal data "
        "in a workbook exported with --show-personal",
        "是打码的个人信息，与台账里的不同；请在用 --show-personal 导出的工作簿里修改个人信息",
    ),
    "no-sheet": (
        "no sheet named {names} (found: {found})",
        "没有名为 {names} 的工作表（现有：{found}）",
    ),
    "not-xlsx": ("not a readable .xlsx workbook: {why}", "不是可读取的 .xlsx 工作簿：{why}"),
    "workbook.not-zip": (
        "{raw}",
        "文件不是 zip 格式（.xlsx 工作簿是一个 zip 文件）："
        "可能是别的文件改了扩展名，或者文件已损坏",
    ),
    "workbook.unsupported-extension": (
        "{raw}",
        "只读取 .xlsx、.xlsm、.xltx、.xltm 工作簿；其他格式请用 Excel 打开后另存为 .xlsx",
    ),
    "workbook.missing-part": (
        "{raw}",
        "zip 文件中缺少工作簿的组成部分：它不是 Excel 工作簿，或者已损坏",
    ),
    "workbook.damaged": ("{raw}", "工作簿的内容无法读取，可能已损坏；请用 Excel 打开后重新保存"),
    "not-xlsx-xls": (
        "not a readable .xlsx workbook (.xls files: open in Excel and save as .xlsx): {why}",
        "不是可读取的 .xlsx 工作簿（.xls 文件请用 Excel 打开后另存为 .xlsx）：{why}",
    ),
    "base-history-invalid": (
        "the base ledger's history is invalid: {inner}",
        "基础台账的办理记录有误：{inner}",
    ),
    "name-differs": (
        "{name!r} differs from {known!r} of enterprise {enterprise} with this code",
        "{name!r} 与这个代码的企业 {enterprise} 的名称 {known!r} 不同",
    ),
    "county-differs": (
        "{county!r} differs from {known!r} of enterprise {enterprise}",
        "{county!r} 与企业 {enterprise} 的 {known!r} 不同",
    ),
    "assign-needs-both": (
        "交办层级 and 责任单位 are both needed to assign an issue",
        "交办问题要同时填交办层级和责任单位",
    ),
    "date-needed-for-event": (
        "a date is needed for the {kind} event this row implies",
        "这一行意味着一条“{kind}”办理记录，需要日期",
    ),
    "before-latest-event": (
        "{day} is before {last}, the issue's latest event (the history only grows)",
        "{day} 早于问题最近一条办理记录的日期 {last}（办理记录只增不改）",
    ),
    "reopen-after-visit": (
        "the ledger has the issue {state}; a sheet reopens an issue only after a dissatisfied"
        " return visit (满意度 不满意 and 回访日期); else record a reopened event in the ledger",
        "台账里这个问题{state}；表格只能在回访不满意后让问题重新办理（填满意度“不满意”和回访日期），"
        "否则请在台账里记一条重新办理的记录",
    ),
    "rating-on-open-issue": (
        "a rating on an open issue means it was reopened after a return visit; "
        "a sheet records ratings of resolved issues only (record the reopening in the ledger)",
        "在办问题有满意度，说明回访后重新办理过；表格只记已办结问题的满意度（请在台账里记下重新办理）",
    ),
    "unreachable": (
        "cannot be reached by adding events to the ledger's history (the ledger has {have})",
        "在台账的办理记录后追加记录也到不了这里（台账里是 {have}）",
    ),
    "unreachable-nothing": ("None — nothing", "无"),
    "unreachable-from": (
        "{target} cannot be reached from {current} by adding events",
        "从“{current}”追加办理记录到不了“{target}”",
    ),
    "again-in-row": ("{key} again (first in row {row})", "{key} 重复（第一次在第 {row} 行）"),
    "uscc-typed-as-number": (
        "typed as a number ({value}): Excel keeps only 15 digits of a number, so the code"
        " may have lost some; format the column as text and type the code again",
        "是数字格式（{value}）：Excel 的数字只保留 15 位有效数字，代码可能已丢了位数；"
        "请把这一列设为文本格式后重新输入代码",
    ),
    "wrong-unit": (
        "{got!r} is in another unit: this column counts in {unit}",
        "{got!r} 的单位不对：这一列以“{unit}”计",
    ),
    "expected-count": (
        "expected a whole number such as 300 or 300{unit}, got {got}",
        "应为整数，如 300 或 300{unit}，实际是 {got}",
    ),
    "expected-yuan": (
        "expected an amount such as 600000000, 3000万元 or 1.5亿, got {got}",
        "应为金额，如 600000000、3000万元 或 1.5亿，实际是 {got}",
    ),
    "yuan-wrong-unit": (
        "{got!r} is in another unit: amounts are in 元, 万元 or 亿元",
        "{got!r} 的单位不对：金额只能以元、万元或亿元计",
    ),
    "expected-mu": (
        "expected an area in mu such as 852 or 852亩, got {got}",
        "应为以亩计的面积，如 852 或 852亩，实际是 {got}",
    ),
    "seq-for-id": (
        "must be 1 or more: the blank {column} is made from it",
        "应从 1 起：空白的{column}据此生成",
    ),
    "already-imported": (
        "looks imported already: {what} {key} has the same {fields}; write {key} in"
        " {column} to update it, or a new id if this is another one",
        "像是已经导入过：{what} {key} 的{fields}都与这一行相同；要更新它，请在{column}中填"
        " {key}；确是另一条，请填一个新的编号",
    ),
    "code-is-another-id": (
        "the code is the id of enterprise {key!r}, whose code is {other!r}: fill in {column}",
        "这个代码已是企业 {key!r} 的编号，而那家企业的代码是 {other!r}：请填写{column}",
    ),
    "covered-by-header": (
        "no column {column!r} to read it from (see the header row)",
        "没有“{column}”列可读（见表头的问题）",
    ),
    # -- what an import changes ------------------------------------------------------
    "section.enterprises": ("enterprises", "企业"),
    "section.activities": ("activities", "活动"),
    "section.issues": ("issues", "问题"),
    "section.outcomes": ("outcomes", "成果"),
    "import.counts": (
        "{what}: {added} added, {updated} updated, {unchanged} unchanged",
        "{what} 新增 {added}、更新 {updated}、未变 {unchanged}",
    ),
    "import.events": ("{count} event(s) appended", "追加办理记录 {count} 条"),
    "import.summary": ("{counts}; {events}", "{counts}；{events}"),
    "change.added": ("added {what} {key} ({where})", "新增{what} {key}（{where}）"),
    "change.updated": (
        "updated {what} {key} ({where}): {columns}",
        "更新{what} {key}（{where}）：{columns}",
    ),
    "change.updated-plain": ("updated {what} {key} ({where})", "更新{what} {key}（{where}）"),
    "change.unchanged": ("unchanged {what} {key} ({where})", "未变{what} {key}（{where}）"),
    "same.issues": (
        "category, description, channel, date raised and enterprise",
        "问题类别、问题描述、反映渠道、反映日期和企业",
    ),
    "same.activities": ("columns", "各列"),
    "same.outcomes": ("columns", "各列"),
    "change.with-events": ("{change}; {events}", "{change}；{events}"),
    "change.events": (
        "{count} event(s) appended ({kinds})",
        "追加办理记录 {count} 条（{kinds}）",
    ),
    "change.not-written": ("{line} (not written)", "{line}（未写入）"),
    "excel-needs-openpyxl": (
        "Excel files need openpyxl: pip install 'campaignkit[excel]'",
        "读写 Excel 文件需要 openpyxl：pip install 'campaignkit[excel]'",
    ),
    # -- the command line ----------------------------------------------------------
    "cannot-write-folder": (
        "cannot write {path}: it is a folder",
        "无法写入 {path}：这是一个文件夹",
    ),
    "cannot-write-no-folder": (
        "cannot write {path}: folder {folder!r} does not exist",
        "无法写入 {path}：文件夹 {folder!r} 不存在",
    ),
    "output-is-input": (
        "not writing {path}: it is the ledger file (or store) this command reads, and what it "
        "writes is no ledger; give another output file",
        "没有写入 {path}：这是本命令读取的台账文件（或数据库），写出的内容不是台账，会替换掉它；"
        "请另给一个输出文件",
    ),
    "output-is-store-file": (
        "not writing {path}: it is {file}, a file the SQLite store this command reads keeps "
        "beside its database (its journal or writers' lock), and writing over it would break "
        "the store; give another output file",
        "没有写入 {path}：这是 {file}，本命令读取的 SQLite 数据库放在数据库文件旁边的文件"
        "（日志或写入锁），写上去会损坏数据库；请另给一个输出文件",
    ),
    "cannot-write-not-folder": (
        "cannot write {path}: {folder!r} is a file, not a folder",
        "无法写入 {path}：{folder!r} 是文件，不是文件夹",
    ),
    "cannot-write": ("cannot write {path}: {reason}", "无法写入 {path}：{reason}"),
    "unknown-report-format": (
        "unknown report format {name!r} (available: {available})",
        "未知的报告格式 {name!r}（可用：{available}）",
    ),
    "extension-without-format": (
        "no format writes .{suffix} files: writing the {name} format (name one with --format)",
        "没有哪种格式写 .{suffix} 文件：写成 {name} 格式（可用 --format 指明格式）",
    ),
    "format-to-other-extension": (
        "writing the {name} format to a .{suffix} file",
        "把 {name} 格式的报告写进 .{suffix} 文件",
    ),
    "several-formats": (
        "several formats write .{suffix} files ({names}): name one with --format",
        "有几种格式都写 .{suffix} 文件（{names}）：请用 --format 指定一种",
    ),
    "binary-format": (
        "the {name} format is binary: give --output FILE.{extension}",
        "{name} 格式是二进制的，请用 --output 文件名.{extension} 写入文件",
    ),
    "formatter": (
        "report formatter {name!r} of plugin {plugin!r}",
        "插件 {plugin!r} 的报告格式 {name!r}",
    ),
    "call-failed": ("{call} failed: {reason}", "{call} 出错：{reason}"),
    "campaignkit-error": ("CampaignkitError: {inner}", "{inner}"),
    "not-bytes": ("{call} returned {type}, expected bytes", "{call} 返回了 {type}，应为 bytes"),
    "timeout": (
        "{call} did not finish within {seconds:g} s; skipped",
        "{call} 在 {seconds:g} 秒内没有完成，已跳过",
    ),
    "validator-failed": (
        "validator {name!r} failed: {error}: {why}",
        "校验 {name!r} 出错：{error}: {why}",
    ),
    "validator-of-plugin-failed": (
        "validator {name!r} of plugin {plugin!r} failed: {error}: {why}",
        "插件 {plugin!r} 的校验 {name!r} 出错：{error}: {why}",
    ),
    "problem.needs-arguments": (
        "problem {code!r} needs {names}",
        "问题 {code!r} 缺少参数 {names}",
    ),
    "problem.unregistered-code": (
        "gave a problem of code {code!r}, which is not in the message catalogue: register its"
        " words in both languages (campaignkit.plugins.register) when the plugin is imported",
        "给出的问题代码 {code!r} 不在消息目录里：请在插件导入时用 campaignkit.plugins.register"
        " 登记它的中英文措辞",
    ),
    "problem.not-a-problem": (
        "gave {type} {value}, expected Problem",
        "给出的是 {type} {value}，应为 Problem",
    ),
    "problem.wrong-fields": ("gave a Problem with {wrong}", "给出的 Problem 有误：{wrong}"),
    "store-conflict": (
        "issue {issue!r} of campaign {campaign!r} has {found} events, not the {expected} the "
        "write expected: another write came first; read the issue again and retry",
        "活动 {campaign!r} 的问题 {issue!r} 已有 {found} 条事件，而写入时看到的是 {expected} 条："
        "另一次写入在先；请重新读取该问题后再试",
    ),
    "store-no-campaign": (
        "no campaign {campaign!r} in the store (it holds: {held})",
        "库中没有活动 {campaign!r}（现有：{held}）",
    ),
    "store-holds-none": (
        "no campaign {campaign!r}: the store holds none yet (campaignkit store import puts "
        "a ledger in)",
        "库中没有活动 {campaign!r}：库里还没有任何活动（用 campaignkit store import 导入台账）",
    ),
    "file-holds-other-campaign": (
        "{path} holds campaign {held!r}, not {chosen!r} (--campaign): a ledger file holds one"
        " campaign; name the file of {chosen!r}, or leave --campaign out",
        "{path} 中的活动是 {held!r}，不是 --campaign 指定的 {chosen!r}：台账文件只有一期活动；"
        "请换成 {chosen!r} 的文件，或去掉 --campaign",
    ),
    "store-choose-campaign": (
        "the store holds several campaigns: choose one with --campaign ({held})",
        "库中有多个活动，请用 --campaign 指定（{held}）",
    ),
    "store-empty": ("the store holds no campaign yet", "库中还没有活动"),
    "store-campaign-exists": (
        "the store already holds campaign {campaign!r}: correct it with writes, or import "
        "the ledger under another campaign id",
        "库中已有活动 {campaign!r}：请以写入更正，或以另一活动编号导入",
    ),
    "store-bad-author": (
        "the author {author!r} cannot be named in the write history: {why}",
        "写入者 {author!r} 无法记入写入历史：{why}",
    ),
    "store-bad-author.not-text": ("expected text, got {type}", "应为文字，实际是 {type}"),
    "store-bad-author.too-long": (
        "longer than {limit} characters",
        "超过 {limit} 个字符",
    ),
    "store-bad-author.hidden": (
        "holds characters that do not print: {characters}",
        "含有不可见的字符：{characters}",
    ),
    "store-bad-author.blank": ("blank", "是空白"),
    "store-merge-taken": (
        "campaign {campaign!r}: another write added a record of an id this one adds, while it "
        "ran; nothing was written: read the campaign again and retry",
        "活动 {campaign!r}：写入期间另一次写入新增了编号相同的记录；这次什么也没写，"
        "请重新读取后再试",
    ),
    "store-taken": (
        "{what} {key!r} was just created by another write: read again and retry",
        "{what} {key!r} 刚被另一次写入创建：请重新读取后再试",
    ),
    "store-changed-since": (
        "{key!r} was changed in the store by another write since it was read: read the "
        "campaign again and make the change on what it holds now",
        "{key!r} 在读取之后已被另一次写入改动：请重新读取活动，在当前的内容上修改",
    ),
    "store-queue-timeout": (
        "waited {seconds} seconds in the store's writer queue and another writer still holds "
        "it (lock file {lock}): nothing was written; try again later",
        "在库的写入队列里等了 {seconds} 秒，另一个写入者仍占着（锁文件 {lock}）："
        "这次什么也没写，请稍后再试",
    ),
    "store-busy": (
        "the issue was changed by other writes {tries} times while this write was worked "
        "out: try again later",
        "在这次写入准备期间，该问题被其他写入改动了 {tries} 次：请稍后再试",
    ),
    "store-extra-missing": (
        "a store needs the store extra ({why}): pip install 'campaignkit[store]' "
        "('campaignkit[postgresql]' for PostgreSQL)",
        "使用数据库需要安装 store 附加依赖（{why}）：pip install 'campaignkit[store]'"
        "（PostgreSQL 用 'campaignkit[postgresql]'）",
    ),
    "store-missing": (
        "no store at {path!r} (create one with 'campaignkit store init' or 'store import')",
        "{path!r} 处没有数据库（请用 'campaignkit store init' 或 'store import' 新建）",
    ),
    "store-not-a-store": (
        "{url}: not a campaignkit store (no schema)",
        "{url}：不是 campaignkit 数据库（没有表结构）",
    ),
    "store-cannot-open": ("{url}: cannot open the store: {why}", "{url}：无法打开数据库：{why}"),
    "store-url-unreadable": (
        "not a URL a store opens by (sqlite:///FILE or postgresql://USER@HOST/DB)",
        "不是可以打开数据库的地址（应为 sqlite:///文件 或 postgresql://用户@主机/数据库）",
    ),
    "store-url-scheme": (
        "a store is in SQLite or PostgreSQL, not {scheme}: give sqlite:///FILE or "
        "postgresql://USER@HOST/DB",
        "数据库只能是 SQLite 或 PostgreSQL，不支持 {scheme}：请写 sqlite:///文件 或 "
        "postgresql://用户@主机/数据库",
    ),
    "store-url-query": (
        "an SQLite store's URL takes no query arguments ({names}): give sqlite:///FILE alone",
        "SQLite 数据库的地址不带查询参数（{names}）：只写 sqlite:///文件",
    ),
    "store-url-driver": (
        "the database driver {driver!r} for {backend} is not installed",
        "没有安装 {backend} 的数据库驱动 {driver!r}",
    ),
    "store-lock-failed": (
        "cannot take the store's writer lock {lock}: {why}; nothing was written",
        "无法取得数据库的写入锁 {lock}：{why}；什么也没有写入",
    ),
    "store-failed": (
        "{url}: the database refused: {why}; nothing was written",
        "{url}：数据库出错：{why}；什么也没有写入",
    ),
    "store-newer": (
        "{url}: the store's schema ({found}) is newer than this campaignkit reads; upgrade "
        "campaignkit",
        "{url}：数据库的表结构（{found}）比本版 campaignkit 新；请升级 campaignkit",
    ),
    "store-stale": (
        "the derived views of campaign {campaign!r} were derived under other rules or "
        "calendar data than today's: the figures below are derived afresh; run "
        "'campaignkit store rederive' to keep them",
        "活动 {campaign!r} 的派生视图是按与当前不同的规则或日历数据派生的：以下数字已重新派生；"
        "请运行 'campaignkit store rederive' 保存",
    ),
    "store-derived-otherwise": (
        "campaign {campaign!r}: the store's derived views were derived under other rules or "
        "calendar data than this process has (other plugins or calendars, or one changed "
        "since): nothing was written; write with the plugins and calendars the views were "
        "derived under, or run 'campaignkit store rederive' first to derive them under these",
        "活动 {campaign!r}：库中的派生视图是按与本进程不同的规则或日历数据派生的（插件或日历不同，"
        "或之后有了变化）：这次什么也没写；请用派生时的插件和日历写入，"
        "或先运行 'campaignkit store rederive' 按现在的规则重新派生",
    ),
    "store-record-left-out": (
        "{key!r} is in the store but not in the ledger: a store keeps every record",
        "{key!r} 在库中但不在台账里：库中的记录不能删除",
    ),
    "excel-write-needs-store": (
        "--write writes into a store: {base!r} is a file (write a new ledger with -o)",
        "--write 写入数据库：{base!r} 是文件（请用 -o 写出新的台账）",
    ),
    "store-author-needed": (
        "a write into a store names its author: add --author",
        "写入数据库须注明写入者：请加 --author",
    ),
    "store-writes": ("{n} write(s) committed", "已提交 {n} 次写入"),
    "store-export-not-empty": (
        "cannot export to {path}: it exists and is not an empty folder; name a new or empty "
        "folder (nothing was written)",
        "无法导出到 {path}：它已存在且不是空文件夹；请指定新的或空的文件夹（未写入任何文件）",
    ),
    "store-export-stale": (
        "the derived columns of campaign {campaign!r} (state, level, next due date) were "
        "derived under other rules or calendar data than today's and are exported as "
        "stored; run 'campaignkit store rederive' to bring them up to date",
        "活动 {campaign!r} 的派生列（状态、层级、下一到期日）是按与当前不同的规则或日历数据派生的，"
        "已按库中原样导出；请运行 'campaignkit store rederive' 更新",
    ),
    "parquet-needs-pyarrow": (
        "Parquet files need pyarrow: pip install 'campaignkit[pandas]'",
        "写 Parquet 文件需要 pyarrow：pip install 'campaignkit[pandas]'",
    ),
    "write-check-of-plugin-failed": (
        "write check {name!r} of plugin {plugin!r} failed: {error}: {why}",
        "插件 {plugin!r} 的写入检查 {name!r} 出错：{error}: {why}",
    ),
    "write-check-failed": (
        "write check {name!r} failed: {error}: {why}",
        "写入检查 {name!r} 出错：{error}: {why}",
    ),
    "history-rewritten": (
        "a correction cannot change an issue's history: append new events instead",
        "更正不能改动问题的办理记录：请追加新的事件",
    ),
    "plugin-problem": ("plugin {plugin!r}: {reason}", "插件 {plugin!r}：{reason}"),
    "plugin-problem-from": (
        "plugin {plugin!r} (from {distribution}): {reason}",
        "插件 {plugin!r}（来自 {distribution}）：{reason}",
    ),
    "plugin-failed": ("plugin {plugin!r} failed: {why}", "插件 {plugin!r} 出错：{why}"),
    "plugin.already-registered": (
        "already registered as {name!r}",
        "已经以 {name!r} 注册过",
    ),
    "plugin.name-taken": ("the name {name!r} is already taken", "名字 {name!r} 已被占用"),
    "plugin.name-taken-by": (
        "the name {name!r} is already taken by {by}",
        "名字 {name!r} 已被 {by} 占用",
    ),
    "setting-ignored.max-bytes": (
        "{name}={value!r} is not a number of bytes (such as 512MiB or 2GiB): ignored, the "
        "limit is {default}",
        "{name}={value!r} 不是字节数（如 512MiB、2GiB），未采用，上限仍为 {default}",
    ),
    "setting-ignored.timeout": (
        "{name}={value!r} is not a number of seconds: ignored, plugin calls may take {default} s",
        "{name}={value!r} 不是秒数，未采用，插件每次调用的时限仍为 {default} 秒",
    ),
    "plugin.cannot-register": ("cannot register: {why}", "无法注册：{why}"),
    "plugin.wrapper-not-generator": (
        "{hook}: declared a wrapper but is not a generator function (it must yield once); "
        "not registered",
        "{hook}：声明为包装（wrapper）却不是生成器函数（其中要有一次 yield）；插件未注册",
    ),
    "plugin.unknown-arguments": (
        "{hook}: asks for {names}, which the hook does not pass (it passes: {known}); "
        "not registered",
        "{hook}：要的参数 {names} 这个钩子不提供（提供的是：{known}）；插件未注册",
    ),
    "plugin.unknown-hook": ("unknown hook {hook!r}", "不认识的钩子 {hook!r}"),
    "plugin.unknown-hook-like": (
        "unknown hook {hook!r} (did you mean {like!r}?)",
        "不认识的钩子 {hook!r}（是不是 {like!r}？）",
    ),
    "plugin.unmarked-hook": (
        "{hook} is not marked with @hookimpl; ignored",
        "{hook} 没有用 @hookimpl 标记；已忽略",
    ),
    "plugin.entry-point-taken": (
        "entry point name {name!r} is also used by {other}; not loaded",
        "入口点名字 {name!r} 也被 {other} 使用；没有加载",
    ),
    "plugin.another-distribution": ("another distribution", "另一个发行包"),
    "wrapper.yielded-twice": (
        "{hook}: the wrapper yielded more than once; skipped",
        "{hook}：包装 yield 了不止一次；已跳过",
    ),
    "wrapper.no-yield": (
        "{hook}: the wrapper did not yield; skipped",
        "{hook}：包装没有 yield；已跳过",
    ),
    "wrapper.not-a-list": (
        "{hook} returned {type}, expected a list of results; the wrapper was skipped",
        "{hook} 返回了 {type}，应为结果的列表；已跳过这个包装",
    ),
    "hook.not-iterable": (
        "{hook} returned {type}, expected an iterable of {record}",
        "{hook} 返回了 {type}，应为 {record} 的可迭代对象",
    ),
    "hook.wrong-type": (
        "{hook} returned {type}, expected {record}",
        "{hook} 返回了 {type}，应为 {record}",
    ),
    "metric.left-out-no-metric": (
        "metric {metric!r} left out of {campaign_type!r}: no metric {missing}",
        "指标 {metric!r} 没有加入 {campaign_type!r}：没有指标 {missing}",
    ),
    "cannot-import": ("cannot import: {why}", "无法导入：{why}"),
    "plugin.class-not-made": (
        "the class {cls} cannot be made without arguments ({why}): name an instance of it",
        "类 {cls} 不能不带参数地实例化（{why}）：请指向它的一个实例",
    ),
    "cannot-import-raised": ("cannot import: {error}: {why}", "无法导入：{error}: {why}"),
    "record.wrong-field": (
        "{field}: expected {expected}, got {type} {value}",
        "{field}：应为 {expected} 类型的值，实际是 {type} {value}",
    ),
    "left-out": ("{kind} {name!r} left out: {why}", "{kind} {name!r} 没有采用：{why}"),
    "hook-raised": ("{hook} raised {error}: {why}", "{hook} 出错：{error}: {why}"),
    "unexpected": (
        "unexpected {error}: {why} (--debug shows where)",
        "意外的错误 {error}: {why}（加 --debug 可看到出错的位置）",
    ),
    "interrupted": ("interrupted", "已中断"),
    "block-not-found": (
        "--block {name}: no plugin of that name was found (loaded: {loaded})",
        "--block {name}：没有找到这个名字的插件（已加载：{loaded}）",
    ),
    # -- an outcome's status, as tables and workbooks write it -----------------------
    "outcome-status.intended": ("intended", "意向"),
    "outcome-status.negotiating": ("negotiating", "洽谈中"),
    "outcome-status.signed": ("signed", "已签约"),
    "outcome-status.landed": ("landed", "已落地"),
    "outcome-status.cancelled": ("cancelled", "已取消"),
    # -- metrics: value kinds and the campaign type's self-check ---------------------
    "value-kind.count": ("a count", "个数"),
    "value-kind.yuan": ("an amount in yuan", "金额（元）"),
    "value-kind.mu": ("an area in mu", "面积（亩）"),
    "value-kind.number": ("a number", "数值"),
    "value-kind.rate": ("a rate", "比率"),
    "value-kind.average": ("an average", "平均数"),
    "value-kind.per_enterprise": ("a per-enterprise figure", "户均数"),
    "value-kind.median": ("a median", "中位数"),
    "metric.numerator": ("numerator", "分子"),
    "metric.denominator": ("denominator", "分母"),
    "metric.no-definition": (
        "metric {metric!r} has neither contributions nor numerator/denominator",
        "指标 {metric!r} 既没有贡献（contributions），也没有分子和分母",
    ),
    "metric.needs-sum": (
        "metric {metric!r} is {kind}, which adds up the values of its contributions: it"
        ' needs aggregate "sum" (got {aggregate!r}); a figure that counts is value_kind'
        ' "count"',
        '指标 {metric!r} 是{kind}，由各条贡献的数值相加得出：aggregate 应为 "sum"'
        '（却是 {aggregate!r}）；计数的指标请用 value_kind "count"',
    ),
    "metric.needs-parts": (
        "metric {metric!r} is {kind}: it needs a numerator and a denominator",
        "指标 {metric!r} 是{kind}，需要分子和分母",
    ),
    "metric.needs-numerator": (
        "metric {metric!r} is {kind}: it needs a numerator (the metric whose records it is"
        " taken over)",
        "指标 {metric!r} 是{kind}，需要分子（取哪个指标的记录）",
    ),
    "metric.no-denominator": (
        "metric {metric!r} is {kind}: it takes no denominator (got {denominator!r}); a figure"
        ' divided by another metric is value_kind "average"',
        "指标 {metric!r} 是{kind}，不用分母（却给了 {denominator!r}）；一个数除以另一个指标，"
        '请用 value_kind "average"',
    ),
    "metric.unknown-part": (
        "metric {metric!r}: {role} {ref!r} is not a metric of the type",
        "指标 {metric!r} 的{role} {ref!r} 不是这个活动类型的指标",
    ),
    "metric.derived-part": (
        "metric {metric!r}: {role} {ref!r} is itself {kind}",
        "指标 {metric!r} 的{role} {ref!r} 本身是{kind}",
    ),
    "metric.rate-of-sum": (
        "metric {metric!r} is a rate (a share, shown as a percentage), but its numerator"
        " {numerator!r} adds values up while its denominator {denominator!r} counts: the"
        ' numerator can exceed the denominator; declare value_kind "average" to show the'
        " figure with its unit",
        "指标 {metric!r} 是比率（占比，以百分数显示），但分子 {numerator!r} 是数值之和，"
        "分母 {denominator!r} 是个数：分子可能大于分母；请声明 value_kind "
        '"average"，按单位显示',
    ),
    "metric.rate-of-unlike": (
        "metric {metric!r} is a rate (a share, shown as a percentage), but its numerator"
        " {numerator!r} is {numerator_kind} and its denominator {denominator!r}"
        ' {denominator_kind}: a share divides like by like; declare value_kind "average"',
        "指标 {metric!r} 是比率（占比，以百分数显示），但分子 {numerator!r} 是{numerator_kind}，"
        "分母 {denominator!r} 是{denominator_kind}：占比只能同类相除；"
        '请声明 value_kind "average"',
    ),
    "metric.average-over-amount": (
        "metric {metric!r} is an average, but its denominator {denominator!r} is"
        " {denominator_kind}, not a count",
        "指标 {metric!r} 是平均数，但分母 {denominator!r} 是{denominator_kind}，不是个数",
    ),
    "metric.median-of-count": (
        "metric {metric!r} is a median, but its numerator {numerator!r} does not add values"
        " up (aggregate {aggregate!r}): a median is taken over the values of the"
        ' contributions of a "sum" metric',
        "指标 {metric!r} 是中位数，但分子 {numerator!r} 不是数值之和（aggregate 为"
        ' {aggregate!r}）：中位数取自 "sum" 指标各条贡献的数值',
    ),
    "metric.summary-column-derived": (
        "summary column {column!r} is {kind}; the summary table adds figures up",
        "汇总表的列 {column!r} 是{kind}；汇总表里的数要能相加",
    ),
    "metric.summary-column-undivided": (
        "summary column {column!r} cannot be broken down by {by} (its dimensions: {allowed}),"
        " and the summary table divides every column by team and by region",
        "汇总表的列 {column!r} 不能按 {by} 细分（它可以细分的维度：{allowed}），"
        "而汇总表的每一列都要按小组和县区细分",
    ),
    # -- a campaign type that contradicts itself -----------------------------------
    "type.empty-key": ("the key is empty", "活动类型的 key 是空的"),
    "type.defined-twice": ("{what}: {key!r} is defined twice", "{what} 中的 {key!r} 定义了两次"),
    "type.unknown-issue-figure": (
        "issue figure {metric!r} is not a metric of the type",
        "问题办理情况表的数字 {metric!r} 不是这个活动类型的指标",
    ),
    "type.unknown-title": (
        "title of unknown report section {key!r} (known: {known})",
        "报告中没有 {key!r} 这一节，不能给它标题（可以用：{known}）",
    ),
    "type.unknown-summary-column": (
        "summary column {column!r} is not a metric of the type",
        "汇总表的列 {column!r} 不是这个活动类型的指标",
    ),
    "type.narrative-placeholder": (
        "narrative placeholder {{{name}}} ({templates}) is not a metric of the type",
        "工作概况段落（{templates}）的占位符 {{{name}}} 不是这个活动类型的指标",
    ),
    "narrative.zh": ("Chinese template", "中文模板"),
    "narrative.en": ("English template", "英文模板"),
    "narrative.both": ("Chinese and English templates", "中文和英文模板"),
    "type.extra-unknown": (
        "extra attribute {attribute}: unknown {what} {key!r}",
        "附加属性 {attribute}：未知的{what} {key!r}",
    ),
    "type.extra-unknown-choice": (
        "extra attribute {attribute}: label for unknown choice {key!r}",
        "附加属性 {attribute}：给不存在的选项 {key!r} 写了标签",
    ),
    "type.extra-conditions-not-issue": (
        "extra attribute {attribute}: required_channels and required_categories are for issue"
        " attributes",
        "附加属性 {attribute}：required_channels 和 required_categories 只用于问题的附加属性",
    ),
    "type.extra-conditions-not-required": (
        "extra attribute {attribute}: required_channels or required_categories given, but not"
        " required",
        "附加属性 {attribute}：给了 required_channels 或 required_categories，却没有写 required",
    ),
    "policy.unknown-level-label": (
        "policy: label for unknown level {key!r}",
        "处理策略：给未知的办理层级 {key!r} 写了标签",
    ),
    "policy.stage-unknown-event": (
        "policy stage {stage!r}: the lifecycle has no event {event!r}",
        "处理策略的时限阶段 {stage!r}：生命周期里没有办理记录 {event!r}",
    ),
    "policy.stage-unknown-level": (
        "policy stage {stage!r}: unknown level {level!r}",
        "处理策略的时限阶段 {stage!r}：未知的办理层级 {level!r}",
    ),
    "policy.unknown-on-time-stage": (
        "policy: on_time_stage {stage!r} is not one of its stages ({known}); name the stage"
        " whose clock decides on-time resolution, or None for the last",
        "处理策略：on_time_stage {stage!r} 不是它的时限阶段（{known}）；请写明按哪个阶段的时限"
        "判断按期办结，或写 None 表示最后一个阶段",
    ),
    "policy.warn-before-unknown-stage": (
        "policy: warn_before for unknown stage {stage!r}",
        "处理策略：给未知的时限阶段 {stage!r} 写了预警期（warn_before）",
    ),
    "policy.warn-before-twice": (
        "policy: warn_before for stage {stage!r} given twice",
        "处理策略：时限阶段 {stage!r} 的预警期（warn_before）写了两次",
    ),
    "policy.route-unknown-level": (
        "policy route to {department!r}: unknown level {level!r}",
        "处理策略中交给 {department!r} 的路由：未知的办理层级 {level!r}",
    ),
    "policy.route-unknown-category": (
        "policy route to {department!r}: unknown category {category!r}",
        "处理策略中交给 {department!r} 的路由：未知的问题类别 {category!r}",
    ),
    "breakdown.not-divided": (
        "metric {metric!r} ({label}) cannot be broken down by {by!r}: it is a whole not"
        " divided along that dimension (it can be by: {allowed})",
        "指标 {metric!r}（{label}）不能按 {by!r} 细分：它是一个整体，不按这个维度划分"
        "（可以按：{allowed}）",
    ),
    "breakdown.part-not-divided": (
        "metric {metric!r} ({label}) cannot be broken down by {by!r}: its {role} {part!r}"
        " ({part_label}) is a whole not divided along that dimension (it can be by: {allowed})",
        "指标 {metric!r}（{label}）不能按 {by!r} 细分：它的{role} {part!r}（{part_label}）"
        "是一个整体，不按这个维度划分（可以按：{allowed}）",
    ),
    "breakdown.no-dimension": ("no dimension", "无"),
    "metric.left-out-of": (
        "campaign type {campaign_type!r} leaves out metric {metric!r}: {why}",
        "活动类型 {campaign_type!r} 没有采用指标 {metric!r}：{why}",
    ),
    # -- escalation rules (the parts the command line puts together) -----------------
    "rule-failed": (
        "escalation rule {rule!r}{plugin} failed{issue}: {reason}",
        "督办规则 {rule!r}{plugin}{issue}出错：{reason}",
    ),
    "rule-failed.plugin": (" (plugin {plugin!r})", "（插件 {plugin!r}）"),
    "rule-failed.issue": (" on issue {issue!r}", "在问题 {issue!r} 上"),
    # -- issue 22: reading and decoding ------------------------------------------------
    "file-too-large": (
        "the file is larger than the limit of {limit}: it has {size}; set CAMPAIGNKIT_MAX_BYTES,"
        " or max_bytes= in Python, to read larger files",
        "文件超过了 {limit} 的上限：文件大小为 {size}；要读取更大的文件，"
        "请设置环境变量 CAMPAIGNKIT_MAX_BYTES（在 Python 中用参数 max_bytes=）",
    ),
    "document-too-large": (
        "the document is larger than the limit of {limit}: it has {size}; pass a larger"
        " max_bytes= or set CAMPAIGNKIT_MAX_BYTES",
        "文档超过了 {limit} 的上限：大小为 {size}；请传入更大的 max_bytes= "
        "或设置环境变量 CAMPAIGNKIT_MAX_BYTES",
    ),
    "input-too-large": (
        "more than the limit of {limit} came from it; set CAMPAIGNKIT_MAX_BYTES,"
        " or max_bytes= in Python, to read more",
        "从它读到的内容超过了 {limit} 的上限；要读取更多，"
        "请设置环境变量 CAMPAIGNKIT_MAX_BYTES（在 Python 中用参数 max_bytes=）",
    ),
    "duplicate-key": (
        "key {key!r} appears twice in one object",
        "同一个对象里键 {key!r} 出现了两次",
    ),
    "duplicate-key-times": (
        "key {key!r} appears {count} times in one object",
        "同一个对象里键 {key!r} 出现了 {count} 次",
    ),
    "format-version-not-integer": (
        "the format version must be an integer (this campaignkit reads {reads}), got {got}",
        "格式版本必须是整数（这个版本的 campaignkit 读取格式版本 {reads}），实际是{got}",
    ),
    "null-entry": (
        "an entry that is null, where {what} (a JSON object) is expected",
        "这一项是空值（null），这里应为{what}（JSON 对象）",
    ),
    "expected-record": (
        "expected {what} (a JSON object), got {got}",
        "应为{what}（JSON 对象），实际是{got}",
    ),
    "extra-number": (
        "numbers here must be integers from {smallest} to {largest} "
        "(write other numbers as strings), got {got}",
        "这里的数必须是 {smallest} 到 {largest} 之间的整数（其他数请写成字符串），实际是{got}",
    ),
    "value.integer-too-large": (
        "an integer too large (the largest is {largest})",
        "过大的整数（最大为 {largest}）",
    ),
    "value.integer-too-small": (
        "an integer too small (the smallest is {smallest})",
        "过小的整数（最小为 {smallest}）",
    ),
    "value.out-of-range": ("a number out of range ({value})", "超出范围的数（{value}）"),
    "value.written-as-decimal": (
        "the number {value}, written with a decimal point or an exponent",
        "写成小数或指数形式的数 {value}",
    ),
    "record.campaign": ("a campaign", "专项行动"),
    "record.period": ("a period", "日期区间"),
    "record.phase": ("a phase", "阶段"),
    "record.scope": ("a scope", "服务范围"),
    "record.region": ("a region", "地区"),
    "record.work-group": ("a work group", "工作组"),
    "record.team": ("a team", "小组"),
    "record.contact": ("a contact", "联系方式"),
    "record.enterprise": ("an enterprise", "企业"),
    "record.activity": ("an activity", "活动"),
    "record.deadline": ("a deadline", "办理时限"),
    "record.issue-event": ("an issue event", "办理记录"),
    "record.issue": ("an issue", "企业反映问题"),
    "record.party": ("a party", "参与方"),
    "record.outcome": ("an outcome", "成果"),
}

FOREIGN: Mapping[str, tuple[str, str]] = {
    # argparse's own words (Python 3.11 to 3.13), and the date type of --as-of
    "usage.required": (
        "the following arguments are required: {names}",
        "缺少必需的参数：{names}",
    ),
    "usage.unrecognised": ("unrecognized arguments: {names}", "不认识的参数：{names}"),
    "usage.ambiguous": (
        "ambiguous option: {option} could match {matches}",
        "选项 {option} 有歧义，可能是 {matches}",
    ),
    "usage.one-of": ("one of the arguments {names} is required", "参数 {names} 中必须给出一个"),
    "usage.not-allowed-with": (
        "argument {name}: not allowed with argument {other}",
        "参数 {name} 不能与 {other} 同时给出",
    ),
    "usage.invalid-choice": (
        "invalid choice: {value} (choose from {choices})",
        "无效的选项 {value}（可选：{choices}）",
    ),
    "usage.one-argument": ("expected one argument", "后面要跟一个值"),
    "usage.invalid-value": ("invalid {type} value: {value}", "{value} 不是有效的 {type} 值"),
    "usage.date": (
        "expected a date as YYYY-MM-DD, got {value}",
        "应为 YYYY-MM-DD 格式的日期，实际是 {value}",
    ),
    "usage.count": (
        "expected a whole number of at least {least}, got {value}",
        "应为不小于 {least} 的整数，实际是 {value}",
    ),
    "usage.argument": ("argument {name}: {inner}", "参数 {name}：{inner}"),
    # campaignkit.stats (claims files, metrics), campaignkit.derive (work calendars) and
    # campaignkit.escalation (why a rule failed) give these codes; their English is still
    # read back for callers of localise that hold the text alone
    "claims.unknown-keys": (
        "unknown key(s) {keys}; a claim has value and quote",
        "不认识的键 {keys}；一项数字只有 value 和 quote 两个键",
    ),
    "claims.unknown-file-keys": (
        "unknown key(s) {keys}; a claims file has source, note and claims",
        "不认识的键 {keys}；核对文件只有 source、note 和 claims 三个键",
    ),
    "claims.not-a-figure": (
        "cannot read {value} as a figure (examples: {examples})",
        "无法把 {value} 读成数字（例如：{examples}）",
    ),
    "claims.number-or-string": (
        'expected a number or a string such as "7.5亿元", got {got}',
        '应为数字或 "7.5亿元" 这样的字符串，实际是{got}',
    ),
    "claims.not-exact": (
        '{value} is not exact; write an integer or a string such as "130000000" or "1.3亿元"',
        '{value} 不是精确值；请写成整数或 "130000000"、"1.3亿元" 这样的字符串',
    ),
    "claims.percentage": (
        "cannot read {value}: a percentage takes no 万/亿",
        "无法读取 {value}：百分数不能带万或亿",
    ),
    "claims.unknown-metric": (
        "unknown metric {metric} for campaign type {campaign_type}",
        "活动类型 {campaign_type} 没有指标 {metric}",
    ),
    "claims.wrong-unit": (
        "the figure is written in {written}, but {metric} ({label}) is {counted}",
        "数字的单位写成了{written}，但{label}（{metric}）{counted}",
    ),
    "claims.counted-in": ("counted in {unit}", "以{unit}计"),
    "claims.a-percentage": ("a percentage", "是百分比"),
    "claims.a-count": ("a count", "是个数"),
    "claims.expected-mapping": (
        "expected an object of metric id → value",
        "应为“指标 id → 值”的对象",
    ),
    "claims.expected-object": ("expected an object", "应为对象"),
    "claims.expected-json-object": ("expected a JSON object", "应为 JSON 对象"),
    "claims.a-ledger": (
        "this is a ledger, not a claims file: the claims file names metric ids and values",
        "这是台账，不是核对文件：核对文件写的是指标 id 和数字",
    ),
    "claims.none": (
        'no claims: a claims file is {{"claims": {{metric id: value, ...}}}}',
        '没有要核对的数字：核对文件的格式是 {{"claims": {{指标 id: 值, ...}}}}',
    ),
    "metric-failed": (
        "metric {metric} of plugin {plugin} failed: {why}",
        "插件 {plugin} 的指标 {metric} 出错：{why}",
    ),
    # campaignkit.derive (work calendars)
    "calendar-answer-plugin": (
        "calendar {calendar} (plugin {plugin}) answered {value} for {day}; "
        "expected True, False or None",
        "插件 {plugin} 的工作日历 {calendar} 对 {day} 的回答是 {value}，应为 True、False 或 None",
    ),
    "calendar-answer": (
        "calendar {calendar} answered {value} for {day}; expected True, False or None",
        "工作日历 {calendar} 对 {day} 的回答是 {value}，应为 True、False 或 None",
    ),
    # campaignkit.escalation (why a rule failed)
    "rule.unknown-kind": ("proposed unknown event kind {kind}", "提出了未知的事件类型 {kind}"),
    "rule.not-an-action": ("proposed {type}, expected Action", "提出的是 {type}，应为 Action"),
    "rule.other-issue": (
        "proposed an action for issue {issue} while evaluating {evaluating}",
        "评估问题 {evaluating} 时提出了针对问题 {issue} 的动作",
    ),
    "rule.other-rule": ("proposed an action naming rule {rule}", "提出的动作写的是规则 {rule}"),
    "rule.bad-date": (
        "proposed an action dated {day}, expected a date",
        "提出的动作日期是 {day}，应为日期",
    ),
    "rule.bad-reason": (
        "proposed an action whose reason is {type}, expected text",
        "提出的动作原因是 {type}，应为文字",
    ),
    "rule.bad-time": (
        "proposed an action at {time}, expected a time of day or None",
        "提出的动作时刻是 {time}，应为一天中的时刻或 None",
    ),
    "rule.bad-note": (
        "proposed an action whose note is {type}, expected text or None",
        "提出的动作备注是 {type}，应为文字或 None",
    ),
    "rule.bad-extra": (
        "proposed extra attributes as {type}, expected (name, value) pairs",
        "提出的附加属性是 {type}，应为（名称，值）对",
    ),
    "rule.undeclared-extra": (
        "proposed extra attribute {name}, which the campaign type does not declare "
        "for {kind} events",
        "提出的附加属性 {name} 没有由活动类型声明用于 {kind} 办理记录",
    ),
    "rule.extra-twice": ("proposed extra attribute {name} twice", "附加属性 {name} 提出了两次"),
    "rule.bad-extra-value": (
        "proposed extra attribute {name} = {got}, expected {type}",
        "提出的附加属性 {name} 的值是 {got}，应为 {type}",
    ),
    "rule.raised-in": (
        "{error} (raised in plugin {plugin!r}, {where})",
        "{error}（出错的是插件 {plugin!r} 的代码，{where}）",
    ),
    "rule.refused": ("proposed a refused event: {inner}", "提出了生命周期不允许的事件：{inner}"),
    "rule.timeout": (
        "did not finish within {seconds} s; the rule was skipped",
        "{seconds} 秒内没有完成，已跳过该规则",
    ),
    "rule.rounds": (
        "the rules still propose actions after {rounds} rounds",
        "运行 {rounds} 轮后规则仍在提出动作",
    ),
}
"""Words campaignkit receives as text, read back by :func:`recognise`, in the order tried."""

_READ_BACK = (
    "value.null",
    "value.boolean",
    "value.integer",
    "value.fraction",
    "value.list",
    "value.object",
    "value.string",
    "final-state",
    "transition-to",
    "transition",
    "expected-text",
    "required-key-missing",
    "cannot-read",
    "not-json",
    "unknown-campaign-type",
)
"""Codes of campaignkit's own that the packages not giving codes yet also write as text."""


def _load() -> None:
    for english, chinese in _NOUNS.items():
        register("noun." + english.replace(" ", "-"), english, chinese)
    for code, (en, zh) in BUILTIN.items():
        register(code, en, zh)
    for code, en, zh in _os_errors():
        register(code, en, zh)
        _FOREIGN.append(code)
    for code, (en, zh) in FOREIGN.items():
        register(code, en, zh)
    # the ones with fixed words first: a template with fields would take them in
    ordered = [*_READ_BACK, *FOREIGN]
    _FOREIGN.extend(sorted(ordered, key=lambda c: bool(_fields(_CATALOGUE[c].en))))


_load()
