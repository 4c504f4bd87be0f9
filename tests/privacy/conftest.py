# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Rounds, self-assessments and ratings for the privacy tests, made directly on the models."""

import datetime

from django.utils import timezone

import pytest

from assessments.models import Assessment, Rating, Round, RoundUnit
from tests.factories import CompetencyFactory, FrameworkFactory


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def make_round(unit, people, *, opens_on, closes_on, closed_at=None, name="Ronde", competencies=2, note=""):
    """A round for `unit` with an assessment and rated competencies for each of `people`."""
    framework = FrameworkFactory()
    comps = [CompetencyFactory(framework=framework) for _ in range(competencies)]
    round_ = Round.objects.create(name=name, opens_on=opens_on, closes_on=closes_on, closed_at=closed_at)
    round_.frameworks.add(framework)
    RoundUnit.objects.create(round=round_, unit=unit)
    for person in people:
        assessment = Assessment.objects.create(
            round=round_, person=person, unit=person.unit, started_at=timezone.now(), shared_with_manager=True
        )
        for number, competency in enumerate(comps):
            level = 2 + number % 3
            Rating.objects.create(
                assessment=assessment, competency=competency, current_level=level, desired_level=level + 1, note=note
            )
    return round_


@pytest.fixture(autouse=True)
def english():
    """Assert on English message ids; the Dutch texts come from the .po file."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
