"""Problem messages in the reader's language.

campaignkit words every problem it finds in English (``Problem.message``: what
code, logs and tests compare) and gives people the same message in simplified
Chinese by default: :func:`localise` reads an English message against the
table of every message campaignkit writes and words it again in Chinese.
Quoted values (record ids, keys, what a file holds) stay as they are; lists of
known keys stay keys. A message the table does not know (one a plugin wrote,
say) is shown as written.

>>> localise("unknown enterprise 'E0999'")
"未知的企业 'E0999'"
>>> localise("unknown enterprise 'E0999'", "en")
"unknown enterprise 'E0999'"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

__all__ = ["LANGUAGES", "known", "localise"]

LANGUAGES = ("zh", "en")
"""The languages messages can be read in (the first is the default)."""

_NOUNS: Mapping[str, str] = {
    "activity": "活动",
    "activity id": "活动编号",
    "activity kind": "活动种类",
    "campaign type": "活动类型",
    "class": "企业类别",
    "enterprise": "企业",
    "enterprise class": "企业类别",
    "enterprise id": "企业编号",
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
    "rating": "满意度",
    "region": "地区",
    "region code": "地区代码",
    "state": "办理状态",
    "team": "小组",
    "team id": "小组编号",
    "unified social credit code": "统一社会信用代码",
    "work group id": "工作组编号",
    "campaign period": "专项行动期间",
}

_KINDS: Mapping[str, str] = {
    "null": "空值(null)",
    "None": "空值",
    "a boolean": "布尔值",
    "an integer": "整数",
    "a number with a fraction": "带小数的数",
    "a binary number": "二进制小数",
    "a list": "列表",
    "an object": "对象",
}


def _noun(text: str) -> str:
    return _NOUNS.get(text, text)


def _got(text: str) -> str:
    """What a value turned out to be (``the string 'x'``, ``an integer``, …)."""
    if text.startswith("the string "):
        return "字符串 " + text[len("the string ") :]
    if text.startswith("the number "):
        return "数字 " + text[len("the number ") :]
    return _KINDS.get(text, text)


_Word = Callable[["re.Match[str]"], str]
_RULES: list[tuple[str, _Word]] = []
"""Each message's pattern and how it is worded again, in the order they are tried."""
_compiled: list[tuple[re.Pattern[str], _Word]] = []
"""The patterns compiled, on first use (not on import: ``import campaignkit`` stays quick)."""


def _rule(pattern: str) -> Callable[[_Word], _Word]:
    def add(word: _Word) -> _Word:
        _RULES.append((pattern, word))
        return word

    return add


def _fixed(english: str, chinese: str) -> None:
    _RULES.append((re.escape(english), lambda m: chinese))


def _says(pattern: str, chinese: str) -> None:
    """A message worded by filling ``chinese`` with the pattern's groups: ``{got}`` is what a
    value turned out to be (see :func:`_got`), ``{what}`` a noun (see :func:`_noun`),
    ``{inner}`` a message of its own, worded in turn (see :func:`localise`)."""

    def word(m: re.Match[str]) -> str:
        groups = {k: v or "" for k, v in m.groupdict().items()}
        if "got" in groups:
            groups["got"] = _got(groups["got"])
        if "what" in groups:
            groups["what"] = _noun(groups["what"])
        if "inner" in groups:
            groups["inner"] = localise(groups["inner"])
        return chinese.format_map(groups)

    _RULES.append((pattern, word))


_Q = r"('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
"""A quoted value as ``repr`` writes it."""

