# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Demand for learning: counted in the database, released through the group-size rule (page and CSV)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from learning import plans
from learning.demand import learning_demand
from reports.learning_demand import Released, release
from tests.factories import ActivityFactory, CompetencyFactory, FrameworkFactory, LearningLineFactory, RoundFactory
from tests.reports.conftest import add_people, submit_many


@pytest.fixture
def world(org, framework, competencies):
    """Six people at level 2 wanting 4 on C1, three at 3 wanting 3; the activity suits 2→3."""
    round_ = RoundFactory(frameworks=[framework])
    gap = submit_many(add_people(org["youth"], 6, "g"), round_, [(2, 4)])
    submit_many(add_people(org["youth"], 3, "n"), round_, [(3, 3)])
    activity = ActivityFactory(develops=[(competencies[0], 2, 3)])
    line = LearningLineFactory(competency=competencies[0], level_from=1, level_to=3, steps=[activity])
    for assessment in gap[:5]:
        plan, _created = plans.start_plan(assessment.person, assessment)
        goal = plans.add_goal(plan, competencies[0])
        action = plans.add_action(goal, activity=activity)
        if assessment in gap[:2]:
            plans.save_action(action, {"status": "done", "title": "", "due_on": None, "reflection": ""}, 1)
    plans.add_action(goal, line=line)
    return round_, activity, line


def test_counts_per_activity_and_line(world):
    round_, activity, line = world
    rows = {row.item: row for row in learning_demand(round_)}
    assert (rows[activity].gap, rows[activity].chosen, rows[activity].finished) == (6, 5, 2)
    assert (rows[line].gap, rows[line].chosen, rows[line].finished) == (6, 1, 0)


def test_a_gap_counts_across_framework_versions(world, framework):
    round_, activity, _line = world
    newer = FrameworkFactory(slug=framework.slug, version=2)
    ActivityFactory(develops=[(CompetencyFactory(framework=newer, code="C1"), 2, 3)], code="nieuwe-versie")
    rows = {row.item.code: row for row in learning_demand(round_)}
    assert rows["nieuwe-versie"].gap == 6


def test_counting_takes_the_same_queries_whatever_the_size(world, org, competencies):
    round_, *_ = world
    with CaptureQueriesContext(connection) as small:
        learning_demand(round_)
    for _ in range(10):
        ActivityFactory(develops=[(competencies[1], 1, 4)])
    submit_many(add_people(org["wmo"], 20, "w"), round_, [(1, 3)])
    with CaptureQueriesContext(connection) as large:
        learning_demand(round_)
    assert len(small) == len(large) == 6


def test_counts_are_released_in_steps_and_small_ones_withheld(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    assert release(0) == Released(0, None)
    assert release(4).value is None and "fewer than 5" in release(4).reason
    assert release(5) == Released(5, None)
    assert release(9) == Released(5, None, exact=False)
    assert release(10).value == 10


def test_gaps_count_only_released_self_assessments(client_for, hr, world, settings, org):
    from reports.models import ReleaseEntry

    settings.REPORT_MIN_GROUP_SIZE = 5
    round_, activity, _line = world
    client = client_for(hr)
    rows = {
        row.item: row for row in client.get(reverse("reports:learning_demand"), {"round": round_.pk}).context["rows"]
    }
    released = ReleaseEntry.objects.filter(release__round=round_).count()
    assert released == 9  # the round is closed: its final release holds every submitted self-assessment
    assert rows[activity].gap.value == 5


def test_page_and_csv_release_every_count(client_for, hr, world, settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    round_, activity, line = world
    client = client_for(hr)
    page = client.get(reverse("reports:learning_demand"), {"round": round_.pk})
    assert page.status_code == 200
    rows = {row.item: row for row in page.context["rows"]}
    assert rows[activity].gap.value == 5 and not rows[activity].gap.exact  # 6, in steps of 5
    assert rows[activity].chosen.value == 5
    assert rows[activity].finished.value is None  # 2 people: too few to show
    assert rows[line].chosen.value is None and rows[line].finished.value == 0
    assert "Hidden: this group has fewer than 5 people." in page.text
    body = b"".join(client.get(reverse("exports:learning_demand"), {"round": round_.pk}).streaming_content).decode()
    assert body.startswith("\ufefftype;code;title;people_with_gap;people_chose;people_finished\r\n")
    assert f"activity;{activity.code};{activity.title};5;5;\r\n" in body
    assert f"line;{line.code};{line.title};5;;0\r\n" in body
    standard = b"".join(client.get(reverse("exports:learning_demand"), {"dialect": "csv"}).streaming_content)
    assert standard.startswith(b"type,code,")


def test_bad_round_is_400(client_for, hr, db):
    assert client_for(hr).get(reverse("reports:learning_demand"), {"round": "x"}).status_code == 400


def test_demand_page_query_count_does_not_grow(client_for, hr, world, competencies, org):
    round_, *_ = world
    client = client_for(hr)
    client.get(reverse("reports:learning_demand"), {"round": round_.pk})  # the first request also loads the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("reports:learning_demand"), {"round": round_.pk})
    for _ in range(15):
        ActivityFactory(develops=[(competencies[1], 1, 4)])
    LearningLineFactory(competency=competencies[1], level_from=1, level_to=4)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("reports:learning_demand"), {"round": round_.pk})
    assert len(small) == len(large)
