# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who shared with whom as their own manager: `disclosure.shared_with` against `Person.effective_manager`.

`_own_people` works the own manager out for everyone at once, from the subtrees of the units the viewer manages
and the people who can have the viewer as own manager. For random trees with random unit managers and explicit
managers, `shared_with` must find exactly the sharers whose effective manager is the viewer.
"""

import datetime

from django.utils import timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assessments.models import Assessment, Round
from reports import disclosure
from tests.factories import PersonFactory, UnitFactory


def _organisation(data):
    """A root with 1-3 departments of 0-3 teams, people anywhere, managers and explicit managers at random."""
    units = [UnitFactory(name="Org")]
    for d in range(data.draw(st.integers(1, 3), label="departments")):
        department = UnitFactory(name=f"Dep {d}", parent=units[0])
        units.append(department)
        units += [UnitFactory(name=f"Team {d}.{t}", parent=department) for t in range(data.draw(st.integers(0, 3)))]
    people = [
        PersonFactory(unit=data.draw(st.sampled_from(units), label="unit"))
        for _ in range(data.draw(st.integers(2, 14)))
    ]
    for unit in units:
        unit.manager = data.draw(st.one_of(st.none(), st.sampled_from(people)), label=f"manager of {unit.name}")
        unit.save()
    for person in people:
        person.manager = data.draw(st.one_of(st.none(), st.none(), st.sampled_from(people)), label="explicit")
        if person.manager == person:
            person.manager = None
        person.save()
    return people


class SharedWithTest(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_the_sharers_of_a_viewer_are_those_whose_own_manager_they_are(self, data):
        people = _organisation(data)
        today = timezone.localdate()
        round_ = Round.objects.create(name="R", opens_on=today, closes_on=today + datetime.timedelta(30))
        for person in people:
            shares = data.draw(st.booleans(), label="shares")
            Assessment.objects.create(
                round=round_,
                person=person,
                unit=person.unit,
                submitted_at=timezone.now(),
                shared_with_manager=shares,
                shared_at=timezone.now() if shares else None,
            )
        everyone = Assessment.objects.filter(round=round_)
        own_manager = {a.pk: a.person.effective_manager() for a in everyone.filter(shared_with_manager=True)}
        for viewer in people:
            expected = {pk for pk, manager in own_manager.items() if manager == viewer}
            assert {a.pk for a in disclosure.shared_with(viewer, everyone)} == expected
            assert {a.pk for a in disclosure.round_sharers(viewer, round_)} == expected