# -- reading a file -----------------------------------------------------------------
_fixed(
    "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
    "文件以字节顺序标记(BOM)开头,请另存为不带 BOM 的 UTF-8",
)
_fixed("the document must be a JSON object", "文件内容必须是一个 JSON 对象")
_fixed("required key missing", "缺少必填的键")
_fixed("numbers with a fraction must be written as strings", "带小数的数必须写成字符串")
_fixed("object keys must be strings", "对象的键必须是字符串")
_fixed("end is before start", "结束日期早于开始日期")
_fixed("is before the event itself", "早于这条办理记录本身的日期")
_fixed("must not be empty", "不能为空")
_fixed("required", "必填")
_fixed("must not be negative", "不能是负数")
_fixed("a mobile team covers no fixed regions", "机动小组不固定负责地区")
_fixed("need exactly 17 characters", "需要正好 17 个字符")
_fixed("a value in a column without a header", "没有表头的列里有值")
_fixed(
    "merged cells cannot be read; unmerge them and fill every cell",
    "读不了合并的单元格:请取消合并,并把每个单元格填上",
)
_fixed("is a folder, not a workbook", "是文件夹,不是工作簿")
_fixed("no such file", "没有这个文件")
_fixed("permission denied", "没有读取权限")
_fixed(
    "required to add the enterprise with this new code", "这个代码是新的,要加入企业名录,此项必填"
)


# what the operating system says (``strerror``), for the usual reasons a file cannot be used
_fixed("No such file or directory", "没有这个文件或文件夹")
_fixed("Permission denied", "没有权限")
_fixed("Is a directory", "这是一个文件夹")
_fixed("Not a directory", "路径中有一项不是文件夹")
_fixed("No space left on device", "磁盘空间不足")
_fixed("Read-only file system", "文件系统是只读的")
_fixed("File name too long", "文件名太长")
_fixed("Disk quota exceeded", "超出磁盘配额")
_fixed("Too many open files", "打开的文件太多")


_says(r"cannot read: (?P<inner>.*)", "无法读取:{inner}")


_says(
    r"not UTF-8 at byte (?P<n>\d+) \(is it GBK\? save it as UTF-8\)",
    "第 {n} 个字节起不是 UTF-8(是不是 GBK 编码?请另存为 UTF-8)",
)


_says(r"not valid JSON: (?P<why>.*)", "不是有效的 JSON:{why}")


_says(
    r"unsupported format version (?P<v>.+?) \(this campaignkit reads (?P<r>\d+)\)",
    "不支持的格式版本 {v}(这个版本的 campaignkit 读取格式版本 {r})",
)


_says(r"nested more than (?P<n>\d+) levels deep", "嵌套超过 {n} 层")


# claims files (reconcile): before the general rule below
_says(
    r"unknown key\(s\) (?P<keys>.+?); a claim has value and quote",
    "不认识的键 {keys};一项数字只有 value 和 quote 两个键",
)
_says(
    r"unknown key\(s\) (?P<keys>.+?); a claims file has source, note and claims",
    "不认识的键 {keys};核对文件只有 source、note 和 claims 三个键",
)


_says(
    r"unknown key\(s\) (?P<keys>.+?); allowed: (?P<allowed>.*)",
    "不认识的键 {keys};可以用的键:{allowed}",
)


_says(r"unknown key\(s\) (?P<keys>.+)", "不认识的键 {keys}")


# -- values of the wrong type or form ------------------------------------------------------
_says(
    r"expected a date as \"YYYY-MM-DD\", got (?P<got>.*)",
    '应为 "YYYY-MM-DD" 格式的日期,实际是{got}',
)


_says(r"expected a time as \"HH:MM\", got (?P<got>.*)", '应为 "HH:MM" 格式的时刻,实际是{got}')


_says(
    r"expected an exact amount such as (?P<eg>\"[^\"]*\"), got (?P<got>.*)",
    "应为精确的数,如 {eg},实际是{got}",
)


_says(
    r"expected an exact amount as a string \(e\.g\. (?P<eg>\"[^\"]*\")\), got (?P<got>.*)",
    "精确的数应写成字符串(如 {eg}),实际是{got}",
)


_says(r"expected one of (?P<choices>.+), got (?P<got>.*)", "应为 {choices} 之一,实际是{got}")


@_rule(r"expected (?P<what>a list|a string|an integer|an object|true or false), got (?P<got>.*)")
def _(m: re.Match[str]) -> str:
    what = {
        "a list": "列表",
        "a string": "字符串",
        "an integer": "整数",
        "an object": "对象",
        "true or false": " true 或 false",
    }[m["what"]]
    return f"应为{what},实际是{_got(m['got'])}"


_says(r"expected a date such as (?P<eg>\S+), got (?P<got>.*)", "应为日期,如 {eg},实际是 {got}")


