# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import os

from . import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Browser tests run a threaded live server: an in-memory SQLite database is one
# connection shared by every thread, and concurrent requests (a page and its chart
# images) then fail with "bad parameter or other API misuse". A file gives each
# thread its own connection.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
else:
    # A test database need not survive a crash: not waiting for each commit to reach the disk makes the
    # suite's many small transactions (the browser tests' live server, TransactionTestCase) cheaper.
    # Without JIT: a test database has no planner statistics (nothing runs ANALYZE on it), so the planner
    # guesses thousands of rows for tables of a few, and the guessed cost sends small queries to the JIT
    # compiler, which took about 30 ms each (the disclosure auditor alone: 147 s with it, 91 s without).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off -c jit=off"  # noqa: F405

SECURITY_CONTACT = ["security@vakmanschap.example"]
# Reports may read from a replica (vakmanschap/db_router.py). In tests the replica is the primary itself
# (Django's test mirror), from DATABASE_REPLICA_URL or, without it, added here; routing to it is on
# only where a test sets READ_REPLICA (tests/test_db_router.py) unless DATABASE_REPLICA_URL is set.
DATABASES.setdefault("replica", dict(DATABASES["default"]))  # noqa: F405
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
# A connection to the replica opened outside the test runner's mirroring (the task worker run in a test) must
# still reach the test database, not an empty db.sqlite3 beside the project.
if DATABASES["replica"]["ENGINE"].endswith("sqlite3") and "NAME" in DATABASES["default"].get("TEST", {}):  # noqa: F405
    DATABASES["replica"]["NAME"] = DATABASES["default"]["TEST"]["NAME"]  # noqa: F405
    # Under pytest-xdist (`make test` runs a worker per core) pytest-django gives each worker a database of
    # its own, named with the worker's name appended.
    if _worker := os.environ.get("PYTEST_XDIST_WORKER"):
        DATABASES["replica"]["NAME"] += f"_{_worker}"  # noqa: F405
