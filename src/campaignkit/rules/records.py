"""The frozen records plugins register through the hooks.

Each registration hook (see :mod:`campaignkit.hooks.specs`) returns an iterable
of one of these records. They are plain data plus, where behaviour is needed,
a function: campaign types, metrics, escalation rules, report formatters,
working-day calendars and ledger validators.
"""

from __future__ import annotations

import ast
import difflib
import numbers
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs
from attrs import field, frozen

from campaignkit.i18n.catalogue import Phrase, literal, noun, pick

if TYPE_CHECKING:
    from campaignkit.derive.views import Shape
    from campaignkit.errors import Problem
    from campaignkit.escalation.engine import Action, RuleContext
    from campaignkit.model.ledger import Ledger
    from campaignkit.model.records import Issue
    from campaignkit.report.build import Report
    from campaignkit.rules.lifecycle import Lifecycle
    from campaignkit.rules.policy import IssuePolicy
    from campaignkit.stats.metrics import Contribution, MetricContext

__all__ = [
    "DERIVED_KINDS",
    "PLAIN_KINDS",
    "SECTION_TITLES",
    "CampaignType",
    "EscalationRule",
    "ExtraAttribute",
    "FigureKey",
    "Kind",
    "Label",
    "MetricDef",
    "NarrativeTemplate",
    "RenderOptions",
    "ReportFormatter",
    "Validator",
    "ValueKind",
    "WorkdayCalendar",
    "metric_problems",
    "of_type",
    "wrong_field_phrases",
    "wrong_fields",
]


@frozen
class Label:
    """A text in simplified Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        """The text in ``lang`` (``zh`` or ``en``); any other language is a ``ValueError``
        naming the known ones (the message catalogue's choice of language:
        :func:`campaignkit.i18n.catalogue.pick`)."""
        return pick(self.zh, self.en, lang)

    def text(self, lang: str = "zh") -> str:
        """:meth:`get`: a label is words of its own, an argument of any catalogue
        message (:class:`campaignkit.i18n.catalogue.Words`)."""
        return pick(self.zh, self.en, lang)


@frozen
class Kind:
    """A key with labels: an activity kind, issue category, channel, outcome kind, class."""

    key: str
    label: Label
    doc: str = ""


@frozen
class FigureKey:
    """A figure an activity may carry in ``figures`` (e.g. ``copies`` handed out)."""

    key: str
    label: Label
    unit: Label


RecordName = Literal["campaign", "enterprise", "activity", "issue", "outcome", "event"]
ValueType = Literal["str", "int", "bool", "decimal", "date"]


def of_type(value_type: ValueType, value: object) -> bool:
    """True if ``value``, as a ledger's JSON holds it, is of an extra attribute's
    ``value_type``: text for ``str``, a whole number for ``int``, true or false for
    ``bool``, a number or text reading as one for ``decimal``, ``YYYY-MM-DD`` text for
    ``date``."""
    kind = type(value)
    if value_type == "str":
        return kind is str
    if value_type == "int":
        return kind is int
    if value_type == "bool":
        return kind is bool
    if value_type == "decimal":
        return kind in (str, int) and _is_decimal(value)
    return kind is str and _is_date(cast("str", value))


def _is_decimal(value: object) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@frozen
class ExtraAttribute:
    """A local attribute records of a campaign type accept in their ``extra`` mapping."""

    record: RecordName
    name: str
    type: ValueType
    label: Label
    choices: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    """Only for records of these kinds (activity/outcome/event kinds); empty: all."""
    required: bool = False
    """Records (of ``kinds``) must carry it; for an issue attribute, narrowed by
    ``required_channels`` and ``required_categories``."""
    required_channels: tuple[str, ...] = ()
    """For an issue attribute with ``required``: required only of issues from these
    channels (empty: any channel). The attribute is still accepted on every issue."""
    required_categories: tuple[str, ...] = ()
    """For an issue attribute with ``required``: required only of issues of these
    categories (empty: any category). With ``required_channels`` too, of issues from
    one of the channels in one of the categories."""
    choice_labels: tuple[tuple[str, Label], ...] = ()
    """Labels of some or all ``choices``, as ``(choice, Label)`` pairs: what a workbook
    shows and accepts for the choice (``("provincial", Label("省级", "provincial"))``).
    A choice without a label is shown as it is."""

    @property
    def conditional(self) -> bool:
        """True if it is required of issues of some channels or categories only."""
        return bool(self.required_channels or self.required_categories)

    def required_of(self, channel: str, category: str) -> bool:
        """True if an issue from ``channel`` in ``category`` must carry it."""
        return (
            self.required
            and (not self.required_channels or channel in self.required_channels)
            and (not self.required_categories or category in self.required_categories)
        )

    def choice_label(self, choice: str, lang: str = "zh") -> str:
        """The label of one of ``choices`` in ``lang`` (the choice itself when it has none)."""
        for key, label in self.choice_labels:
            if key == choice:
                return label.get(lang)
        return choice

    def accepts(self, value: object) -> bool:
        """True if ``value`` is of the attribute's type (:func:`of_type`) and, where it
        has ``choices``, one of them."""
        return of_type(self.type, value) and (not self.choices or value in self.choices)


Aggregate = Literal["count", "sum", "distinct"]
ValueKind = Literal["count", "yuan", "mu", "number", "rate", "average", "per_enterprise", "median"]
"""What a metric's figure is (:attr:`MetricDef.value_kind`)."""