_says(r"expected a date or “10个工作日”, got (?P<got>.*)", "应为日期或“10个工作日”,实际是 {got}")


_says(r"expected a date without time, got (?P<got>.*)", "应为不带时刻的日期,实际是 {got}")


@_rule(r"expected a (?P<what>number|whole number), got (?P<got>.*)")
def _(m: re.Match[str]) -> str:
    return f"应为{'数字' if m['what'] == 'number' else '整数'},实际是 {m['got']}"


_says(
    r"expected text, got a date \((?P<day>[^)]*)\); format the column as text",
    "应为文字,实际是日期({day});请把这一列设成文本格式",
)


_says(r"expected text, got (?P<got>.*)", "应为文字,实际是{got}")


_says(r"expected 是 or 否, got (?P<got>.*)", "应为“是”或“否”,实际是 {got}")


_says(r"expected (?P<want>'[^']*'), got (?P<got>.*)", "应为 {want},实际是{got}")


_says(r"expected (?P<type>\w+), got (?P<got>.*)", "应为 {type} 类型的值,实际是 {got}")


_says(r"invalid value: (?P<why>.*)", "无效的值:{why}")


_says(r"not a calendar date: (?P<v>.+?) \((?P<why>.*)\)", "不是日历上的日期:{v}({why})")


_says(r"not a time of day: (?P<v>.+?) \((?P<why>.*)\)", "不是有效的时刻:{v}({why})")


_says(r"must not be negative, got (?P<v>.*)", "不能是负数,实际是 {v}")


_says(
    r"text of (?P<n>\d+) characters exceeds the limit of (?P<limit>\d+)",
    "文字有 {n} 个字符,超过上限 {limit}",
)


# -- unified social credit codes ---------------------------------------------------------
_says(r"check character should be (?P<c>" + _Q + ")", "校验码应为 {c}")


_says(
    r"invalid character\(s\) (?P<c>" + _Q + r"); allowed: (?P<allowed>\S+)",
    "含有不允许的字符 {c};允许的字符:{allowed}",
)


_says(r"must be (?P<n>\d+) characters, got (?P<got>\d+)", "应为 {n} 个字符,实际 {got} 个")


_says(r"(?P<c>" + _Q + r") is not a six-digit GB/T 2260 code", "{c} 不是六位的 GB/T 2260 代码")


# -- references, kinds and duplicates ---------------------------------------------------------
_says(
    r"duplicate team id (?P<k>" + _Q + r") \(first at (?P<at>[^)]*)\)",
    "小组编号 {k} 重复(第一次出现在 {at})",
)


_says(
    r"duplicate (?P<what>[a-z ]+?) (?P<k>" + _Q + r") \(first at (?P<at>[^)]*)\)",
    "{what} {k} 重复(第一次出现在 {at})",
)


_says(
    r"unknown (?P<what>[a-z ]+?) (?P<k>" + _Q + r") for campaign type (?P<t>" + _Q + r")"
    r" \(known: (?P<known>.*)\)",
    "活动类型 {t} 没有{what} {k}(已有:{known})",
)


_says(r"unknown figure for campaign type (?P<t>" + _Q + ")", "活动类型 {t} 没有这项活动数字")


_says(r"attribute not declared by campaign type (?P<t>" + _Q + ")", "活动类型 {t} 没有声明这个属性")


_says(r"required attribute (?P<n>" + _Q + ") missing", "缺少必填的属性 {n}")


_says(
    r"unknown campaign type (?P<k>" + _Q + r") \(registered: (?P<r>.*)\)",
    "未知的活动类型 {k}(已注册:{r})",
)


_says(
    r"unknown enterprise (?P<t>" + _Q + r") \(not in 企业名录 or the base\)",
    "未知的企业 {t}(企业名录和基础台账里都没有)",
)


_says(
    r"unknown (?P<what>region|team) (?P<t>" + _Q + r") \(not in the base ledger\)",
    "未知的{what} {t}(基础台账里没有)",
)


_says(
    r"unknown (?P<what>[a-z ]+?) (?P<t>" + _Q + r") \(choose from: (?P<c>.*)\)",
    "未知的{what} {t}(可选:{c})",
)


