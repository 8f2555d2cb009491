"""Reconciliation: check a draft report's claimed figures against the records.

Claims are a mapping of metric id → value, or a claims file (JSON)::

    {"source": "工作总结正文",
     "claims": {
        "symposiums": {"value": 17, "quote": "召开座谈会17场"},
        "financing_amount": {"value": "22.18亿元", "quote": "签约金额22.18亿元"},
        "issues_collected": 207}}

A value is an integer, or a string: a plain decimal (``"750000000"``), an
amount with a Chinese multiplier and unit as a report writes it (``"7.5亿元"``,
``"560万元"``, ``"852亩"``, ``"16场"``, ``"11，438份"`` with an ASCII or a full-width
comma between thousands), or a percentage (``"95.2%"``). Floats
are refused: they are not exact. Money is in yuan, land in mu, rates are
fractions (``"95.2%"`` is 0.952). A unit written after the figure must be the one
the metric's figure is counted in: 元 for money, 亩 for land, % for a rate, a
measure word (场, 家, 个 …) for anything else; "852元" claimed for land is a
problem of the claims, not a figure to compare.

A plain number must match the computed figure exactly. A value written with
万/亿 or as a percentage matches when the computed figure, rounded half-up to
the precision written, equals it: "7.5亿元" accepts 753,000,000 but not
756,000,000, as a report that rounds to 0.1亿 would.

A rate, an average or a per-enterprise figure is compared as the records give it,
numerator ÷ denominator, not as the figure rounded for display: 129 of 217
issues resolved (0.594470…) is "59.4%" and "59.45%", not "59.5%". A plain number
with decimals claimed for one of these is taken at the decimals written
(``"0.5945"`` matches), a whole number must match exactly.

:func:`reconcile` lists every claim that differs from the records, with the
computed value and the records behind it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from attrs import frozen

from campaignkit.errors import LedgerError, Problem
from campaignkit.hooks.manager import PluginManager
from campaignkit.i18n.catalogue import Phrase
from campaignkit.ledgerfile import jsontext
from campaignkit.ledgerfile.converter import describe, quoted
from campaignkit.ledgerfile.reading import read_input
from campaignkit.model.ledger import Ledger
from campaignkit.model.units import exact
from campaignkit.rules.records import CampaignType, MetricDef
from campaignkit.stats.metrics import (
    AVERAGE_STEP,
    RATE_STEP,
    MetricContext,
    MetricResult,
    Number,
    compute,
    context_of,
)
from campaignkit.stats.narrative import format_number
from campaignkit.workspace import Workspace

__all__ = [
    "Claim",
    "Discrepancy",
    "load_claims",
    "parse_claim_value",
    "parse_claims",
    "reconcile",
]

_FILE_KEYS = frozenset({"source", "claims", "note"})
_CLAIM_KEYS = frozenset({"value", "quote"})
_UNITS = "元亩家个场篇人份次批类项"
_VALUE_RE = re.compile(
    rf"(?P<number>-?\d+(?:\.\d+)?)\s*(?P<multiplier>[万亿]?)\s*(?P<unit>[{_UNITS}]?|%)"
)
_MULTIPLIERS = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_RATIOS = {"rate": RATE_STEP, "average": AVERAGE_STEP, "per_enterprise": AVERAGE_STEP}
"""Value kinds computed as numerator ÷ denominator, and the step their figures are rounded to."""


@exact
def _unrounded(result: MetricResult) -> Decimal | None:
    """The figure of ``result`` before it was rounded: numerator ÷ denominator for a ratio."""
    if result.value is None:
        return None
    num, den = result.numerator, result.denominator
    if result.value_kind in _RATIOS and num is not None and den:
        return Decimal(num) / Decimal(den)
    return Decimal(result.value)


_MORE_DECIMALS = 12
"""At most this many more decimals than a ratio is stored with, to show how it differs."""


@exact
def _round(figure: Decimal, step: Decimal) -> Decimal:
    return figure.quantize(step, rounding=ROUND_HALF_UP)


@exact
def _rounds_to(figure: Decimal, value: Decimal, step: Decimal | None) -> bool:
    if step is None:
        return figure == value
    steps = (figure / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return steps * step == value


@frozen
class Claim:
    """A figure a document claims."""

    metric: str
    value: Decimal
    quote: str | None = None
    """The sentence of the document the figure comes from."""
    precision: Decimal | None = None
    """The rounding step the value was written with (``"7.5亿"``: 10,000,000); None: exact."""
    source: str | None = None
    """The claims file, when read from one."""
    unit: str = ""
    """The unit written after the figure (``元``, ``亩``, ``%``, a measure word such as
    ``场``); empty when none was."""

    @exact
    def matches(self, computed: Number) -> bool:
        """Whether ``computed`` agrees with the claim at the precision it was written with."""
        return _rounds_to(Decimal(computed), self.value, self.precision)

    def step(self, result: MetricResult) -> Decimal | None:
        """The precision the claim is checked at against ``result`` (None: exactly): the
        precision written, or for a plain number with decimals claimed for a ratio (a rate,
        an average, a per-enterprise figure), its last decimal."""
        if self.precision is not None or result.value_kind not in _RATIOS:
            return self.precision
        exponent = self.value.as_tuple().exponent
        return Decimal(1).scaleb(exponent) if isinstance(exponent, int) and exponent < 0 else None

    @exact
    def supported_by(self, result: MetricResult) -> bool:
        """Whether the computed ``result`` supports the claim: its figure before rounding
        (numerator ÷ denominator for a ratio) rounded half-up to :meth:`step` is the claim."""
        figure = _unrounded(result)
        return figure is not None and _rounds_to(figure, self.value, self.step(result))


@frozen
class Discrepancy:
    """A claim that the records do not support."""

    claim: Claim
    computed: MetricResult
    """The figure from the records, with its provenance."""

    @property
    @exact
    def figure(self) -> Number | None:
        """The computed figure as the line shows it (None when it is undefined): the figure
        as stored, unless it is a ratio that, so rounded, would read as agreeing with the
        claim or be coarser than it. Then numerator ÷ denominator is shown with as many
        more decimals as it takes: "报告 59.5%，记录 59.447%", not "记录 59.45%" (which
        rounds to the claim but is not what 129/217 rounds to)."""
        result = self.computed
        step = self.claim.step(result)
        exact_figure = _unrounded(result)
        if step is None or result.value_kind not in _RATIOS or exact_figure is None:
            return result.value
        shown, places = Decimal(result.value or 0), _RATIOS[result.value_kind]
        for _ in range(_MORE_DECIMALS):
            if places <= step and _round(shown, step) == _round(exact_figure, step):
                break
            places = places / 10
            shown = _round(exact_figure, places)
        return result.value if shown == result.value else shown

    @property
    @exact
    def difference(self) -> Decimal | None:
        """Claimed minus computed (:attr:`figure`; None when the computed value is undefined)."""
        figure = self.figure
        return None if figure is None else self.claim.value - Decimal(figure)

    @exact
    def describe(self, lang: str = "zh") -> str:
        """One line: the metric, the claimed and the computed figure, how many records.

        For example ``symposiums 座谈会：报告 17场，记录 16场（16 条记录）``.
        """
        kind = self.computed.value_kind
        unit = self.computed.unit
        claimed = format_number(self.claim.value, kind, unit, lang)
        figure = self.figure
        computed = "—" if figure is None else format_number(figure, kind, unit, lang)
        n = self.computed.records
        if lang == "zh":
            return (
                f"{self.claim.metric} {self.computed.label}：报告 {claimed}，"
                f"记录 {computed}（{n} 条记录）"
            )
        return (
            f"{self.claim.metric} ({self.computed.label}): claimed {claimed}, "
            f"computed {computed} from {n} record{'s' if n != 1 else ''}"
        )


def parse_claim_value(value: object) -> tuple[Decimal, Decimal | None]:
    """A claimed value and the precision it was written with (None: exact).

    >>> parse_claim_value("7.5亿元")
    (Decimal('750000000'), Decimal('10000000'))
    >>> parse_claim_value("95.2%")
    (Decimal('0.952'), Decimal('0.001'))
    >>> parse_claim_value(217)
    (Decimal('217'), None)

    Raises ``ValueError`` with a message fit for a user: its argument is the
    :class:`~campaignkit.i18n.catalogue.Phrase` that words it (``str(error)`` is English).
    """
    number, precision, _unit = _parse_value(value)
    return number, precision


@exact
def _parse_value(value: object) -> tuple[Decimal, Decimal | None, str]:
    """:func:`parse_claim_value`, with the unit written (empty when none)."""
    if isinstance(value, bool | float):
        raise ValueError(Phrase("claims.not-exact", {"value": repr(value)}))
    if isinstance(value, int | Decimal):
        return Decimal(value), None, ""
    if not isinstance(value, str):
        raise ValueError(Phrase("claims.number-or-string", {"got": describe(value)}))
    text = value.strip().replace(",", "").replace("，", "")  # ASCII or full-width
    match = _VALUE_RE.fullmatch(text)
    if match is None:
        raise ValueError(
            Phrase("claims.not-a-figure", {"value": quoted(value), "examples": _EXAMPLES})
        )
    try:
        number = Decimal(match["number"])
    except InvalidOperation:  # pragma: no cover - the pattern only admits decimals
        raise ValueError(
            Phrase("claims.not-a-figure", {"value": quoted(value), "examples": _EXAMPLES})
        ) from None
    multiplier, unit = match["multiplier"], match["unit"]
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if unit == "%":
        if multiplier:
            raise ValueError(Phrase("claims.percentage", {"value": quoted(value)}))
        return _plain(number / 100), _plain(Decimal(1).scaleb(exponent - 2)), unit
    if multiplier:
        scale = _MULTIPLIERS[multiplier]
        return _plain(number * scale), _plain(Decimal(1).scaleb(exponent) * scale), unit
    return number, None, unit


@exact
def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros and without exponent (``750000000.0`` → ``750000000``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _claim(metric: str, item: object, path: str, source: str | None) -> Claim | Problem:
    quote = None
    raw = item
    if isinstance(item, Mapping):
        unknown = sorted(set(item) - _CLAIM_KEYS)
        if unknown:
            return Problem.of("claims.unknown-keys", path, keys=", ".join(map(repr, unknown)))
        if "value" not in item:
            return Problem.of("required-key-missing", f"{path}.value")
        quote = item.get("quote")
        if quote is not None and not isinstance(quote, str):
            return Problem.of("expected-text", f"{path}.quote", got=describe(quote))
        raw = item["value"]
        path = f"{path}.value"
    try:
        value, precision, unit = _parse_value(raw)
    except ValueError as exc:
        why = exc.args[0] if exc.args and isinstance(exc.args[0], Phrase) else str(exc)
        return Problem(path, why)
    return Claim(metric, value, quote, precision, source, unit)


_EXAMPLES = '217, "750000000", "7.5亿元", "852亩", "95.2%"'


def parse_claims(
    data: Mapping[str, Any],
    source: str | None = None,
    *,
    campaign_type: CampaignType | None = None,
) -> tuple[Claim, ...]:
    """Claims from ``{"claims": {...}, "source": ...}`` or a flat ``{metric: value}`` mapping.

    Every problem is reported at once, in a :class:`~campaignkit.errors.LedgerError`
    whose paths look like ``claims.symposiums.value``. No claims at all is a problem
    too (nothing to check is a wrong file far more often than a draft without
    figures), and so is a ledger given in place of the claims. With
    ``campaign_type``, so is a claim of a metric the type does not define, whether
    or not its value can be read, and a figure written in a unit its metric is not
    counted in (``"852元"`` for land in mu).
    """
    if not isinstance(data, Mapping):
        raise LedgerError([Problem.of("claims.expected-mapping", "")], source)
    if data.get("format") == "campaignkit-ledger":
        raise LedgerError([Problem.of("claims.a-ledger", "")], source)
    problems: list[Problem] = []
    raw: object = data
    prefix = ""
    if "claims" in data:
        unknown = sorted(set(data) - _FILE_KEYS)
        if unknown:
            problems.append(
                Problem.of("claims.unknown-file-keys", "", keys=", ".join(map(repr, unknown)))
            )
        raw = data["claims"]
        prefix = "claims."
        if not isinstance(raw, Mapping):
            raise LedgerError([*problems, Problem.of("claims.expected-object", "claims")], source)
    assert isinstance(raw, Mapping)
    claims: list[Claim] = []
    for metric, item in raw.items():
        parsed = _claim(str(metric), item, f"{prefix}{metric}", source)
        if campaign_type is not None:
            claimed = parsed if isinstance(parsed, Claim) else None
            problems.extend(_against(campaign_type, str(metric), claimed))
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            claims.append(parsed)
    if not raw and not problems:
        problems.append(Problem.of("claims.none", ""))
    if problems:
        raise LedgerError(problems, source)
    return tuple(claims)


def load_claims(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    campaign_type: CampaignType | None = None,
) -> tuple[Claim, ...]:
    """Read a claims file (JSON, UTF-8).

    It is read as a ledger is (:mod:`campaignkit.ledgerfile.reading`): at most
    ``max_bytes`` bytes (by default ``CAMPAIGNKIT_MAX_BYTES``, else 1 GiB), and a key
    given twice in one object is a problem, as in a ledger. With ``campaign_type``,
    the claims are checked against it too (:func:`parse_claims`), every problem at once.
    """
    source = str(Path(path))
    data = read_input(path, max_bytes)

    def parse(doc: Any) -> tuple[Claim, ...]:
        if not isinstance(doc, dict):
            raise LedgerError([Problem.of("claims.expected-json-object", "")], source)
        return parse_claims(doc, source, campaign_type=campaign_type)

    return jsontext.parsed(data, source, parse)


_OWN_UNITS = {"yuan": "元", "mu": "亩", "rate": "%"}
"""Value kinds whose figures are counted in a unit of their own."""


def _counted_in(metric: MetricDef) -> str:
    """The unit ``metric``'s figure is counted in, as a claim writes it: 元, 亩, % or
    the metric's own unit (a measure word, or 元/亩 for an average of an amount)."""
    own = _OWN_UNITS.get(metric.result_kind)
    if own is not None:
        return own
    unit = metric.unit.get("zh")
    return next((u for u in ("元", "亩") if unit.endswith(u)), unit)


