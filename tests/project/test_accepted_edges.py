"""What ``validate`` accepts, every command handles.

Hypothesis builds ledgers that validation accepts at the edges of the documented
bounds (:mod:`campaignkit.model.limits`): the largest amounts and counts, the
latest dates, the longest deadlines, long texts, deep histories and odd labels
(``$`` and backslashes for matplotlib, markup, formulas, format braces, spaces
that are not ASCII). Each is run through ``summary``, every report format,
``overdue`` and ``escalate`` of the command line; none may fail.

At least 200 examples run on every CI run (``CAMPAIGNKIT_EDGE_EXAMPLES`` sets
another number: the other Pythons' sessions run fewer, see ``noxfile.py``).
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.model import limits
from tests.conftest import minimal_document

EXAMPLES = int(os.environ.get("CAMPAIGNKIT_EDGE_EXAMPLES", "200"))

ODD = (
    "$\\undefinedcommand$",
    "$x^2$ & <b>粗</b>",
    '=HYPERLINK("http://x")',
    "{metric} %s {0}",
    "甲\u3000乙",
    "a\\$b$",
    "'\"`",
    "<script>alert(1)</script>",
    "第" + "十" * 200 + "组",
)
"""Labels and names that have broken renderers elsewhere."""

FREE = ("第一行\n第二行", "tab\there", "\u202e反转", "\x1b[31m红\x1b[0m", "零宽\u200b空格", "")

AMOUNTS = (
    "0",
    "0.000001",
    str(limits.MAX_AMOUNT_YUAN),
    str(limits.MAX_AMOUNT_YUAN - Decimal("0.000001")),
    "123456789.123456",
)
LANDS = ("0", "0.000001", str(limits.MAX_LAND_MU), "852")
COUNTS = (0, 1, limits.MAX_COUNT)
UNITS = tuple(limits.MAX_DEADLINE.items())


@st.composite
def edge_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid ledger document with fields pushed to the documented bounds."""
    doc = copy.deepcopy(minimal_document())
    latest = "2030-05-12"  # ten years after the period ends: the last date allowed
    for team in doc["work_groups"][0]["teams"]:
        team["name"] = draw(st.sampled_from(ODD))
    for region in doc["regions"][2:]:
        region["name"] = draw(st.sampled_from(ODD))
    for enterprise in doc["enterprises"]:
        enterprise["name"] = draw(st.sampled_from(ODD))
    doc["campaign"]["name"] = draw(st.sampled_from(ODD))
    doc["work_groups"][0]["name"] = draw(st.sampled_from(ODD))
    for outcome in doc["outcomes"]:
        if "amount_yuan" in outcome or draw(st.booleans()):
            outcome["amount_yuan"] = draw(st.sampled_from(AMOUNTS))
        if "land_mu" in outcome or draw(st.booleans()):
            outcome["land_mu"] = draw(st.sampled_from(LANDS))
        outcome["title"] = draw(st.sampled_from(FREE + ODD)) or None
        if draw(st.booleans()):
            outcome["date"] = latest
    doc["activities"][3]["figures"] = {"copies": draw(st.sampled_from(COUNTS))}
    doc["activities"][2]["enterprise_count"] = draw(st.sampled_from(COUNTS[1:]))
    doc["activities"][0]["officials"] = draw(st.sampled_from(COUNTS))
    long_text = draw(st.booleans())
    for issue in doc["issues"]:
        text = draw(st.sampled_from(FREE[:-1]))
        issue["description"] = "长" * limits.MAX_TEXT if long_text else text
        long_text = False
    # a deep history: assigned with the longest deadline, then pauses and resumptions,
    # then (or not) resolved, a return visit and reopenings, ending on the latest date
    unit, amount = draw(st.sampled_from(UNITS))
    events: list[dict[str, Any]] = [
        {
            "kind": "assigned",
            "date": "2020-05-10",
            "time": "23:59" if unit is ck.DeadlineUnit.HOURS else None,
            "level": "county",
            "department": draw(st.sampled_from(ODD)),
            "deadline": {"amount": amount, "unit": unit.value},
        }
    ]
    events[0] = {k: v for k, v in events[0].items() if v is not None}
    for _ in range(draw(st.integers(0, 40))):
        events.append({"kind": "paused", "date": "2020-05-11"})
        events.append({"kind": "resumed", "date": "2020-05-11"})
    if draw(st.booleans()):
        events.append({"kind": "resolved", "date": "2020-05-12"})
        for _ in range(draw(st.integers(0, 20))):
            events.append({"kind": "reopened", "date": "2020-05-12"})
            events.append({"kind": "resolved", "date": "2020-05-12"})
        events.append({"kind": "return_visit", "date": latest, "rating": "dissatisfied"})
    elif draw(st.booleans()):
        events.append(
            {"kind": "extended", "date": latest, "deadline": {"amount": 1, "unit": "days"}}
        )
    doc["issues"][2]["events"] = events
    return doc


