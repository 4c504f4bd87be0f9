# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who sees which report: every role on every report URL and chart URL (reports.access)."""

from django.urls import reverse

import pytest

from assessments.answers import set_sharing
from organisation.models import AccessLog
from tests.factories import PersonFactory
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "employee", "colleague", "manager", "senior_manager", "other_manager", "hr"]
LEVELS = [(2, 4), (3, 3), (4, 5), (1, 3), (3, 5)]


@pytest.fixture
def world(org, team, manager, senior_manager, other_manager, hr, spring, framework):
    """Team Jeugd: the employee shares, the colleague does not; four more submit (five who did not share)."""
    shared = submit(team[0], spring, LEVELS, shared=True)
    private = submit(team[1], spring, LEVELS, shared=False)
    for person in [*team[2:], PersonFactory(unit=org["youth"], name="Jeugd 4")]:
        submit(person, spring, LEVELS, shared=False)
    return {"shared": shared, "private": private, "round": spring, "framework": framework, "org": org}


def _get(client, request, role, url):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client.get(url)


def _expect(response, allowed):
    if allowed == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == (200 if allowed else 404)


SHARED_REPORT = {
    "anonymous": "login",
    "employee": True,
    "colleague": False,
    "manager": True,
    # Sharing means the person's own manager: a manager higher up sees group figures only.
    "senior_manager": False,
    "other_manager": False,
    "hr": True,
}
PRIVATE_REPORT = {**SHARED_REPORT, "employee": False, "colleague": True, "manager": False, "senior_manager": False}
TEAM_DASHBOARD = {
    "anonymous": "login",
    "employee": False,
    "colleague": False,
    "manager": True,
    "senior_manager": True,
    "other_manager": False,
    "hr": True,
}
DEPARTMENT_DASHBOARD = {**TEAM_DASHBOARD, "manager": False}
ORGANISATION = {role: role == "hr" for role in ROLES} | {"anonymous": "login"}


@pytest.mark.parametrize("role", ROLES)
def test_own_report(client, request, world, role):
    response = _get(client, request, role, reverse("reports:me"))
    _expect(response, "login" if role == "anonymous" else True)


@pytest.mark.parametrize("role", ROLES)
def test_shared_personal_report(client, request, world, role):
    url = reverse("reports:person", args=[world["shared"].person.pk])
    _expect(_get(client, request, role, url), SHARED_REPORT[role])


@pytest.mark.parametrize("role", ROLES)
def test_not_shared_personal_report(client, request, world, role):
    url = reverse("reports:person", args=[world["private"].person.pk])
    _expect(_get(client, request, role, url), PRIVATE_REPORT[role])


@pytest.mark.parametrize("role", ROLES)
def test_shared_personal_chart(client, request, world, role):
    url = reverse("reports:personal_chart", args=[world["shared"].pk, world["framework"].pk])
    _expect(_get(client, request, role, url), SHARED_REPORT[role])


@pytest.mark.parametrize("role", ROLES)
def test_not_shared_personal_chart(client, request, world, role):
    url = reverse("reports:personal_chart", args=[world["private"].pk, world["framework"].pk])
    _expect(_get(client, request, role, url), PRIVATE_REPORT[role])


@pytest.mark.parametrize("role", ROLES)
def test_team_dashboard(client, request, world, role):
    url = reverse("reports:unit", args=[world["org"]["youth"].pk])
    _expect(_get(client, request, role, url), TEAM_DASHBOARD[role])


@pytest.mark.parametrize("role", ROLES)
def test_department_dashboard(client, request, world, role):
    url = reverse("reports:unit", args=[world["org"]["social"].pk])
    _expect(_get(client, request, role, url), DEPARTMENT_DASHBOARD[role])


@pytest.mark.parametrize("role", ROLES)
def test_team_chart(client, request, world, role):
    url = reverse("reports:unit_chart", args=[world["org"]["youth"].pk, world["framework"].pk])
    _expect(_get(client, request, role, url), TEAM_DASHBOARD[role])


@pytest.mark.parametrize("role", ROLES)
def test_organisation_view(client, request, world, role):
    _expect(_get(client, request, role, reverse("reports:organisation")), ORGANISATION[role])


def test_unknown_ids_are_404(client, world, hr):
    client.force_login(hr)
    assert client.get(reverse("reports:person", args=[999999])).status_code == 404
    assert client.get(reverse("reports:unit", args=[999999])).status_code == 404
    assert client.get(reverse("reports:personal_chart", args=[999999, world["framework"].pk])).status_code == 404
    assert client.get(reverse("reports:personal_chart", args=[world["shared"].pk, 999999])).status_code == 404


def test_withdrawing_sharing_takes_effect_at_once(client, world, manager):
    client.force_login(manager)
    report = reverse("reports:person", args=[world["shared"].person.pk])
    chart = reverse("reports:personal_chart", args=[world["shared"].pk, world["framework"].pk])
    dashboard = reverse("reports:unit", args=[world["org"]["youth"].pk])
    assert client.get(report).status_code == 200
    assert client.get(chart).status_code == 200  # now in the chart cache
    assert world["shared"].person.name in client.get(dashboard).content.decode()

    set_sharing(world["shared"], False)

    assert client.get(report).status_code == 404
    assert client.get(chart).status_code == 404
    page = client.get(dashboard).content.decode()
    assert world["shared"].person.name not in page
    assert "0 people shared their self-assessment" in page


def test_in_progress_assessment_is_no_report_for_the_manager(client, org, team, manager, spring):
    submit(team[0], spring, LEVELS, shared=True, submitted=False)
    client.force_login(manager)
    assert client.get(reverse("reports:person", args=[team[0].pk])).status_code == 404


def test_direct_manager_outside_the_unit_sees_a_shared_report(client, org, team, other_manager, spring):
    """A person may report to someone outside their unit (Person.manager): that manager sees what is shared."""
    team[0].manager = other_manager
    team[0].save()
    submit(team[0], spring, LEVELS, shared=True)
    client.force_login(other_manager)
    assert client.get(reverse("reports:person", args=[team[0].pk])).status_code == 200


def test_manager_reading_a_report_is_logged(client, world, manager, employee):
    client.force_login(employee)
    client.get(reverse("reports:me"))
    assert not AccessLog.objects.exists()  # reading your own report is not someone else's access
    client.force_login(manager)
    client.get(reverse("reports:person", args=[employee.pk]))
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.person, entry.action) == (manager, employee, AccessLog.Action.VIEWED_REPORT)
