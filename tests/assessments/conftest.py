# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Rounds and assessments for the assessment tests, on top of the personas in tests/conftest.py."""

import datetime

from django.utils import timezone

import pytest

from assessments.models import Assessment
from tests.factories import CompetencyFactory, EnrolledRoundFactory, FrameworkFactory


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def make_frameworks(*sizes):
    """Frameworks with the given numbers of competencies (each with five level descriptions)."""
    frameworks = []
    for size in sizes:
        framework = FrameworkFactory()
        for _ in range(size):
            CompetencyFactory(framework=framework)
        frameworks.append(framework)
    return frameworks


@pytest.fixture
def frameworks(db):
    return make_frameworks(3, 2)


@pytest.fixture
def competencies(frameworks):
    return [c for framework in frameworks for c in framework.competencies.order_by("position")]


@pytest.fixture
def open_round(org, employee, colleague, manager, frameworks):
    """Open round for Sociaal Domein and everything below it (employee, colleague, manager take part)."""
    return EnrolledRoundFactory(units=[org["social"]], frameworks=frameworks)


@pytest.fixture
def assessment(open_round, employee):
    return Assessment.objects.get(round=open_round, person=employee)


@pytest.fixture
def colleague_assessment(open_round, colleague):
    return Assessment.objects.get(round=open_round, person=colleague)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted on their English ids; the Dutch texts come from the .po file."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
