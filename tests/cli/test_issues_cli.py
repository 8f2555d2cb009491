"""``campaignkit overdue`` and ``campaignkit escalate`` on ledger files."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import orjson
import pytest

from campaignkit.cli.app import main
from campaignkit.io import load

ASSIGNED = {"kind": "assigned", "date": "2020-04-16", "level": "county", "department": "区人社局"}


@pytest.fixture
def ledger_file(document: dict[str, Any], tmp_path: Path) -> Path:
    """The minimal ledger with I3 assigned at county level on 16 April."""
    document["issues"][2]["events"] = [ASSIGNED]
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_overdue_groups_by_level_and_department(
    ledger_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "overdue", str(ledger_file), "--as-of", "2020-04-21")
    assert (code, err) == (0, "")
    assert "截至 2020-04-21" in out
    lines = out.splitlines()
    assert "== 县区（2） ==" in lines
    assert "-- 区人社局（2） --" in lines
    i1 = next(line for line in lines if line.startswith("I1"))
    i3 = next(line for line in lines if line.startswith("I3"))
    # I1: first response due 16 April, three working days late; I3: due 20 April, one day.
    assert i1.split() == ["I1", "用工", "首次响应", "2020-04-16", "已超期", "3个工作日"]
    assert i3.split() == ["I3", "用工", "首次响应", "2020-04-20", "已超期", "1个工作日"]
    assert lines.index(i1) < lines.index(i3)  # by due date
    assert "合计：2 项时限，涉及 2 个问题（已超期 2）" in out


def test_overdue_in_english(ledger_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "overdue", str(ledger_file), "--as-of", "2020-04-28", "--lang", "en")
    assert code == 0
    assert "as of 2020-04-28" in out
    assert "== county/district (" in out
    i3 = [line for line in out.splitlines() if line.startswith("I3")]
    # The response clock is overdue, the resolution (due 29 April) due soon.
    assert any("first response" in line and "overdue" in line for line in i3)
    assert any("resolution" in line and "due soon" in line for line in i3)


def test_overdue_with_nothing_due(ledger_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "overdue", str(ledger_file), "--as-of", "2020-04-13")
    assert code == 0
    assert "没有即将到期、已预警或超期的在办问题" in out


def test_escalate_shows_and_applies(ledger_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = ledger_file.read_bytes()
    code, out, err = run(capsys, "escalate", str(ledger_file), "--as-of", "2020-05-12")
    assert (code, err) == (0, "")
    assert ledger_file.read_bytes() == before  # shown, not written
    assert "红牌超期（red-card）" in out
    assert "提级办理（raise-level）" in out
    assert "加 --apply" in out
    shown = [line for line in out.splitlines() if " I3 " in f" {line} "]
    code, out, err = run(
        capsys, "escalate", str(ledger_file), "--as-of", "2020-05-12", "--apply", "--lang", "en"
    )
    assert (code, err) == (0, "")
    assert f"appended {len(shown)} event(s) to {ledger_file}" in out
    assert "I3 2020-05-12 escalated (raise-level)" in out
    assert "marked overdue (red-card)" in out and "marked_overdue" not in out
    ledger = load(ledger_file)
    appended = ledger.issue_index["I3"].events[1:]
    assert len(appended) == len(shown)
    assert {e.rule for e in appended} >= {"red-card", "raise-level"}
    assert ledger.issue_index["I3"].events[0].kind == "assigned"
    code, out, _ = run(capsys, "escalate", str(ledger_file), "--as-of", "2020-05-12", "--apply")
    assert code == 0
    assert "没有需要提出的动作" in out


def test_escalate_accepts_a_folder(ledger_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "escalate", str(ledger_file.parent), "--as-of", "2020-05-12", "--apply"
    )
    assert code == 0
    assert f"条事件到 {ledger_file}" in out
    # the appended events are named in the command's language
    assert "I3 2020-05-12 提级办理（raise-level）" in out and "红牌超期（red-card）" in out
    assert len(load(ledger_file).issue_index["I3"].events) > 1


def test_apply_before_later_events_is_one_error(
    ledger_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = ledger_file.read_bytes()
    # I1 was resolved on 24 April (its latest event is of 28 April): actions dated 21 April cannot follow that.
    code, _, err = run(capsys, "escalate", str(ledger_file), "--as-of", "2020-04-21", "--apply")
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("error: issues[0]: 问题 'I1'：规则 ")
    assert "请按 2020-04-28 或更晚的日期评估" in err
    assert "Traceback" not in err
    assert ledger_file.read_bytes() == before
    code, _, err = run(
        capsys, "escalate", str(ledger_file), "--as-of", "2020-04-21", "--apply", "--lang", "en"
    )
    assert code == 1
    assert err.startswith("error: issues[0]: issue 'I1': action ")
    assert err.endswith("evaluate as of 2020-04-28 or later to apply\n")
    assert ledger_file.read_bytes() == before


@pytest.mark.parametrize("command", ["overdue", "escalate"])
def test_bad_input_is_one_line_per_error(
    command: str, ledger_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a bad date is a usage error, as for report and summary, worded in --lang
    with pytest.raises(SystemExit) as exc:
        run(capsys, command, str(ledger_file), "--as-of", "2020-02-30")
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"campaignkit {command}: error: 参数 --as-of：应为 YYYY-MM-DD 格式的日期，实际是 '2020-02-30'"
    )
    with pytest.raises(SystemExit) as exc:
        run(capsys, command, str(ledger_file), "--as-of", "2020-02-30", "--lang", "en")
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"campaignkit {command}: error: argument --as-of: expected a date as YYYY-MM-DD, "
        "got '2020-02-30'"
    )
    code, _, err = run(capsys, command, str(tmp_path / "missing.json"))
    assert code == 1
    assert err.count("\n") == 1 and "missing.json" in err


def test_invalid_ledger_lists_its_problems(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document["issues"][1]["events"].append({"kind": "escalated", "date": "2020-04-16"})
    document["issues"][2]["events"] = [{"kind": "assigned", "date": "2020-04-17"}]
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(document))
    code, _, err = run(capsys, "overdue", str(path))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"error: {path}: issues[") for line in lines)
    assert "events[1].kind" in lines[0] and "'resolved'" in lines[0]
    assert "问题 'I3'：办理记录 'assigned' 缺少 level、department" in lines[1]


def test_a_failing_rule_blocks_apply(
    ledger_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "broken_rule_plugin.py").write_text(
        textwrap.dedent(
            """
            from campaignkit import hookimpl
            from campaignkit.rules.records import EscalationRule, Label

            def boom(ctx, issue):
                raise LookupError("no data for " + issue.id)

            @hookimpl
            def campaignkit_escalation_rules():
                yield EscalationRule("boom", Label("炸", "boom"), boom)
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    before = ledger_file.read_bytes()
    code, out, err = run(
        capsys,
        "--plugin",
        "broken_rule_plugin",
        "escalate",
        str(ledger_file),
        "--as-of",
        "2020-05-12",
        "--apply",
    )
    assert code == 1
    errors = err.splitlines()
    assert errors[:3] == [
        f"error: 督办规则 'boom'（插件 'broken_rule_plugin'）在问题 '{i}' 上出错："
        f"LookupError: no data for {i}"
        for i in ("I1", "I2", "I3")
    ]
    assert errors[-1] == "error: 有规则出错，未写入台账。"
    assert "red-card" in out  # the other rules still ran and are shown
    assert ledger_file.read_bytes() == before
    code, out, err = run(
        capsys, "--plugin", "broken_rule_plugin", "escalate", str(ledger_file), "--lang", "en"
    )
    assert err.splitlines()[0] == (
        "error: escalation rule 'boom' (plugin 'broken_rule_plugin') failed on issue 'I1': "
        "LookupError: no data for I1"
    )