_says(r"unknown (?P<what>[a-z ]+?) (?P<k>" + _Q + ")", "未知的{what} {k}")


@_rule(r"(?P<what>region name|enterprise) (?P<t>" + _Q + r") is ambiguous \((?P<c>.*)\)")
def _(m: re.Match[str]) -> str:
    what = "地区名称" if m["what"] == "region name" else "企业"
    return f"{what} {m['t']} 不明确(可能是 {m['c']})"


_says(r"enterprise (?P<e>" + _Q + ") listed twice", "企业 {e} 列了两次")


_says(
    r"(?P<n>\d+) is fewer than the (?P<named>\d+) enterprises named",
    "{n} 少于列出的 {named} 家企业",
)


_says(
    r"(?P<team>" + _Q + r") differs from the team (?P<other>" + _Q + r") of activity"
    r" (?P<a>" + _Q + ")",
    "{team} 与活动 {a} 的小组 {other} 不同",
)


# -- dates ---------------------------------------------------------------------------------
_says(r"(?P<d>\S+) is outside the (?P<what>[a-z ]+?) (?P<p>\S+–\S+)", "{d} 不在{what} {p} 内")


_says(r"(?P<d>\S+) is before events\[(?P<k>\d+)\] \((?P<p>[^)]*)\)", "{d} 早于 events[{k}]({p})")


_says(r"(?P<d>\S+) is before the issue was raised \((?P<r>[^)]*)\)", "{d} 早于问题的收集日期({r})")


_says(r"(?P<d>\S+) is before the campaign started", "{d} 早于专项行动开始的日期")


_says(
    r"activity (?P<a>" + _Q + r") on (?P<d>\S+) is after the issue was raised",
    "活动 {a}({d})晚于问题的收集日期",
)


# -- histories -----------------------------------------------------------------------------
@_rule(
    r"issue (?P<i>" + _Q + r"): event (?P<e>" + _Q + r")(?: \(to (?P<to>" + _Q + r")\))?"
    r" is not allowed in state (?P<s>" + _Q + r"); allowed events: (?P<allowed>.*)"
)
def _(m: re.Match[str]) -> str:
    allowed = m["allowed"]
    if allowed == "nothing (final state)":
        allowed = "无(已是最终状态)"
    return f"问题 {m['i']}:状态 {m['s']} 下不能有办理记录 {m['e']}(可以有:{allowed})"


# -- workbooks -------------------------------------------------------------------------------
_says(r"required column (?P<c>" + _Q + ") is missing", "缺少必需的列 {c}")


_says(r"column (?P<c>" + _Q + r") again \(first at (?P<at>[^)]*)\)", "列 {c} 重复(第一次在 {at})")


@_rule(
    r"unknown column (?P<c>" + _Q + r")(?:; did you mean (?P<near>" + _Q + r")\?)?"
    r" \(columns: (?P<cols>.*)\)"
)
def _(m: re.Match[str]) -> str:
    near = f";是不是 {m['near']}?" if m["near"] else ""
    return f"不认识的列 {m['c']}{near}(表头:{m['cols']})"


_says(
    r"a formula \((?P<f>.*)\); cells must hold values — copy and paste as values",
    "公式({f});单元格只能填值,请复制后“只粘贴数值”",
)


_says(
    r"holds masked personal data that is not the ledger's; (?P<rest>.*)",
    "是打码的个人信息,与台账里的不同;请在用 --show-personal 导出的工作簿里修改个人信息",
)


_says(
    r"no sheet named (?P<names>.+?) \(found: (?P<found>.*)\)",
    "没有名为 {names} 的工作表(现有:{found})",
)


@_rule(r"not a readable \.xlsx workbook(?P<hint>.*?): (?P<why>.*)")
def _(m: re.Match[str]) -> str:
    hint = "(.xls 文件请用 Excel 打开后另存为 .xlsx)" if m["hint"] else ""
    return f"不是可读取的 .xlsx 工作簿{hint}:{m['why']}"


_says(r"the base ledger's history is invalid: (?P<inner>.*)", "基础台账的办理记录有误:{inner}")