PLAIN_KINDS: tuple[str, ...] = ("count", "yuan", "mu", "number")
"""Value kinds of figures aggregated from a metric's own contributions: they add up."""

DERIVED_KINDS: tuple[str, ...] = ("rate", "average", "per_enterprise", "median")
"""Value kinds of figures taken over other metrics (``numerator``, ``denominator``):
they do not add up, and breakdown rows are each worked out over the row's own records."""


@frozen
class MetricDef:
    """A metric: how one reported figure is computed from a ledger.

    ``contributions`` yields one :class:`~campaignkit.stats.metrics.Contribution` per
    record (or part of one) that counts; ``aggregate`` says how they combine:
    ``count`` counts them, ``sum`` adds their values, ``distinct`` counts
    distinct keys (credited to the first contribution of each key, so a
    breakdown's rows always add up to the total). A figure taken over other
    metrics (a rate, an average, a per-enterprise figure, a median) names them
    as ``numerator`` and ``denominator`` instead; ``value_kind`` says which.
    """

    id: str
    label: Label
    unit: Label
    contributions: Callable[[MetricContext], Iterable[Contribution]] | None = None
    aggregate: Aggregate = "count"
    numerator: str | None = None
    denominator: str | None = None
    value_kind: Literal[
        "count", "yuan", "mu", "number", "rate", "average", "per_enterprise", "median"
    ] = "count"
    """What the figure is (:data:`ValueKind`; written out here, so that a plugin's wrong
    value is named when the metric is registered), which says how it is computed and shown:

    - ``count``, ``yuan``, ``mu``, ``number``: the ``aggregate`` of the metric's own
      contributions; counts and numbers are shown bare with the unit beside them,
      yuan as 万元/亿元 and mu as 亩.
    - ``rate``: ``numerator`` ÷ ``denominator``, a share of like by like, rounded
      half-up to four decimals and shown as a percentage (``0.9811`` → ``98.11%``).
    - ``average``: ``numerator`` (a sum or a count) ÷ ``denominator`` (a count), rounded
      half-up to two decimals and shown with the metric's unit (``3.5个工作日``).
    - ``per_enterprise``: ``numerator`` ÷ the number of distinct enterprises its
      contributions name, rounded and shown as an average.
    - ``median``: the median of the values of the contributions of ``numerator`` (a
      ``sum`` metric), rounded and shown as an average.

    A metric with a ``numerator`` and one of the first four kinds (the default
    ``count`` included) is a rate, as every numerator/denominator metric was before
    value kinds: :attr:`result_kind` is then ``rate``."""
    doc: str = ""
    campaign_types: tuple[str, ...] = ()
    """For metrics registered separately: the campaign types they extend (empty: all)."""
    replaces: bool = False
    """For metrics registered separately: True to replace, on purpose, the campaign type's
    own metric of the same id (for the types of ``campaign_types``, or every type); without
    it, a metric with the id of a type's own one is a clash, reported, and the type keeps
    its own."""
    dimensions: tuple[str, ...] | None = None
    """The dimensions the metric can be broken down by (names of
    :data:`~campaignkit.stats.metrics.DIMENSIONS`); None (the default): every one. A figure
    set as a whole along the others says so: the target counties of a campaign are divided
    by county alone (``("region",)``), not by team or month. A figure taken over other
    metrics can be broken down by the dimensions it allows and they all allow; asked for
    another, :func:`~campaignkit.stats.metrics.breakdown` refuses with a
    :class:`~campaignkit.stats.metrics.BreakdownError`."""

    @property
    def result_kind(self) -> str:
        """The value kind of the metric's figures (their :attr:`MetricResult.value_kind
        <campaignkit.stats.metrics.MetricResult.value_kind>`): ``value_kind``, except that a
        metric with a numerator and a plain kind is a ``rate``."""
        if self.numerator is not None and self.value_kind in PLAIN_KINDS:
            return "rate"
        return self.value_kind

    @property
    def is_derived(self) -> bool:
        """True for a figure taken over other metrics (one of :data:`DERIVED_KINDS`)."""
        return self.result_kind in DERIVED_KINDS

    @property
    def is_rate(self) -> bool:
        """True for a ratio of two other metrics, shown as a percentage."""
        return self.result_kind == "rate"

    def problems(self) -> tuple[str, ...]:
        """What contradicts itself in this metric alone, in English (empty when nothing
        does): see :meth:`problem_phrases`."""
        return tuple(p.text("en") for p in self.problem_phrases())

    def problem_phrases(self) -> tuple[Phrase, ...]:
        """What contradicts itself in this metric alone, as catalogue phrases: a value
        kind its definition does not fit (an average without a denominator, a median
        with one, a plain figure without contributions, an amount, area or number that
        does not add its contributions' values up with ``aggregate="sum"``). Whether the
        metrics it names fit it is checked with the campaign type
        (:meth:`CampaignType.problem_phrases`)."""
        return tuple(_metric_problems(self))


