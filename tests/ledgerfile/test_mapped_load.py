"""Large files are read through a memory map: the same ledger, the same errors.

``campaignkit.io.MAP_FROM`` is the size from which ``campaignkit.load`` maps a
file instead of reading it whole; here it is lowered so that small files take
that route, and every answer is compared with the whole-file route.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import campaignkit as ck
import campaignkit.io
from benchmarks.generate import write_ledger

EXAMPLE = Path(__file__).parents[2] / "examples" / "huainan-2020" / "ledger.json"
BAD = sorted(p for p in (Path(__file__).parents[1] / "corpus" / "bad").iterdir() if p.is_file())


@pytest.fixture
def mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of at least one byte is mapped."""
    monkeypatch.setattr(campaignkit.io, "MAP_FROM", 1)


def test_the_example_loads_alike_mapped(mapped: None) -> None:
    assert ck.load(EXAMPLE) == ck.loads(EXAMPLE.read_bytes())
    assert ck.dumps(ck.load(EXAMPLE)) == EXAMPLE.read_bytes()


def test_a_generated_province_loads_alike_mapped(mapped: None, tmp_path: Path) -> None:
    path = tmp_path / "province.json"
    with path.open("wb") as fh:
        write_ledger(fh, 1500, seed=9)
    assert ck.load(path) == ck.loads(path.read_bytes())


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_a_bad_file_gives_the_same_problems_mapped(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def problems() -> list[str]:
        with pytest.raises(ck.LedgerError) as info:
            ck.load(path)
        return [p.text("en") for p in info.value.problems]

    whole = problems()
    monkeypatch.setattr(campaignkit.io, "MAP_FROM", 1)
    assert problems() == whole


def test_an_empty_file_is_refused_the_usual_way(mapped: None, tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(ck.LedgerError) as info:
        ck.load(empty)
    assert info.value.problems


def test_the_mapped_route_is_taken_from_map_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import mmap

    opened: list[int] = []
    real = mmap.mmap

    def counting(fileno: int, length: int, *args: object, **kwargs: object) -> mmap.mmap:
        opened.append(fileno)
        return real(fileno, length, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mmap, "mmap", counting)
    ck.load(EXAMPLE)  # far smaller than the real threshold: read whole
    assert opened == []
    monkeypatch.setattr(campaignkit.io, "MAP_FROM", EXAMPLE.stat().st_size)
    ck.load(EXAMPLE)
    assert len(opened) == 1