_says(r"(?P<a>\S+) and (?P<b>\S+) are both needed to assign an issue", "交办问题要同时填{a}和{b}")


_says(
    r"a date is needed for the (?P<k>" + _Q + r") event this row implies",
    "这一行意味着一条 {k} 办理记录,需要日期",
)


_says(
    r"(?P<d>\S+) is before (?P<last>\S+), the issue's latest event \(the history only grows\)",
    "{d} 早于问题最近一条办理记录的日期 {last}(办理记录只增不改)",
)


_says(
    r"the ledger has the issue (?P<s>.+?); a sheet reopens an issue only after a dissatisfied"
    r" return visit \(满意度 不满意 and 回访日期\); else record a reopened event in the ledger",
    "台账里这个问题{s};表格只能在回访不满意后让问题重新办理(填满意度“不满意”和回访日期),"
    "否则请在台账里记一条重新办理的记录",
)


_fixed(
    "a rating on an open issue means it was reopened after a return visit; "
    "a sheet records ratings of resolved issues only (record the reopening in the ledger)",
    "在办问题有满意度,说明回访后重新办理过;表格只记已办结问题的满意度(请在台账里记下重新办理)",
)


@_rule(r"cannot be reached by adding events to the ledger's history \(the ledger has (?P<h>.*)\)")
def _(m: re.Match[str]) -> str:
    have = "无" if m["h"] == "None — nothing" else m["h"]
    return f"在台账的办理记录后追加记录也到不了这里(台账里是 {have})"


_says(
    r"(?P<t>" + _Q + r") cannot be reached from (?P<c>" + _Q + r") by adding events",
    "从 {c} 追加办理记录到不了 {t}",
)


_says(r"(?P<k>\S+) again \(first in row (?P<r>\d+)\)", "{k} 重复(第一次在第 {r} 行)")


# -- the command line --------------------------------------------------------------------
_says(r"cannot write (?P<p>.+?): it is a folder", "无法写入 {p}:这是一个文件夹")


_says(
    r"cannot write (?P<p>.+?): folder (?P<f>" + _Q + r") does not exist",
    "无法写入 {p}:文件夹 {f} 不存在",
)


_says(r"cannot write (?P<p>.+?): (?P<inner>.*)", "无法写入 {p}:{inner}")


_says(
    r"unknown report format (?P<f>" + _Q + r") \(available: (?P<a>.*)\)",
    "未知的报告格式 {f}(可用:{a})",
)


_says(
    r"writing the (?P<f>\S+) format to a \.(?P<s>\S+) file",
    "把 {f} 格式的报告写进 .{s} 文件",
)


_says(
    r"several formats write \.(?P<e>\S+) files \((?P<f>.+)\): name one with --format",
    "有几种格式都写 .{e} 文件({f}):请用 --format 指定一种",
)


_says(
    r"the (?P<f>\S+) format is binary: give --output FILE\.(?P<e>\S+)",
    "{f} 格式是二进制的,请用 --output 文件名.{e} 写入文件",
)


@_rule(r"report formatter (?P<n>" + _Q + r") of plugin (?P<p>" + _Q + r") failed: (?P<why>.*)")
def _(m: re.Match[str]) -> str:
    why = m["why"]
    name, sep, rest = why.partition(": ")
    if sep and name == "CampaignkitError":
        why = localise(rest)  # campaignkit's own words; a plugin's exception stays as raised
    return f"插件 {m['p']} 的报告格式 {m['n']} 出错:{why}"


_says(
    r"report formatter (?P<n>" + _Q + r") of plugin (?P<p>" + _Q + r") returned (?P<t>\w+),"
    r" expected bytes",
    "插件 {p} 的报告格式 {n} 返回了 {t},应为 bytes",
)


_says(
    r"report formatter (?P<n>" + _Q + r") of plugin (?P<p>" + _Q + r") did not finish within"
    r" (?P<s>\S+) s; skipped",
    "插件 {p} 的报告格式 {n} 在 {s} 秒内没有完成,已跳过",
)


_says(r"validator (?P<n>" + _Q + r") failed: (?P<why>.*)", "校验插件 {n} 出错:{why}")


