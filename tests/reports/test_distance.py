# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Distance to the target level in the team dashboard and the organisation view: only from released figures."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from reports import disclosure
from reports.team import team_report
from tests.factories import TargetFactory

from .conftest import add_people, competencies_of, submit_many
from .test_views import LEVELS, _text


@pytest.fixture
def targets(org, spring, employee):
    """C1: the organisation's 4 (end of 2027); C2: Sociaal Domein's 5 with sub-units (30 June 2027), over the
    organisation's 2; C3: only a person's and a job title's target (about individuals, not about the group)."""
    c1, c2, c3, *_rest = competencies_of(spring)
    TargetFactory(competency=c1, level=4)
    TargetFactory(competency=c2, level=2)
    TargetFactory(competency=c2, for_unit=True, unit=org["social"], level=5, due_on=datetime.date(2027, 6, 30))
    TargetFactory(competency=c3, for_person=True, person=employee, level=5)
    TargetFactory(competency=c3, for_job_title=True, level=5)
    return c1, c2, c3


def test_the_team_dashboard_shows_the_distance_to_the_group_target(client, org, manager, spring, targets):
    c1, c2, c3 = targets
    submit_many(add_people(org["youth"], 6), spring, LEVELS)  # current levels C1 2, C2 3, C3 4
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]))
    rows = {row.competency: row for row in response.context["report"].distances}
    assert set(rows) == {c1, c2}  # C3 has no target for the group
    assert (rows[c1].target.level, rows[c1].mean_current, rows[c1].value) == (4, 2.0, 2.0)
    assert (rows[c2].target.level, rows[c2].value) == (5, 2.0)  # the nearest unit up the tree wins
    text = _text(response)
    assert "Distance to the target level" in text
    assert "4 (target level of the organisation, end of 2027) 2.0 2.0" in text
    assert "5 (target level of Sociaal Domein, to reach by 30 June 2027) 3.0 2.0" in text
    dutch = _text(client.get(reverse("reports:unit", args=[org["youth"].pk]), HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Afstand tot het streefniveau" in dutch
    assert "4 (streefniveau van de organisatie, eind 2027) 2,0 2,0" in dutch
    assert "5 (streefniveau van Sociaal Domein, te halen op 30 juni 2027)" in dutch


def test_a_unit_target_without_sub_units_is_only_for_the_figure_of_its_own_members(org, hr, spring, targets):
    c1, _c2, _c3 = targets
    TargetFactory(competency=c1, for_unit=True, unit=org["social"], include_subunits=False, level=3)
    submit_many(add_people(org["social"], 5), spring, LEVELS)
    submit_many(add_people(org["youth"], 5), spring, LEVELS)
    submit_many(add_people(org["wmo"], 5), spring, LEVELS)
    whole = {row.competency: row for row in team_report(hr, org["social"], spring).distances}
    own = {row.competency: row for row in team_report(hr, org["social"], spring, include_subunits=False).distances}
    assert whole[c1].target.level == 4 and whole[c1].is_organisation_wide
    assert own[c1].target.level == 3 and own[c1].value == 1.0


def test_the_distance_is_withheld_with_the_reason_of_the_mean(client, org, manager, spring, targets):
    submit_many(add_people(org["youth"], 3), spring, LEVELS)  # too few to show
    report = team_report(manager, org["youth"], spring)
    assert report.distances
    for row in report.distances:
        assert row.reason == disclosure.SMALL and not row.shown
        assert row.value is None and row.mean_current is None
    client.force_login(manager)
    text = _text(client.get(reverse("reports:unit", args=[org["youth"].pk])))
    assert "end of 2027) 2.0" not in text


def test_a_withheld_competency_keeps_its_own_reason(manager, org, spring, targets):
    """Figures per competency can be withheld while the unit is shown (answers waiting for a release step)."""
    c1, c2, _c3 = targets
    submit_many(add_people(org["youth"], 6), spring, LEVELS)
    report = team_report(manager, org["youth"], spring)
    by_competency = {row.competency.pk: row.figure for row in report.rows}
    for row in report.distances:
        assert row.figure is by_competency[row.competency.pk]  # the very Figure the layer released


def test_the_organisation_view_shows_the_distance_for_the_organisation_as_a_whole(client, org, hr, spring, targets):
    c1, c2, _c3 = targets
    submit_many(add_people(org["youth"], 5), spring, LEVELS)
    submit_many(add_people(org["green"], 5), spring, [(1, 2)])
    client.force_login(hr)
    response = client.get(reverse("reports:organisation"))
    [group] = response.context["report"].distances
    assert group.unit == org["root"]
    rows = {row.competency: row for row in group.rows}
    assert (rows[c1].target.level, rows[c1].mean_current, rows[c1].value) == (4, 1.5, 2.5)
    assert rows[c2].target.level == 2 and rows[c2].is_organisation_wide  # Sociaal Domein's is not the whole's
    text = _text(response)
    assert "Distance to the target level: Gemeente Test as a whole" in text
    assert "4 (target level of the organisation, end of 2027) 1.5 2.5" in text


@pytest.mark.parametrize("size", [6, 300])
def test_the_distances_cost_one_query_whatever_the_size(client, org, manager, hr, spring, targets, size):
    submit_many(add_people(org["youth"], size), spring, LEVELS)
    for viewer, url in [
        (manager, reverse("reports:unit", args=[org["youth"].pk])),
        (hr, reverse("reports:organisation")),
    ]:
        client.force_login(viewer)
        client.get(url)  # the first look makes the round's release
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        distances = response.context["report"].distances
        assert sum(1 for query in queries.captured_queries if '"learning_target"' in query["sql"]) == 1
        if viewer == manager:
            assert [row.value for row in distances] == [2.0, 2.0]  # the organisation's 4 and Sociaal Domein's 5
        else:
            assert [row.value for row in distances[0].rows] == [2.0, -1.0]  # the organisation's 4 and 2


def test_the_mean_and_the_distance_shown_add_up_to_the_target(client, org, manager, spring, targets):
    """A mean of 2.25 shows as 2.3 (half up); the distance to 4 shows as 1.7, not 1.8 (4 - 2.25 rounded)."""
    c1, _c2, _c3 = targets
    submit_many(add_people(org["youth"], 6), spring, LEVELS)
    submit_many(add_people(org["youth"], 2, "q"), spring, [(3, 4)])
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]))
    [row] = [row for row in response.context["report"].distances if row.competency == c1]
    assert row.mean_current == 2.25 and row.value == Decimal("1.7")
    assert "4 (target level of the organisation, end of 2027) 2.3 1.7" in _text(response)
