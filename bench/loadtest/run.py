"""`make loadtest`: gunicorn on 127.0.0.1 against PostgreSQL with the benchmark organisation, and locust.

80 employees fill in and save answers, 15 managers open team dashboards, 5 HR users export, headless,
for a bounded time (--time, default 150 s; the figures count from when the last of the 100 people has
logged in). Then it counts the answers sent (each last answer per competency that the server accepted)
against the rows stored with exactly that answer, and ends with one line (exit status 1 when a target is missed):

    loadtest: <R> requests, <E> errors, saves p95 <X> ms, dashboards p95 <Y> ms, answers sent <S>, stored <T>

Targets on a two-core machine: 0 errors, S = T, saves p95 under 300 ms, dashboards p95 under 1,500 ms.
The database is <name>_bench from DATABASE_URL (the one bench_autosave.py uses), seeded with
`manage.py seed_demo --employees N` on the first run. `--servers 2` starts two gunicorn processes on
two ports sharing PostgreSQL and Redis (REDIS_URL, default redis://127.0.0.1:6379/6), and locust
alternates between them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vakmanschap .venv/bin/python bench/loadtest/run.py
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vakmanschap.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from assessments import answers  # noqa: E402
from assessments.demo import AUTUMN  # noqa: E402
from assessments.models import Assessment, Rating, Round  # noqa: E402
from organisation.demo import seed_demo  # noqa: E402
from organisation.models import Person, Unit  # noqa: E402
from reports import disclosure  # noqa: E402

PASSWORD = "loadtest-password-1"  # noqa: S105 - set only on the benchmark database's load-test people
SECRET = "loadtest-secret-key-" + "x" * 40  # noqa: S105


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=int(os.environ.get("LOADTEST_EMPLOYEES", 25_000)))
    parser.add_argument("--time", default=os.environ.get("LOADTEST_TIME", "150s"), help="how long locust runs")
    parser.add_argument("--servers", type=int, default=int(os.environ.get("LOADTEST_SERVERS", 1)), choices=[1, 2])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8016)))
    parser.add_argument("--database", help="database name (default <name>_bench)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The load test runs on PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name.")
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = args.database or f"{connection.settings_dict['NAME']}_bench"
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)
    seed(args.employees)
    plan = prepare()
    settle()
    connection.close()
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        tmp = Path(tmp)
        (tmp / "plan.json").write_text(json.dumps(plan))
        env = server_env(database)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )  # noqa: S603
        ports = [args.port + 100 * i for i in range(args.servers)]
        servers = [start_server(port, env, tmp) for port in ports]
        try:
            hosts = ",".join(f"http://127.0.0.1:{port}" for port in ports)
            run_locust(hosts, args.time, tmp)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
        if not summary(tmp, plan):
            sys.exit(1)


def seed(employees):
    if Person.objects.filter(username="medewerker").exists() and Person.objects.count() >= employees:
        return
    started = time.monotonic()
    call_command("load_frameworks", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_demo(employees=employees, log=lambda line: print("  " + line))
    print(
        f"Seeded {Person.objects.count()} people, {Rating.objects.count()} ratings "
        f"in {time.monotonic() - started:.0f} s"
    )


def prepare():
    """Give the load-test people a password; reopen the employees' open assessments; write who does what."""
    autumn = Round.objects.get(name=AUTUMN)
    assessments = list(
        Assessment.objects.filter(round=autumn, person__personnel_number__startswith="D")
        .select_related("person")
        .order_by("person__personnel_number")[:80]
    )
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(submitted_at=None)
    competencies = list(autumn.competencies().values_list("pk", flat=True))
    versions = {}
    for assessment_id, competency_id, version in Rating.objects.filter(assessment__in=assessments).values_list(
        "assessment_id", "competency_id", "version"
    ):
        versions.setdefault(assessment_id, {})[competency_id] = version
    teams = list(Unit.objects.filter(manager__isnull=False, parent__parent__isnull=False).order_by("pk")[:15])
    departments = list(Unit.objects.filter(parent__isnull=False, parent__parent__isnull=True).order_by("pk"))
    hr = list(Person.objects.filter(groups__name="HR"))
    hr_people = hr[:1] * 5 if hr else []
    people = [a.person for a in assessments] + [t.manager for t in teams]
    Person.objects.filter(pk__in=[p.pk for p in people + hr_people]).update(password=make_password(PASSWORD))
    return {
        "password": PASSWORD,
        "prefixes": {pk: answers.prefix(pk) for pk in competencies},  # the form's field names per competency
        "employees": [
            {
                "username": a.person.username,
                "assessment": a.pk,
                "competencies": competencies,
                "versions": versions.get(a.pk, {}),
            }
            for a in assessments
        ],
        "managers": [{"username": t.manager.username, "unit": t.pk} for t in teams],
        "hr": [
            {"username": p.username, "round": autumn.pk, "unit": departments[i % len(departments)].pk}
            for i, p in enumerate(hr_people)
        ],
    }


