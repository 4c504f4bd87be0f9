# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Finding 7 of the security review: chart images and exports were missing from the access log."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import pytest

from organisation.models import AccessLog
from privacy import personal_data
from tests.reports.conftest import submit
from tests.reports.exports_data import build_round

LEVELS = [(2, 4), (3, 3), (4, 5), (1, 3), (3, 5)]
Action = AccessLog.Action


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_managers_look_at_a_personal_chart_is_logged(client_for, employee, manager, spring, framework):
    """Finding 7: the chart image of someone else's report is an access to their data."""
    assessment = submit(employee, spring, LEVELS, shared=True)
    response = client_for(manager).get(reverse("reports:personal_chart", args=[assessment.pk, framework.pk]))
    assert response.status_code == 200
    entry = AccessLog.objects.get(action=Action.VIEWED_CHART)
    assert (entry.actor, entry.person, entry.object_id) == (manager, employee, str(assessment.pk))
    assert spring.name in entry.detail


def test_ones_own_chart_is_not_logged(client_for, employee, spring, framework):
    assessment = submit(employee, spring, LEVELS)
    client_for(employee).get(reverse("reports:personal_chart", args=[assessment.pk, framework.pk]))
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(("name", "logged"), [("exports:ratings", 2), ("exports:people", 3), ("exports:units", 0)])
def test_an_export_is_logged_for_every_person_in_it(client_for, org, hr, name, logged):
    """Finding 7: every person in a ratings or people export gets an entry; the units export holds nobody."""
    data = build_round(org)
    response = client_for(hr).get(reverse(name), {"round": data.round.pk})
    b"".join(response.streaming_content)
    entries = AccessLog.objects.filter(action=Action.EXPORTED)
    assert entries.count() == logged
    assert all(entry.actor == hr for entry in entries)
    if name == "exports:ratings":  # submitted only, like the file
        assert {entry.person for entry in entries} == {data.people.jansen, data.people.piet}


def test_an_export_shows_in_the_persons_own_data(client_for, org, hr):
    """Finding 7: "who looked at my data" lists the export."""
    data = build_round(org)
    b"".join(client_for(hr).get(reverse("exports:ratings"), {"round": data.round.pk}).streaming_content)
    rows = personal_data.collect(data.people.piet)["access_log"]
    assert [(row["who"], row["action"]) for row in rows] == [("Hanna HR", "exported personal data")]


def test_a_command_line_export_is_logged_too(org):
    """Finding 7: the same rows from manage.py export are logged, with the command line as actor."""
    data = build_round(org)
    call_command("export", "people", "--round", str(data.round.pk), stdout=StringIO())
    entries = AccessLog.objects.filter(action=Action.EXPORTED)
    assert entries.count() == 3
    assert {entry.actor_name for entry in entries} == {"manage.py"}