# -- the documentation page runs as written -----------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
SNIPPET_END = "----- end of snippet -----"


def _normalise(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _blocks(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, code, expected output) for python and console blocks, in page order."""
    found = [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(text)]
    steps = []
    for i, (info, body, _, end) in enumerate(found):
        if info not in ("python", "console"):
            continue
        following = found[i + 1] if i + 1 < len(found) else None
        expected = None
        if following and following[0] == "text" and not text[end : following[2]].strip():
            expected = following[1]
        steps.append((info, body, expected))
    return steps


PAGES = sorted(p.name for p in (ROOT / "docs").glob("issues-lifecycle*.md"))


@pytest.mark.parametrize("page", PAGES)
def test_the_lifecycle_page_runs_as_written(page: str) -> None:
    steps = _blocks((ROOT / "docs" / page).read_text("utf-8"))
    python = [(code, expected) for kind, code, expected in steps if kind == "python"]
    assert len(python) >= 8, page
    driver = (
        "import json, sys\n"
        "ns = {'__name__': '__main__'}\n"
        "for n, code in enumerate(json.load(sys.stdin)):\n"
        "    exec(compile(code, f'<snippet {n + 1}>', 'exec'), ns)\n"
        f"    print({SNIPPET_END!r}, flush=True)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", driver],
        input=json.dumps([code for code, _ in python]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = result.stdout.split(SNIPPET_END + "\n")[:-1]
    for (code, expected), printed in zip(python, outputs, strict=True):
        if expected is not None:
            assert _normalise(printed) == _normalise(expected), f"{page}:\n{code}"
    consoles = [code for kind, code, _ in steps if kind == "console"]
    assert consoles, page
    for block in consoles:
        command, _, expected = block.partition("\n")
        assert command.startswith("$ campaignkit ")
        run = subprocess.run(
            [sys.executable, "-m", "campaignkit", *shlex.split(command[2:])[1:]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert _normalise(run.stdout) == _normalise(expected), f"{page}: {command}"


def test_overdue_says_when_dates_rest_on_the_fallback(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document["campaign"]["period"]["end"] = "2027-01-31"
    document["issues"][2]["raised"] = "2026-12-28"
    document["issues"][2]["events"] = [dict(ASSIGNED, date="2026-12-28")]
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    code, out, _ = run(capsys, "overdue", str(path), "--as-of", "2027-01-11", "--lang", "en")
    assert code == 0
    assert any(line.startswith("I3") and "due soon" in line for line in out.splitlines())
    notes = [line for line in out.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1
    assert "no working-day calendar knows 2027-01-01" in notes[0]


def test_overdue_total_counts_deadlines_and_distinct_issues(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
    code, out, _ = run(capsys, "overdue", str(ledger), "--as-of", "2020-06-30")
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines() if re.match(r"Q\d{3} ", line)]
    assert len(rows) > len(set(rows))  # some issue has two running deadlines
    total = out.strip().splitlines()[-1]
    assert total.startswith(f"合计：{len(rows)} 项时限，涉及 {len(set(rows))} 个问题（")
