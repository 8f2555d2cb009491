"""Office files (XLSX, DOCX) that are the same bytes each time they are written.

A zip file keeps the time each entry was written, and the libraries that write office
files stamp the document's modification time with the clock: the same report would
differ on every run. :func:`repeatable` sets every such moment to the report's date.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

__all__ = ["repeatable"]

_MOMENTS = re.compile(
    rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:(?:modified|created)>)"
)


def repeatable(data: bytes, stamp: date | None) -> bytes:
    """The office file ``data`` with each zip entry's time and the document's creation and
    modification times set to ``stamp`` (the report date; else 1 January 1980): the same
    report is the same bytes. The zip entries of a report dated before 1980 or after 2107
    (which a zip cannot hold) carry the nearest date a zip holds."""
    day = stamp or date(1980, 1, 1)
    moment = f"{day.isoformat()}T00:00:00Z".encode()
    # a zip holds the years 1980 to 2107 only: a report dated outside them keeps its own
    # date in the document's properties and the nearest one on the zip entries
    kept = min(max(day, date(1980, 1, 1)), date(2107, 12, 31))
    when = (kept.year, kept.month, kept.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "docProps/core.xml":
                body = _MOMENTS.sub(rb"\g<1>" + moment + rb"\g<2>", body)
            entry = zipfile.ZipInfo(item.filename, date_time=when)
            entry.compress_type = item.compress_type
            entry.external_attr = item.external_attr
            target.writestr(entry, body)
    return out.getvalue()
