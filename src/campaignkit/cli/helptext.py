"""The command line's help in Chinese: every option's help, every command's description.

The English text in :mod:`campaignkit.cli.commands` is the source; :data:`ZH` holds
its Chinese, keyed by the English with its whitespace collapsed (so rewrapping
a docstring does not lose it). Each pair is registered in the message catalogue
(:mod:`campaignkit.i18n.catalogue`, code ``help.`` and the collapsed English), and
:func:`translate` words the text from there, as every message is worded; text
without an entry comes back as it is. The test suite fails when an option or
command has no Chinese here.
"""

from __future__ import annotations

from campaignkit.i18n.catalogue import Phrase, register
from campaignkit.i18n.text import wrap

__all__ = ["OUTPUT_FORMAT", "ZH", "key", "translate", "wrap"]

OUTPUT_FORMAT = "output format (default text)"
"""The help of every command's ``--format`` that picks between text and data."""


def key(text: str) -> str:
    """``text`` with its whitespace collapsed: how :data:`ZH` is keyed."""
    return " ".join(text.split())


_ZH = {
    # argparse's own
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    # campaignkit
    "Records, statistics and reports for enterprise-service campaigns (四送一服).": (
        "企业服务专项行动（四送一服）的台账、统计与报告。"
    ),
    "show tracebacks on errors": "出错时显示调用栈",
    "show campaignkit's version and exit": "显示 campaignkit 的版本号并退出",
    "load a plugin module by name (repeatable)": "按模块名加载插件（可重复）",
    "do not load this plugin (repeatable)": "不加载这个插件（可重复）",
    "language of help, messages and output (default zh); also taken after the command": (
        "帮助、提示和输出的语言（默认 zh）；写在子命令之后也可以"
    ),
    "merge a workbook (问题台账, 企业名录, 活动记录, 成果) into a ledger": (
        "把工作簿（问题台账、企业名录、活动记录、成果）并入台账"
    ),
    "write an empty workbook in the import layout": "写出一个按导入格式排好的空工作簿",
    "list issues due soon, warned or overdue, by level and department": (
        "按层级和部门列出临期、已预警或已超期的问题"
    ),
    "show the actions escalation rules propose (--apply appends them)": (
        "列出督办升级规则建议的动作（--apply 把它们追加到台账）"
    ),
    "list registered plugins, where they come from and what they register": (
        "列出已注册的插件、来源及其注册的内容"
    ),
    "the report of a ledger: text, markdown, csv, json, html, xlsx or a plugin's format": (
        "生成台账的报告：text、markdown、csv、json、html、xlsx 或插件提供的格式"
    ),
    "print every figure of a ledger ({metric id: value}) or its summary table": (
        "打印台账的全部数字（{指标 id: 值}）或汇总表"
    ),
    "check a draft's claimed figures against the records (exit 1 when any differs)": (
        "用台账记录核对草稿中的数字（有不一致时退出码为 1）"
    ),
    "check a ledger file and list every problem": "检查台账文件并列出全部问题",
    "``import BOOK.xlsx --base LEDGER -o OUT.json`` merges the workbook's rows into the base "
    "ledger and writes the result atomically (``-o`` may name the base itself); every record "
    "a row names is listed first (added, updated with the columns changed, or unchanged), "
    "``--dry-run`` lists them and writes nothing; nothing is written when any row has a "
    "problem, and every problem is printed as ``BOOK.xlsx: 问题台账!C7: …``.": (
        "``import BOOK.xlsx --base LEDGER -o OUT.json`` 把工作簿各行并入基础台账，结果原子写入"
        "（``-o`` 可以就是基础台账本身）；先逐条列出各行涉及的记录（新增、更新及改了哪些列、"
        "未变），``--dry-run`` 只列出、不写入；任何一行有问题就什么都不写，每个问题打印为 "
        "``BOOK.xlsx: 问题台账!C7: …``。"
    ),
    "``template OUT.xlsx`` writes an empty workbook in the import layout (问题台账, 企业名录, "
    "活动记录, 成果, with drop-down lists; ``--base LEDGER`` adds its regions and teams to the "
    "lists).": (
        "``template OUT.xlsx`` 写出一个按导入格式排好的空工作簿（问题台账、企业名录、"
        "活动记录、成果，带下拉列表；``--base LEDGER`` 把该台账的县区和小组加入下拉列表）。"
    ),
    "the workbook (.xlsx)": "工作簿（.xlsx）",
    "ledger to merge into: it holds the campaign, regions, working groups and teams "
    "(or a store URL: see --write)": (
        "并入的基础台账：其中有专项行动、县区、工作组和小组（也可以是数据库 URL：见 --write）"
    ),
    "write the changes into the --base store, in one transaction (needs --author)": (
        "把变化写入 --base 指定的数据库，在一个事务中完成（须加 --author）"
    ),
    "who the store's write history names (with --write)": (
        "数据库写入记录中登记的写入者（与 --write 同用）"
    ),
    "write the merged ledger here": "合并后的台账写到这里",
    "list what would change, record by record, and write nothing": ("逐条列出会有哪些变化，不写入"),
    "language of the listing and messages": "清单和提示信息的语言",
    "the workbook to write": "要写出的工作簿",
    "offer this ledger's regions and teams in the lists (or a store URL's campaign)": (
        "下拉列表中提供该台账的县区和小组（也可以是数据库 URL 中的一个行动）"
    ),
    "campaign type when no --base is given (default sisong-yifu)": (
        "未给出 --base 时的活动类型（默认 sisong-yifu）"
    ),
    "language of the message": "提示信息的语言",
    "ledger JSON file (or a folder holding ledger.json)": (
        "台账 JSON 文件（或包含 ledger.json 的文件夹）"
    ),
    "date to evaluate (YYYY-MM-DD; default: the report date, else the campaign's end)": (
        "评估日期（YYYY-MM-DD；默认为报告日期，没有则为专项行动结束日）"
    ),
    "language of the output (default zh)": "输出的语言（默认 zh）",
    "language of the output (default zh); also taken after the subcommand": (
        "输出的语言（默认 zh）；也可以写在子命令之后"
    ),
    "append the proposed actions to the ledger file (atomically) or the store": (
        "把建议的动作追加到台账文件（原子写入）或数据库"
    ),
    "who the store's write history names for applied actions (default: campaignkit escalate)": (
        "数据库写入记录中为这些动作登记的写入者（默认 campaignkit escalate）"
    ),
    "ledger JSON file (or a folder holding ledger.json), or a store URL (sqlite:///FILE)": (
        "台账 JSON 文件（或包含 ledger.json 的文件夹），或数据库 URL（sqlite:///文件）"
    ),
    "the campaign to read when LEDGER is a store holding several": (
        "LEDGER 是存有多个活动的数据库时，要读取的活动"
    ),
    # campaignkit store
    "a campaign store in SQLite or PostgreSQL: init, import, export, append, history": (
        "SQLite 或 PostgreSQL 中的活动数据库：建库、导入、导出、追加、写入记录"
    ),
    "``store init URL`` creates (or upgrades) a store; ``store import URL LEDGER`` imports a "
    "ledger file as a new campaign; ``store export URL -o FILE`` writes a campaign back as a "
    "ledger file, byte for byte what ``campaignkit.dumps`` writes, and ``store export URL "
    "--format parquet -o FOLDER`` writes it as one Parquet file per table, for DuckDB, Spark "
    "or pandas. ``store append URL ISSUE "
    "KIND --date DATE --author WHO`` appends one event to an issue, checked by the lifecycle, "
    "for staff who do not write Python. ``store history`` lists the write history, ``store "
    "rederive`` derives the views again after a calendar or plugin change. Every write names "
    "its author (``--author``).": (
        "``store init URL`` 新建（或升级）数据库；``store import URL LEDGER`` 把台账文件导入为新的"
        "活动；``store export URL -o FILE`` 把活动写回台账文件，与 ``campaignkit.dumps`` 写出的"
        "逐字节相同；``store export URL --format parquet -o FOLDER`` 把活动写成每张表一个的 "
        "Parquet 文件，供 DuckDB、Spark 或 pandas 读取。"
        "``store append URL ISSUE KIND --date DATE --author WHO`` 向问题追加一条事件"
        "（按办理流程检查），供不写 Python 的工作人员使用。``store history`` 列出写入记录，"
        "``store rederive`` 在日历或插件变化后重新派生视图。每次写入都注明写入者（``--author``）。"
    ),
    "create or upgrade a store": "新建或升级数据库",
    "import a ledger file as a new campaign": "把台账文件导入为新的活动",
    "write a campaign as a ledger file, or as Parquet files": "把活动写成台账文件或 Parquet 文件",
    "append one event to an issue (checked by the lifecycle)": (
        "向问题追加一条事件（按办理流程检查）"
    ),
    "derive the views again after a calendar or plugin change": "日历或插件变化后重新派生视图",
    "list the write history": "列出写入记录",
    "the store: sqlite:///FILE or postgresql://USER@HOST/DB": (
        "数据库：sqlite:///文件 或 postgresql://用户@主机/库名"
    ),
    "who makes the write (team, department or person)": "写入者（小组、部门或个人）",
    "the campaign (needed when the store holds several)": "活动（数据库中有多个活动时必填）",
    "json: the ledger file (the default); parquet: one Parquet file per table (records, "
    "events, derived views, writes) in a folder, for DuckDB, Spark or pandas (needs pyarrow)": (
        "json：台账文件（默认）；parquet：每张表（记录、办理记录、派生视图、写入记录）一个 "
        "Parquet 文件，放在一个文件夹里，供 DuckDB、Spark 或 pandas 读取（需要 pyarrow）"
    ),
    "the ledger file; with --format parquet, a folder that does not exist yet (or is empty)": (
        "台账文件；--format parquet 时为一个尚不存在（或为空）的文件夹"
    ),
    "the issue's id": "问题编号",
    "the event kind (assigned, feedback, resolved, …)": (
        "事件类型（assigned、feedback、resolved 等）"
    ),
    "the event's date (YYYY-MM-DD)": "事件日期（YYYY-MM-DD）",
    "its time of day (HH:MM), where a clock counts hours": "事件时刻（HH:MM），用于按小时计的时限",
    "handling level (county, city, province …)": "办理层级（county、city、province 等）",
    "responsible unit (责任单位)": "责任单位",
    "an explicit due date (YYYY-MM-DD), as from a document": (
        "明确的到期日（YYYY-MM-DD），如文件规定的"
    ),
    "a time limit counted from the event: N hours, days or working_days (such as --deadline "
    "30 days)": "从该事件起算的办理时限：N 个 hours（小时）、days（自然日）或 working_days"
    "（工作日），如 --deadline 30 days",
    "the deadline stage it concerns": "涉及的时限阶段",
    "satisfaction on a return visit": "回访满意度",
    "the team that recorded it": "记录该事件的小组",
    "free text": "备注",
    "the number of events you saw in the history: refuse if it changed since": (
        "你看到的办理记录条数：若之后有变化则拒绝写入"
    ),
    "only the most recent N writes": "只列出最近 N 次写入",
    "List every registered plugin with its source (built-in, entry point with its "
    "distribution, or explicit --plugin) and what it registers, then blocked plugins and "
    "load errors. Exits 1 when a plugin has a problem.": (
        "列出每个已注册的插件及其来源（内置、入口点及其发行包，或 --plugin 指定）"
        "和它注册的内容，然后列出被屏蔽的插件和加载错误。有插件出问题时退出码为 1。"
    ),
    "output format (default text)": "输出格式（默认 text）",
    "language of the text": "文字的语言",
    "``report LEDGER`` prints the text report; ``--format`` picks any formatter "
    "(``campaignkit plugins`` lists those plugins add), ``--output`` writes a file "
    "atomically (binary formats such as xlsx need it). ``--by category`` shows the issues "
    "by category as the main table. Personal contact data is masked unless "
    "``--show-personal`` is given.": (
        "``report LEDGER`` 打印文本报告；``--format`` 选择任一格式（插件添加的格式见 "
        "``campaignkit plugins``），``--output`` 把报告原子写入文件（xlsx 等二进制格式"
        "必须给出）。``--by category`` 以按类别统计的问题作为主表。个人联系方式默认"
        "打码，给出 ``--show-personal`` 时才显示。"
    ),
    "text, markdown, csv, json, html, xlsx, or a format a plugin adds (default: from the "
    "--output extension, else text)": (
        "text、markdown、csv、json、html、xlsx 或插件添加的格式（默认按 --output 的"
        "扩展名，否则为 text）"
    ),
    "write to this file (atomically)": "写入这个文件（原子写入）",
    "language (default zh)": "语言（默认 zh）",
    "main table by team (default), region, or issues by category": (
        "主表按小组（默认）、按县区，或按类别统计问题"
    ),
    "figures as of this date": "统计截至这一天",
    "show personal contact data unmasked (masked by default)": (
        "显示完整的个人联系方式（默认打码）"
    ),
    "leave charts out of the HTML page": "HTML 页面中不放图表",
    "``summary LEDGER`` prints ``{metric id: value}`` for every metric of the ledger's "
    "campaign type (``--headline``: the summary-table columns only); ``--by team|region`` "
    "prints the summary table (汇总表) instead. In JSON, counts are numbers and exact "
    "decimals (yuan, mu, rates) are strings, so nothing is rounded on the way. CSV is "
    "written as the report's CSV is: UTF-8 with a byte-order mark, CRLF line ends, no "
    "text cell a spreadsheet would run as a formula, every unit in the header (``拟投资（元）``) "
    "and rates in percent (``59.45``, the unit ``%``); the table by team or region is the "
    "report's CSV.": (
        "``summary LEDGER`` 打印台账所属活动类型每个指标的 ``{指标 id: 值}``"
        "（``--headline``：只列汇总表的各列）；``--by team|region`` 改为打印汇总表。"
        "JSON 中计数是数字，精确小数（元、亩、比率）是字符串，中途不做任何舍入。"
        "CSV 与报告的 CSV 写法相同：UTF-8 带 BOM，行尾 CRLF，表格软件会当作公式运行的文字一律中和，"
        "表头写明单位（``拟投资（元）``），比率写成百分数（``59.45``，单位 ``%``）；"
        "按小组或县区的汇总表就是报告的 CSV。"
    ),
    "print the summary table by team or region": "按小组或县区打印汇总表",
    "only the headline figures (the table's columns)": "只列主要数字（汇总表的各列）",
    "language of labels": "标签的语言",
    'claims JSON file: {"claims": {metric id: value, ...}}': (
        '待核对数字的 JSON 文件：{"claims": {指标 id: 值, ...}}'
    ),
    "language of the lines": "各行的语言",
    "list the ids of the records behind each figure": "列出每个数字所依据的记录 id",
}

ZH: dict[str, str] = {key(en): zh for en, zh in _ZH.items()}
"""Chinese help, keyed by :func:`key` of the English."""


def _escaped(text: str) -> str:
    """``text`` as a catalogue template: its braces are text, not fields."""
    return text.replace("{", "{{").replace("}", "}}")


for _en, _zh in ZH.items():
    register("help." + _en, _escaped(_en), _escaped(_zh))


def translate(text: str, lang: str) -> str:
    """``text`` in ``lang``, worded by the message catalogue (``text`` itself where it has
    no entry)."""
    collapsed = key(text)
    if collapsed not in ZH:  # registered above, under help. and the collapsed English
        return text
    return Phrase("help." + collapsed).text(lang)
