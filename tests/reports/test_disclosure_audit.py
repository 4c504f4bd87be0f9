# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The auditor: for random organisations, every figure each persona can obtain, checked with exact arithmetic.

Each released figure is a linear equation over the answers it adds up (a mean times
its count is a sum): one unknown per person and competency. A person's own answers
and the levels of people who shared with the viewer are known values. Two checks,
as docs/privacy.md states the rule:

1. no single unknown answer is determined: its unit vector is not in the span of the
   released equations (Gaussian elimination over `fractions.Fraction`);
2. no single figure, and no sum or difference of two or three figures, adds up a
   group of 1 to REPORT_MIN_GROUP_SIZE - 1 people the viewer does not know.

Every figure is also checked against the answers themselves, so the equations are
what the pages and exports really show. The organisations are small (at most 40
people) so exact elimination stays fast; set HYPOTHESIS_PROFILE=thorough for more.
"""

import datetime
import itertools
import os
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assessments.answers import set_sharing
from assessments.models import Assessment, Rating, Round
from organisation.access import visible_units
from reports import disclosure, team
from reports.access import visible_assessments
from reports.exports import Filters, units_table
from reports.models import ReleaseEntry
from reports.organisation import organisation_report
from tests.factories import PersonFactory, UnitFactory
from tests.reports.conftest import make_framework

# Shrinking a failure of this size can take many minutes: CI reports the example as found. Each run draws new
# organisations (and replays any failure from .hypothesis/); 30 cover every shape `_describe` names (see them with
# --hypothesis-show-statistics) at about 2 s each on SQLite. AUDIT_EXAMPLES=100 or the thorough profile go further.
hypothesis_settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("AUDIT_EXAMPLES", "30")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck)
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

OPENS = datetime.date(2026, 3, 1)


@dataclass
class World:
    round: Round
    competencies: list
    units: list
    people: list
    managers: list
    hr: object
    plans: dict = field(default_factory=dict)  # person id -> (moment, shared, late share, levels)


def _tree(data):
    """A root with 1-3 departments, each with 0-3 teams: at most 13 units."""
    root = UnitFactory(name="Org")
    units = [root]
    for d in range(data.draw(st.integers(1, 3), label="departments")):
        department = UnitFactory(name=f"Dep {d}", parent=root)
        units.append(department)
        for t in range(data.draw(st.integers(0, 3), label="teams")):
            units.append(UnitFactory(name=f"Team {d}.{t}", parent=department))
    return units


def _build(data):
    units = _tree(data)
    framework = make_framework(2)
    round_ = Round.objects.create(
        name="Audit", opens_on=OPENS, closes_on=timezone.localdate() + datetime.timedelta(30)
    )
    round_.frameworks.set([framework])
    competencies = list(framework.competencies.order_by("position"))
    people = []
    budget = 40
    for unit in units:
        size = data.draw(st.integers(0, min(12, budget)), label=f"size of {unit.name}")
        budget -= size
        for _ in range(size):
            people.append(
                PersonFactory(
                    unit=unit,
                    birth_year=data.draw(st.sampled_from([None, 1965, 1980, 1992, 2000]), label="born"),
                    in_service_since=data.draw(st.sampled_from([None, 2000, 2015, 2024]), label="in service"),
                )
            )
    managers = []
    for unit in units:
        members = [p for p in people if p.unit_id == unit.pk]
        if members and data.draw(st.booleans(), label=f"{unit.name} has a manager"):
            unit.manager = data.draw(st.sampled_from(members), label="manager")
            unit.save()
            managers.append(unit.manager)
    hr = PersonFactory(unit=units[0], name="HR")
    hr.groups.add(Group.objects.get(name=settings.HR_GROUP))
    if data.draw(st.booleans(), label="HR takes part"):
        people.append(hr)
    world = World(round_, competencies, units, people, list(dict.fromkeys(managers)), hr)
    # Mostly answered and submitted, so that enough figures are shown to try the arithmetic on (with half the
    # answers empty and half the people never submitting, nearly every figure was withheld and nothing was tried).
    answer = st.tuples(st.integers(1, 5), st.integers(1, 5))
    level = st.one_of(st.none(), answer, answer, answer)
    for person in people:
        Assessment.objects.create(round=round_, person=person, unit=person.unit)
        world.plans[person.pk] = (
            data.draw(st.sampled_from(["first", "first", "second", "second", "draft", "never"]), label="when"),
            data.draw(st.booleans(), label="shares"),
            data.draw(st.booleans(), label="starts sharing later"),
            [data.draw(level, label="levels") for _ in competencies],
        )
    _describe(world)
    return world


def _describe(world):
    """Name what this organisation holds (`--hypothesis-show-statistics`), so a run shows which shapes it covered."""
    departments = [u for u in world.units if u.parent_id == world.units[0].pk]
    event(f"departments: {len(departments)}")
    event("teams below departments" if len(world.units) > 1 + len(departments) else "no teams")
    size = (
        next(label for top, label in ((0, "0"), (9, "1-9"), (24, "10-24")) if len(world.people) <= top)
        if len(world.people) < 25
        else "25-41"
    )
    event(f"people: {size}")
    event("with managers" if world.managers else "without managers")
    event("HR takes part" if world.hr in world.people else "HR does not take part")
    plans = world.plans.values()
    for when in ("first", "second", "draft", "never"):
        if any(plan[0] == when for plan in plans):
            event(f"someone submits: {when}")
    if any(when == "first" and late and not shared for when, shared, late, _levels in plans):
        event("someone starts sharing later")
    if any(level is None for *_rest, levels in plans for level in levels):
        event("a not-applicable answer")


def _submit(world, moment):
    now = timezone.now()
    for person in world.people:
        when, shared, _late, levels = world.plans[person.pk]
        if when != moment and not (moment == "first" and when == "draft"):
            continue
        assessment = Assessment.objects.get(round=world.round, person=person)
        for competency, value in zip(world.competencies, levels, strict=True):
            Rating.objects.create(
                assessment=assessment,
                competency=competency,
                not_applicable=value is None,
                current_level=value and value[0],
                desired_level=value and value[1],
            )
        assessment.started_at = now
        if when != "draft":
            assessment.submitted_at = now
            assessment.shared_with_manager = shared
            assessment.shared_at = now if shared else None
        assessment.save()


def _late_sharing(world):
    for person in world.people:
        when, shared, late, _levels = world.plans[person.pk]
        if when == "first" and late and not shared:
            set_sharing(Assessment.objects.get(round=world.round, person=person), True)


# Collecting what a persona can obtain


class Collector:
    """The equations one persona has gathered: {frozenset of (person id, competency id)}, and known people."""

    def __init__(self, world, viewer):
        self.world = world
        self.viewer = viewer
        self.rows = set()
        self.known = set()
        self.shown = self.withheld = 0
        self.refresh()

    def refresh(self):
        """Read the answers and the released entries as they are now (to verify every figure against them)."""
        world = self.world
        self.entries = list(
            ReleaseEntry.objects.filter(release__round=world.round).values_list(
                "release__number", "assessment__unit_id", "assessment__unit__tree_path", "assessment__person_id"
            )
        )
        self.answers = {
            (a, c): (cur, des)
            for a, c, cur, des in Rating.objects.filter(assessment__round=world.round)
            .rated()
            .values_list("assessment__person_id", "competency_id", "current_level", "desired_level")
        }

    def group(self, release, unit, include_subunits, competency_ids, people=None):
        """The answers a unit figure of this release adds up (from the stored entries and the answers)."""
        if release is None:
            return frozenset()
        if release.number > max((entry[0] for entry in self.entries), default=0):
            self.refresh()  # the look that is being collected made this release
        cells = set()
        for number, unit_id, unit_path, person in self.entries:
            inside = unit_path.startswith(unit.tree_path) if include_subunits else unit_id == unit.pk
            if number <= release.number and inside and (people is None or person in people):
                cells.update((person, c) for c in competency_ids if (person, c) in self.answers)
        return frozenset(cells)

    def add(self, figure, cells):
        """Add a shown figure, after checking that it is the sum of exactly these answers."""
        if not figure.shown:
            self.withheld += 1
            return
        self.shown += 1
        assert figure.respondents == len(cells), (figure, sorted(cells))
        assert figure.sum_current == sum(self.answers[cell][0] for cell in cells)
        assert figure.sum_desired == sum(self.answers[cell][1] for cell in cells)
        if cells:
            self.rows.add(cells)

    def collect(self):
        world, viewer = self.world, self.viewer
        units = list(visible_units(viewer).filter(pk__in=[u.pk for u in world.units]))
        all_ids = [c.pk for c in world.competencies]
        for unit in units:
            for include_subunits in (True, False):
                report = team.team_report(viewer, unit, world.round, include_subunits=include_subunits)
                for row in report.rows:
                    cells = self.group(report.release, unit, include_subunits, [row.competency.pk])
                    self.add(row.figure, cells)
                for row in report.breakdown:
                    child, subtree = (row.unit, True) if row.unit else (unit, False)
                    self.add(row.figure, self.group(report.release, child, subtree, all_ids))
            heatmap = team.heatmap(viewer, unit, world.round, per_page=1000)
            self.known.update(row.assessment.person_id for row in heatmap.rows)
        readable = visible_assessments(viewer).filter(round=world.round).exclude(person=viewer)
        if viewer.pk != world.hr.pk:  # HR's view of individual answers is lawful; its aggregates must hold alone
            self.known.update(readable.values_list("person_id", flat=True))
        self.known.add(viewer.pk)
        if viewer.pk == world.hr.pk:
            self._organisation(all_ids)

    def _organisation(self, all_ids):
        world = self.world
        report = organisation_report(world.round, world.hr)
        by_id = {u.pk: u for u in world.units}
        theme_of = {c.pk: c.theme_id for c in world.competencies}
        for row in report.units:
            unit = by_id[row.key]
            self.add(row.overall, self.group(report.release, unit, True, all_ids))
            for theme, figure in zip(report.themes, row.themes, strict=True):
                ids = [c for c, t in theme_of.items() if t == theme.pk]
                self.add(figure, self.group(report.release, unit, True, ids))
        year = world.round.opens_on.year
        for rows, attribute, bands in (
            (report.age_bands, "birth_year", disclosure.AGE_BANDS),
            (report.service_bands, "in_service_since", disclosure.SERVICE_BANDS),
        ):
            for row in rows:
                people = {
                    p.pk
                    for p in world.people
                    if getattr(p, attribute) is not None
                    and disclosure.band_of(year - getattr(p, attribute), bands) == row.key
                }
                root = world.units[0]
                for figure, ids in [(row.overall, all_ids)] + [
                    (figure, [c for c, t in theme_of.items() if t == theme.pk])
                    for theme, figure in zip(report.themes, row.themes, strict=True)
                ]:
                    if figure.shown:
                        event("a band figure is shown")
                        cells = self.group(report.release, root, True, ids, people)
                        assert figure.respondents == len(cells)
                        self.rows.add(cells)
        _columns, export_rows = units_table(Filters(round=world.round, viewer=world.hr))
        for export_row in export_rows:
            if export_row[7] is None:
                continue
            unit = next(u for u in world.units if _path(world, u) == export_row[1])
            competency = next(c for c in world.competencies if c.code == export_row[4])
            cells = self.group(disclosure.latest_release(world.round), unit, True, [competency.pk])
            assert export_row[6] == len(cells)
            self.rows.add(cells)


def _path(world, unit):
    by_id = {u.pk: u for u in world.units}
    ids = [int(part) for part in unit.tree_path.strip("/").split("/")]
    return "/".join(by_id[i].name for i in ids)


# The checks


def _rank_basis(rows):
    """Reduced row echelon basis (pivot -> row) of the rows, exactly."""
    basis = {}
    for row in rows:
        vector = list(map(Fraction, row))
        for pivot, base in basis.items():
            if vector[pivot]:
                factor = vector[pivot]
                vector = [a - factor * b for a, b in zip(vector, base, strict=True)]
        lead = next((i for i, value in enumerate(vector) if value), None)
        if lead is None:
            continue
        vector = [value / vector[lead] for value in vector]
        for pivot, base in list(basis.items()):
            if base[lead]:
                factor = base[lead]
                basis[pivot] = [a - factor * b for a, b in zip(base, vector, strict=True)]
        basis[lead] = vector
    return basis


def _in_span(vector, basis):
    vector = list(map(Fraction, vector))
    for pivot, base in basis.items():
        if vector[pivot]:
            factor = vector[pivot]
            vector = [a - factor * b for a, b in zip(vector, base, strict=True)]
    return not any(vector)


def audit(collector, minimum):
    """Both checks for one persona; returns a description of the first leak, or None."""
    unknown = sorted({cell for row in collector.rows for cell in row if cell[0] not in collector.known})
    if not unknown:
        return None
    index = {cell: i for i, cell in enumerate(unknown)}
    vectors = {tuple(1 if cell in row else 0 for cell in unknown) for row in collector.rows}
    vectors.discard(tuple([0] * len(unknown)))
    matrix = np.array(sorted(vectors), dtype=np.int16)
    persons = sorted({person for person, _c in unknown})
    incidence = np.zeros((len(unknown), len(persons)), dtype=np.int16)
    for cell, i in index.items():
        incidence[i, persons.index(cell[0])] = 1

    def small(candidates):
        """Rows of `candidates` that are 0/1 vectors over 1 to minimum - 1 people."""
        candidates = np.concatenate([candidates, -candidates])
        zero_one = candidates[np.all((candidates == 0) | (candidates == 1), axis=1)]
        counts = ((zero_one @ incidence) > 0).sum(axis=1)
        return zero_one[(counts > 0) & (counts < minimum)]

    found = small(matrix)
    if len(found):
        return f"a figure over a small group: {_cells(found[0], unknown)}"
    m = len(matrix)
    pairs = []
    for i, j in itertools.combinations(range(m), 2):
        pairs += [matrix[i] + matrix[j], matrix[i] - matrix[j]]
    if pairs:
        pairs = np.array(pairs)
        found = small(pairs)
        if len(found):
            return f"two figures combine into a small group: {_cells(found[0], unknown)}"
        triples = (pairs[:, None, :] + matrix[None, :, :]).reshape(-1, len(unknown))
        found = small(np.concatenate([triples, (pairs[:, None, :] - matrix[None, :, :]).reshape(-1, len(unknown))]))
        if len(found):
            return f"three figures combine into a small group: {_cells(found[0], unknown)}"
    basis = _rank_basis(matrix.tolist())
    for cell, i in index.items():
        unit_vector = [0] * len(unknown)
        unit_vector[i] = 1
        if _in_span(unit_vector, basis):
            return f"the answer {cell} is determined"
    return None


def _cells(vector, unknown):
    return sorted(cell for cell, value in zip(unknown, vector, strict=True) if value)


@pytest.mark.slow
class DisclosureAuditTest(TestCase):
    """Random organisations, three moments of one round (two open, then closed), every persona."""

    @given(st.data())
    def test_no_persona_can_work_out_a_small_group(self, data):
        world = _build(data)
        collectors = [Collector(world, viewer) for viewer in [world.hr, *world.managers]]
        for moment in ("first", "second", "closed"):
            if moment == "closed":
                world.round.closed_at = timezone.now()
                world.round.save()
            else:
                if moment == "second":
                    _late_sharing(world)
                _submit(world, moment)
            for collector in collectors:
                collector.refresh()
                collector.collect()
        if any(collector.shown for collector in collectors):
            event("a figure is shown")
        if any(collector.withheld for collector in collectors):
            event("a figure is withheld")
        for collector in collectors:
            leak = audit(collector, settings.REPORT_MIN_GROUP_SIZE)
            assert leak is None, f"{collector.viewer} can work out {leak}"


def test_the_auditor_finds_the_attacks_it_is_for():
    """The checks themselves: a team mean with known sharers, two moments, and a clean case."""

    class Fake:
        def __init__(self, rows, known):
            self.rows, self.known = {frozenset(row) for row in rows}, set(known)

    team_of_five = [(p, 1) for p in range(5)]
    # 5 people, 4 known: the mean gives the fifth.
    assert "determined" in audit(Fake([team_of_five], known=[0, 1, 2, 3]), 5) or "small" in audit(
        Fake([team_of_five], known=[0, 1, 2, 3]), 5
    )
    # The same team at 5 and at 6 submitted: the difference is the sixth person.
    six = [*team_of_five, (5, 1)]
    assert audit(Fake([team_of_five, six], known=[]), 5)
    # A figure of 12, its parts of 5 and 7, shown together: nothing small.
    parts = [[(p, 1) for p in range(5)], [(p, 1) for p in range(5, 12)], [(p, 1) for p in range(12)]]
    assert audit(Fake(parts, known=[]), 5) is None
    # Two answers of one person over two competencies in a theme figure of one person: a group of one.
    assert audit(Fake([[(0, 1), (0, 2)]], known=[]), 5)
