# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Gap reports: one person's gaps, a team's gaps per competency, the organisation per unit and theme.

The database does the arithmetic (annotate/aggregate over ratings); Python and
pandas only shape the small results (tens of rows per competency, a few thousand
per unit and theme). Every figure over a group of people goes through
`reports.privacy`, so reports and exports hide the same cells.

The gap of one rating is desired level minus current level: positive means the
person wants to grow, zero or negative means they are where they want to be.
"""

import math
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    Sum,
)
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Rating, Round
from competencies.models import Competency, LevelDescription, Theme
from organisation.models import PATH_SEPARATOR, Unit

from . import privacy

GAP = ExpressionWrapper(F("desired_level") - F("current_level"), output_field=IntegerField())
GAP_SQUARED = ExpressionWrapper(
    (F("desired_level") - F("current_level")) * (F("desired_level") - F("current_level")), output_field=IntegerField()
)
BIG_GAP = 2  # "how many people have a gap of 2 or more"
STRENGTH_MIN_LEVEL = 4
DEVELOPMENT_POINTS_MIN, DEVELOPMENT_POINTS_MAX = 3, 5
STRENGTHS_MAX = 5
HEATMAP_PAGE_SIZE = 50
# Competencies in the order of the self-assessment form.
COMPETENCY_ORDER = ["framework__is_own", "framework__title_nl", "framework__version", "position", "code"]


def _scope(unit, include_subunits, prefix):
    """A filter for rows whose `prefix` unit is `unit` (and, with sub-units, anything below it)."""
    if include_subunits:
        return Q(**{f"{prefix}__tree_path__startswith": unit.tree_path})
    return Q(**{prefix: unit})


def _round_competencies(round_, frameworks=None):
    competencies = Competency.objects.filter(framework__rounds=round_)
    if frameworks:
        competencies = competencies.filter(framework__in=frameworks)
    return list(competencies.select_related("framework", "theme").order_by(*COMPETENCY_ORDER))


def _match_key(competency):
    # Framework versions differ between rounds; the slug and the code stay the same.
    return (competency.framework.slug, competency.code)


def previous_round(round_, queryset=None):
    """The latest round that opened before `round_` among `queryset` (default: all rounds), or None."""
    queryset = Round.objects.all() if queryset is None else queryset
    earlier = Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk)
    return queryset.filter(earlier).order_by("-opens_on", "-pk").first()


# One person


@dataclass
class PersonalRow:
    competency: Competency
    current: int | None
    desired: int | None
    not_applicable: bool
    gap: int | None
    previous_current: int | None = None
    next_level: LevelDescription | None = None

    @property
    def change(self):
        """Change in current level since the previous round (None when either is missing)."""
        if self.current is None or self.previous_current is None:
            return None
        return self.current - self.previous_current

    @property
    def is_rated(self):
        return self.gap is not None


@dataclass
class PersonalSection:
    framework: object
    rows: list

    @property
    def rated_rows(self):
        return [row for row in self.rows if row.is_rated]

    def chart_data(self):
        """The numbers the chart is drawn from: labels and levels of the rated competencies."""
        rows = self.rated_rows
        return {
            "labels": [str(row.competency.name) for row in rows],
            "current": [row.current for row in rows],
            "desired": [row.desired for row in rows],
        }


@dataclass
class PersonalReport:
    assessment: Assessment
    sections: list
    development_points: list
    strengths: list
    previous: Assessment | None = None

    @property
    def rows(self):
        return [row for section in self.sections for row in section.rows]


def development_points(rows):
    """The biggest gaps: the top three, up to five when the fourth and fifth gap as much as the third."""
    ranked = sorted((row for row in rows if row.is_rated and row.gap > 0), key=lambda row: (-row.gap, -row.desired))
    chosen = ranked[:DEVELOPMENT_POINTS_MIN]
    for row in ranked[DEVELOPMENT_POINTS_MIN:DEVELOPMENT_POINTS_MAX]:
        if row.gap != chosen[-1].gap:
            break
        chosen.append(row)
    return chosen


def strengths(rows, exclude=()):
    """High current level with little or no gap, best first, at most five."""
    excluded = {id(row) for row in exclude}
    found = [
        row
        for row in rows
        if row.is_rated and row.current >= STRENGTH_MIN_LEVEL and row.gap <= 1 and id(row) not in excluded
    ]
    found.sort(key=lambda row: (-row.current, row.gap))
    return found[:STRENGTHS_MAX]


def personal_report(assessment, earlier=None):
    """One submitted assessment per framework: current, desired and gap per competency (four queries).

    `earlier` holds the assessments this report may compare with (the viewer must
    be allowed to see them); the latest one of the same person in an earlier round
    gives the change per competency, matched on framework slug and competency code.
    """
    rows, sections = _personal_rows(assessment)
    previous = None
    if earlier is not None:
        previous = (
            earlier.filter(person_id=assessment.person_id, submitted_at__isnull=False)
            .exclude(pk=assessment.pk)
            .filter(
                Q(round__opens_on__lt=assessment.round.opens_on)
                | Q(round__opens_on=assessment.round.opens_on, round__pk__lt=assessment.round_id)
            )
            .select_related("round")
            .order_by("-round__opens_on", "-round__pk")
            .first()
        )
    if previous is not None:
        earlier_levels = {
            (slug, code): level
            for slug, code, level in Rating.objects.filter(assessment=previous)
            .rated()
            .order_by()
            .values_list("competency__framework__slug", "competency__code", "current_level")
        }
        for row in rows:
            row.previous_current = earlier_levels.get(_match_key(row.competency))

    points = development_points(rows)
    _attach_next_levels(points)
    return PersonalReport(assessment, list(sections.values()), points, strengths(rows, exclude=points), previous)


def _personal_rows(assessment, framework_id=None):
    """The rows of one assessment, and the same rows per framework (one query)."""
    ratings = Rating.objects.filter(assessment=assessment)
    if framework_id is not None:
        ratings = ratings.filter(competency__framework_id=framework_id)
    ratings = (
        ratings.annotate(gap_value=GAP)
        .select_related("competency__framework", "competency__theme")
        .order_by(*(f"competency__{name}" for name in COMPETENCY_ORDER))
    )
    rows, sections = [], {}
    for rating in ratings:
        gap = None if rating.not_applicable else rating.gap_value
        row = PersonalRow(rating.competency, rating.current_level, rating.desired_level, rating.not_applicable, gap)
        rows.append(row)
        framework = rating.competency.framework
        sections.setdefault(framework.pk, PersonalSection(framework, [])).rows.append(row)
    return rows, sections


def personal_section(assessment, framework_id):
    """One framework of a personal report (for its chart), or None when the assessment has no such ratings."""
    _rows, sections = _personal_rows(assessment, framework_id)
    return sections.get(framework_id)


def _attach_next_levels(rows):
    """What the next level up looks like, for each development point (one query)."""
    wanted = Q(pk__in=[])
    for row in rows:
        wanted |= Q(competency=row.competency, level=row.current + 1)
    if not rows:
        return
    found = {(d.competency_id, d.level): d for d in LevelDescription.objects.filter(wanted)}
    for row in rows:
        row.next_level = found.get((row.competency.pk, row.current + 1))


# Groups of people: the privacy status of every unit


@dataclass
class UnitCounts:
    """Submitted assessments per unit in one round, and which unit figures may be shown."""

    units: dict  # id -> (parent id, tree path, name)
    direct: dict  # id -> respondents whose unit is exactly this one
    subtree: dict  # id -> respondents in this unit and below
    subtree_reasons: dict  # id -> reason the figure for the unit with sub-units is hidden, or None
    direct_reasons: dict  # id -> reason the figure for the unit without sub-units is hidden, or None

    def reason(self, unit, include_subunits):
        reasons = self.subtree_reasons if include_subunits else self.direct_reasons
        return reasons.get(unit.pk, privacy.suppression_reason(0))

    def respondents(self, unit, include_subunits):
        return (self.subtree if include_subunits else self.direct).get(unit.pk, 0)


def _load_units():
    return {
        pk: (parent_id, path, name)
        for pk, parent_id, path, name in Unit.objects.values_list("pk", "parent_id", "tree_path", "name")
    }


def suppress_tree(units, direct):
    """Which unit figures may be shown: `privacy.suppress_nested` over the unit tree.

    `units` maps id -> (parent id, tree path, name); `direct` maps id -> respondents
    in exactly that unit. Each unit has a figure with its sub-units; a unit with
    sub-units also has one for the people directly in it (a node of its own below
    the unit), so both dashboard views and every breakdown row follow one rule.
    Returns (subtree totals, subtree reasons, direct reasons).
    """
    minimum = privacy.min_group_size()
    subtree = dict.fromkeys(units, 0)
    for pk, count in direct.items():
        if pk not in units or not count:
            continue
        for ancestor in _ancestor_ids(units[pk][1]):
            if ancestor in subtree:
                subtree[ancestor] += count
    has_children = {parent_id for parent_id, _path, _name in units.values()}
    counts = {("unit", pk): n for pk, n in subtree.items()}
    parents = {("unit", pk): ("unit", parent_id) for pk, (parent_id, _path, _name) in units.items()}
    for pk in has_children:
        if pk in units and direct.get(pk):
            counts[("direct", pk)] = direct[pk]
            parents[("direct", pk)] = ("unit", pk)
    reasons = privacy.suppress_nested(counts, parents, minimum=minimum)
    subtree_reasons = {pk: reasons[("unit", pk)] for pk in units}
    nobody = privacy.suppression_reason(0, minimum=minimum)
    direct_reasons = {
        pk: reasons.get(("direct", pk), nobody) if pk in has_children else subtree_reasons[pk] for pk in units
    }
    return subtree, subtree_reasons, direct_reasons


def _ancestor_ids(path):
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def unit_counts(round_, units=None):
    """Respondents per unit in `round_` and the privacy status of every unit figure (one or two queries)."""
    units = _load_units() if units is None else units
    direct = dict(
        Assessment.objects.filter(round=round_, submitted_at__isnull=False, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    subtree, subtree_reasons, direct_reasons = suppress_tree(units, direct)
    return UnitCounts(units, direct, subtree, subtree_reasons, direct_reasons)


# A team


@dataclass
class Participation:
    invited: int = 0
    submitted: int = 0

    @property
    def percent(self):
        return round(100 * self.submitted / self.invited) if self.invited else 0


@dataclass
class CompetencyRow:
    """A team's figures for one competency; `reason` says why they are hidden (None: shown)."""

    competency: Competency
    respondents: int = 0
    mean_current: float | None = None
    mean_desired: float | None = None
    mean_gap: float | None = None
    spread: float | None = None
    min_gap: int | None = None
    max_gap: int | None = None
    big_gaps: int | None = None
    reason: str | None = None
    previous_mean_gap: float | None = None
    previous_mean_current: float | None = None

    @property
    def shown(self):
        return self.reason is None

    @property
    def change(self):
        """Change in mean gap since the previous round (negative: the gap got smaller)."""
        if self.mean_gap is None or self.previous_mean_gap is None:
            return None
        return round(self.mean_gap - self.previous_mean_gap, 1)

    @property
    def current_change(self):
        if self.mean_current is None or self.previous_mean_current is None:
            return None
        return round(self.mean_current - self.previous_mean_current, 1)


