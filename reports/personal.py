# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The personal gap report: one person's current, desired and gap per competency, with change since last time.

Only the person, HR and the person's own manager (when shared, and let through by
`reports.disclosure.visible_shared`) reach these; the access rule is in
`reports.access`. The gap of one rating is desired level minus current level:
positive means the person wants to grow.
"""

from dataclasses import dataclass

from django.db.models import ExpressionWrapper, F, IntegerField, Q

from assessments import asked
from assessments.models import Assessment, Rating, Round
from competencies.models import FORM_ORDER, Competency, LevelDescription

GAP = ExpressionWrapper(F("desired_level") - F("current_level"), output_field=IntegerField())
STRENGTH_MIN_LEVEL = 4
DEVELOPMENT_POINTS_MIN, DEVELOPMENT_POINTS_MAX = 3, 5
STRENGTHS_MAX = 5


def round_competencies(round_, frameworks=None):
    """The competencies of a round (optionally of some of its frameworks), in form order, with their framework.

    Kept per process (`assessments.asked`): a page asks them several times, for this round and the previous one.
    """
    return asked.in_form_order(round_, frameworks)


def match_key(competency):
    """Framework versions differ between rounds; the slug and the code stay the same."""
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
            row.previous_current = earlier_levels.get(match_key(row.competency))

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
        .order_by(*(f"competency__{name}" for name in FORM_ORDER))
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
