# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The organisation view: mean gap and participation per unit and theme, and by age and service band.

All figures come from the round's current release through `reports.disclosure`:
each unit row adds up the released sums of the units below it, shown only where
the round's disclosure structure allows it; the band tables appear for a closed
round's final release, where `disclosure.band_figures` withholds every band that
could be subtracted into a small group.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from assessments.models import Assessment, Round
from competencies.models import Theme
from organisation.models import Unit

from . import disclosure, distance
from .disclosure import AGE_BANDS, SERVICE_BANDS, Figure
from .personal import round_competencies
from .team import Participation

SORT_KEYS = {"tree", "name", "invited", "submitted", "percent", "gap"}


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
    release: object
    themes: list
    units: list
    age_bands: list
    service_bands: list
    sort: str = "tree"
    descending: bool = False
    distances: list = field(default_factory=list)  # distance.UnitDistances per top unit: the whole organisation

    @property
    def legend(self):
        codes = set()
        for row in [*self.units, *self.age_bands, *self.service_bands]:
            codes.update(figure.reason for figure in [row.overall, *row.themes] if figure.reason)
        return disclosure.legend(codes)


def organisation_report(round_, viewer, *, sort="tree", descending=False):
    """Per unit (with its sub-units) and per theme, and per band, from the current release (a few queries)."""
    units = disclosure.load_units()
    figures = disclosure.unit_figures(round_, viewer, units)
    competencies = round_competencies(round_)
    themes = list(Theme.objects.filter(competencies__in=competencies).distinct().order_by("code"))
    theme_of = {competency.pk: competency.theme_id for competency in competencies}
    sums = disclosure.all_unit_sums(figures, list(theme_of))
    rows = _unit_rows(round_, figures, themes, theme_of, sums)
    bands = disclosure.band_figures(figures, list(theme_of))
    participation = _band_participation(round_)
    return OrganisationReport(
        round=round_,
        release=figures.release,
        themes=themes,
        units=_sort(rows, sort, descending, themes),
        age_bands=_band_rows(AGE_BANDS, bands, participation, themes, theme_of),
        service_bands=_band_rows(SERVICE_BANDS, bands, participation, themes, theme_of),
        sort=sort,
        descending=descending,
        distances=_distances(round_, figures, competencies, rows),
    )


def _distances(round_, figures, competencies, rows):
    """Per top unit of the tree (the organisation as a whole) and competency: the distance to the group target,
    from the same released figures as the unit rows (two queries per top unit; an organisation has one or two)."""
    top = [row.key for row in rows if figures.units[row.key][0] is None]
    found = []
    for unit in Unit.objects.filter(pk__in=top).order_by("name"):
        released = disclosure.team_figures(figures, unit.pk, True, competencies)
        rows = distance.distances(unit, True, competencies, released, round_.opens_on)
        if rows:
            found.append(distance.UnitDistances(unit, rows))
    return found


def _combined(found, reason, keys):
    """One Figure over several (unit, competency) sums, or withheld with `reason`."""
    figure = Figure(reason=reason)
    if reason is None:
        for key in keys:
            if key in found:
                figure.add(vars(found[key]))
    return figure


def _unit_rows(round_, figures, themes, theme_of, sums):
    invited = {
        row[0]: row[1:]
        for row in Assessment.objects.filter(round=round_, unit__isnull=False)
        .values("unit_id")
        .annotate(invited=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
        .order_by()
        .values_list("unit_id", "invited", "submitted")
    }
    units = figures.units
    totals = defaultdict(lambda: [0, 0])
    for unit_id, (n_invited, n_submitted) in invited.items():
        for ancestor in disclosure.ancestor_ids(units[unit_id][1]) if unit_id in units else []:
            totals[ancestor][0] += n_invited
            totals[ancestor][1] += n_submitted
    # Released sums added up the tree: (unit, competency) -> Figure over the unit and everything below it.
    rolled = {}
    for (unit_id, competency_id), found in sums.items():
        for ancestor in disclosure.ancestor_ids(units[unit_id][1]) if unit_id in units else []:
            rolled.setdefault((ancestor, competency_id), Figure()).add(vars(found))
    rows = []
    for pk in sorted(units, key=lambda pk: units[pk][1]):
        if not totals[pk][0]:
            continue
        reason = figures.reason(pk, True)
        keys = [(pk, competency_id) for competency_id in theme_of]
        overall = _combined(rolled, reason, keys)
        theme_figures = []
        for theme in themes:
            theme_keys = [(pk, competency_id) for competency_id, theme_id in theme_of.items() if theme_id == theme.pk]
            theme_figures.append(_combined(rolled, reason, theme_keys))
        for figure in [overall, *theme_figures]:
            if figure.reason is None and not figure.respondents:
                figure.reason = figures.empty_reason(pk, True)
        _parent, path, name = units[pk]
        rows.append(
            OrganisationRow(
                key=pk,
                label=name,
                depth=len(disclosure.ancestor_ids(path)) - 1,
                participation=Participation(*totals[pk]),
                overall=overall,
                themes=theme_figures,
                is_unit=True,
            )
        )
    return rows


def _band_participation(round_):
    """{band key: [invited, submitted]} from the people's birth and service years (one query)."""
    year = round_.opens_on.year
    found = defaultdict(lambda: [0, 0])
    for birth, service, n_invited, n_submitted in (
        Assessment.objects.filter(round=round_)
        .values("person__birth_year", "person__in_service_since")
        .annotate(invited=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
        .order_by()
        .values_list("person__birth_year", "person__in_service_since", "invited", "submitted")
    ):
        for key in (
            disclosure.band_of(None if birth is None else year - birth, AGE_BANDS),
            disclosure.band_of(None if service is None else year - service, SERVICE_BANDS),
        ):
            if key:
                found[key][0] += n_invited
                found[key][1] += n_submitted
    return found


def _band_rows(bands, figures, participation, themes, theme_of):
    rows = []
    for key, label, _upper in bands:
        if not participation.get(key, [0])[0]:
            continue
        per_competency = figures[key]

        def combine(competency_ids, per_competency=per_competency):
            """One band figure over these competencies, withheld when any of them is (except for having no answers)."""
            figure = Figure()
            for competency_id in competency_ids:
                found = per_competency[competency_id]
                if found.reason not in (None, disclosure.NO_ANSWERS):
                    return Figure(reason=found.reason)
                figure.respondents += found.respondents
                figure.sum_desired += found.sum_desired  # a band keeps only the gap: see band_figures
            if not figure.respondents:
                figure.reason = next(
                    (per_competency[c].reason for c in competency_ids if per_competency[c].reason),
                    disclosure.NO_ANSWERS,
                )
            return figure

        rows.append(
            OrganisationRow(
                key=key,
                label=label,
                depth=0,
                participation=Participation(*participation[key]),
                overall=combine(list(theme_of)),
                themes=[combine([c for c, t in theme_of.items() if t == theme.pk]) for theme in themes],
            )
        )
    return rows


def _sort(rows, sort, descending, themes):
    """Tree order by default; otherwise by the chosen column ("theme-<code>" for a theme), withheld figures last."""
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