def settle():
    """Bring the database to where a running installation would be before the people arrive.

    The rounds' releases are made (in production the task worker makes a ministry's release within a minute
    of the first look; the load test runs no worker), and PostgreSQL's statistics are gathered: a server with
    autovacuum off, as on the test machines, would otherwise plan every query over a million ratings blind
    (saves p95 12 s, dashboards 14 s on a freshly seeded database).
    """
    started = time.monotonic()
    made = [disclosure.current_release(round_, in_request=False) for round_ in Round.objects.order_by("pk")]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    ready = sum(release is not None for release in made)
    print(f"  {ready} releases ready, statistics gathered in {time.monotonic() - started:.0f} s")


def server_env(database):
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return os.environ | {
        "DATABASE_URL": f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": ",".join(f"https://127.0.0.1:{port}" for port in (8016, 8116)),
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "SECURE_SSL_REDIRECT": "0",  # locust says X-Forwarded-Proto: https, the health probe does not
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/6"),
        "LOG_LEVEL": "WARNING",
        # Far above what 100 people do in a minute: the load test measures speed, not the lockout.
        "LOGIN_FAILURE_LIMIT": "1000",
    }


def start_server(port, env, tmp):
    log = open(tmp / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "vakmanschap.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
            # Longer than a client keeps a connection idle between requests (locust's people wait up to 20 s):
            # with gunicorn's default of 2 s a connection could close just as the next request went out on it.
            "--keep-alive",
            "75",
            # Each worker gets a listening socket of its own (SO_REUSEPORT) and the kernel spreads new connections
            # over them. With one shared socket, whichever worker is awake first accepts, and kept-alive connections
            # stay with it: one process (one core, because of the interpreter lock) answered 87% of the requests
            # while the other idled.
            "--reuse-port",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(60):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn on port {port} did not start; see {tmp}/gunicorn-{port}.log")


def run_locust(hosts, duration, tmp):
    env = os.environ | {
        "LOADTEST_PLAN": str(tmp / "plan.json"),
        "LOADTEST_SENT": str(tmp / "sent.json"),
        "LOADTEST_HOSTS": hosts,
    }
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--users",
            "100",
            "--spawn-rate",
            "20",
            "--run-time",
            duration,
            "--stop-timeout",
            "30",
            "--host",
            hosts.split(",")[0],
            "--csv",
            str(tmp / "stats"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )


SAVE_P95_TARGET_MS, DASHBOARD_P95_TARGET_MS = 300, 1500
SERVER_ERROR_WORDS = ("ERROR", "CRITICAL", "Traceback", "TIMEOUT", "Error:")


def summary(tmp, plan):
    """Print the `loadtest:` line; true when every target is met (no errors, nothing lost, both p95s)."""

    rows = {row["Name"]: row for row in csv.DictReader(open(tmp / "stats_stats.csv"))}  # noqa: SIM115
    total = rows["Aggregated"]
    saves = json.loads((tmp / "sent.json").read_text())
    sent, in_flight = saves["accepted"], saves["in_flight"]
    stored, different = 0, []
    for key, answer in sent.items():
        assessment, competency = (int(part) for part in key.split(":"))
        row = (
            Rating.objects.filter(assessment_id=assessment, competency_id=competency)
            .values_list("current_level", "desired_level", "note", "version")
            .first()
        )
        # A save still in flight when locust stopped may have reached the server after all: then that newer
        # answer is stored instead of the last one accepted, and nothing is lost.
        if row is not None and list(row[:3]) in (answer, in_flight.get(key)):
            stored += 1
        else:
            different.append((key, answer, row))
    connection.close()
    if in_flight:
        print(f"  {len(in_flight)} saves were still in flight when locust stopped")
    for key, answer, row in different[:10]:  # what to look at when answers sent and stored differ
        print(f"  {key}: last answer accepted {answer}, stored {row}")

    def p95(name):
        return rows[name]["95%"] if name in rows else "n/a"

    errors = int(total["Failure Count"])
    if errors:
        _print_server_errors(tmp)
    print(
        f"loadtest: {total['Request Count']} requests, {errors} errors, "
        f"saves p95 {p95('save')} ms, dashboards p95 {p95('dashboard')} ms, answers sent {len(sent)}, stored {stored}"
    )
    return (
        errors == 0
        and len(sent) == stored
        and _under(p95("save"), SAVE_P95_TARGET_MS)
        and _under(p95("dashboard"), DASHBOARD_P95_TARGET_MS)
    )


def _under(figure, target):
    return figure.replace(".", "", 1).isdigit() and float(figure) < target


def _print_server_errors(tmp, limit=20):
    """What the app servers logged about the failed requests (their logs go with the temporary folder)."""
    for log in sorted(tmp.glob("gunicorn-*.log")):
        lines = [line.rstrip() for line in log.open() if any(word in line for word in SERVER_ERROR_WORDS)]
        for line in lines[-limit:]:
            print(f"  {log.stem}: {line}")


if __name__ == "__main__":
    main()
