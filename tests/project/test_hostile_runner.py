"""The hostile-input runner (``python -m benchmarks.hostile``) measures what it says."""

from __future__ import annotations

from pathlib import Path

from benchmarks.hostile import CORPUS, measure


def test_the_runner_measures_a_refused_file() -> None:
    found = measure(CORPUS / "key-newline-forged.json")
    assert found["exit"] == 1
    assert found["problems"] == 1 and found["one_line"]
    assert 0 < found["seconds"] < 120 and found["peak_mib"] > 0


def test_the_runner_tells_an_accepted_file_from_a_refused_one(tmp_path: Path) -> None:
    import orjson

    from tests.conftest import minimal_document

    path = tmp_path / "ledger.json"
    path.write_bytes(orjson.dumps(minimal_document()))
    found = measure(path)
    assert found["exit"] == 0 and found["problems"] == 0 and not found["one_line"]