def _wrong_unit(metric: MetricDef, claim: Claim) -> Problem | None:
    """A problem when ``claim`` is written in a unit ``metric`` is not counted in. Measure
    words (场, 家, 个 …) stand for one another: a report may count 151 enterprises as
    "151个企业" where the metric says 家."""
    if not claim.unit:
        return None
    counted = _counted_in(metric)
    units = (claim.unit, counted)
    if claim.unit == counted or not any(u in units for u in ("元", "亩", "%")):
        return None
    if counted == "%":
        what = Phrase("claims.a-percentage")
    elif counted:
        what = Phrase("claims.counted-in", {"unit": counted})
    else:
        what = Phrase("claims.a-count")
    return Problem.of(
        "claims.wrong-unit",
        f"claims.{claim.metric}",
        source=claim.source,
        written=claim.unit,
        metric=metric.id,
        label=metric.label,
        counted=what,
    )


def _against(campaign_type: CampaignType, metric: str, claim: Claim | None) -> list[Problem]:
    """What is wrong with a claim of ``metric`` (``claim``, when its value could be read)
    for ``campaign_type``: a metric it does not define, a unit the figure is not counted in."""
    found = next((m for m in campaign_type.metrics if m.id == metric), None)
    if found is None:
        unknown = Problem.of(
            "claims.unknown-metric",
            f"claims.{metric}",
            source=None if claim is None else claim.source,
            metric=repr(metric),
            campaign_type=repr(campaign_type.key),
        )
        return [unknown]
    wrong = None if claim is None else _wrong_unit(found, claim)
    return [] if wrong is None else [wrong]


