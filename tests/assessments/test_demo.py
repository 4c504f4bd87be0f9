# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""seed_demo adds a closed and an open demo round through the demo_seeded signal."""

from django.db.models import Avg, F

import pytest

from assessments.demo import AUTUMN, SPRING
from assessments.demo import SPRING_OPENS as SPRING_OPENS_ON
from assessments.forms import similar_pairs
from assessments.models import Assessment, AssessmentStatus, Rating, Round
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


def test_spring_round_is_closed_with_most_people_submitted(seeded):
    spring = Round.objects.get(name=SPRING)
    assert spring.is_closed
    assessments = Assessment.objects.for_round(spring)
    share = assessments.submitted().count() / assessments.count()
    assert 0.75 <= share <= 0.95
    assert all(framework.is_frozen for framework in spring.frameworks.all())
    complete = Rating.objects.for_round(spring).submitted().complete().count()
    assert complete == assessments.submitted().count() * spring.competencies().count()


def test_spring_round_keeps_the_first_versions_and_autumn_asks_a_profile_of_the_current_ones(seeded):
    spring = Round.objects.get(name=SPRING)
    assert {framework.version for framework in spring.frameworks.all()} == {1}
    assert spring.competencies().count() == 35
    autumn = Round.objects.get(name=AUTUMN)
    competencies = list(autumn.competencies().select_related("framework"))
    assert 12 <= len(competencies) <= 18
    assert all(competency.framework.is_current for competency in competencies)
    assert {c.framework.version for c in competencies} == {2}
    assert similar_pairs(competencies) == []
    assert autumn.picked_competencies.exists()  # single competencies, not only whole frameworks


def test_the_demo_employee(seeded):
    spring = Assessment.objects.get(round__name=SPRING, person__username="medewerker")
    assert spring.is_submitted and spring.shared_with_manager
    autumn = Assessment.objects.get(round__name=AUTUMN, person__username="medewerker")
    assert autumn.status == AssessmentStatus.NOT_STARTED
    assert not autumn.ratings.exists()
    assert autumn.round.is_open


def test_autumn_round_is_partly_done(seeded):
    counts = Assessment.objects.for_round(Round.objects.get(name=AUTUMN)).participation()
    assert counts["submitted"] > 0 and counts["in_progress"] > 0 and counts["not_started"] > 0


def test_teams_differ_and_some_competencies_show_real_gaps(seeded):
    ratings = Rating.objects.for_round(Round.objects.get(name=SPRING)).submitted().rated()
    per_team = ratings.values("assessment__unit").annotate(mean=Avg("current_level"))
    means = [row["mean"] for row in per_team]
    assert max(means) - min(means) >= 0.4
    gaps = ratings.values("competency").annotate(gap=Avg(F("desired_level") - F("current_level")))
    assert any(row["gap"] >= 1.0 for row in gaps)
    assert any(row["gap"] < 0.8 for row in gaps)


def test_seeding_again_changes_nothing(seeded):
    before = (Round.objects.count(), Assessment.objects.count(), Rating.objects.count())
    lines = []
    seed_demo(employees=60, log=lines.append)
    assert (Round.objects.count(), Assessment.objects.count(), Rating.objects.count()) == before
    assert f"{SPRING}: already there" in lines


def test_more_people_later_join_the_open_round_only(seeded):
    spring_before = Assessment.objects.filter(round__name=SPRING).count()
    seed_demo(employees=80, log=lambda line: None)
    assert Assessment.objects.filter(round__name=SPRING).count() == spring_before
    assert Assessment.objects.filter(round__name=AUTUMN).count() == spring_before + 20


def test_demo_times_lie_within_the_round_and_not_in_the_future(seeded):
    from django.utils import timezone

    for round_ in Round.objects.all():
        moments = Assessment.objects.for_round(round_).exclude(started_at=None).values_list("started_at", flat=True)
        assert all(moment.date() >= round_.opens_on for moment in moments)
        assert all(moment <= timezone.now() for moment in moments)
    rating = Rating.objects.for_round(Round.objects.get(name=SPRING)).order_by("pk").first()
    assert rating.updated_at.tzinfo is not None
    assert rating.updated_at.date() >= SPRING_OPENS_ON