@dataclass
class BreakdownRow:
    label: str
    unit: Unit | None
    participation: Participation
    mean_gap: float | None
    reason: str | None


@dataclass
class TeamReport:
    unit: Unit
    round: Round
    include_subunits: bool
    frameworks: list
    participation: Participation
    respondents: int
    reason: str | None
    rows: list
    previous: Round | None = None
    breakdown: list = field(default_factory=list)

    @property
    def shown_rows(self):
        return [row for row in self.rows if row.shown]

    def chart_data(self, framework):
        return team_chart_data(self.rows, framework)


def team_chart_data(rows, framework):
    """Mean current and desired level per shown competency of `framework`, in form order, for the chart."""
    rows = [row for row in rows if row.shown and row.competency.framework_id == framework.pk]
    rows.sort(key=lambda row: (row.competency.position, row.competency.code))
    return {
        "labels": [str(row.competency.name) for row in rows],
        "current": [round(row.mean_current, 2) for row in rows],
        "desired": [round(row.mean_desired, 2) for row in rows],
    }


SUMS = {
    "respondents": Count("pk"),
    "sum_current": Sum("current_level"),
    "sum_desired": Sum("desired_level"),
    "sum_gap": Sum(GAP),
    "sum_gap_squared": Sum(GAP_SQUARED),
    "min_gap": Min(GAP),
    "max_gap": Max(GAP),
    "big_gaps": Count("pk", filter=Q(desired_level__gte=F("current_level") + BIG_GAP)),
}


