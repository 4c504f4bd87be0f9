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

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Q

from assessments.models import Assessment, Round
from competencies.models import Theme
from organisation.models import PATH_SEPARATOR, Unit

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
    units: "UnitRows"
    age_bands: list
    service_bands: list
    sort: str = "tree"
    descending: bool = False
    distances: list = field(default_factory=list)  # distance.UnitDistances per top unit: the whole organisation

    @cached_property
    def legend(self):
        codes = self.units.reasons()
        for row in [*self.age_bands, *self.service_bands]:
            codes.update(figure.reason for figure in [row.overall, *row.themes] if figure.reason)
        return disclosure.legend(codes)


def organisation_report(round_, viewer, *, sort="tree", descending=False):
    """Per unit (with its sub-units) and per theme, and per band, from the current release (a few queries)."""
    units = disclosure.load_units()
    figures = disclosure.unit_figures(round_, viewer, units)
    competencies = round_competencies(round_)
    themes = list(Theme.objects.filter(competencies__in=competencies).distinct().order_by("code"))
    theme_of = {competency.pk: competency.theme_id for competency in competencies}
    unit_counts, participation = _participation(round_)
    entries = _unit_rows(unit_counts, figures, themes, _rolled_sums(figures, theme_of))
    bands = disclosure.band_figures(figures, list(theme_of))
    return OrganisationReport(
        round=round_,
        release=figures.release,
        themes=themes,
        units=UnitRows(_sort(entries, sort, descending, themes), figures, themes),
        age_bands=_band_rows(AGE_BANDS, bands, participation, themes, theme_of),
        service_bands=_band_rows(SERVICE_BANDS, bands, participation, themes, theme_of),
        sort=sort,
        descending=descending,
        distances=_distances(round_, figures, competencies, entries),
    )


def _distances(round_, figures, competencies, entries):
    """Per top unit of the tree (the organisation as a whole) and competency: the distance to the group target,
    from the same released figures as the unit rows (two queries per top unit; an organisation has one or two)."""
    top = [entry.pk for entry in entries if figures.units[entry.pk][0] is None]
    found = []
    for unit in Unit.objects.filter(pk__in=top).order_by("name"):
        released = disclosure.team_figures(figures, unit.pk, True, competencies)
        rows = distance.distances(unit, True, competencies, released, round_.opens_on)
        if rows:
            found.append(distance.UnitDistances(unit, rows))
    return found


SUMS = ("respondents", "sum_current", "sum_desired", "sum_gap_squared", "big_gaps")


def _rolled_sums(figures, theme_of):
    """{unit id: {None: sums over all competencies, theme id: sums over its competencies}}, each unit with all below.

    Sums are 5-tuples in the order of SUMS. They depend only on the release (which never
    changes once made), the competencies and the tree, not on the viewer: worked out
    once per release and kept in the cache. What a viewer may see of them is decided per unit
    afterwards (`figures.reason`).
    """
    if figures.release is None:
        return {}
    # The tree as it is now: a unit moved elsewhere adds up under its new parents.
    shape = sorted((pk, path) for pk, (_parent, path, _name) in figures.units.items())
    signature = hashlib.sha256(repr((sorted(theme_of.items()), shape)).encode()).hexdigest()[:16]
    # The moment the release was made is part of the key: a number reused after a rolled-back transaction
    # (SQLite) or a restored backup must never find the sums of another release.
    release = figures.release
    key = f"organisation-sums:{release.pk}:{release.made_at.timestamp()}:{signature}"
    found = cache.get(key)
    if found is not None:
        return found
    units = figures.units
    rolled = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
    for (unit_id, competency_id), figure in disclosure.all_unit_sums(figures, list(theme_of)).items():
        values = [getattr(figure, name) for name in SUMS]
        for ancestor in disclosure.ancestor_ids(units[unit_id][1]) if unit_id in units else []:
            for column in (None, theme_of[competency_id]):
                total = rolled[ancestor][column]
                for index, value in enumerate(values):
                    total[index] += value
    found = {
        unit_id: {column: tuple(total) for column, total in columns.items()} for unit_id, columns in rolled.items()
    }
    cache.set(key, found, timeout=ROLLED_SUMS_SECONDS)
    return found


ROLLED_SUMS_SECONDS = 7 * 24 * 3600  # a release never changes; the timeout only frees memory


def _figure(sums, reason):
    """A Figure from stored sums, or withheld with `reason`."""
    if reason is not None:
        return Figure(reason=reason)
    return Figure(*sums) if sums else Figure()


@dataclass(slots=True)
class _UnitEntry:
    """What a unit row needs before it is shown: cheap to keep for thousands of units."""

    pk: int
    label: str
    depth: int
    invited: int
    submitted: int
    reason: str | None
    sums: dict  # {None or theme id: 5-tuple of SUMS}, see _rolled_sums
    empty: bool  # some column has no answers (its reason then says why)