_SUMMED_KINDS = ("yuan", "mu", "number")
"""Value kinds whose figure adds up the values of the metric's contributions
(``aggregate="sum"``): an amount, an area or another number, never a count."""


def _kind_word(kind: str) -> Phrase:
    return Phrase("value-kind." + kind)


def _metric_problems(m: MetricDef) -> Iterator[Phrase]:
    kind = m.result_kind
    if kind in ("rate", "average"):
        if m.numerator is None or m.denominator is None:
            yield Phrase("metric.needs-parts", {"metric": m.id, "kind": _kind_word(kind)})
    elif kind in ("per_enterprise", "median"):
        if m.numerator is None:
            yield Phrase("metric.needs-numerator", {"metric": m.id, "kind": _kind_word(kind)})
        if m.denominator is not None:
            yield Phrase(
                "metric.no-denominator",
                {"metric": m.id, "kind": _kind_word(kind), "denominator": m.denominator},
            )
    else:
        if m.contributions is None:
            yield Phrase("metric.no-definition", {"metric": m.id})
        if kind in _SUMMED_KINDS and m.aggregate != "sum":
            yield Phrase(
                "metric.needs-sum",
                {"metric": m.id, "kind": _kind_word(kind), "aggregate": m.aggregate},
            )


def _parts_problems(m: MetricDef, metrics: Mapping[str, MetricDef]) -> Iterator[Phrase]:
    """Whether the metrics ``m`` is taken over (looked up in ``metrics``) fit its kind."""
    kind = m.result_kind
    if kind not in DERIVED_KINDS:
        return
    found: dict[str, MetricDef] = {}
    for role, ref in (("numerator", m.numerator), ("denominator", m.denominator)):
        if ref is None:
            continue
        target = metrics.get(ref)
        words = {"metric": m.id, "role": Phrase("metric." + role), "ref": ref}
        if target is None:
            yield Phrase("metric.unknown-part", words)
        elif target.is_derived:
            yield Phrase("metric.derived-part", {**words, "kind": _kind_word(target.result_kind)})
        else:
            found[role] = target
    num, den = found.get("numerator"), found.get("denominator")
    if kind == "rate" and num is not None and den is not None:
        names = {"metric": m.id, "numerator": num.id, "denominator": den.id}
        if num.aggregate == "sum" and den.aggregate != "sum":
            yield Phrase("metric.rate-of-sum", names)
        elif num.result_kind != den.result_kind:
            yield Phrase(
                "metric.rate-of-unlike",
                {
                    **names,
                    "numerator_kind": _kind_word(num.result_kind),
                    "denominator_kind": _kind_word(den.result_kind),
                },
            )
    elif kind == "average" and den is not None and den.result_kind != "count":
        yield Phrase(
            "metric.average-over-amount",
            {
                "metric": m.id,
                "denominator": den.id,
                "denominator_kind": _kind_word(den.result_kind),
            },
        )
    elif kind == "median" and num is not None and num.aggregate != "sum":
        yield Phrase(
            "metric.median-of-count",
            {"metric": m.id, "numerator": num.id, "aggregate": num.aggregate},
        )


