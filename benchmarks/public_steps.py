"""One measured step through campaignkit's public API only: ``python -I public_steps.py STEP FILE``.

Run by ``python -m benchmarks.run --against REF`` with the interpreter of a
virtual environment of its own (one for the release, one for this code), so
it imports nothing but the standard library and the campaignkit installed
there, and calls only documented public names:

- ``pipeline``: ``campaignkit.load`` (reads and validates), then
  ``campaignkit.validate`` on the loaded ledger, then the summary as
  ``campaignkit summary`` computes it: ``campaignkit.compute_all`` of every
  metric on one ``campaignkit.metrics.make_context``, and
  ``campaignkit.breakdown`` of the issues by category, channel, level, team
  and region;
- ``escalation AS_OF``: ``campaignkit.load``, then
  ``campaignkit.escalation.evaluate`` as of that date;
- ``helpers``: the module-level helpers an analyst calls issue by issue with no
  calendar handed (``working_days_between``, ``issue_clocks``), per issue.

Where the installed campaignkit has ``campaignkit.load_workspace`` (the way its
documentation says to read a ledger that several questions are asked of), the
ledger is read with it instead: reading, validating and deriving every issue's
history once count as the load, and the validation, the summary and the
escalation are handed the workspace (validating it again then reads what the
load found). A release without it reads with ``campaignkit.load``.

Prints one JSON object: the timings in seconds, the peak resident memory in
MiB, the version and location of the campaignkit that ran, and for
``pipeline`` every metric's value as text (so both sides can be compared).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
from typing import Any

BREAKDOWNS = ("category", "channel", "level", "team", "region")


def _loaded(path: str) -> tuple[Any, Any, float]:
    """The ledger at ``path``, the workspace its issues were derived in (None for a
    release without ``campaignkit.load_workspace``), and the seconds taken."""
    import campaignkit

    start = time.perf_counter()
    opener = getattr(campaignkit, "load_workspace", None)
    if opener is None:
        ledger, workspace = campaignkit.load(path), None
    else:
        workspace = opener(path)
        ledger = workspace.ledger
    return ledger, workspace, time.perf_counter() - start


def _with(workspace: Any) -> dict[str, Any]:
    """The keyword that hands the workspace on, where there is one."""
    return {} if workspace is None else {"workspace": workspace}


def pipeline(path: str) -> dict[str, Any]:
    """Load, validate and summarise the ledger at ``path``."""
    import campaignkit
    from campaignkit.metrics import make_context

    ledger, workspace, load_s = _loaded(path)
    start = time.perf_counter()
    problems = campaignkit.validate(ledger, **_with(workspace))
    validate_s = time.perf_counter() - start
    start = time.perf_counter()
    ctx = make_context(ledger, **_with(workspace))
    values = campaignkit.compute_all(ctx)
    rows = {by: campaignkit.breakdown(ctx, "issues_collected", by) for by in BREAKDOWNS}
    summary_s = time.perf_counter() - start
    figures = {key: str(result.value) for key, result in values.items()}
    for by, found in rows.items():
        figures[f"issues_collected by {by}"] = str(
            sorted((row.key, str(row.result.value)) for row in found.rows)
        )
    return {
        "load_s": load_s,
        "validate_s": validate_s,
        "summary_s": summary_s,
        "total_s": load_s + validate_s + summary_s,
        "problems": len(problems),
        "issues": len(ledger.issues),
        "figures": figures,
    }


def escalation(path: str, as_of: dt.date) -> dict[str, Any]:
    """Load the ledger, then evaluate the escalation rules as of ``as_of``."""
    from campaignkit.escalation import evaluate

    ledger, workspace, load_s = _loaded(path)
    start = time.perf_counter()
    actions = evaluate(ledger, as_of, **_with(workspace))
    return {
        "load_s": load_s,
        "evaluate_s": time.perf_counter() - start,
        "actions": len(actions),
    }


HELPER_ISSUES = 300
"""How many issues the ``helpers`` step asks of (the first ones of the ledger)."""


def helpers(path: str) -> dict[str, Any]:
    """The module-level helpers an analyst calls issue by issue, with no calendar handed
    (``working_days_between`` from raised to the report date, ``issue_clocks`` as of it),
    on the first :data:`HELPER_ISSUES` issues: the time per issue."""
    import campaignkit
    from campaignkit.calendar import working_days_between
    from campaignkit.deadlines import issue_clocks

    ledger = campaignkit.load(path)
    pm = campaignkit.get_plugin_manager()
    policy = pm.campaign_type(ledger.campaign.type).policy
    as_of = ledger.campaign.report_date or ledger.campaign.period.end
    issues = ledger.issues[:HELPER_ISSUES]
    start = time.perf_counter()
    days = clocks = 0
    for issue in issues:
        days += working_days_between(issue.raised, as_of).days
        clocks += len(issue_clocks(issue, policy, as_of=as_of))
    seconds = time.perf_counter() - start
    return {
        "helpers_s": seconds,
        "per_issue_ms": seconds / len(issues) * 1000 if issues else 0.0,
        "issues": len(issues),
        "figures": {"working days": str(days), "clocks": str(clocks)},
    }


def peak_mib() -> float:
    """Peak resident memory of this process's own program, in MiB: Linux's ``VmHWM``.

    ``ru_maxrss`` is not used where ``VmHWM`` can be read: Linux carries it over ``exec``
    from the process that forked, so a step started by a harness holding 300 MiB would
    report at least 300 MiB whatever it used itself. Elsewhere ``ru_maxrss`` (KiB on
    Linux) it is. Shared with :mod:`benchmarks.worker`; this module imports only the
    standard library, so it may also run alone in another environment."""
    try:
        with open("/proc/self/status", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    """Run one step and print its measurements as one line of JSON."""
    if len(argv) < 2 or argv[0] not in ("pipeline", "escalation", "helpers"):
        print("usage: public_steps.py pipeline|escalation|helpers FILE [AS_OF]", file=sys.stderr)
        return 2
    step, path = argv[0], argv[1]
    if step == "pipeline":
        result = pipeline(path)
    elif step == "helpers":
        result = helpers(path)
    else:
        result = escalation(path, dt.date.fromisoformat(argv[2]))
    import campaignkit

    result["version"] = campaignkit.__version__
    result["module"] = campaignkit.__file__
    result["peak_mib"] = peak_mib()
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
