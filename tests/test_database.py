# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Finding 10 of the security review: SQLite answered 500 "database is locked" under concurrent failed logins."""

import threading

from django.db import connection
from django.test import Client

import pytest

from organisation.models import AccessLog


@pytest.mark.django_db
def test_sqlite_connections_use_wal_and_wait_for_the_lock(settings):
    """Finding 10: WAL journal, IMMEDIATE transactions and a busy timeout on every SQLite connection."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_concurrent_failed_logins_do_not_fail():
    """Finding 10: eight browsers failing to log in at the same moment all get the login page back, none a 500."""
    statuses, errors = [], []
    start = threading.Barrier(8)

    def fail_logins(number):
        client = Client(REMOTE_ADDR=f"192.0.2.{number + 1}")
        try:
            start.wait()
            for attempt in range(4):
                response = client.post("/accounts/login/", {"username": f"user{number}", "password": f"fout{attempt}"})
                statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=fail_logins, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [200] * 32
    # Every failure was written to the access log, as one chain.
    from organisation.audit_chain import verify

    assert AccessLog.objects.count() == 32 and verify().ok