def metric_problems(metric: MetricDef, metrics: Mapping[str, MetricDef]) -> tuple[Phrase, ...]:
    """Everything that does not fit in ``metric`` among ``metrics`` (by id: those of the
    campaign type it is part of), as catalogue phrases: its own problems
    (:meth:`MetricDef.problem_phrases`), then whether the metrics it is taken over
    exist, are not themselves taken over others, and fit its value kind (a rate divides
    like by like and cannot be a sum over a count; an average divides by a count; a
    median is taken over a ``sum`` metric)."""
    return (*_metric_problems(metric), *_parts_problems(metric, metrics))


@frozen
class NarrativeTemplate:
    """The headline paragraph of a closing report, with ``{metric_id}`` placeholders.

    Placeholders are only metric ids (and ``{as_of}``, ``{group}``); no
    attribute access, indexing or code: record text can never run.
    Optional clauses (``parts``) are dropped when all their metrics are zero.
    """

    zh: tuple[str, ...]
    en: tuple[str, ...]
    separator_zh: str = "；"
    separator_en: str = "; "
    prefix_zh: str = ""
    prefix_en: str = ""
    suffix_zh: str = "。"
    suffix_en: str = "."


@frozen
class CampaignType:
    """Everything that differs between campaign variants."""

    key: str
    label: Label
    activity_kinds: tuple[Kind, ...]
    issue_categories: tuple[Kind, ...]
    issue_channels: tuple[Kind, ...]
    outcome_kinds: tuple[Kind, ...]
    enterprise_classes: tuple[Kind, ...]
    metrics: tuple[MetricDef, ...]
    summary_columns: tuple[str, ...]
    """Metric ids shown, in order, as columns of the summary table (汇总表)."""
    lifecycle: Lifecycle
    policy: IssuePolicy
    narrative: NarrativeTemplate | None = None
    figures: tuple[FigureKey, ...] = ()
    extra_attributes: tuple[ExtraAttribute, ...] = ()
    doc: str = ""
    issue_figures: tuple[str, ...] | None = None
    """Metric ids the issue-handling table of a report (问题办理情况) lists, in order. None
    (the default): the figures of :data:`campaignkit.report.build.ISSUE_FIGURES` the type
    defines."""
    titles: tuple[tuple[str, Label], ...] = ()
    """Section titles of reports by key, in place of the default words: ``issue_handling``
    (问题办理情况), ``issue_status`` (问题办理状态), ``outcomes`` (成果, which the built-in type
    calls 要素对接与招商成果) and ``summary_by_category`` (问题分类统计表)."""
    escalation_rules: tuple[str, ...] | None = None
    """The escalation rules that run for this type, by name: the type chooses built-in
    rules, its own and other plugins' (and leaves out any it does not name). None (the
    default): every registered rule whose own ``campaign_types`` allow the type. A rule's
    ``campaign_types`` can only narrow the type's choice further."""
    _kinds_cache: dict[str, frozenset[str]] = field(factory=dict, init=False, eq=False, repr=False)

    def keys(self, what: str) -> frozenset[str]:
        """Keys of ``activity_kinds``, ``issue_categories``, … as a set."""
        if what not in self._kinds_cache:
            self._kinds_cache[what] = frozenset(k.key for k in getattr(self, what))
        return self._kinds_cache[what]

    def label_of(self, what: str, key: str, lang: str = "zh") -> str:
        """Label of a kind/category/channel/class key, or the key itself when unknown."""
        for kind in getattr(self, what):
            if kind.key == key:
                return str(kind.label.get(lang))
        return key

    def metric(self, metric_id: str) -> MetricDef:
        """The metric with this id; ``KeyError`` naming the type when unknown, with the
        closest ids as suggestions (``did you mean 'issues_collected'?``)."""
        for m in self.metrics:
            if m.id == metric_id:
                return m
        ids = [m.id for m in self.metrics]
        close = difflib.get_close_matches(str(metric_id), ids, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"campaign type {self.key!r} has no metric {metric_id!r}{hint}")

    def problems(self) -> tuple[str, ...]:
        """What contradicts itself in this campaign type, in English (empty when it is
        consistent).

        Checked when a plugin registers the type, so a mistake is reported with
        the plugin's name instead of failing later in a report: duplicate keys
        and metric ids, metrics whose value kind their definition does not fit
        (a rate or an average over unknown metrics or without a denominator, a
        rate whose numerator can exceed its denominator: see :func:`metric_problems`),
        summary columns that are not additive metrics of the type, narrative
        placeholders that are not metrics of the type, policy stages and levels the
        lifecycle and policy do not know, warnings for stages the policy lacks, extra
        attributes restricted to unknown kinds or required of unknown issue channels
        or categories, issue figures that are not metrics of the type and titles of
        unknown report sections. :meth:`problem_phrases` gives the same in either
        language.
        """
        return tuple(p if isinstance(p, str) else p.text("en") for p in self._problems())

    def problem_phrases(self) -> tuple[Phrase, ...]:
        """:meth:`problems` as catalogue phrases, to be worded in either language."""
        return tuple(literal(p) if isinstance(p, str) else p for p in self._problems())

    def _problems(self) -> Iterator[str | Phrase]:
        return _campaign_type_problems(self)