def _competency_stats(ratings, key_fields, unit, include_subunits, counts):
    """Figures per competency for the unit, each with the reason it is hidden (or None); one query.

    The sums come per unit of the subtree, so the privacy rule can run per
    competency as well: "not applicable" answers make the people behind a
    competency fewer than those who submitted. Within the unit's subtree, bottom-up,
    a unit's competency figure is hidden when it has too few answers, when the unit
    itself is hidden, or when the answers not covered by the shown figures below it
    number 1 to minimum - 1. Each unit's figure depends only on its own subtree, so
    every dashboard hides the same figures. Returns {key: (stats or None, reason)}.
    """
    minimum = privacy.min_group_size()
    per_unit = {}
    for row in ratings.order_by().values("assessment__unit_id", *key_fields).annotate(**SUMS):
        key = tuple(row[field] for field in key_fields)
        per_unit.setdefault(key if len(key) > 1 else key[0], {})[row["assessment__unit_id"]] = row
    units = {pk: info for pk, info in counts.units.items() if info[1].startswith(unit.tree_path)}
    children = {}
    for pk, (parent_id, _path, _name) in units.items():
        if pk != unit.pk:
            children.setdefault(parent_id, []).append(pk)
    target = ("unit", unit.pk) if include_subunits or unit.pk not in children else ("direct", unit.pk)
    found = {}
    for key, rows in per_unit.items():
        answers = dict.fromkeys(units, 0)
        for pk, row in rows.items():
            for ancestor in _ancestor_ids(units[pk][1]) if pk in units else []:
                if ancestor in answers:
                    answers[ancestor] += row["respondents"]
        node_counts, parents, reasons = {}, {}, {}
        for pk, (parent_id, _path, _name) in units.items():
            node = ("unit", pk)
            node_counts[node] = answers[pk]
            parents[node] = ("unit", parent_id) if pk != unit.pk else None
            reasons[node] = counts.subtree_reasons.get(pk)
            if pk in children and rows.get(pk):
                node_counts[("direct", pk)] = rows[pk]["respondents"]
                parents[("direct", pk)] = node
                reasons[("direct", pk)] = counts.direct_reasons.get(pk)
        reasons = privacy.suppress_nested(node_counts, parents, minimum=minimum, reasons=reasons, self_only=True)
        reason = reasons.get(target, privacy.suppression_reason(0, minimum=minimum))
        if reason is not None:
            found[key] = ({"respondents": node_counts.get(target, 0)}, reason)
            continue
        included = [unit.pk] if target[0] == "direct" else [pk for pk in rows if pk in units]
        found[key] = (_combine([rows[pk] for pk in included if pk in rows]), None)
    return found


