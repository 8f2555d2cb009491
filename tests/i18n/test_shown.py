"""Values from a file in messages: escaped, quoted and cut, so a problem is one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.errors import Problem
from campaignkit.i18n.shown import MAX_PATH, MAX_SHOWN, escaped, path_key


def refused(doc: dict[str, Any]) -> list[Problem]:
    with pytest.raises(ck.LedgerError) as info:
        ck.loads(orjson.dumps(doc))
    return list(info.value.problems)


def test_a_key_with_a_newline_cannot_forge_a_line(document: dict[str, Any]) -> None:
    document["activities"][3]["figures"] = {"copies\nerror: FORGED.json: ok": 1}
    (problem,) = refused(document)
    for lang in ("zh", "en"):
        line = problem.text(lang)
        assert "\n" not in line
        assert line.startswith("activities[3].figures['copies\\nerror: FORGED.json: ok']: ")


def test_a_huge_unknown_key_is_cut(document: dict[str, Any]) -> None:
    key = "k" * 1_000_000
    document["issues"][0]["extra"] = {key: 1}
    (problem,) = refused(document)
    line = str(problem)
    assert len(line) < MAX_PATH + 200
    assert "…" in line


def test_an_unknown_key_in_a_record_is_shown_escaped(document: dict[str, Any]) -> None:
    document["issues"][0]["\u202ebad\x1b"] = 1
    (problem,) = refused(document)
    line = str(problem)
    assert line.isprintable()
    assert "\\u202ebad\\x1b" in line


def test_a_value_in_a_message_is_escaped_and_cut(document: dict[str, Any]) -> None:
    document["issues"][0]["category"] = "labour\n" + "x" * 10_000
    (problem,) = refused(document)
    line = str(problem)
    assert line.isprintable()
    assert "'labour\\nxxx" in line
    assert len(line) < 2 * MAX_SHOWN + 400


def test_a_plugin_message_as_written_is_one_line() -> None:
    problem = Problem("issues[0]", "first line\nerror: second line")
    assert str(problem) == "issues[0]: first line\\nerror: second line"


def test_the_cli_prints_one_line_per_problem(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document["activities"][3]["figures"] = {"a\nerror: FORGED": 1}
    document["issues"][0]["category"] = "x\ny"
    path = tmp_path / "bad\nname.json"
    path.write_bytes(orjson.dumps(document))
    assert main(["validate", str(path), "--lang", "en"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert all(line.startswith("error: ") and "bad\\nname.json" in line for line in lines)


def test_plain_text_is_shown_as_it_is() -> None:
    assert escaped("淮南市 大通区") == "淮南市 大通区"
    assert escaped("a" * (MAX_SHOWN + 1)) == "a" * MAX_SHOWN + "…"
    assert path_key("issues[0].extra", "ticket_no") == "issues[0].extra.ticket_no"
    assert path_key("issues[0].extra", "工单号") == "issues[0].extra['工单号']"
    assert path_key("x", "it's") == 'x["it\'s"]'


def test_every_error_line_of_the_command_line_is_one_line(
    document: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(document))
    assert main(["report", str(path), "-f", "no\nerror: FORGED", "--lang", "en"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "no\\nerror: FORGED" in err


def test_say_escapes_what_it_prints(capsys: pytest.CaptureFixture[str]) -> None:
    from campaignkit.cli.commands import say

    say("warning", "a rule said:\nerror: FORGED\x1b[0m")
    assert capsys.readouterr().err == "warning: a rule said:\\nerror: FORGED\\x1b[0m\n"


def test_keys_with_quotes_and_backslashes_read_back_unambiguously() -> None:
    assert path_key("x", "a\\nb") == "x['a\\\\nb']"  # a backslash and an n
    assert path_key("x", "a\nb") == "x['a\\nb']"  # a line break
    assert path_key("x", "'\"") == "x['\\'\"']"
