# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Database rules and query helpers of rounds, assessments and ratings."""

from django.db import IntegrityError, transaction

import pytest

from assessments.models import Assessment, Rating, Round
from tests.factories import PersonFactory

from .conftest import days


@pytest.mark.parametrize(
    "values",
    [
        {"current_level": 0},
        {"current_level": 6},
        {"desired_level": 0},
        {"desired_level": 6},
        {"not_applicable": True, "current_level": 3},
        {"not_applicable": True, "desired_level": 3},
    ],
)
def test_database_refuses_levels_off_the_scale(assessment, competencies, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, competency=competencies[0], **values)


def test_one_rating_per_competency_and_one_assessment_per_round(assessment, competencies, employee):
    Rating.objects.create(assessment=assessment, competency=competencies[0], current_level=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, competency=competencies[0], current_level=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(round=assessment.round, person=employee)


def test_round_cannot_close_before_it_opens(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(name="Fout", opens_on=days(5), closes_on=days(1))


def test_rating_querysets(org, open_round, assessment, colleague_assessment, competencies):
    Rating.objects.create(assessment=assessment, competency=competencies[0], current_level=2, desired_level=4)
    Rating.objects.create(assessment=assessment, competency=competencies[1], current_level=2)
    Rating.objects.create(assessment=colleague_assessment, competency=competencies[0], not_applicable=True)
    wmo = PersonFactory(unit=org["wmo"])
    wmo_assessment = Assessment.objects.create(round=open_round, person=wmo, unit=org["wmo"])
    Rating.objects.create(assessment=wmo_assessment, competency=competencies[0], current_level=5, desired_level=5)

    assert Rating.objects.for_round(open_round).count() == 4
    assert Rating.objects.rated().count() == 2
    assert Rating.objects.complete().count() == 3
    assert Rating.objects.in_unit(org["youth"]).count() == 3
    assert Rating.objects.in_unit(org["social"]).count() == 4
    assert Rating.objects.in_unit(org["social"], include_subunits=False).count() == 0
    assert Assessment.objects.submitted().count() == 0
    counts = {a.pk: a.answered for a in Assessment.objects.with_answered_count()}
    assert counts[assessment.pk] == 1 and counts[colleague_assessment.pk] == 1
    assert Rating.objects.get(assessment=assessment, competency=competencies[0]).gap == 2
    assert Rating.objects.get(assessment=colleague_assessment).gap is None