SECTION_TITLES = ("issue_handling", "issue_status", "outcomes", "summary_by_category")
"""The report sections whose titles a campaign type may name (:attr:`CampaignType.titles`)."""

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_NARRATIVE_NAMES = frozenset({"as_of", "group", "host"})
_KIND_FIELDS = (
    "activity_kinds",
    "issue_categories",
    "issue_channels",
    "outcome_kinds",
    "enterprise_classes",
    "figures",
)


def _duplicates(keys: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for key in keys:
        if key in seen and key not in dupes:
            dupes.append(key)
        seen.add(key)
    return dupes


def _campaign_type_problems(ct: CampaignType) -> Iterator[str | Phrase]:
    if not ct.key.strip():
        yield Phrase("type.empty-key")
    for what in _KIND_FIELDS:
        for key in _duplicates(k.key for k in getattr(ct, what)):
            yield Phrase("type.defined-twice", {"what": what, "key": key})
    metrics = {m.id: m for m in ct.metrics}
    for mid in _duplicates(m.id for m in ct.metrics):
        yield Phrase("type.defined-twice", {"what": "metrics", "key": mid})
    for m in ct.metrics:
        yield from metric_problems(m, metrics)
    for mid in ct.issue_figures or ():
        if mid not in metrics:
            yield Phrase("type.unknown-issue-figure", {"metric": mid})
    for key, _ in ct.titles:
        if key not in SECTION_TITLES:
            yield Phrase("type.unknown-title", {"key": key, "known": ", ".join(SECTION_TITLES)})
    for col in ct.summary_columns:
        if col not in metrics:
            yield Phrase("type.unknown-summary-column", {"column": col})
        elif metrics[col].is_derived:
            yield Phrase(
                "metric.summary-column-derived",
                {"column": col, "kind": _kind_word(metrics[col].result_kind)},
            )
        else:  # the summary table divides every column by team and by region
            allowed = metrics[col].dimensions
            lacking = [by for by in ("team", "region") if allowed is not None and by not in allowed]
            if lacking:
                yield Phrase(
                    "metric.summary-column-undivided",
                    {"column": col, "by": ", ".join(lacking), "allowed": ", ".join(allowed or ())},
                )
    if ct.narrative is not None:
        yield from _narrative_problems(ct.narrative, metrics)
    yield from _policy_problems(ct)
    known = {
        "activity": ct.keys("activity_kinds"),
        "outcome": ct.keys("outcome_kinds"),
        "event": ct.lifecycle.event_kinds,
    }
    for attr in ct.extra_attributes:
        where = f"{attr.record}.{attr.name}"
        for kind in attr.kinds:
            if kind not in known.get(attr.record, frozenset()):
                kinds = noun(f"{attr.record} kind")
                yield Phrase("type.extra-unknown", {"attribute": where, "what": kinds, "key": kind})
        yield from _condition_problems(ct, attr)
        for key, _ in attr.choice_labels:
            if key not in attr.choices:
                yield Phrase("type.extra-unknown-choice", {"attribute": where, "key": key})


def _narrative_problems(
    narrative: NarrativeTemplate, metrics: Mapping[str, MetricDef]
) -> Iterator[Phrase]:
    """Each placeholder of ``narrative`` that is not a metric of the type, once, naming
    the templates (Chinese, English or both) it is in."""
    found: dict[str, list[str]] = {}
    for lang, parts in (("zh", narrative.zh), ("en", narrative.en)):
        for part in parts:
            for name in _PLACEHOLDER.findall(part):
                if name not in metrics and name not in _NARRATIVE_NAMES:
                    langs = found.setdefault(name, [])
                    if lang not in langs:
                        langs.append(lang)
    for name, langs in found.items():
        templates = Phrase("narrative." + ("both" if len(langs) == 2 else langs[0]))
        yield Phrase("type.narrative-placeholder", {"name": name, "templates": templates})


def _condition_problems(ct: CampaignType, attr: ExtraAttribute) -> Iterator[Phrase]:
    """What contradicts itself in the channels and categories ``attr`` is required of."""
    if not attr.conditional:
        return
    where = f"{attr.record}.{attr.name}"
    if attr.record != "issue":
        yield Phrase("type.extra-conditions-not-issue", {"attribute": where})
    elif not attr.required:
        yield Phrase("type.extra-conditions-not-required", {"attribute": where})
    for what, field_, keys in (
        ("channel", "issue_channels", attr.required_channels),
        ("category", "issue_categories", attr.required_categories),
    ):
        for key in keys:
            if key not in ct.keys(field_):
                yield Phrase(
                    "type.extra-unknown",
                    {"attribute": where, "what": noun(f"issue {what}"), "key": key},
                )


def _policy_problems(ct: CampaignType) -> Iterator[Phrase]:
    policy = ct.policy
    events = ct.lifecycle.event_kinds
    levels = set(policy.levels)
    for key, _ in policy.level_labels:
        if key not in levels:
            yield Phrase("policy.unknown-level-label", {"key": key})
    for stage in policy.stages:
        for event in (*stage.start, *stage.stop):
            if event not in events:
                yield Phrase("policy.stage-unknown-event", {"stage": stage.key, "event": event})
        for level, _ in stage.limits:
            if level not in levels:
                yield Phrase("policy.stage-unknown-level", {"stage": stage.key, "level": level})
    stages = {stage.key for stage in policy.stages}
    if policy.stages and policy.on_time_stage is not None and policy.on_time_stage not in stages:
        known = ", ".join(stage.key for stage in policy.stages)
        yield Phrase(
            "policy.unknown-on-time-stage", {"stage": policy.on_time_stage, "known": known}
        )
    warned: set[str] = set()
    for key, _ in policy.stage_warn_before:
        if key not in stages:
            yield Phrase("policy.warn-before-unknown-stage", {"stage": key})
        elif key in warned:
            yield Phrase("policy.warn-before-twice", {"stage": key})
        warned.add(key)
    categories = ct.keys("issue_categories")
    for route in policy.routes:
        if route.level not in levels:
            yield Phrase(
                "policy.route-unknown-level", {"department": route.department, "level": route.level}
            )
        if route.category is not None and route.category not in categories:
            yield Phrase(
                "policy.route-unknown-category",
                {"department": route.department, "category": route.category},
            )


@frozen
class EscalationRule:
    """A rule that looks at an issue and proposes actions.

    ``evaluate(context, issue)`` must be pure: the same ledger and as-of date
    give the same proposals. It should not propose what the history already holds.
    """

    name: str
    label: Label
    evaluate: Callable[[RuleContext, Issue], Iterable[Action]]
    campaign_types: tuple[str, ...] = ()
    """Campaign types the rule applies to (empty: all)."""
    replaces: bool = False
    """True to replace, on purpose, the built-in rule of the same name: for the campaign
    types of ``campaign_types`` only, or (without them) for every type. Without it, a name
    that is already registered is a clash: reported naming both plugins, and only that
    name is unusable (see the plugin guide, "changing what is built in")."""
    doc: str = ""
    proposes: tuple[str, ...] | None = None
    """The event kinds the rule proposes, if it only ever proposes them in a state
    where the lifecycle allows them (as every built-in rule does: it asks
    ``context.allows`` first). The evaluation then skips the rule on an issue
    whose state allows none of them, without calling it. None (the default):
    the rule is called on every issue."""
    by_shape: bool = False
    """True if what the rule proposes for an issue follows from its shape alone
    (``context.shape(issue)``: state, level, running clocks, the facts of
    :class:`~campaignkit.derive.views.Shape`), the campaign type and the date, and
    from the issue's own record only its id. The evaluation then calls it once per
    shape and gives every issue of that shape the same proposals, each with its own
    id (as the built-in card rules do). False (the default): called on each issue."""
    routed: bool = False
    """True if the department of each proposal is where the policy routes the issue at
    the proposal's level (``context.route(issue, action.level).department``), as the
    built-in ``raise-level`` proposes. With ``by_shape``, the issues of a shape then
    share the rest of the proposal and the evaluation routes each issue itself, so a
    rule that only adds routing still reads shapes only."""
    screen: Callable[[RuleContext, Shape], bool] | None = None
    """A quick test of a shape, asked once per shape: False promises the rule proposes
    nothing for any issue of that shape, so the evaluation does not call it for them
    (the built-in ``raise-level`` asks whether a clock is overdue enough). None (the
    default): no screen."""


@frozen
class RenderOptions:
    """Options every formatter receives."""

    lang: str = "zh"
    by: str = "team"
    show_personal: bool = False
    """Show personal contact data unmasked (off by default)."""
    include_charts: bool = True


@frozen
class ReportFormatter:
    """Renders a :class:`~campaignkit.report.build.Report` to bytes."""

    name: str
    label: Label
    extension: str
    media_type: str
    render: Callable[[Report, RenderOptions], bytes]
    binary: bool = False
    doc: str = ""
    campaign_types: tuple[str, ...] = ()
    """Campaign types whose reports this format is for (empty: all)."""
    replaces: bool = False
    """True to replace, on purpose, the built-in format of the same name: for the campaign
    types of ``campaign_types`` only, or (without them) for every type. Without it, a name
    that is already registered is a clash: reported naming both plugins, and only that
    name is unusable (see the plugin guide, "changing what is built in")."""
    limited: bool = True
    """True (the default): rendering is cut short after the plugin time limit (times
    :data:`~campaignkit.report.build.RENDER_TIMEOUT_FACTOR`) and whatever it raises is
    reported as the plugin's failure, naming it. False: a format whose time grows with
    the ledger (an XLSX of a million issues takes minutes) and whose errors are meant for
    the user as they are (``ValueError`` for a table the campaign type cannot show); the
    built-in formats declare it, any plugin may. A formatter made with ``attrs.evolve`` of
    a built-in one keeps it: say ``limited=True`` to be held to the limit."""


@frozen
class WorkdayCalendar:
    """Working-day data: ``is_workday(day)`` is True/False, or None outside ``years``.

    Calendars with a higher ``priority`` are asked first; the first that knows a
    day answers. A calendar may also answer None for a day of its ``years`` it does
    not know (a year's schedule knows only its own days of the year before), and the
    next calendar answers that day.
    """

    name: str
    label: Label
    is_workday: Callable[[date], bool | None]
    years: tuple[int, ...] = ()
    """Every year with a day the calendar may answer (empty: any year): outside them it
    answers None, so a year no calendar names is counted by the fallback without asking."""
    priority: int = 0
    doc: str = ""
    campaign_types: tuple[str, ...] = ()
    """Campaign types whose working days this calendar counts (empty: all)."""
    replaces: bool = False
    """True to replace, on purpose, the built-in calendar of the same name: for the campaign
    types of ``campaign_types`` only, or (without them) for every type. Without it, a name
    that is already registered is a clash: reported naming both plugins, and only that
    name is unusable (see the plugin guide, "changing what is built in")."""
    pure: bool = False
    """True if ``is_workday`` is a plain lookup: it answers promptly, never raises and
    depends on the day alone. Computation may then ask it ahead of time and keep its
    answers (walks through histories do); a calendar that is not pure is asked each
    time a computation needs a day. The built-in
    calendar and every :func:`~campaignkit.derive.calendar.calendar_from_schedule` are."""


@frozen
class Validator:
    """A local check on a ledger; ``check(ledger, campaign_type)`` yields problems."""

    name: str
    label: Label
    check: Callable[[Ledger, CampaignType], Iterable[Problem]]
    campaign_types: tuple[str, ...] = ()
    doc: str = ""


_PLAIN: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": numbers.Integral,  # an int, or any integer type (numpy's too)
    "bool": bool,
    "Label": Label,
    "Kind": Kind,
    "MetricDef": MetricDef,
}


