# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Rounds with submitted assessments for the report tests, on top of the personas in tests/conftest.py."""

import datetime

from django.core.cache import cache
from django.utils import timezone

import pytest

from assessments.models import Assessment, Rating
from competencies.models import Competency, Framework
from organisation.models import Person
from tests.factories import CompetencyFactory, FrameworkFactory, PersonFactory, RoundFactory, ThemeFactory

SPRING_2025 = (datetime.date(2025, 3, 1), datetime.date(2025, 4, 1))
SPRING_2026 = (datetime.date(2026, 3, 1), datetime.date(2026, 4, 1))


def make_framework(size, slug=None, version=1, themes=None, codes=None):
    """A framework with `size` competencies C1..Cn (five level descriptions each)."""
    framework = FrameworkFactory(slug=slug or f"kader-{Framework.objects.count() + 1}", version=version)
    themes = themes or [ThemeFactory(code="theme-a"), ThemeFactory(code="theme-b")]
    for index in range(size):
        CompetencyFactory(
            framework=framework,
            code=(codes or [f"C{i + 1}" for i in range(size)])[index],
            position=index,
            theme=themes[index % len(themes)],
            name_nl=f"Competentie {index + 1}",
            name_en=f"Competency {index + 1}",
        )
    return framework


def competencies_of(round_):
    return list(Competency.objects.filter(framework__rounds=round_).order_by("framework_id", "position"))


def submit(person, round_, levels, *, shared=False, unit=None, submitted=True):
    """An assessment with ratings: `levels` is a list of (current, desired) or None (not applicable), in form order.

    A shorter list repeats its last value; `submitted=False` leaves it in progress.
    """
    now = timezone.now()
    assessment = Assessment.objects.create(
        round=round_,
        person=person,
        unit=unit or person.unit,
        started_at=now,
        submitted_at=now if submitted else None,
        shared_with_manager=shared,
        shared_at=now if shared else None,
    )
    Rating.objects.bulk_create(_ratings(assessment, competencies_of(round_), levels, now))
    return assessment


def _ratings(assessment, competencies, levels, now):
    ratings = []
    for index, competency in enumerate(competencies):
        value = levels[min(index, len(levels) - 1)]
        if value is None:
            ratings.append(Rating(assessment=assessment, competency=competency, not_applicable=True, updated_at=now))
        else:
            current, desired = value
            ratings.append(
                Rating(
                    assessment=assessment,
                    competency=competency,
                    current_level=current,
                    desired_level=desired,
                    updated_at=now,
                )
            )
    return ratings


def invite(person, round_, unit=None):
    """Invited, not submitted."""
    return Assessment.objects.create(round=round_, person=person, unit=unit or person.unit)


def add_people(unit, count, prefix="p"):
    """Many people in one unit, fast (bulk insert, no password hashing)."""
    start = Person.objects.count()
    people = [
        Person(
            username=f"{prefix}{start + i}",
            personnel_number=f"{prefix.upper()}{start + i:06d}",
            name=f"Persoon {prefix}{start + i:06d}",
            unit=unit,
            password="!",
        )
        for i in range(count)
    ]
    Person.objects.bulk_create(people)
    return list(Person.objects.filter(username__in=[p.username for p in people]).order_by("pk"))


def submit_many(people, round_, levels, *, shared=False):
    """Submitted assessments with the same levels for everyone (bulk)."""
    now = timezone.now()
    Assessment.objects.bulk_create(
        [
            Assessment(
                round=round_,
                person=p,
                unit_id=p.unit_id,
                started_at=now,
                submitted_at=now,
                shared_with_manager=shared,
                shared_at=now if shared else None,
            )
            for p in people
        ]
    )
    assessments = Assessment.objects.filter(round=round_, person__in=people)
    competencies = competencies_of(round_)
    Rating.objects.bulk_create(
        [rating for assessment in assessments for rating in _ratings(assessment, competencies, levels, now)],
        batch_size=2000,
    )
    return list(assessments)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted on their English ids; the Dutch texts come from the .po file."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def framework(db):
    return make_framework(5)


@pytest.fixture
def spring(framework):
    return RoundFactory(frameworks=[framework])


@pytest.fixture
def team(org, employee, colleague, manager):
    """Team Jeugd with five people besides the manager: employee, colleague and three more."""
    others = [PersonFactory(unit=org["youth"], name=f"Jeugd {i}") for i in range(3)]
    return [employee, colleague, *others]
