# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Shared personas: an employee, their manager, a manager higher up, an outsider, a colleague, HR."""

import os

from django.conf import settings
from django.contrib.auth.models import Group

import pytest

from tests.factories import PersonFactory, UnitFactory


def pytest_collection_modifyitems(config, items):
    """Every worker's share of the run starts with its part of the long tests (browser tests, the auditor).

    `make test` runs pytest-xdist with `--dist worksteal`: the collection is first cut into one contiguous share
    per worker, and a worker that runs out takes over the end of another's queue. Long tests at the start of each
    share leave short ones for the end, so neither worker waits long for the other (before, all browser tests
    ended up on one worker and the run took minutes longer). Outside xdist the order stays as collected.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return
    slow = [item for item in items if item.get_closest_marker("e2e") or item.get_closest_marker("slow")]
    chosen = set(slow)
    rest = iter([item for item in items if item not in chosen])
    ordered, remaining = [], len(items)
    for worker in range(workers):
        size = remaining // (workers - worker)  # the share xdist's worksteal scheduler gives this worker
        share = slow[worker::workers]
        share += [next(rest) for _ in range(max(0, size - len(share)))]
        ordered += share
        remaining -= len(share)
    items[:] = ordered + list(rest)


@pytest.fixture(autouse=True)
def empty_cache():
    """Login throttles and refusal counts live in the cache: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_org():
    """Gemeente > Sociaal Domein > (Team Jeugd, Team Wmo); Ruimte > Team Groen."""
    root = UnitFactory(name="Gemeente Test")
    social = UnitFactory(name="Sociaal Domein", parent=root)
    youth = UnitFactory(name="Team Jeugd", parent=social)
    wmo = UnitFactory(name="Team Wmo", parent=social)
    space = UnitFactory(name="Ruimte", parent=root)
    green = UnitFactory(name="Team Groen", parent=space)
    return {"root": root, "social": social, "youth": youth, "wmo": wmo, "space": space, "green": green}


# persona: (username, name, unit, manages that unit, group setting, staff)
PERSONAS = {
    "employee": ("alice", "Alice Jansen", "youth", False, None, False),
    "colleague": ("carla", "Carla de Vries", "youth", False, None, False),
    "manager": ("bob", "Bob Bakker", "youth", True, None, False),  # manages Team Jeugd, where `employee` works
    "senior_manager": ("dirk", "Dirk Dekker", "social", True, None, False),  # Sociaal Domein, above Team Jeugd
    "other_manager": ("olga", "Olga Visser", "green", True, None, False),  # Team Groen, elsewhere in the tree
    "hr": ("hanna", "Hanna HR", "root", False, "HR_GROUP", False),
    "admin_user": ("frank", "Frank Beheer", "root", False, "ADMIN_GROUP", True),
}


def make_persona(org, persona):
    """One of the shared personas in `org` (from make_org); the fixtures below and module-scoped worlds use it."""
    username, name, unit, manages, group, staff = PERSONAS[persona]
    person = PersonFactory(username=username, name=name, unit=org[unit], is_staff=staff)
    if manages:
        org[unit].manager = person
        org[unit].save()
    if group:
        person.groups.add(Group.objects.get(name=getattr(settings, group)))
    return person


@pytest.fixture
def org(db):
    return make_org()


@pytest.fixture
def employee(org):
    return make_persona(org, "employee")


@pytest.fixture
def colleague(org):
    return make_persona(org, "colleague")


@pytest.fixture
def manager(org):
    """Manages Team Jeugd, where `employee` works."""
    return make_persona(org, "manager")


@pytest.fixture
def senior_manager(org):
    """Manages Sociaal Domein, above Team Jeugd."""
    return make_persona(org, "senior_manager")


@pytest.fixture
def other_manager(org):
    """Manages Team Groen, elsewhere in the tree."""
    return make_persona(org, "other_manager")


@pytest.fixture
def hr(org):
    return make_persona(org, "hr")


@pytest.fixture
def admin_user(org):
    return make_persona(org, "admin_user")


@pytest.fixture
def client_for(client):
    """Log a person in on the test client: client_for(person)."""

    def login(person):
        client.force_login(person)
        return client

    return login


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a whole test module, rolled back at its end.

    For data that the module's tests only read (the frameworks, the demo organisation): it is made
    once per module, and each test still runs in its own savepoint inside it.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def frameworks_loaded(module_db):
    """The five frameworks from fixtures/, loaded once per module."""
    import io

    from django.core.management import call_command

    call_command("load_frameworks", stdout=io.StringIO())


@pytest.fixture(scope="module")
def first_versions_loaded(module_db):
    """Version 1 of the five frameworks only (nothing frozen, so tests may edit them), loaded once per module."""
    import io

    from django.core.management import call_command

    from competencies.loading import first_version_files

    call_command("load_frameworks", *first_version_files(), stdout=io.StringIO())