def _check(campaign_type: CampaignType, claims: Iterable[Claim]) -> None:
    problems = [p for c in claims for p in _against(campaign_type, c.metric, c)]
    if problems:
        raise LedgerError(problems)


@exact
def reconcile(
    ledger: Ledger | Workspace | MetricContext,
    claims: Mapping[str, Any] | Iterable[Claim],
    *,
    manager: PluginManager | None = None,
    as_of: date | None = None,
    lang: str = "zh",
) -> list[Discrepancy]:
    """Every claim that differs from the records (an empty list: the draft is right).

    ``claims`` is a mapping (as :func:`parse_claims` reads) or claims from
    :func:`load_claims`. Claims naming metrics the campaign type does not
    define raise :class:`~campaignkit.errors.LedgerError`, all of them at once,
    together with every other problem of the mapping; so does a mapping without claims.
    """
    ctx = context_of(ledger, manager=manager, as_of=as_of)
    if isinstance(claims, Mapping):
        items = parse_claims(claims, campaign_type=ctx.campaign_type)
    else:
        items = tuple(claims)
        _check(ctx.campaign_type, items)
    out = []
    for claim in items:
        result = compute(ctx, claim.metric, lang=lang)
        if not claim.supported_by(result):
            out.append(Discrepancy(claim, result))
    return out
