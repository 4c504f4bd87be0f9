# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Demand for learning: counted in the database, released through the group-size rule (page and CSV)."""

import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learning import plans
from learning.demand import learning_demand
from organisation.models import Person
from reports.disclosure import ReleasedCount as Released
from reports.disclosure import release_count as release
from reports.learning_demand import MEASURES
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


# The arithmetic: what two released demand counts say about the people behind them.


def _possible(released, minimum):
    """The true counts that are consistent with a released count."""
    if released.value is None:
        return range(1, minimum)
    if released.value == 0:
        return range(0, 1)
    return range(released.value, released.value + minimum)


def _isolates_a_small_group(first, second, minimum, nested=False):
    """Whether the difference of two released counts is pinned to one value of 1 to minimum - 1 people.

    `nested`: the second group lies inside the first (chose ⊆ has a gap, finished ⊆ chose, a later moment ⊇ an
    earlier one), so only differences of 0 or more are possible.
    """
    differences = {
        x - y for x in _possible(first, minimum) for y in _possible(second, minimum) if not nested or x >= y
    }
    return len(differences) == 1 and 0 < abs(next(iter(differences))) < minimum


@given(st.integers(0, 60), st.integers(0, 60), st.integers(3, 10))
def test_no_two_released_counts_isolate_a_small_group(first, second, minimum):
    """For every minimum the settings allow (3 and up: with 2, "withheld" could only mean 1 person)."""
    one, other = release(first, minimum), release(second, minimum)
    for count, shown in [(first, one), (second, other)]:
        assert count in _possible(shown, minimum)  # the range is honest
        assert len(_possible(shown, minimum)) > 1 or shown.value == 0  # one figure never pins a small group
    if one.value is not None and other.value is not None:
        assert one.value == other.value or abs(one.value - other.value) >= minimum
    assert not _isolates_a_small_group(one, other, minimum, nested=first >= second)


def test_exact_counts_would_isolate_one_person():
    """The check above finds the attack it is for: counts shown exactly (9 and 10) pin one person."""
    exact = [Released(9, None), Released(10, None)]
    differences = {y - x for x in [exact[0].value] for y in [exact[1].value]}
    assert differences == {1}
    assert not _isolates_a_small_group(release(10, 5), release(9, 5), 5, nested=True)  # 10 and 5: 1 to 9 people


def test_two_moments_and_an_activity_against_its_line_isolate_nobody(client_for, hr, world, settings, org):
    """One person more chose the activity, one more finished, between two looks at the page and the CSV; the line
    was chosen by a subset of the activity's choosers. No pair of released counts pins 1 to 4 people."""
    settings.REPORT_MIN_GROUP_SIZE = minimum = 5
    round_, activity, line = world
    client = client_for(hr)

    def look():
        """The released counts of the page, checked against the CSV, and the true counts behind them."""
        page = {
            row.item: row
            for row in client.get(reverse("reports:learning_demand"), {"round": round_.pk}).context["rows"]
        }
        csv = b"".join(client.get(reverse("exports:learning_demand"), {"round": round_.pk}).streaming_content).decode()
        true = {row.item: row for row in learning_demand(round_, None)}
        shown = {}
        for item, row in page.items():
            values = [getattr(row, measure).value for measure in MEASURES]
            assert f"{item.code};{item.title};" + ";".join("" if v is None else str(v) for v in values) in csv
            for measure in MEASURES:
                released = getattr(row, measure)
                assert released.value is None or released.value % minimum == 0
                assert _possible(released, minimum).count(getattr(true[item], measure)) == 1
                shown[item, measure] = released
        return shown, {(item, m): getattr(true[item], m) for item in page for m in MEASURES}

    before, true_before = look()
    newcomer = next(
        p for p in Person.objects.filter(unit=org["youth"], username__startswith="g") if not p.plans.exists()
    )
    plan, _created = plans.start_plan(newcomer, newcomer.assessments.get(round=round_))
    action = plans.add_action(plans.add_goal(plan, activity.competency_links.get().competency), activity=activity)
    plans.save_action(action, {"status": "done", "title": "", "due_on": None, "reflection": ""}, 1)
    after, true_after = look()
    assert (true_before[activity, "chosen"], true_after[activity, "chosen"]) == (5, 6)
    assert (true_before[activity, "finished"], true_after[activity, "finished"]) == (2, 3)
    figures = [*before.items(), *after.items()]
    for (key_a, one), (key_b, other) in itertools.combinations(figures, 2):
        assert not _isolates_a_small_group(one, other, minimum), (key_a, key_b, one, other)
        if one.value is not None and other.value is not None:
            assert one.value == other.value or abs(one.value - other.value) >= minimum
