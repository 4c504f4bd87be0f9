# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""assessments.rounds: opening a round, late joiners, extend, close, reopen, participation per unit."""

import io

from django.core.management import call_command
from django.utils import timezone

import pytest

from assessments import rounds
from assessments.models import Assessment, AssessmentStatus, Rating, Round, RoundStatus
from tests.factories import EnrolledRoundFactory, PersonFactory

from .conftest import days, make_frameworks


def people_in(round_):
    return set(Assessment.objects.filter(round=round_).values_list("person__username", flat=True))


def test_opening_with_subunits_enrols_everyone_below(
    org, employee, colleague, manager, senior_manager, other_manager, hr
):
    wmo_person = PersonFactory(username="wim", unit=org["wmo"])
    round_ = EnrolledRoundFactory(units=[org["social"]], frameworks=make_frameworks(2))
    assert people_in(round_) == {"alice", "carla", "bob", "dirk", wmo_person.username}
    assert Assessment.objects.get(round=round_, person=employee).unit == org["youth"]


def test_opening_without_subunits_enrols_only_that_unit(org, employee, senior_manager):
    round_ = EnrolledRoundFactory(units_only=[org["social"]], frameworks=make_frameworks(1))
    assert people_in(round_) == {"dirk"}


def test_mixed_units_and_inactive_people(org, employee, colleague, other_manager):
    colleague.is_active = False
    colleague.save()
    round_ = rounds.create_round(
        name="Mix",
        frameworks=make_frameworks(1),
        opens_on=days(0),
        closes_on=days(5),
        units_with_subunits=[org["space"]],
        units_only=[org["youth"]],
    )
    assert people_in(round_) == {"alice", "olga"}


def test_opening_freezes_the_framework_versions(org, employee):
    frameworks = make_frameworks(1, 1)
    assert not any(framework.is_frozen for framework in frameworks)
    EnrolledRoundFactory(units=[org["root"]], frameworks=frameworks)
    for framework in frameworks:
        framework.refresh_from_db()
        assert framework.is_frozen


def test_enrolling_twice_adds_nobody(open_round):
    before = open_round.assessments.count()
    assert rounds.enrol_participants(open_round) == 0
    assert open_round.assessments.count() == before


def test_late_joiners_in_bulk_and_through_the_command(open_round, org, other_manager):
    newcomer = PersonFactory(unit=org["wmo"])
    elsewhere = PersonFactory(unit=org["green"])
    assert rounds.enrol_late_joiners() == {open_round: 1}
    assert Assessment.objects.filter(round=open_round, person=newcomer).exists()
    assert not Assessment.objects.filter(person=elsewhere).exists()

    another = PersonFactory(unit=org["youth"])
    out = io.StringIO()
    call_command("enrol_late_joiners", stdout=out)
    assert "Najaar: 1 added" in out.getvalue()
    assert Assessment.objects.filter(round=open_round, person=another).exists()


def test_enrol_person_joins_matching_rounds_only(org, employee, frameworks):
    youth_only = EnrolledRoundFactory(units_only=[org["youth"]], frameworks=frameworks, name="Jeugd")
    green = EnrolledRoundFactory(units=[org["green"]], frameworks=frameworks, name="Groen")
    newcomer = PersonFactory(unit=org["youth"])
    assert rounds.enrol_person(newcomer) == [youth_only]
    assert rounds.enrol_person(newcomer) == []  # once
    assert not Assessment.objects.filter(round=green, person=newcomer).exists()


def test_closed_round_takes_no_late_joiners(open_round, org):
    rounds.close_early(open_round)
    newcomer = PersonFactory(unit=org["youth"])
    assert rounds.enrol_person(newcomer) == []
    assert rounds.enrol_participants(open_round) == 0
    assert rounds.enrol_late_joiners() == {}


def test_scheduled_round_takes_joiners_before_it_opens(org, employee, frameworks):
    round_ = EnrolledRoundFactory(units=[org["youth"]], frameworks=frameworks, opens_on=days(5), closes_on=days(20))
    assert round_.status() == RoundStatus.SCHEDULED
    newcomer = PersonFactory(unit=org["youth"])
    assert rounds.enrol_person(newcomer) == [round_]


def test_status_follows_the_dates_and_early_closing(open_round):
    today = timezone.localdate()
    assert open_round.status(today) == RoundStatus.OPEN
    assert open_round.status(days(-5)) == RoundStatus.SCHEDULED
    assert open_round.status(days(11)) == RoundStatus.CLOSED
    assert open_round.status(days(10)) == RoundStatus.OPEN  # the closing day is the last day to fill in
    assert list(Round.objects.open()) == [open_round]
    rounds.close_early(open_round)
    first = open_round.closed_at
    rounds.close_early(open_round)
    assert open_round.closed_at == first
    assert open_round.status() == RoundStatus.CLOSED
    assert not Round.objects.open().exists()


def test_extend(open_round):
    rounds.extend(open_round, days(30))
    open_round.refresh_from_db()
    assert open_round.closes_on == days(30)


def test_reopen_a_submitted_assessment(assessment):
    assessment.submitted_at = timezone.now()
    assessment.save()
    rounds.reopen(assessment, "Je hebt het verkeerde team ingevuld.")
    assessment.refresh_from_db()
    assert assessment.submitted_at is None
    assert assessment.reopened_at is not None
    assert assessment.reopen_reason == "Je hebt het verkeerde team ingevuld."


def test_reopen_needs_a_submitted_assessment_in_an_open_round(assessment):
    with pytest.raises(rounds.RoundError):
        rounds.reopen(assessment, "Waarom niet")
    assessment.submitted_at = timezone.now()
    assessment.save()
    rounds.close_early(assessment.round)
    with pytest.raises(rounds.RoundError):
        rounds.reopen(assessment, "Te laat")
    assessment.refresh_from_db()
    assert assessment.is_submitted


def test_participation_per_unit_counts_subtrees(open_round, org, employee, colleague, manager, senior_manager):
    wmo_person = PersonFactory(unit=org["wmo"])
    rounds.enrol_participants(open_round)
    competency = open_round.competencies().first()
    by_person = {a.person_id: a for a in open_round.assessments.all()}
    Rating.objects.create(assessment=by_person[employee.pk], competency=competency, current_level=1)
    Assessment.objects.filter(pk=by_person[employee.pk].pk).update(started_at=timezone.now())
    Assessment.objects.filter(pk__in=[by_person[colleague.pk].pk, by_person[wmo_person.pk].pk]).update(
        started_at=timezone.now(), submitted_at=timezone.now()
    )

    rows = {row.unit.name: row for row in rounds.participation_by_unit(open_round)}

    assert list(rows) == ["Gemeente Test", "Sociaal Domein", "Team Jeugd", "Team Wmo"]
    youth = rows["Team Jeugd"]
    assert (youth.total, youth.not_started, youth.in_progress, youth.submitted) == (3, 1, 1, 1)
    assert (youth.not_started_percent, youth.in_progress_percent, youth.submitted_percent) == (33, 33, 33)
    social = rows["Sociaal Domein"]
    assert (social.total, social.not_started, social.in_progress, social.submitted) == (5, 2, 1, 2)
    assert social.submitted_percent == 40
    assert rows["Team Wmo"].depth == 2
    assert Assessment.objects.for_round(open_round).participation() == {
        "total": 5,
        "not_started": 2,
        "in_progress": 1,
        "submitted": 2,
    }
    assert by_person[employee.pk].status == AssessmentStatus.NOT_STARTED  # the object in memory
    assert Assessment.objects.get(pk=by_person[employee.pk].pk).status == AssessmentStatus.IN_PROGRESS
