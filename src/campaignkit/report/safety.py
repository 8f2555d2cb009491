"""Safety of every output: masking personal data, escaping HTML, neutralising formulas.

Every formatter sends record text through these functions, so one fix here
covers every format:

- :func:`mask_text` masks phone numbers and e-mail addresses inside free text;
  :func:`mask_phone`, :func:`mask_name` and :func:`mask_email` mask contact
  fields. Outputs apply them unless the caller asks for personal data
  (``show_personal``).
- :func:`escape_html` escapes text for HTML element content and attributes.
- :func:`neutralise_cell` prefixes ``'`` to text a spreadsheet would read as a
  formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return);
  :func:`restore_cell` undoes it when a workbook is read back.
- :func:`escape_markdown` escapes text for a Markdown table cell;
  :func:`xml_safe` keeps workbook text within what XML can hold.
- :func:`reveal` writes the characters of free text that would not show, or
  would change how the text around them shows (control characters,
  bidirectional overrides, zero-width spaces), as escapes such as ``\\u202e``:
  a report shows what the record holds, never a reordered or hidden version of
  it. Names, ids and codes cannot hold such characters (validation refuses
  them: :mod:`campaignkit.model.limits`); free text keeps them, and every report
  format shows them this way. Workbooks exported for editing keep the text as
  it is, so that it reads back unchanged.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from campaignkit.model.limits import HIDDEN_CATEGORIES
from campaignkit.model.records import Contact

__all__ = [
    "FORMULA_PREFIXES",
    "escape_html",
    "escape_markdown",
    "mask_contact",
    "mask_email",
    "mask_name",
    "mask_phone",
    "mask_text",
    "neutralise_cell",
    "restore_cell",
    "reveal",
    "xml_safe",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

_MOBILE = re.compile(
    r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9])[- ]?([0-9]{4})[- ]?([0-9]{4})(?![0-9])"
)
_LANDLINE = re.compile(r"(?<![0-9])(0[0-9]{2,3})[- ]([0-9]{3,4})([0-9]{4})(?![0-9])")
_LANDLINE_BRACKETED = re.compile(r"\((0[0-9]{2,3})\) ?([0-9]{3,4})[- ]?([0-9]{4})(?![0-9])")
"""``(0554)6661234``, ``(0554) 666-1234``."""
_LANDLINE_JOINED = re.compile(
    r"(?<![0-9A-Za-z.])(0[12][0-9]|0[3-9][0-9]{2})([0-9]{3,4})([0-9]{4})(?![0-9A-Za-z])"
)
"""``05546661234``, ``01012345678``: the area code joined on (three digits after 01 or 02,
else four), then a number of seven or eight digits."""
_FULL_WIDTH = str.maketrans("０１２３４５６７８９（）＋－　", "0123456789()+- ")
"""Full-width digits and signs as the half-width ones, one character for one."""
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def mask_phone(phone: str) -> str:
    """Mask a phone number, keeping the first three and last four digits.

    >>> mask_phone("13812345678")
    '138****5678'
    >>> mask_phone("0554-6661234")
    '0554-***1234'
    """
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(phone)
    if _MOBILE.fullmatch(phone.strip()):
        core = "".join(digits[-11:])
        return f"{core[:3]}****{core[-4:]}"
    head = 3
    area = re.match(r"(0[0-9]{2,3})[- ]", phone)
    if area:
        head = len(area.group(1))
    out = []
    seen = 0
    for ch in phone:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= head or seen > len(digits) - 4 else "*")
        else:
            out.append(ch)
    return "".join(out)


def mask_name(name: str) -> str:
    """Mask a person's name, keeping the first character: ``张三`` → ``张*``.

    >>> mask_name("欧阳娜娜")
    '欧***'
    """
    text = name.strip()
    if not text:
        return text
    return text[0] + "".join(" " if ch == " " else "*" for ch in text[1:])


def mask_email(email: str) -> str:
    """Mask an e-mail address, keeping the first character and the domain.

    >>> mask_email("zhangsan@example.cn")
    'z***@example.cn'
    """
    local, sep, domain = email.partition("@")
    if not sep:
        return mask_name(email)
    return f"{local[:1]}***@{domain}"


def mask_text(text: str) -> str:
    """Mask phone numbers and e-mail addresses found inside free text.

    Mobile numbers (with or without ``+86``/``86``), landline numbers with an area code
    (``0554-6661234``, ``(0554)6661234``, ``05546661234``), also written in full-width
    digits; amounts, dates, ids and codes stay as they are.

    >>> mask_text("联系人手机13812345678,邮箱li@qq.com")
    '联系人手机138****5678,邮箱l***@qq.com'
    >>> mask_text("电话（０５５４）６６６１２３４，金额600000000元")
    '电话(0554)***1234，金额600000000元'
    """
    text = _sub(_MOBILE, lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _sub(_LANDLINE, lambda m: f"{m.group(1)}-{'*' * len(m.group(2))}{m.group(3)}", text)
    text = _sub(
        _LANDLINE_BRACKETED, lambda m: f"({m.group(1)}){'*' * len(m.group(2))}{m.group(3)}", text
    )
    text = _sub(
        _LANDLINE_JOINED, lambda m: f"{m.group(1)}{'*' * len(m.group(2))}{m.group(3)}", text
    )
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def _sub(pattern: re.Pattern[str], mask: Callable[[re.Match[str]], str], text: str) -> str:
    """``pattern.sub(mask, text)``, matched on the text with full-width digits, brackets
    and signs read as half-width (``１３９１２３４５６７８``); the text between matches is
    kept as written."""
    plain = text.translate(_FULL_WIDTH)
    if plain == text:
        return pattern.sub(mask, text)
    out: list[str] = []
    end = 0
    for m in pattern.finditer(plain):
        out.append(text[end : m.start()])
        out.append(mask(m))
        end = m.end()
    out.append(text[end:])
    return "".join(out)


def mask_contact(contact: Contact | None) -> Contact | None:
    """The contact with every field masked (``None`` stays ``None``)."""
    if contact is None:
        return None
    return Contact(
        person=mask_name(contact.person) if contact.person else contact.person,
        phone=mask_phone(contact.phone) if contact.phone else contact.phone,
        email=mask_email(contact.email) if contact.email else contact.email,
    )


def escape_html(text: object) -> str:
    """Escape text for HTML content and double- or single-quoted attributes."""
    return html.escape(str(text), quote=True)


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to text a spreadsheet would evaluate as a formula.

    Text that already starts with ``'`` is prefixed too, so :func:`restore_cell`
    gives back exactly what was written.

    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell("用工")
    '用工'
    """
    if value.startswith((*FORMULA_PREFIXES, "'")):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """Undo :func:`neutralise_cell` on text read back from a sheet.

    >>> restore_cell(neutralise_cell("+cmd")), restore_cell(neutralise_cell("'=x"))
    ('+cmd', "'=x")
    """
    if value.startswith("'") and value[1:].startswith((*FORMULA_PREFIXES, "'")):
        return value[1:]
    return value


def xml_safe(value: str) -> str:
    """Text a workbook (XML) can hold: line breaks as ``\\n``, other control
    characters XML forbids replaced by U+FFFD."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("\ufffd", value)


def escape_markdown(text: str) -> str:
    """Escape text for a Markdown table cell: HTML, table pipes, emphasis, links, newlines."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


_KEPT = frozenset("\n\t")
"""Characters that do not print but that free text may hold as they are."""


def reveal(text: str) -> str:
    """``text`` with every character that would not show (or would change how the text
    around it shows) written as an escape; line breaks and tabs are kept.

    >>> reveal("正常\\u202e文字")
    '正常\\\\u202e文字'
    """
    if text.isprintable():
        return text
    return "".join(
        repr(ch)[1:-1] if ch not in _KEPT and unicodedata.category(ch) in HIDDEN_CATEGORIES else ch
        for ch in text
    )
