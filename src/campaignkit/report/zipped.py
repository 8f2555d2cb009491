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
    modification times set to ``stamp`` (the report date; else 1 January 1980, the
    earliest a zip holds): the same report is the same bytes."""
    when = (stamp.year, stamp.month, stamp.day, 0, 0, 0) if stamp else (1980, 1, 1, 0, 0, 0)
    moment = f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}T00:00:00Z".encode()
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
