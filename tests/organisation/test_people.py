# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import pytest

from organisation.access import get_person_for_viewer, is_hr, is_manager, managed_units, visible_people
from organisation.demo import SMALL_TEAM_SIZE, seed_demo
from organisation.models import Person, Unit
from tests.factories import PersonFactory


def test_subtree_and_paths(org):
    assert set(Unit.objects.subtree(org["social"])) == {org["social"], org["youth"], org["wmo"]}
    assert org["youth"].full_path == "Gemeente Test/Sociaal Domein/Team Jeugd"
    assert org["youth"].depth == 2


def test_moving_a_unit_moves_its_subtree(org):
    org["social"].parent = org["space"]
    org["social"].save()
    org["youth"].refresh_from_db()
    assert org["youth"].full_path == "Gemeente Test/Ruimte/Sociaal Domein/Team Jeugd"
    assert org["youth"] in Unit.objects.subtree(org["space"])


def test_manager_is_derived_from_the_unit(employee, manager):
    assert employee.effective_manager() == manager


def test_manager_of_a_team_reports_to_the_manager_above(manager, senior_manager):
    # Bob manages Team Jeugd and works in it: his own manager is the one above.
    assert manager.effective_manager() == senior_manager


def test_explicit_manager_wins(employee, manager, other_manager):
    employee.manager = other_manager
    employee.save()
    assert employee.effective_manager() == other_manager


def test_unit_without_manager_looks_further_up(org, employee, senior_manager):
    assert employee.effective_manager() == senior_manager


def test_no_manager_anywhere(org):
    loner = PersonFactory(unit=org["green"])
    assert loner.effective_manager() is None


def test_roles(employee, manager, senior_manager, hr):
    assert not is_manager(employee) and not is_hr(employee)
    assert is_manager(manager)
    assert is_hr(hr) and not is_manager(hr)
    assert set(managed_units(senior_manager)) == set(
        Unit.objects.filter(name__in=["Sociaal Domein", "Team Jeugd", "Team Wmo"])
    )


def test_visibility(org, employee, colleague, manager, senior_manager, other_manager, hr, rf):
    assert set(visible_people(employee)) == {employee}
    assert set(visible_people(manager)) == {manager, employee, colleague}
    assert {employee, colleague, manager} <= set(visible_people(senior_manager))
    assert employee not in set(visible_people(other_manager))
    assert set(visible_people(hr)) == set(Person.objects.all())


def test_get_person_for_viewer_404s_for_strangers(rf, employee, colleague, other_manager):
    from django.http import Http404

    request = rf.get("/")
    request.user = other_manager
    with pytest.raises(Http404):
        get_person_for_viewer(request, employee.pk)
    request.user = colleague
    with pytest.raises(Http404):
        get_person_for_viewer(request, employee.pk)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_has_the_promised_shape():
    seed_demo(log=lambda *_: None)
    counts = (Person.objects.count(), Unit.objects.count())
    seed_demo(log=lambda *_: None)
    assert (Person.objects.count(), Unit.objects.count()) == counts
    assert counts[0] >= 60
    root = Unit.objects.get(name="Gemeente Voorbeeld", parent=None)
    assert max(u.depth for u in Unit.objects.subtree(root)) >= 2
    medewerker = Person.objects.get(username="medewerker")
    boss = Person.objects.get(username="leidinggevende")
    assert medewerker.check_password("demo") and boss.check_password("demo")
    department = boss.managed_units.get()
    assert medewerker.unit.parent == department
    sizes = [u.members.count() for u in department.children.all()]
    assert len(sizes) >= 3 and min(sizes) == SMALL_TEAM_SIZE < 5
    assert is_hr(Person.objects.get(username="hr"))
    assert Person.objects.get(username="beheerder").is_superuser
    assert (
        not Person.objects.filter(unit__isnull=False, username__startswith="d0")
        .exclude(password__startswith="!")
        .exists()
    )
