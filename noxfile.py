"""Automation: ``nox`` runs the test suite on every Python, type checks, lint and docs.

``nox -s tests-3.12`` runs one session; ``nox -s bench`` runs the benchmark harness.
"""

from __future__ import annotations

import glob
import os

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "typecheck", "lint", "docs"]
# A Python that cannot be found fails the run: every version's tests really run, on CI
# (``.ci/run``) and on a developer's machine alike (nox only defaults to this when ``CI`` is set).
nox.options.error_on_missing_interpreters = True

PYTHONS = ["3.11", "3.12", "3.13"]

# Interpreters come from the machine (pyenv, the system), never downloaded: uv would
# otherwise fetch a Python build it cannot find, which nothing here may do by itself.
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")

# pyenv's shims only expose the global version: put every installed version on PATH
for _bin in sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin"))):
    if _bin not in os.environ.get("PATH", ""):
        os.environ["PATH"] = os.environ.get("PATH", "") + os.pathsep + _bin


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (examples, notebook and browser test included)."""
    session.install("-e", ".[test]")
    # the external example plugins, found by their entry points
    session.install("-e", "examples/henan-wanren-plugin")
    session.install("-e", "examples/shandong-2115-plugin")
    # the property test of accepted ledgers runs its full 200 examples on the first Python
    examples = "200" if session.python == PYTHONS[0] else "50"
    # so do the store's eight concurrent writers: 1,000 events each there, 200 elsewhere
    each = "1000" if session.python == PYTHONS[0] else "200"
    session.run(
        "pytest",
        "-n",
        "auto",
        *session.posargs,
        env={"CAMPAIGNKIT_EDGE_EXAMPLES": examples, "CAMPAIGNKIT_STORE_EACH": each},
    )


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src, tests and examples."""
    session.install("-e", ".[dev]")
    session.install("-e", "examples/henan-wanren-plugin")
    session.install("-e", "examples/shandong-2115-plugin")
    session.run("mypy", "--strict", "src", "tests", "examples")


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff check, ruff format --check, and the import-linter contracts (layers point one way)."""
    session.install("ruff==0.17.6", "import-linter==2.17")  # same pins as the dev extra
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # grimp reads the source; the package need not be installed
    session.run("lint-imports", env={"PYTHONPATH": "src"})


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the documentation site in strict mode: a broken link or reference fails."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", *session.posargs)


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """The benchmark harness (not a default session): ``nox -s bench -- --sizes 10k,100k``."""
    # pandas and DuckDB for the baselines, openpyxl and matplotlib for the reports
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks.run", *session.posargs)