@_rule(r"plugin (?P<p>" + _Q + r")(?: \(from (?P<d>[^)]+)\))?: (?P<why>.*)")
def _(m: re.Match[str]) -> str:
    where = f"(来自 {m['d']})" if m["d"] else ""
    return f"插件 {m['p']}{where}:{localise(m['why'])}"


_says(
    r"(?P<c>[A-Z]\w+) (?P<n>" + _Q + r"|None) left out: (?P<why>.*)",
    "{c} {n} 没有采用:{why}",
)


_says(r"(?P<h>campaignkit_\w+) raised (?P<why>.*)", "{h} 出错:{why}")


_says(
    r"metric (?P<m>" + _Q + r") of plugin (?P<p>" + _Q + r") failed: (?P<why>.*)",
    "插件 {p} 的指标 {m} 出错:{why}",
)


_says(r"plugin (?P<p>" + _Q + r") failed: (?P<why>.*)", "插件 {p} 出错:{why}")


_says(
    r"calendar (?P<c>" + _Q + r") \(plugin (?P<p>" + _Q + r")\) answered (?P<v>.+) for (?P<d>\S+); "
    r"expected True, False or None",
    "插件 {p} 的工作日历 {c} 对 {d} 的回答是 {v},应为 True、False 或 None",
)


_says(
    r"calendar (?P<c>" + _Q + r") answered (?P<v>.+) for (?P<d>\S+); expected True, False or None",
    "工作日历 {c} 对 {d} 的回答是 {v},应为 True、False 或 None",
)


_says(
    r"unexpected (?P<e>\w+): (?P<why>.*) \(--debug shows where\)",
    "意外的错误 {e}:{why}(加 --debug 可看到出错的位置)",
)


# -- usage errors (argparse's own words, as Python 3.11 to 3.13 write them) ---------------
_fixed("interrupted", "已中断")


_says(
    r"--block (?P<n>.+?): no plugin of that name was found \(loaded: (?P<l>.*)\)",
    "--block {n}:没有找到这个名字的插件(已加载:{l})",
)


_says(r"cannot import: (?P<why>.*)", "无法导入:{why}")


_says(r"the following arguments are required: (?P<a>.+)", "缺少必需的参数:{a}")


_says(r"unrecognized arguments: (?P<a>.+)", "不认识的参数:{a}")


_says(r"ambiguous option: (?P<o>\S+) could match (?P<m>.+)", "选项 {o} 有歧义,可能是 {m}")


_says(r"one of the arguments (?P<a>.+) is required", "参数 {a} 中必须给出一个")


_says(r"argument (?P<a>\S+): not allowed with argument (?P<b>\S+)", "参数 {a} 不能与 {b} 同时给出")


_says(r"invalid choice: (?P<v>.+?) \(choose from (?P<c>.*)\)", "无效的选项 {v}(可选:{c})")


_fixed("expected one argument", "后面要跟一个值")


_says(r"invalid (?P<t>\w+) value: (?P<v>.+)", "{v} 不是有效的 {t} 值")


_says(r"expected a date as YYYY-MM-DD, got (?P<got>.*)", "应为 YYYY-MM-DD 格式的日期,实际是 {got}")


_says(r"argument (?P<a>\S+): (?P<inner>.+)", "参数 {a}:{inner}")


# -- optional extras and escalation rules ------------------------------------------------
_fixed(
    "Excel files need openpyxl: pip install 'campaignkit[excel]'",
    "读写 Excel 文件需要 openpyxl:pip install 'campaignkit[excel]'",
)


@_rule(
    r"escalation rule (?P<r>" + _Q + r")(?: \(plugin (?P<p>" + _Q + r")\))? failed"
    r"(?: on issue (?P<i>" + _Q + r"))?: (?P<why>.*)"
)
def _rule_failed(m: re.Match[str]) -> str:
    plugin = f"(插件 {m['p']})" if m["p"] else ""
    where = f"在问题 {m['i']} 上" if m["i"] else ""
    why = m["why"]
    if not re.match(r"[A-Z]\w*: ", why):  # the rule's own exception stays as it was raised
        why = localise(why)
    return f"督办规则 {m['r']}{plugin}{where}出错:{why}"


