"""``campaignkit --version``; ``campaignkit summary`` shows an average, a median or a
per-enterprise figure a plugin adds with its unit, never as a percentage."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.stats.metrics import MetricResult, compute
from campaignkit.stats.narrative import format_number
from campaignkit.testing import load_ledger, plugin_manager
from tests import value_kinds

HUAINAN = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
PLUGIN = ("--plugin", "tests.value_kinds")
FIGURES = ("average_resolve_days", "median_resolve_days", "issues_per_enterprise")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", [["--version"], ["--version", "--lang", "en"]])
def test_version(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"campaignkit {ck.__version__}\n"


def test_the_help_names_the_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert re.search(r"--version +显示 campaignkit 的版本号并退出\n", capsys.readouterr().out)


def _results(lang: str) -> dict[str, MetricResult]:
    with plugin_manager(value_kinds) as pm:
        ledger = load_ledger(HUAINAN, manager=pm)
        return {mid: compute(ledger, mid, manager=pm, lang=lang) for mid in FIGURES}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_shows_the_figures_with_their_unit(
    capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    code, out, err = run(capsys, *PLUGIN, "summary", str(HUAINAN), "--lang", lang)
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines()[2:]}
    for mid, result in _results(lang).items():
        assert result.value is not None
        shown = format_number(result.value, result.value_kind, result.unit, lang)
        assert lines[mid].endswith(shown), lines[mid]
        assert result.unit in shown and "%" not in lines[mid]
    assert lines["resolution_rate"].endswith("%")  # a rate is still a percentage


def test_summary_json_has_the_figures_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *PLUGIN, "summary", str(HUAINAN), "--format", "json")
    assert code == 0, err
    figures = orjson.loads(out)
    for mid, result in _results("zh").items():
        assert figures[mid] == format_number(result.value or 0, "number")