def _combine(rows):
    """Means, spread, range and big gaps from the sums of several units."""
    n = sum(row["respondents"] for row in rows)
    mean_gap = sum(row["sum_gap"] for row in rows) / n
    return {
        "respondents": n,
        "mean_current": sum(row["sum_current"] for row in rows) / n,
        "mean_desired": sum(row["sum_desired"] for row in rows) / n,
        "mean_gap": mean_gap,
        "spread": _spread(mean_gap, sum(row["sum_gap_squared"] for row in rows) / n),
        "min_gap": min(row["min_gap"] for row in rows),
        "max_gap": max(row["max_gap"] for row in rows),
        "big_gaps": sum(row["big_gaps"] for row in rows),
    }


def _spread(mean, mean_of_squares):
    """Standard deviation from E[x] and E[x²]: portable, SQLite has no STDDEV."""
    return math.sqrt(max(0.0, float(mean_of_squares) - float(mean) ** 2))


def _rows(competencies, stats, unit_reason):
    rows = []
    for competency in competencies:
        stat, reason = stats.get(competency.pk, (None, privacy.suppression_reason(0)))
        row = CompetencyRow(competency, respondents=stat["respondents"] if stat else 0, reason=unit_reason or reason)
        if row.reason is None:
            row.mean_current, row.mean_desired = float(stat["mean_current"]), float(stat["mean_desired"])
            row.mean_gap, row.spread = float(stat["mean_gap"]), stat["spread"]
            row.min_gap, row.max_gap, row.big_gaps = stat["min_gap"], stat["max_gap"], stat["big_gaps"]
        rows.append(row)
    return rows


def _participation(round_, unit, include_subunits):
    counts = Assessment.objects.filter(round=round_).filter(_scope(unit, include_subunits, "unit")).participation()
    return Participation(counts["total"], counts["submitted"])


def _previous_figures(round_, unit, include_subunits, frameworks, units):
    """The previous round the unit took part in, and {(framework slug, code): (mean gap, mean current)} there."""
    took_part = Round.objects.filter(
        pk__in=Assessment.objects.filter(_scope(unit, include_subunits, "unit"), submitted_at__isnull=False).values(
            "round_id"
        )
    )
    previous = previous_round(round_, took_part)
    if previous is None:
        return None, {}
    counts = unit_counts(previous, units)
    if counts.reason(unit, include_subunits) is not None:
        return previous, {}
    ratings = Rating.objects.for_round(previous).submitted().in_unit(unit).rated()
    if frameworks:
        ratings = ratings.filter(competency__framework__slug__in=[framework.slug for framework in frameworks])
    stats = _competency_stats(
        ratings, ["competency__framework__slug", "competency__code"], unit, include_subunits, counts
    )
    return previous, {
        key: (float(stat["mean_gap"]), float(stat["mean_current"]))
        for key, (stat, reason) in stats.items()
        if reason is None
    }


def _sort_rows(rows):
    """Biggest mean gap first; hidden rows last, in form order (pandas does the stable sort)."""
    import pandas as pd  # loaded on first use: it costs ~30 MB per process

    if not rows:
        return rows
    frame = pd.DataFrame(
        {"index": range(len(rows)), "shown": [row.shown for row in rows], "gap": [row.mean_gap for row in rows]}
    )
    frame = frame.sort_values(["shown", "gap"], ascending=[False, False], kind="stable", na_position="last")
    return [rows[i] for i in frame["index"]]


def team_rows(unit, round_, *, include_subunits=True, frameworks=None, units=None):
    """The privacy status of every unit, the reason this unit's figures are hidden (or None), and its rows."""
    counts = unit_counts(round_, units)
    reason = counts.reason(unit, include_subunits)
    competencies = _round_competencies(round_, frameworks)
    stats = {}
    if reason is None:
        ratings = Rating.objects.for_round(round_).submitted().in_unit(unit).rated()
        if frameworks:
            ratings = ratings.filter(competency__framework__in=frameworks)
        stats = _competency_stats(ratings, ["competency_id"], unit, include_subunits, counts)
    return counts, reason, _rows(competencies, stats, reason)


