"""Stateless app servers: the cache in Redis (REDIS_URL), reports read from a replica (DATABASE_REPLICA_URL).

The replica is the primary itself here (Django's test mirror): the tests check where each query goes.
They are transactional, because a mirror is a second connection that sees only committed rows.
"""

import os
import socket

from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment
from organisation.models import Person
from tests.factories import PersonFactory, RoundFactory
from tests.privacy.conftest import days_ago
from tests.test_settings import manage
from vakmanschap import db_router

REDIS = "redis://127.0.0.1:6379/6"


def redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    not redis_reachable() and not os.environ.get("REQUIRE_REDIS"), reason="no Redis on 127.0.0.1:6379"
)


@needs_redis
def test_with_redis_url_the_cache_is_djangos_redis_backend_and_sessions_stay_in_the_database():
    code = (
        "from django.conf import settings; from django.core.cache import cache;"
        "cache.set('vakmanschap-test', 41, 30); cache.incr('vakmanschap-test');"
        "print(settings.CACHES['default']['BACKEND'], cache.get('vakmanschap-test'), settings.SESSION_ENGINE);"
        "cache.delete('vakmanschap-test')"
    )
    result = manage("shell", "--no-imports", "-c", code, REDIS_URL=REDIS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "42",
        "django.contrib.sessions.backends.db",
    ]


@needs_redis
def test_two_app_servers_share_the_cache():
    """What one process caches (a chart, a throttle count), another reads."""
    first = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; cache.set('vakmanschap-shared', 'x', 30)",
        REDIS_URL=REDIS,
    )
    assert first.returncode == 0, first.stderr
    second = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; print(cache.get('vakmanschap-shared'))",
        REDIS_URL=REDIS,
    )
    assert second.stdout.strip() == "x"


def test_bad_redis_url_stops_startup():
    result = manage("check", REDIS_URL="localhost:6379")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA = "replica"


def _writes(captured):
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


routed = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@routed
def test_report_pages_read_from_the_replica(client_for, hr, replica):
    client = client_for(hr)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("reports:organisation"))
    assert response.status_code == 200
    assert on_replica.captured_queries
    assert not _writes(on_replica)
    assert db_router.PIN_COOKIE not in response.cookies


@routed
def test_other_pages_and_posts_never_read_from_the_replica(client_for, hr, replica):
    client = client_for(hr)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("organisation:import")).status_code == 200
    assert not on_replica.captured_queries


@routed
def test_after_a_write_the_request_and_the_next_ones_read_from_the_primary(client_for, employee, hr, replica):
    client = client_for(hr)
    # HR opening someone's report writes the access log: later reads in that request go to the primary,
    # and the browser is pinned to the primary for a few seconds.
    RoundFactory(
        units=[employee.unit],
        people=[employee],
        name="Voorjaar",
        opens_on=days_ago(60),
        closes_on=days_ago(30),
        competencies=2,
    )
    Assessment.objects.update(submitted_at=timezone.now())
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("reports:person", kwargs={"pk": employee.pk}))
    assert response.status_code == 200
    assert not _writes(on_replica)
    assert response.cookies[db_router.PIN_COOKIE]["max-age"] == 10
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("reports:organisation")).status_code == 200
    assert not on_replica.captured_queries


@routed
def test_router_reads_from_the_replica_until_the_first_write(replica):
    route = db_router._Route(replica=True)
    token = db_router._route.set(route)
    try:
        assert Person.objects.all().db == "replica"
        PersonFactory(unit=None)
        assert Person.objects.all().db == "default"
    finally:
        db_router._route.reset(token)
    assert Person.objects.all().db == "default"


@routed
def test_without_a_replica_everything_reads_from_the_primary(client_for, hr):
    client = client_for(hr)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("reports:organisation")).status_code == 200
    assert not on_replica.captured_queries