def _fits(value: object, annotation: str) -> bool | None:
    """Whether ``value`` fits a field's annotation (as written), for the simple ones;
    None for an annotation this does not check."""
    if annotation.endswith(" | None"):
        return True if value is None else _fits(value, annotation.removesuffix(" | None"))
    if annotation == "bool":  # a bool, or numpy's
        return isinstance(value, bool) or type(value).__name__ == "bool_"
    plain = _PLAIN.get(annotation)
    if plain is not None:
        return isinstance(value, plain) and not (annotation == "int" and isinstance(value, bool))
    if annotation.startswith("Callable["):
        return callable(value)
    if annotation.startswith("Literal[") and annotation.endswith("]"):
        try:
            return value in ast.literal_eval(f"({annotation[8:-1]},)")
        except (ValueError, SyntaxError):  # choices that are not plain literals: unchecked
            return None
    if annotation.startswith("tuple[") and annotation.endswith(", ...]"):
        # any sequence will do (a list where a tuple is declared works the same)
        if isinstance(value, str | bytes) or not isinstance(value, Sequence | AbstractSet):
            return False
        fits = [_fits(v, annotation[6:-6]) for v in value]
        return None if None in fits else all(fits)
    return None


def wrong_fields(record: object) -> Iterator[str]:
    """Each field of a plugin's record (an attrs class) whose value is not of its declared
    type, as ``field: expected T, got U`` (only the plain types are checked: text,
    numbers, labels, callables, choices and tuples of them): :func:`wrong_field_phrases`
    in English."""
    for phrase in wrong_field_phrases(record):
        yield phrase.text("en")


def wrong_field_phrases(record: object) -> Iterator[Phrase]:
    """:func:`wrong_fields` as catalogue phrases (``record.wrong-field``), to be worded in
    either language: ``unit：应为 Label 类型的值，实际是 str '件'``."""
    if not attrs.has(type(record)):
        return
    for a in attrs.fields(cast(Any, type(record))):
        if not a.init or not isinstance(a.type, str):
            continue
        value = getattr(record, a.name)
        try:
            fits = _fits(value, a.type)
        except Exception:  # noqa: BLE001 - a value that cannot even be compared: unchecked
            fits = None
        if fits is False:
            yield Phrase(
                "record.wrong-field",
                {
                    "field": a.name,
                    "expected": a.type,
                    "type": type(value).__name__,
                    "value": f"{value!r:.40}",
                },
            )