def team_report(unit, round_, *, include_subunits=True, frameworks=None):
    """A unit's gaps in one round: participation, per competency figures with change, sub-unit breakdown.

    A small, fixed number of queries whatever the size of the unit.
    """
    frameworks = list(frameworks or [])
    units = _load_units()
    counts, reason, rows = team_rows(
        unit, round_, include_subunits=include_subunits, frameworks=frameworks, units=units
    )
    previous, earlier = _previous_figures(round_, unit, include_subunits, frameworks, units)
    for row in rows:
        if row.shown and _match_key(row.competency) in earlier:
            row.previous_mean_gap, row.previous_mean_current = earlier[_match_key(row.competency)]
    report = TeamReport(
        unit=unit,
        round=round_,
        include_subunits=include_subunits,
        frameworks=frameworks,
        participation=_participation(round_, unit, include_subunits),
        respondents=counts.respondents(unit, include_subunits),
        reason=reason,
        rows=_sort_rows(rows),
        previous=previous,
    )
    if include_subunits:
        report.breakdown = _breakdown(unit, round_, frameworks, counts)
    return report


def _breakdown(unit, round_, frameworks, counts):
    """Participation and mean gap for the people directly in the unit and for each sub-unit (two queries)."""
    children = sorted(
        (pk for pk, (parent_id, _path, _name) in counts.units.items() if parent_id == unit.pk),
        key=lambda pk: counts.units[pk][2],
    )
    if not children:
        return []
    invited = (
        Assessment.objects.filter(round=round_, unit__tree_path__startswith=unit.tree_path)
        .values("unit__tree_path")
        .annotate(invited=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    )
    ratings = Rating.objects.for_round(round_).submitted().in_unit(unit).rated()
    if frameworks:
        ratings = ratings.filter(competency__framework__in=frameworks)
    gaps = ratings.order_by().values("assessment__unit__tree_path").annotate(gap_sum=Sum(GAP), answers=Count("pk"))

    def part_of(path):
        if path == unit.tree_path:
            return unit.pk
        return int(path[len(unit.tree_path) :].split(PATH_SEPARATOR, 1)[0])

    totals = {key: [0, 0, 0, 0] for key in [unit.pk, *children]}
    for row in invited:
        if total := totals.get(part_of(row["unit__tree_path"])):
            total[0] += row["invited"]
            total[1] += row["submitted"]
    for row in gaps:
        if total := totals.get(part_of(row["assessment__unit__tree_path"])):
            total[2] += row["gap_sum"]
            total[3] += row["answers"]

    def make(label, key, found, reason):
        invited_n, submitted_n, gap_sum, answers = totals[key]
        mean = gap_sum / answers if reason is None and answers else None
        return BreakdownRow(label, found, Participation(invited_n, submitted_n), mean, reason)

    rows = []
    if totals[unit.pk][0]:
        label = _("Directly in %(unit)s") % {"unit": unit.name}
        rows.append(make(label, unit.pk, None, counts.direct_reasons.get(unit.pk)))
    child_units = Unit.objects.in_bulk(children)
    for pk in children:
        if totals[pk][0]:
            rows.append(make(child_units[pk].name, pk, child_units[pk], counts.subtree_reasons.get(pk)))
    return rows


# Who shared: the heatmap


@dataclass
class HeatmapRow:
    assessment: Assessment
    cells: list  # one gap (int) or None per column


@dataclass
class Heatmap:
    columns: list
    rows: list
    shared: int
    not_shared: int
    page: object = None


def heatmap(unit, round_, *, include_subunits=True, frameworks=None, page=1, per_page=HEATMAP_PAGE_SIZE):
    """People who shared their assessment with the manager, by competency, with their gap (four queries).

    Only shared assessments appear; the others are counted as not shared.
    """
    from django.core.paginator import Paginator

    import pandas as pd  # loaded on first use: it costs ~30 MB per process

    submitted = Assessment.objects.filter(round=round_, submitted_at__isnull=False).filter(
        _scope(unit, include_subunits, "unit")
    )
    counts = submitted.aggregate(shared=Count("pk", filter=Q(shared_with_manager=True)), total=Count("pk"))
    columns = _round_competencies(round_, frameworks)
    shared = submitted.filter(shared_with_manager=True).select_related("person").order_by("person__name", "pk")
    paginator = Paginator(shared, per_page)
    paginator.count = counts["shared"]  # known already: saves the count query
    page_obj = paginator.get_page(page)
    assessments = list(page_obj.object_list)
    rows = []
    if assessments and columns:
        values = (
            Rating.objects.filter(assessment__in=[a.pk for a in assessments], competency__in=[c.pk for c in columns])
            .rated()
            .annotate(gap_value=GAP)
            .order_by()
            .values_list("assessment_id", "competency_id", "gap_value")
        )
        frame = pd.DataFrame(list(values), columns=["assessment", "competency", "gap"])
        grid = frame.pivot(index="assessment", columns="competency", values="gap") if len(frame) else pd.DataFrame()
        grid = grid.reindex(index=[a.pk for a in assessments], columns=[c.pk for c in columns])
        for assessment, cells in zip(assessments, grid.itertuples(index=False), strict=True):
            rows.append(HeatmapRow(assessment, [None if pd.isna(v) else int(v) for v in cells]))
    else:
        rows = [HeatmapRow(assessment, [None] * len(columns)) for assessment in assessments]
    return Heatmap(columns, rows, counts["shared"], counts["total"] - counts["shared"], page_obj)


# The organisation


AGE_BANDS = [  # (key, label, upper age, exclusive)
    ("age-under-30", _("under 30"), 30),
    ("age-30-39", _("30 to 39"), 40),
    ("age-40-49", _("40 to 49"), 50),
    ("age-50-59", _("50 to 59"), 60),
    ("age-60-plus", _("60 and over"), None),
]
SERVICE_BANDS = [  # (key, label, upper number of years, exclusive)
    ("service-under-2", _("less than 2 years"), 2),
    ("service-2-4", _("2 to 4 years"), 5),
    ("service-5-9", _("5 to 9 years"), 10),
    ("service-10-19", _("10 to 19 years"), 20),
    ("service-20-plus", _("20 years or more"), None),
]


def band_of(years, bands):
    """The key of the band `years` (an age, a number of years in service) falls in; "" when unknown."""
    import pandas as pd  # loaded on first use: it costs ~30 MB per process

    if years is None or pd.isna(years):
        return ""
    return next(key for key, _label, upper in bands if upper is None or years < upper)


@dataclass
class Figure:
    """A mean gap with the respondents behind it, or the reason it is hidden."""

    respondents: int = 0
    mean_gap: float | None = None
    reason: str | None = None


@dataclass
class OrganisationRow:
    key: object
    label: str
    depth: int
    participation: Participation
    overall: Figure
    themes: list  # one Figure per theme, in the order of OrganisationReport.themes
    is_unit: bool = False


@dataclass
class OrganisationReport:
    round: Round
    themes: list
    units: list
    age_bands: list
    service_bands: list
    sort: str = "tree"
    descending: bool = False


SORT_KEYS = {"tree", "name", "invited", "submitted", "percent", "gap"}


def organisation_report(round_, *, sort="tree", descending=False):
    """Mean gap and participation per unit (with its sub-units) and per theme, and by age and service band.

    Three passes over the round's ratings in the database (gap sums per unit and
    theme; per birth year, service year and theme; the not-applicable answers per
    person and theme, which tell how many people a theme figure rests on), then
    pandas adds them up the tree and into bands. The privacy rule runs down the tree
    for the overall figure and for every theme.
    """
    units = _load_units()
    with transaction.atomic(), _without_jit():
        figures = _OrganisationFigures(round_)
    rows = _organisation_rows(units, figures)
    return OrganisationReport(
        round=round_,
        themes=figures.themes,
        units=_sort_organisation(rows, sort, descending, figures.themes),
        age_bands=_band_rows(figures, "age", AGE_BANDS),
        service_bands=_band_rows(figures, "service", SERVICE_BANDS),
        sort=sort,
        descending=descending,
    )


@contextmanager
def _without_jit():
    """PostgreSQL compiles big aggregates just in time, which costs more than it saves for these (about 0.1 s each)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
    yield


class _OrganisationFigures:
    """The database results behind the organisation view, as small pandas frames."""

    def __init__(self, round_):
        import pandas as pd  # loaded on first use: it costs ~30 MB per process

        year = round_.opens_on.year
        self.themes = list(Theme.objects.filter(competencies__framework__rounds=round_).distinct().order_by("code"))
        theme_sizes = dict(
            Competency.objects.filter(framework__rounds=round_)
            .values("theme_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("theme_id", "n")
        )
        invited = Assessment.objects.filter(round=round_).order_by()
        counts = {"invited": Count("pk"), "submitted": Count("pk", filter=Q(submitted_at__isnull=False))}

        def participation(field):
            import pandas as pd  # loaded on first use: it costs ~30 MB per process

            rows = invited.values(field).annotate(**counts).values_list(field, "invited", "submitted")
            return pd.DataFrame(list(rows), columns=["value", "invited", "submitted"])

        self.by_unit = participation("unit_id").dropna(subset=["value"]).astype({"value": "int64"})
        self.by_band = {}
        for field_name, by, bands in (
            ("person__birth_year", "age", AGE_BANDS),
            ("person__in_service_since", "service", SERVICE_BANDS),
        ):
            frame = participation(field_name)
            frame[by] = [band_of(None if pd.isna(value) else year - value, bands) for value in frame["value"]]
            self.by_band[by] = frame.groupby(by)[["invited", "submitted"]].sum()
        rated = Rating.objects.for_round(round_).submitted().rated().order_by()
        sums = {"gap_sum": Sum(GAP), "answers": Count("pk")}
        self.per_unit = pd.DataFrame(
            list(
                rated.values("assessment__unit_id", "competency__theme_id")
                .annotate(**sums)
                .values_list("assessment__unit_id", "competency__theme_id", "gap_sum", "answers")
            ),
            columns=["unit", "theme", "gap_sum", "answers"],
        )
        self.per_year = pd.DataFrame(
            list(
                rated.values(
                    "assessment__person__birth_year", "assessment__person__in_service_since", "competency__theme_id"
                )
                .annotate(**sums)
                .values_list(
                    "assessment__person__birth_year",
                    "assessment__person__in_service_since",
                    "competency__theme_id",
                    "gap_sum",
                    "answers",
                )
            ),
            columns=["birth_year", "in_service_since", "theme", "gap_sum", "answers"],
        )
        # Every submitted assessment answers every competency (a level or "not applicable"), so the people
        # behind a theme figure are those who submitted minus those who marked the whole theme not applicable.
        # HAVING: only people who marked every competency of a theme not applicable.
        whole_theme = Q(competency__theme_id=None)
        for theme_id, size in theme_sizes.items():
            whole_theme |= Q(competency__theme_id=theme_id, n=size)
        self.all_not_applicable = pd.DataFrame(
            list(
                Rating.objects.for_round(round_)
                .submitted()
                .filter(not_applicable=True)
                .values(
                    "assessment_id",
                    "assessment__unit_id",
                    "assessment__person__birth_year",
                    "assessment__person__in_service_since",
                    "competency__theme_id",
                )
                .annotate(n=Count("pk"))
                .filter(whole_theme)
                .order_by()
                .values_list(
                    "assessment__unit_id",
                    "assessment__person__birth_year",
                    "assessment__person__in_service_since",
                    "competency__theme_id",
                    "n",
                )
            ),
            columns=["unit", "birth_year", "in_service_since", "theme", "n"],
        )
        for frame in (self.per_year, self.all_not_applicable):
            for column, name, bands in (
                ("birth_year", "age", AGE_BANDS),
                ("in_service_since", "service", SERVICE_BANDS),
            ):
                years = {value: band_of(year - value, bands) for value in frame[column].dropna().unique()}
                frame[name] = [years.get(value, "") for value in frame[column]]

    def theme_respondents(self, by, submitted, answers):
        """People behind each theme figure per `by` value: {(value, theme id): respondents}."""
        excluded = self.all_not_applicable.groupby([by, "theme"]).size().to_dict()
        found = {}
        for (value, theme), count in answers.items():
            found[(value, theme)] = int(min(submitted.get(value, 0) - excluded.get((value, theme), 0), count))
        return found


def _rolled_up(units, frame, value_columns):
    """Add per-unit rows up the tree: each unit gets its own rows and those of every unit below it."""
    if frame.empty:
        return frame
    paths = {pk: _ancestor_ids(path) for pk, (_parent, path, _name) in units.items()}
    frame = frame[frame["unit"].isin(paths.keys())].copy()
    frame["ancestor"] = frame["unit"].map(paths)
    frame = frame.explode("ancestor")
    frame["ancestor"] = frame["ancestor"].astype("int64")
    keys = ["ancestor"] + [column for column in frame.columns if column not in {"unit", "ancestor", *value_columns}]
    return frame.groupby(keys, as_index=False)[value_columns].sum()


def _organisation_rows(units, figures):
    themes = figures.themes
    direct = figures.by_unit.rename(columns={"value": "unit"}).set_index("unit")
    if direct.empty:
        return []
    submitted = direct["submitted"].to_dict()
    subtree, subtree_reasons, _direct_reasons = suppress_tree(units, submitted)
    rolled_up = _rolled_up(units, direct.reset_index(), ["invited", "submitted"])
    participation = {row.ancestor: (int(row.invited), int(row.submitted)) for row in rolled_up.itertuples()}

    per_unit = figures.per_unit.dropna(subset=["unit"]).astype({"unit": "int64"})
    answers = per_unit.set_index(["unit", "theme"])["answers"].to_dict()
    respondents = figures.theme_respondents("unit", submitted, answers)
    theme_ids = [theme.pk for theme in themes]
    minimum = privacy.min_group_size()
    theme_trees = {}
    for theme_id in theme_ids:
        direct_respondents = {unit: n for (unit, t), n in respondents.items() if t == theme_id}
        theme_trees[theme_id] = suppress_tree(units, direct_respondents)
    rolled = _rolled_up(units, per_unit, ["gap_sum", "answers"])
    sums = {(row.ancestor, row.theme): (row.gap_sum, row.answers) for row in rolled.itertuples()}
    overall = {}
    for (pk, _theme), (gap_sum, theme_answers) in sums.items():
        total = overall.setdefault(pk, [0, 0])
        total[0] += gap_sum
        total[1] += theme_answers

    rows = []
    for pk in sorted(units, key=lambda pk: units[pk][1]):
        invited, submitted_n = participation.get(pk, (0, 0))
        if not invited:
            continue
        _parent, path, name = units[pk]
        reason = subtree_reasons.get(pk)
        gap_sum, all_answers = overall.get(pk, (0, 0))
        mean = float(gap_sum / all_answers) if reason is None and all_answers else None
        theme_figures = []
        for theme_id in theme_ids:
            gap_sum, theme_answers = sums.get((pk, theme_id), (0, 0))
            theme_subtree, theme_reasons, _theme_direct = theme_trees[theme_id]
            people_behind = int(theme_subtree.get(pk, 0))
            theme_reason = (
                reason or theme_reasons.get(pk) or privacy.suppression_reason(people_behind, minimum=minimum)
            )
            theme_mean = float(gap_sum / theme_answers) if theme_reason is None and theme_answers else None
            theme_figures.append(Figure(people_behind, theme_mean, theme_reason))
        rows.append(
            OrganisationRow(
                key=pk,
                label=name,
                depth=len(_ancestor_ids(path)) - 1,
                participation=Participation(invited, submitted_n),
                overall=Figure(subtree.get(pk, 0), mean, reason),
                themes=theme_figures,
                is_unit=True,
            )
        )
    return rows


def _sort_organisation(rows, sort, descending, themes):
    """Tree order by default; otherwise by the chosen column ("theme-<code>" for a theme), hidden figures last."""
    if sort == "name":
        return sorted(rows, key=lambda row: str(row.label).lower(), reverse=descending)
    columns = {
        "invited": lambda row: row.participation.invited,
        "submitted": lambda row: row.participation.submitted,
        "percent": lambda row: row.participation.percent,
        "gap": lambda row: row.overall.mean_gap,
    }
    for index, theme in enumerate(themes):
        columns[f"theme-{theme.code}"] = lambda row, index=index: row.themes[index].mean_gap
    value = columns.get(sort)
    if value is None:
        return rows
    known = [row for row in rows if value(row) is not None]
    unknown = [row for row in rows if value(row) is None]
    return sorted(known, key=value, reverse=descending) + unknown


def _band_rows(figures, by, bands):
    """Participation and mean gap (overall and per theme) per band, only where the field is filled."""
    import pandas as pd  # loaded on first use: it costs ~30 MB per process

    themes = figures.themes
    people = figures.by_band[by]
    submitted = people["submitted"].to_dict()
    total = int(people["submitted"].sum()) if not people.empty else 0
    keys = [key for key, _label, _upper in bands]
    reasons = privacy.suppress_breakdown(total, {key: int(submitted.get(key, 0)) for key in keys})
    sums = figures.per_year.groupby([by, "theme"])[["gap_sum", "answers"]].sum()
    answers = sums["answers"].to_dict()
    respondents = figures.theme_respondents(by, submitted, answers)
    theme_reasons = {}
    for theme in themes:
        per_band = {key: respondents.get((key, theme.pk), 0) for key in keys}
        everyone = sum(n for (_key, t), n in respondents.items() if t == theme.pk)
        theme_reasons[theme.pk] = privacy.suppress_breakdown(everyone, per_band)
    rows = []
    for key, label, _upper in bands:
        if key not in people.index or not people.loc[key, "invited"]:
            continue
        band_sums = sums.loc[key] if key in sums.index.get_level_values(0) else pd.DataFrame()
        mean = None
        if reasons[key] is None and not band_sums.empty and band_sums["answers"].sum():
            mean = float(band_sums["gap_sum"].sum() / band_sums["answers"].sum())
        theme_figures = []
        for theme in themes:
            reason = reasons[key] or theme_reasons[theme.pk][key]
            found = band_sums.loc[theme.pk] if not band_sums.empty and theme.pk in band_sums.index else None
            theme_mean = float(found["gap_sum"] / found["answers"]) if found is not None and reason is None else None
            theme_figures.append(Figure(respondents.get((key, theme.pk), 0), theme_mean, reason))
        rows.append(
            OrganisationRow(
                key=key,
                label=label,
                depth=0,
                participation=Participation(int(people.loc[key, "invited"]), int(people.loc[key, "submitted"])),
                overall=Figure(int(submitted.get(key, 0)), mean, reasons[key]),
                themes=theme_figures,
            )
        )
    return rows
