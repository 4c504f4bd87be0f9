# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Shared personas: an employee, their manager, a manager higher up, an outsider, a colleague, HR."""

from django.conf import settings
from django.contrib.auth.models import Group

import pytest

from tests.factories import PersonFactory, UnitFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Login throttles and refusal counts live in the cache: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    """Gemeente > Sociaal Domein > (Team Jeugd, Team Wmo); Ruimte > Team Groen."""
    root = UnitFactory(name="Gemeente Test")
    social = UnitFactory(name="Sociaal Domein", parent=root)
    youth = UnitFactory(name="Team Jeugd", parent=social)
    wmo = UnitFactory(name="Team Wmo", parent=social)
    space = UnitFactory(name="Ruimte", parent=root)
    green = UnitFactory(name="Team Groen", parent=space)
    return {"root": root, "social": social, "youth": youth, "wmo": wmo, "space": space, "green": green}


@pytest.fixture
def employee(org):
    return PersonFactory(username="alice", name="Alice Jansen", unit=org["youth"])


@pytest.fixture
def colleague(org):
    return PersonFactory(username="carla", name="Carla de Vries", unit=org["youth"])


@pytest.fixture
def manager(org):
    """Manages Team Jeugd, where `employee` works."""
    person = PersonFactory(username="bob", name="Bob Bakker", unit=org["youth"])
    org["youth"].manager = person
    org["youth"].save()
    return person


@pytest.fixture
def senior_manager(org):
    """Manages Sociaal Domein, above Team Jeugd."""
    person = PersonFactory(username="dirk", name="Dirk Dekker", unit=org["social"])
    org["social"].manager = person
    org["social"].save()
    return person


@pytest.fixture
def other_manager(org):
    """Manages Team Groen, elsewhere in the tree."""
    person = PersonFactory(username="olga", name="Olga Visser", unit=org["green"])
    org["green"].manager = person
    org["green"].save()
    return person


@pytest.fixture
def hr(org):
    person = PersonFactory(username="hanna", name="Hanna HR", unit=org["root"])
    person.groups.add(Group.objects.get(name=settings.HR_GROUP))
    return person


@pytest.fixture
def admin_user(org):
    person = PersonFactory(username="frank", name="Frank Beheer", unit=org["root"], is_staff=True)
    person.groups.add(Group.objects.get(name=settings.ADMIN_GROUP))
    return person


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
