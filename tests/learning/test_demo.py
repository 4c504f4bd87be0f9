# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""seed_demo adds the learning catalogue, two learning lines, targets and a plan for `medewerker`."""

import pytest

from competencies.models import Framework
from learning import plans
from learning.models import Activity, LearningForm, LearningLine, Plan, Target
from organisation.demo import seed_demo


@pytest.fixture(scope="module")
def seeded_once(frameworks_loaded):
    lines = []
    seed_demo(employees=60, log=lines.append)
    return lines


@pytest.fixture
def seeded(seeded_once, db):
    """The demo organisation, seeded once per module (its tests only read it, or change it in their savepoint)."""
    return seeded_once


def test_catalogue_covers_every_form_and_framework(seeded):
    activities = Activity.objects.all()
    assert activities.count() >= 20
    assert set(activities.values_list("form", flat=True)) == set(LearningForm.values)
    frameworks = set(activities.values_list("competency_links__competency__framework__slug", flat=True))
    assert frameworks == set(Framework.objects.current().values_list("slug", flat=True))
    assert all(activity.competency_links.exists() for activity in activities)
    assert LearningLine.objects.count() == 2
    assert all(line.steps.count() == 3 for line in LearningLine.objects.all())
    assert Target.objects.exists()


def test_the_demo_employee_has_a_plan_with_two_goals_and_suggestions(seeded):
    plan = Plan.objects.get(person__username="medewerker")
    views = plans.goal_views(plan, with_suggestions=True)
    assert len(views) == 2
    assert all(view.goal.actions.exists() for view in views)
    assert any(view.suggestions.activities or view.suggestions.lines for view in views)


def test_seeding_again_adds_nothing(seeded):
    counts = (Activity.objects.count(), LearningLine.objects.count(), Target.objects.count(), Plan.objects.count())
    seed_demo(employees=60, log=lambda line: None)
    assert counts == (
        Activity.objects.count(),
        LearningLine.objects.count(),
        Target.objects.count(),
        Plan.objects.count(),
    )