COMMANDS = (
    ["summary"],
    ["report"],
    ["report", "-f", "markdown"],
    ["report", "-f", "csv"],
    ["report", "-f", "json"],
    ["report", "-f", "html"],
    ["report", "-f", "xlsx", "-o", "{out}.xlsx"],
    ["overdue", "--as-of", "2030-05-12"],
    ["escalate", "--as-of", "2030-05-12"],
)


def run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, err.getvalue()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(doc=edge_documents())
def test_every_command_handles_what_validation_accepts(doc: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(doc))
    ck.load(path)  # accepted: the strategy builds valid ledgers only
    for command in COMMANDS:
        args = [a.replace("{out}", str(tmp_path / "report")) for a in command]
        status, err = run([args[0], str(path), *args[1:]])
        assert status == 0, (args, err)
        assert "Traceback" not in err and "unexpected" not in err, (args, err)


@pytest.mark.parametrize("unit", [u for u, _ in UNITS])
def test_the_longest_deadline_is_accepted(unit: ck.DeadlineUnit) -> None:
    doc = minimal_document()
    doc["issues"][0]["events"][0]["deadline"] = {
        "amount": limits.MAX_DEADLINE[unit],
        "unit": unit.value,
    }
    ck.loads(orjson.dumps(doc))


@pytest.mark.parametrize(("unit", "amount"), UNITS)
def test_the_farthest_accepted_dates_and_deadlines(
    tmp_path: Path, unit: ck.DeadlineUnit, amount: int
) -> None:
    """The latest period a campaign may have, every date at the latest a record may carry,
    the longest deadline and extensions that add the most they may: every command runs."""
    year = limits.LAST_END_YEAR
    text = orjson.dumps(minimal_document()).decode().replace("2020-", f"{year}-")
    doc = orjson.loads(text)
    latest = f"{year + limits.MAX_YEARS}-05-12"
    doc["campaign"]["report_date"] = latest
    extension = {
        ck.DeadlineUnit.HOURS: limits.MAX_DEADLINE[ck.DeadlineUnit.DAYS] * 24,
        ck.DeadlineUnit.DAYS: limits.MAX_DEADLINE[ck.DeadlineUnit.DAYS],
        ck.DeadlineUnit.WORKING_DAYS: limits.MAX_DEADLINE[ck.DeadlineUnit.DAYS] // 2,
    }[unit]
    doc["issues"][2]["events"] = [
        {"kind": "assigned", "date": latest, "level": "county", "department": "区经信局",
         "deadline": {"amount": amount, "unit": unit.value}},
        {"kind": "extended", "date": latest, "deadline": {"amount": extension, "unit": unit.value}},
    ]  # fmt: skip
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(doc))
    ck.load(path)
    for command in COMMANDS:
        args = [a.replace("{out}", str(tmp_path / "report")) for a in command]
        args = [a.replace("2030-05-12", latest) for a in args]
        status, err = run([args[0], str(path), *args[1:]])
        assert status == 0, (args, err)


def test_an_as_of_date_beyond_the_latest_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(minimal_document()))
    for command in (["overdue"], ["escalate"], ["summary"], ["report"]):
        status, err = run([*command, str(path), "--as-of", "9999-12-31", "--lang", "en"])
        assert status == 1
        assert err == (
            "error: --as-of: 9999-12-31 is more than 10 years after the campaign ends "
            "(the latest is 2030-05-12)\n"
        )
