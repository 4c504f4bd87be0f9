# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""A team's gaps: the dashboard's figures per competency and per sub-unit, and the people who shared.

Every figure comes from `reports.disclosure` (a release of the round), so the
dashboard, its charts and the unit export show the same cells; the heatmap shows
only the people whose own manager is the viewer, as far as the layer lets them through.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Rating, Round
from competencies.models import Competency
from organisation.models import Unit

from . import disclosure, distance
from .disclosure import Figure
from .personal import GAP, match_key, previous_round, round_competencies

HEATMAP_PAGE_SIZE = 50


@dataclass
class Participation:
    invited: int = 0
    submitted: int = 0

    @property
    def percent(self):
        return round(100 * self.submitted / self.invited) if self.invited else 0


@dataclass
class CompetencyRow:
    """A team's released figures for one competency, and those of the previous round when both are shown."""

    competency: Competency
    figure: Figure
    previous: Figure | None = None

    shown = property(lambda self: self.figure.shown)
    reason = property(lambda self: self.figure.reason)
    mark = property(lambda self: self.figure.mark)
    reason_text = property(lambda self: self.figure.reason_text)
    respondents = property(lambda self: self.figure.respondents)
    mean_current = property(lambda self: self.figure.mean_current)
    mean_desired = property(lambda self: self.figure.mean_desired)
    mean_gap = property(lambda self: self.figure.mean_gap)
    spread = property(lambda self: self.figure.spread)
    big_gaps = property(lambda self: self.figure.big_gaps)

    @property
    def change(self):
        """Change in mean gap since the previous round (negative: the gap got smaller)."""
        if not self.figure.shown or self.previous is None or not self.previous.shown:
            return None
        return round(self.figure.mean_gap - self.previous.mean_gap, 1)


@dataclass
class BreakdownRow:
    label: str
    unit: Unit | None
    participation: Participation
    figure: Figure


@dataclass
class TeamReport:
    unit: Unit
    round: Round
    include_subunits: bool
    frameworks: list
    participation: Participation
    release: object
    reason: str | None
    rows: list
    previous: Round | None = None
    breakdown: list = field(default_factory=list)
    distances: list = field(default_factory=list)  # distance.Distance per competency with a group target

    @property
    def respondents(self):
        return max((row.figure.respondents for row in self.rows if row.shown), default=0)

    @property
    def shown_rows(self):
        return [row for row in self.rows if row.shown]

    @property
    def reason_text(self):
        return disclosure.withheld_reason(self.reason) if self.reason else ""

    @property
    def legend(self):
        return disclosure.legend(row.reason for row in self.rows if row.reason)

    @property
    def distance_legend(self):
        return distance.legend(self.distances)

    @property
    def breakdown_legend(self):
        return disclosure.legend(row.figure.reason for row in self.breakdown if row.figure.reason)

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


def _scope(unit, include_subunits, prefix="unit"):
    if include_subunits:
        return Q(**{f"{prefix}__tree_path__startswith": unit.tree_path})
    return Q(**{prefix: unit})


def _in_scope(assessment, unit, include_subunits):
    """`_scope` for an assessment in memory (its unit loaded)."""
    if include_subunits:
        return assessment.unit_id is not None and assessment.unit.tree_path.startswith(unit.tree_path)
    return assessment.unit_id == unit.pk


def _participation(round_, unit, include_subunits):
    counts = Assessment.objects.filter(round=round_).filter(_scope(unit, include_subunits)).participation()
    return Participation(counts["total"], counts["submitted"])


def team_rows(viewer, unit, round_, *, include_subunits=True, frameworks=None, figures=None):
    """The released figures of `unit` per competency of the round (or of `frameworks`), in form order."""
    figures = disclosure.unit_figures(round_, viewer) if figures is None else figures
    competencies = round_competencies(round_, frameworks)
    found = disclosure.team_figures(figures, unit.pk, include_subunits, competencies)
    return figures, [CompetencyRow(competency, found[competency.pk]) for competency in competencies]


def _previous(viewer, round_, unit, include_subunits, rows, units):
    """The previous round the unit took part in; fills in each row's previous figure by framework slug and code."""
    took_part = Round.objects.filter(
        pk__in=Assessment.objects.filter(_scope(unit, include_subunits), submitted_at__isnull=False).values("round_id")
    )
    previous = previous_round(round_, took_part)
    if previous is None:
        return None
    earlier = round_competencies(previous)
    figures = disclosure.team_figures(
        disclosure.unit_figures(previous, viewer, units), unit.pk, include_subunits, earlier
    )
    by_key = {match_key(competency): figures[competency.pk] for competency in earlier}
    for row in rows:
        row.previous = by_key.get(match_key(row.competency))
    return previous


def _sort_rows(rows):
    """Biggest mean gap first; withheld rows last, in form order."""
    shown = sorted((row for row in rows if row.shown), key=lambda row: -row.mean_gap)
    return shown + [row for row in rows if not row.shown]


