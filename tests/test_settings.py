# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Configuration from the environment: bad values stop start-up, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-secret-for-tests-only-0123456789abcdefghij",
    "ALLOWED_HOSTS": "vakmanschap.example.nl",
}


def manage(*args, **env):
    """Run manage.py in a clean process with only these variables set."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SESSION_IDLE_TIMEOUT", "dertig"),
        ("SESSION_IDLE_TIMEOUT", "0"),
        ("DEBUG", "misschien"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("TIME_ZONE", "Europe/Atlantis"),
        ("EMAIL_PORT", "abc"),
        ("REPORT_MIN_GROUP_SIZE", "2"),  # with 2, a withheld count of people could only mean one person
        ("RELEASE_IN_REQUEST_MAX", "-1"),
        ("DB_CONN_MAX_AGE", "-1"),
    ],
)
def test_bad_value_stops_startup_naming_the_variable(variable, value):
    result = manage("check", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "postgres://u@db.example.nl:5432/vk"}, "60 True 60 True"),
        ({"DATABASE_URL": "postgres://u@db.example.nl:5432/vk", "DB_CONN_MAX_AGE": "0"}, "0 True 0 True"),
        ({"DATABASE_URL": "sqlite:///tmp/vk.sqlite3"}, "0 False"),
    ],
)
def test_postgresql_connections_are_kept_and_checked_before_reuse(env, expected):
    """A connection per request would cost a PostgreSQL server process per request; the replica gets the same."""
    postgres = "postgres" in env["DATABASE_URL"]
    replica = {"DATABASE_REPLICA_URL": "postgres://u@replica.example.nl:5432/vk"} if postgres else {}
    code = (
        "from django.conf import settings\n"
        "print(*[v for db in settings.DATABASES.values() for v in (db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])])"
    )
    result = manage("shell", "-c", code, **env, **replica)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == expected.split()


@pytest.mark.parametrize(("missing", "variable"), [("SECRET_KEY", "SECRET_KEY"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS")])
def test_production_refuses_to_start_half_configured(missing, variable):
    env = {k: v for k, v in PROD.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_configuration_passes_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert result.returncode == 0, result.stderr + result.stdout


def test_proxy_header_is_configurable():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = manage("shell", "-c", code, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", **PROD)
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in result.stdout, result.stderr