_says(r"proposed unknown event kind (?P<k>" + _Q + r")", "提出了未知的事件类型 {k}")
_says(r"proposed (?P<t>\w+), expected Action", "提出的是 {t},应为 Action")
_says(
    r"proposed an action for issue (?P<a>" + _Q + r") while evaluating (?P<b>" + _Q + r")",
    "评估问题 {b} 时提出了针对问题 {a} 的动作",
)
_says(r"proposed an action naming rule (?P<r>" + _Q + r")", "提出的动作写的是规则 {r}")
_says(r"proposed an action dated (?P<d>.+), expected a date", "提出的动作日期是 {d},应为日期")
_says(
    r"proposed an action whose reason is (?P<t>\w+), expected text",
    "提出的动作原因是 {t},应为文字",
)


_says(r"proposed a refused event: (?P<inner>.*)", "提出了生命周期不允许的事件:{inner}")


_says(
    r"did not finish within (?P<s>\S+) s; the rule was skipped",
    "{s} 秒内没有完成,已跳过该规则",
)
_says(
    r"the rules still propose actions after (?P<n>\d+) rounds",
    "运行 {n} 轮后规则仍在提出动作",
)


# -- claims (reconcile) -------------------------------------------------------------
_says(
    r"cannot read (?P<v>.+) as a figure \(examples: (?P<eg>.*)\)",
    "无法把 {v} 读成数字(例如:{eg})",
)
_says(
    r"expected a number or a string such as (?P<eg>\"[^\"]*\"), got (?P<got>.+)",
    "应为数字或 {eg} 这样的字符串,实际是{got}",
)
_says(
    r"(?P<v>.+) is not exact; write an integer or a string such as (?P<a>\"[^\"]*\") or "
    r"(?P<b>\"[^\"]*\")",
    "{v} 不是精确值;请写成整数或 {a}、{b} 这样的字符串",
)
_says(r"cannot read (?P<v>.+): a percentage takes no 万/亿", "无法读取 {v}:百分数不能带万或亿")
_says(
    r"unknown metric (?P<m>" + _Q + r") for campaign type (?P<t>" + _Q + r")",
    "活动类型 {t} 没有指标 {m}",
)
_fixed("expected an object of metric id → value", "应为“指标 id → 值”的对象")
_fixed("expected an object", "应为对象")
_fixed("expected a JSON object", "应为 JSON 对象")
_fixed(
    "this is a ledger, not a claims file: the claims file names metric ids and values",
    "这是台账,不是核对文件:核对文件写的是指标 id 和数字",
)
_fixed(
    'no claims: a claims file is {"claims": {metric id: value, ...}}',
    '没有要核对的数字:核对文件的格式是 {"claims": {指标 id: 值, ...}}',
)


_says(r"(?P<name>[A-Z]\w*Error): (?P<why>.*)", "无效的值({name}:{why})")


def _whole(message: str) -> str | None:
    if len(_compiled) != len(_RULES):
        _compiled[:] = [(re.compile(pattern, re.S), word) for pattern, word in _RULES]
    for pattern, word in _compiled:
        found = pattern.fullmatch(message)
        if found is not None:
            return word(found)
    return None


def localise(message: str, lang: str = "zh") -> str:
    """``message`` (as campaignkit writes it, in English) in ``lang``.

    A message that starts with a label (a column header, a record's path:
    ``问题类别: unknown issue category '吃饭' …``) keeps the label and has the
    rest localised. A message not in the table is returned as it is.
    """
    if lang == "en":
        return message
    # labels peeled off one by one, a few at most (a message quoting data has many ": ")
    start = 0
    for _ in range(_MAX_LABELS + 1):
        found = _whole(message[start:])
        if found is not None:
            return message[:start] + found
        sep = message.find(": ", start)
        if sep < 0:
            break
        start = sep + 2
    return message


_MAX_LABELS = 8
"""How many leading labels (``file: sheet!C7: …``) :func:`localise` looks behind."""


def known(message: str) -> bool:
    """True if the table words ``message`` again (whole, or after a leading label)."""
    return localise(message) != message