def team_report(viewer, unit, round_, *, include_subunits=True, frameworks=None):
    """A unit's gaps in one round from its current release: participation, per competency with change, sub-units.

    A fixed number of queries whatever the size of the unit.
    """
    frameworks = list(frameworks or [])
    units = disclosure.load_units()
    figures = disclosure.unit_figures(round_, viewer, units)
    _figures, rows = team_rows(
        viewer, unit, round_, include_subunits=include_subunits, frameworks=frameworks, figures=figures
    )
    previous = _previous(viewer, round_, unit, include_subunits, rows, units)
    report = TeamReport(
        unit=unit,
        round=round_,
        include_subunits=include_subunits,
        frameworks=frameworks,
        participation=_participation(round_, unit, include_subunits),
        release=figures.release,
        reason=figures.reason(unit.pk, include_subunits),
        rows=_sort_rows(rows),
        previous=previous,
        distances=distance.distances(
            unit,
            include_subunits,
            [row.competency for row in rows],
            {row.competency.pk: row.figure for row in rows},
            round_.opens_on,
        ),
    )
    if include_subunits:
        report.breakdown = _breakdown(unit, round_, frameworks, figures)
    return report


def _breakdown(unit, round_, frameworks, figures):
    """Participation and mean gap (all competencies together) for the people directly in the unit and each sub-unit."""
    children = sorted(
        (pk for pk, (parent_id, _path, _name) in figures.units.items() if parent_id == unit.pk),
        key=lambda pk: figures.units[pk][2],
    )
    if not children:
        return []
    invited = (
        Assessment.objects.filter(round=round_, unit__tree_path__startswith=unit.tree_path)
        .values("unit__tree_path")
        .annotate(invited=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    )

    counts = {key: [0, 0] for key in [unit.pk, *children]}
    for row in invited:
        if total := counts.get(disclosure.part_of(unit, row["unit__tree_path"])):
            total[0] += row["invited"]
            total[1] += row["submitted"]
    competency_ids = [competency.pk for competency in round_competencies(round_, frameworks)]
    # The released sums of the unit's subtree, added up per part (the people directly in it, each sub-unit).
    parts = {key: Figure() for key in counts} | disclosure.sums_per_part(figures, competency_ids, unit)

    def overall(pk, include_subunits):
        reason = figures.reason(pk, include_subunits)
        if reason is not None:
            return Figure(reason=reason)
        figure = parts[pk]
        if not figure.respondents:
            figure.reason = figures.empty_reason(pk, include_subunits)
        return figure

    rows = []
    if counts[unit.pk][0]:
        label = _("Directly in %(unit)s") % {"unit": unit.name}
        rows.append(BreakdownRow(label, None, Participation(*counts[unit.pk]), overall(unit.pk, False)))
    child_units = Unit.objects.in_bulk(children)
    for pk in children:
        if counts[pk][0]:
            rows.append(
                BreakdownRow(child_units[pk].name, child_units[pk], Participation(*counts[pk]), overall(pk, True))
            )
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
    withheld: int = 0
    page: object = None


def heatmap(viewer, unit, round_, *, include_subunits=True, frameworks=None, page=1, per_page=HEATMAP_PAGE_SIZE):
    """The people in the unit who shared with `viewer` as their own manager, by competency, with their gap.

    Only what `disclosure.visible_shared` lets through is shown; the others are counted.
    """
    submitted = Assessment.objects.filter(round=round_, submitted_at__isnull=False)
    total = submitted.filter(_scope(unit, include_subunits)).count()
    # Who shared with the viewer in the whole round is known already (this round's figures asked it): keep those
    # in the unit as `_scope` does, by the unit they were in when they joined the round.
    mine = [a for a in disclosure.round_sharers(viewer, round_) if _in_scope(a, unit, include_subunits)]
    shown, withheld = disclosure.visible_shared(viewer, mine)
    shown.sort(key=lambda assessment: (assessment.person.name, assessment.pk))
    columns = round_competencies(round_, frameworks)
    page_obj = Paginator(shown, per_page).get_page(page)
    assessments = list(page_obj.object_list)
    gaps = {}
    if assessments and columns:
        for assessment_id, competency_id, gap in (
            Rating.objects.filter(assessment__in=[a.pk for a in assessments], competency__in=[c.pk for c in columns])
            .rated()
            .annotate(gap_value=GAP)
            .order_by()
            .values_list("assessment_id", "competency_id", "gap_value")
        ):
            gaps[assessment_id, competency_id] = gap
    rows = [HeatmapRow(a, [gaps.get((a.pk, c.pk)) for c in columns]) for a in assessments]
    return Heatmap(columns, rows, len(shown), total - len(shown) - len(withheld), len(withheld), page_obj)
