# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""A closed round in which the employee submitted (gaps to plan from), on top of the personas in tests/conftest.py."""

import pytest

from learning import plans
from tests.factories import RoundFactory
from tests.reports.conftest import make_framework, submit


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


@pytest.fixture
def framework(db):
    """Five competencies C1..C5."""
    return make_framework(5)


@pytest.fixture
def competencies(framework):
    return list(framework.competencies.order_by("position"))


@pytest.fixture
def spring(framework):
    return RoundFactory(frameworks=[framework])


@pytest.fixture
def done(spring, employee, manager):
    """The employee's submitted assessment: C1 2→4, C2 3→3, C3 1→2, C4 not applicable, C5 4→5."""
    return submit(employee, spring, [(2, 4), (3, 3), (1, 2), None, (4, 5)])


@pytest.fixture
def plan(done, employee):
    return plans.start_plan(employee, done)[0]
