"""Unbounded input: no more than the limit is ever read, and garbage is refused at once.

A path that yields endless bytes (``/dev/zero``, a FIFO whose writer never stops)
or a file larger than the limit is refused with one located problem (issue 22).
Each wait on a reader or writer here has a generous time-out, so that a reader
that never stops fails the test instead of hanging it; nothing is timed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import campaignkit as ck
from campaignkit.cli.app import main
from campaignkit.hooks.watchdog import DEFAULT_TIMEOUT, configured_timeout
from campaignkit.ledgerfile.reading import DEFAULT_MAX_BYTES, configured_max_bytes, read_input
from campaignkit.stats.reconcile import load_claims

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "huainan-2020" / "ledger.json"
DEV_ZERO = Path("/dev/zero")
WAIT = 120.0
"""Seconds a test waits on a reader before it fails (far more than any read here takes)."""

needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")


def _problems(path: Path | str, max_bytes: int | None = None) -> list[str]:
    with pytest.raises(ck.LedgerError) as info:
        ck.load(path, max_bytes=max_bytes)
    return [str(p) for p in info.value.problems]


def _in_time(work: Callable[[], object]) -> list[str]:
    """The problems ``work()`` raises, run in a thread that must end within :data:`WAIT`."""
    found: list[list[str]] = []

    def run() -> None:
        with pytest.raises(ck.LedgerError) as info:
            work()
        found.append([str(p) for p in info.value.problems])

    reader = threading.Thread(target=run, daemon=True)
    reader.start()
    reader.join(WAIT)
    assert not reader.is_alive(), "the reader did not stop"
    assert found, "the reader raised something else than LedgerError"
    return found[0]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "ledger.json"
    os.mkfifo(path)
    yield path


def _writing(path: Path, head: bytes, then: bytes) -> threading.Thread:
    """A writer that opens the FIFO, writes ``head``, then ``then`` again and again until
    the reader goes away."""

    def write() -> None:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, head)
            while True:
                os.write(fd, then)
        except BrokenPipeError:
            pass
        finally:
            os.close(fd)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def test_the_default_limit_holds_a_province() -> None:
    assert DEFAULT_MAX_BYTES == 1 << 30  # a 1M-issue ledger is about 450 MiB


def test_a_regular_file_over_the_limit_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "ledger.json"
    with big.open("wb") as fh:
        fh.truncate(3 << 30)  # sparse: three gigabytes of nothing, never written
    # judged by its size: read, its NUL bytes would be "not valid JSON"
    assert _problems(big) == [
        f"{big}: the file is larger than the limit of 1 GiB: it has 3 GiB; set"
        " CAMPAIGNKIT_MAX_BYTES, or max_bytes= in Python, to read larger files"
    ]


def test_max_bytes_is_the_limit_of_one_call(tmp_path: Path) -> None:
    size = EXAMPLE.stat().st_size
    [problem] = _problems(EXAMPLE, max_bytes=size - 1)
    assert "the file is larger than the limit of" in problem
    assert f"({size:,} B)" in problem
    assert ck.load(EXAMPLE, max_bytes=size) == ck.load(EXAMPLE)
    with pytest.raises(ValueError, match="max_bytes"):
        ck.load(EXAMPLE, max_bytes=0)
    with pytest.raises(ck.LedgerError):
        ck.load_workspace(EXAMPLE, max_bytes=1000)


def test_loads_refuses_a_document_over_the_limit() -> None:
    data = EXAMPLE.read_bytes()
    for document in (data, data.decode("utf-8")):
        with pytest.raises(ck.LedgerError) as info:
            ck.loads(document, max_bytes=len(data) - 1, source="big.json")
        [problem] = info.value.problems
        assert str(problem).startswith("big.json: the document is larger than the limit of")
    assert ck.loads(data, max_bytes=len(data)) == ck.load(EXAMPLE)


def test_the_environment_sets_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, limit in [
        ("2MiB", 2 << 20),
        ("1 GiB", 1 << 30),
        ("4096", 4096),
        ("3k", 3 << 10),
        ("nonsense", DEFAULT_MAX_BYTES),
        ("0", DEFAULT_MAX_BYTES),
        ("-5", DEFAULT_MAX_BYTES),
        ("", DEFAULT_MAX_BYTES),
    ]:
        monkeypatch.setenv("CAMPAIGNKIT_MAX_BYTES", raw)
        assert configured_max_bytes() == limit, raw
    monkeypatch.setenv("CAMPAIGNKIT_MAX_BYTES", "1KiB")
    [problem] = _problems(EXAMPLE)
    assert "larger than the limit of 1 KiB" in problem
    with pytest.raises(ck.LedgerError, match="larger than the limit of 1 KiB"):
        ck.loads(EXAMPLE.read_bytes())


@pytest.mark.parametrize("raw", ["nonsense", "0", "-5", "12 parsecs"])
def test_the_command_line_says_a_setting_it_ignores(
    raw: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_MAX_BYTES", raw)
    monkeypatch.setenv("CAMPAIGNKIT_PLUGIN_TIMEOUT", "soon")
    assert main(["validate", str(EXAMPLE), "--lang", "en"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"warning: CAMPAIGNKIT_MAX_BYTES={raw!r} is not a number of bytes (such as 512MiB or "
        "2GiB): ignored, the limit is 1 GiB",
        "warning: CAMPAIGNKIT_PLUGIN_TIMEOUT='soon' is not a number of seconds: ignored, "
        "plugin calls may take 30 s",
    ]
    monkeypatch.setenv("CAMPAIGNKIT_MAX_BYTES", "2GiB")
    monkeypatch.setenv("CAMPAIGNKIT_PLUGIN_TIMEOUT", "0")  # off: a setting, not ignored
    assert main(["validate", str(EXAMPLE)]) == 0
    assert capsys.readouterr().err == ""
    for raw in ("nan", "inf"):  # not a number of seconds: the default, said so
        monkeypatch.setenv("CAMPAIGNKIT_PLUGIN_TIMEOUT", raw)
        assert configured_timeout() == DEFAULT_TIMEOUT
        assert main(["validate", str(EXAMPLE), "--lang", "en"]) == 0
        assert f"CAMPAIGNKIT_PLUGIN_TIMEOUT={raw!r} is not a number" in capsys.readouterr().err


def test_the_command_line_keeps_to_the_limit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("CAMPAIGNKIT_MAX_BYTES", "64KiB")
    claims = tmp_path / "claims.json"
    claims.write_bytes(b'{"claims": {"enterprises_visited": 215}}' + b" " * (70 << 10))
    for argv in (
        ["validate", str(EXAMPLE)],
        ["summary", str(EXAMPLE)],
        ["report", str(EXAMPLE)],  # read with a progress bar
        ["overdue", str(EXAMPLE), "--as-of", "2020-05-12"],
        ["reconcile", str(EXAMPLE), str(claims)],
    ):
        assert main([*argv, "--lang", "en"]) == 1, argv
        err = capsys.readouterr().err
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("error: ") and "larger than the limit of 64 KiB" in lines[0]
        assert "Traceback" not in err


def test_a_claims_file_is_read_the_same_way(tmp_path: Path) -> None:
    claims = tmp_path / "claims.json"
    claims.write_bytes(b'{"claims": {"enterprises_visited": 215}}')
    assert len(load_claims(claims)) == 1
    with pytest.raises(ck.LedgerError, match="larger than the limit of 10 B"):
        load_claims(claims, max_bytes=10)
    with pytest.raises(ck.LedgerError, match="not valid JSON"):
        load_claims(DEV_ZERO if DEV_ZERO.exists() else claims.with_suffix(".missing"))


@needs_dev_zero
def test_dev_zero_is_refused_at_its_first_byte() -> None:
    problems = _in_time(lambda: ck.load(DEV_ZERO))
    assert problems == [
        "/dev/zero: not valid JSON: unexpected character, expected a JSON value:"
        " line 1 column 1 (char 0)"
    ]
    assert _in_time(lambda: read_input(DEV_ZERO)) == problems


@needs_fifo
def test_an_endless_fifo_is_cut_at_the_limit(fifo: Path) -> None:
    writer = _writing(
        fifo, b'{"format": "campaignkit-ledger", "version": 1, "issues": [', b" " * 65536
    )
    problems = _in_time(lambda: ck.load(fifo, max_bytes=8 << 20))
    assert problems == [
        f"{fifo}: more than the limit of 8 MiB came from it; set CAMPAIGNKIT_MAX_BYTES,"
        " or max_bytes= in Python, to read more"
    ]
    writer.join(WAIT)
    assert not writer.is_alive()


@needs_fifo
@pytest.mark.parametrize(
    ("head", "then", "problem"),
    [
        (b"", b"\0" * 65536, "not valid JSON: unexpected character"),
        (b'{"format": "campaignkit-ledger", "issues": [', b"\0" * 4096, "not valid JSON"),
        (b"   \n", b"[" * 4096, "the document must be a JSON object"),
        (b"\xef\xbb\xbf", b"{}" * 4096, "byte-order mark"),
        (b"\xff\xfe", b"x" * 4096, "not UTF-8 at byte 0"),
        (b"y\n", b"y\n" * 4096, "not valid JSON: unexpected character"),
    ],
    ids=["nul", "nul-after-start", "array", "bom", "utf16", "yes"],
)
def test_endless_garbage_from_a_fifo_is_refused_at_once(
    fifo: Path, head: bytes, then: bytes, problem: str
) -> None:
    """With no limit to speak of (1 TiB), only refusing at the first sure sign stops it."""
    writer = _writing(fifo, head, then)
    [found] = _in_time(lambda: ck.load(fifo, max_bytes=1 << 40))
    assert found.startswith(f"{fifo}: ") and problem in found, found
    writer.join(WAIT)
    assert not writer.is_alive()


@needs_fifo
def test_a_fifo_holding_a_ledger_is_read_whole(fifo: Path) -> None:
    data = EXAMPLE.read_bytes()

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    loaded: list[ck.Ledger] = []
    reader = threading.Thread(target=lambda: loaded.append(ck.load(fifo)), daemon=True)
    reader.start()
    reader.join(WAIT)
    writer.join(WAIT)
    assert loaded == [ck.load(EXAMPLE)]


_ENDLESS_WRITER = """
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
os.write(fd, b'{"format": "campaignkit-ledger", "version": 1, "issues": [')
try:
    while True:
        os.write(fd, b'{"id": "I1"}, ' * 4096)