class UnitRows(Sequence):
    """The unit rows of the organisation view, sorted; an OrganisationRow is made only for the rows asked for.

    A ministry has thousands of units and the page shows a hundred at a time
    (Paginator slices this sequence), so the Figures are made per page.
    """

    def __init__(self, entries, figures, themes):
        self.entries, self.figures, self.themes = entries, figures, themes
        self.columns = [None, *(theme.pk for theme in themes)]  # all competencies, then each theme

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(entry) for entry in self.entries[index]]
        return self._row(self.entries[index])

    def _row(self, entry):
        figures = []
        for column in self.columns:
            figure = _figure(entry.sums.get(column), entry.reason)
            if figure.reason is None and not figure.respondents:
                figure.reason = self.figures.empty_reason(entry.pk, True)
            figures.append(figure)
        return OrganisationRow(
            key=entry.pk,
            label=entry.label,
            depth=entry.depth,
            participation=Participation(entry.invited, entry.submitted),
            overall=figures[0],
            themes=figures[1:],
            is_unit=True,
        )

    def reasons(self):
        """Every reason code on any row, for the legend, without making the rows."""
        codes = set()
        for entry in self.entries:
            if entry.reason:
                codes.add(entry.reason)
            elif entry.empty:
                codes.add(self.figures.empty_reason(entry.pk, True))
        return codes


PARTICIPATION_SECONDS = 3600  # besides the counts in the key: a changed birth year shows within the hour


def _participation(round_):
    """({unit id: (invited, submitted)} of the people directly in each unit, {band key: [invited, submitted]}).

    Counting them means reading every self-assessment of the round: kept in the cache
    under the round's totals, so they are counted again as soon as anyone is invited or
    submits (one cheap count per request).
    """
    everyone = Assessment.objects.filter(round=round_)
    # Two counts rather than one with a filter: each is answered from an index alone.
    invited, submitted = everyone.count(), everyone.filter(submitted_at__isnull=False).count()
    key = f"organisation-participation:{round_.pk}:{round_.created_at.timestamp()}:{invited}:{submitted}"
    found = cache.get(key)
    if found is None:
        units = {
            unit_id: (n_invited, n_submitted)
            for unit_id, n_invited, n_submitted in everyone.filter(unit__isnull=False)
            .values("unit_id")
            .annotate(invited=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
            .order_by()
            .values_list("unit_id", "invited", "submitted")
        }
        found = (units, dict(_band_participation(round_)))
        cache.set(key, found, timeout=PARTICIPATION_SECONDS)
    return found


def _unit_rows(invited, figures, themes, rolled):
    """The units with people invited, in tree order, as `_UnitEntry`s."""
    units = figures.units
    totals = defaultdict(lambda: [0, 0])
    for unit_id, (n_invited, n_submitted) in invited.items():
        for ancestor in disclosure.ancestor_ids(units[unit_id][1]) if unit_id in units else []:
            totals[ancestor][0] += n_invited
            totals[ancestor][1] += n_submitted
    columns = [None, *(theme.pk for theme in themes)]
    entries = []
    for pk in sorted(units, key=lambda pk: units[pk][1]):
        if not totals[pk][0]:
            continue
        _parent, path, name = units[pk]
        sums = rolled.get(pk, {})
        entries.append(
            _UnitEntry(
                pk,
                name,
                path.count(PATH_SEPARATOR) - 2,
                totals[pk][0],
                totals[pk][1],
                figures.reason(pk, True),
                sums,
                len(sums) < len(columns),  # a column is only there when it has answers
            )
        )
    return entries


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


def _mean_gap(entry, column):
    sums = entry.sums.get(column)
    if entry.reason is not None or not sums or not sums[0]:
        return None
    return (sums[2] - sums[1]) / sums[0]


def _sort(entries, sort, descending, themes):
    """Tree order by default; otherwise by the chosen column ("theme-<code>" for a theme), withheld figures last."""
    if sort == "name":
        return sorted(entries, key=lambda entry: str(entry.label).lower(), reverse=descending)
    columns = {
        "invited": lambda entry: entry.invited,
        "submitted": lambda entry: entry.submitted,
        "percent": lambda entry: Participation(entry.invited, entry.submitted).percent,
        "gap": lambda entry: _mean_gap(entry, None),
    }
    for theme in themes:
        columns[f"theme-{theme.code}"] = lambda entry, theme_id=theme.pk: _mean_gap(entry, theme_id)
    value = columns.get(sort)
    if value is None:
        return entries
    known = [entry for entry in entries if value(entry) is not None]
    unknown = [entry for entry in entries if value(entry) is None]
    return sorted(known, key=value, reverse=descending) + unknown
