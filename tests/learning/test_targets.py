# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Target levels: the most specific applies (person > job title > unit > organisation), on a date."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from learning.models import Target, TargetScope
from learning.targets import for_unit, targets_for, targets_for_person
from tests.factories import CompetencyFactory, FrameworkFactory, PersonFactory, TargetFactory

DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def competency(db):
    return CompetencyFactory()


def applied(person, competency, on_date=DAY):
    target = targets_for_person(person, [competency.pk], on_date).get(competency.pk)
    return target.level if target else None


def test_precedence_person_over_job_title_over_unit_over_organisation(org, employee, manager, competency):
    employee.job_title = "Beleidsadviseur Jeugd"
    employee.save()
    TargetFactory(competency=competency, level=2)
    assert applied(employee, competency) == 2
    TargetFactory(competency=competency, for_unit=True, unit=org["social"], level=3)
    assert applied(employee, competency) == 3
    TargetFactory(competency=competency, for_job_title=True, job_title="beleidsadviseur  jeugd", level=4)
    assert applied(employee, competency) == 4
    TargetFactory(competency=competency, for_person=True, person=employee, level=5)
    assert applied(employee, competency) == 5


def test_nearest_unit_wins_and_without_subunits_only_its_own_members(org, employee, competency):
    TargetFactory(competency=competency, for_unit=True, unit=org["root"], level=2)
    TargetFactory(competency=competency, for_unit=True, unit=org["social"], include_subunits=False, level=4)
    # Sociaal Domein's target is for its own members only: Team Jeugd falls back to the root.
    assert applied(employee, competency) == 2
    member = PersonFactory(unit=org["social"])
    assert applied(member, competency) == 4
    TargetFactory(competency=competency, for_unit=True, unit=org["youth"], level=3)
    assert applied(employee, competency) == 3


def test_the_newest_started_target_applies_on_the_date(employee, competency):
    TargetFactory(competency=competency, level=2, valid_from=datetime.date(2025, 1, 1))
    TargetFactory(competency=competency, level=3, valid_from=datetime.date(2026, 1, 1))
    TargetFactory(competency=competency, level=4, valid_from=datetime.date(2027, 1, 1))
    assert applied(employee, competency, datetime.date(2024, 12, 31)) is None
    assert applied(employee, competency, datetime.date(2025, 6, 1)) == 2
    assert applied(employee, competency, DAY) == 3
    assert applied(employee, competency, datetime.date(2027, 1, 1)) == 4


def test_a_target_follows_the_competency_into_a_new_framework_version(employee, competency):
    TargetFactory(competency=competency, level=3)
    newer = FrameworkFactory(slug=competency.framework.slug, version=2)
    same = CompetencyFactory(framework=newer, code=competency.code)
    other = CompetencyFactory(framework=newer)
    found = targets_for_person(employee, [same.pk, other.pk], DAY)
    assert set(found) == {same.pk}


def test_other_people_and_competencies_get_nothing(org, employee, colleague, competency):
    TargetFactory(competency=competency, for_person=True, person=colleague, level=5)
    assert applied(employee, competency) is None
    assert applied(colleague, CompetencyFactory()) is None


def test_bulk_lookup_takes_three_queries_whatever_the_size(org, competency):
    others = [CompetencyFactory(framework=competency.framework) for _ in range(3)]
    TargetFactory(competency=competency, level=3)
    TargetFactory(competency=others[0], for_unit=True, unit=org["youth"], level=4)

    def count(people):
        with CaptureQueriesContext(connection) as queries:
            found = targets_for([p.pk for p in people], [competency.pk, *(c.pk for c in others)], DAY)
        return len(queries), found

    small, found = count([PersonFactory(unit=org["youth"])])
    many = [PersonFactory(unit=org["youth"], job_title=f"Functie {i}") for i in range(12)]
    for person in many[:4]:
        TargetFactory(competency=others[1], for_person=True, person=person, level=2)
    large, found = count(many)
    assert small == large == 3
    assert found[many[0].pk, others[1].pk].level == 2
    assert found[many[5].pk, others[0].pk].level == 4
    assert (many[5].pk, others[2].pk) not in found


def test_the_database_refuses_inconsistent_scopes(competency, employee):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(competency=competency, scope=TargetScope.UNIT, level=3, due_on=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            competency=competency, scope=TargetScope.ORGANISATION, person=employee, level=3, due_on=DAY
        )


def test_a_unit_as_a_group_takes_the_nearest_unit_target_else_the_organisations(org, employee, competency):
    """For team and organisation figures: no person or job-title targets; "without sub-units" only for the figure
    of the unit's own members; the newest started on the date; one query."""

    def for_group(unit, include_subunits=True, on_date=DAY):
        keys = {competency.pk: (competency.framework.slug, competency.code)}
        target = for_unit(unit, include_subunits, keys, on_date).get(competency.pk)
        return target.level if target else None

    assert for_group(org["youth"]) is None
    TargetFactory(competency=competency, for_person=True, person=employee, level=5)
    TargetFactory(competency=competency, for_job_title=True, level=5)
    assert for_group(org["youth"]) is None  # about individuals, not the group
    TargetFactory(competency=competency, level=2)
    TargetFactory(competency=competency, for_unit=True, unit=org["social"], include_subunits=False, level=4)
    assert for_group(org["youth"]) == 2 and for_group(org["social"]) == 2
    assert for_group(org["social"], include_subunits=False) == 4
    TargetFactory(competency=competency, for_unit=True, unit=org["root"], level=3)
    assert for_group(org["youth"]) == 3 and for_group(org["green"]) == 3
    TargetFactory(
        competency=competency, for_unit=True, unit=org["root"], level=4, valid_from=datetime.date(2027, 1, 1)
    )
    assert for_group(org["youth"]) == 3 and for_group(org["youth"], on_date=datetime.date(2027, 2, 1)) == 4
    with CaptureQueriesContext(connection) as queries:
        for_group(org["youth"])
    assert len(queries) == 1