except BrokenPipeError:
    pass
"""


def _limited_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    limit = 600 << 20  # far below what reading to the end (or to 1 GiB) would take
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _validate_in_a_process(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "campaignkit", "validate", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), **env},
        preexec_fn=_limited_memory if sys.platform == "linux" else None,
    )


def _one_error_line(proc: subprocess.CompletedProcess[str], path: Path) -> str:
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"error: {path}: "), line
    return line


@needs_dev_zero
def test_the_command_line_refuses_dev_zero_in_a_real_process() -> None:
    line = _one_error_line(_validate_in_a_process(DEV_ZERO), DEV_ZERO)
    assert "not valid JSON" in line


@needs_fifo
def test_the_command_line_cuts_an_endless_fifo_in_a_real_process(fifo: Path) -> None:
    writer = subprocess.Popen([sys.executable, "-c", _ENDLESS_WRITER, str(fifo)])
    try:
        proc = _validate_in_a_process(fifo, CAMPAIGNKIT_MAX_BYTES="32MiB")
    finally:
        writer.kill()
        writer.wait(WAIT)
    line = _one_error_line(proc, fifo)
    assert "more than the limit of 32 MiB came from it" in line


def test_a_file_of_nul_bytes_costs_no_memory_in_a_real_process(tmp_path: Path) -> None:
    """Under the limit, so it is mapped and parsed: refused at byte 0, nothing copied."""
    zeros = tmp_path / "zeros.json"
    with zeros.open("wb") as fh:
        fh.truncate(900 << 20)  # under the 1 GiB limit, above the 600 MiB the child may use
    line = _one_error_line(_validate_in_a_process(zeros), zeros)
    assert "not valid JSON: unexpected character" in line and "(char 0)" in line
