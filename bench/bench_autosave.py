# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""How long does saving one answer take with 25,000 employees seeded? (issue: under 50 ms server time)

Runs against PostgreSQL from DATABASE_URL, in a database of its own (<name>_bench),
so your real data is never touched. The first run seeds the demo organisation with
25,000 employees and the demo rounds (a few minutes); later runs reuse it (--fresh
starts over). Then `medewerker` saves answers in the open round through Django's
test client, the full middleware stack included, as htmx autosave requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vakmanschap .venv/bin/python bench/bench_autosave.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vakmanschap.settings")

from benchsettings import use_production  # noqa: E402

use_production()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchlib import Autosaver, analyse, open_database  # noqa: E402

from assessments.demo import AUTUMN  # noqa: E402
from assessments.models import Assessment, Rating  # noqa: E402
from organisation.demo import seed_demo  # noqa: E402
from organisation.models import Person  # noqa: E402

TARGET_MS = 50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=25_000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and seed again")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite anyway (not the real figure)")
    args = parser.parse_args()

    open_database("bench", fresh=args.fresh, allow_sqlite=args.allow_sqlite)
    try:
        seed(args.employees)
        measure(args.saves)
    finally:
        connection.close()


def seed(employees):
    people = Person.objects.count()
    if people >= employees:
        print(f"Seeded already: {people} people, {Rating.objects.count()} ratings")
        return
    started = time.monotonic()
    call_command("load_frameworks", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_demo(employees=employees, log=lambda line: print("  " + line))
    analyse()
    print(
        f"Seeded {Person.objects.count()} people and {Rating.objects.count()} ratings "
        f"in {time.monotonic() - started:.0f} s"
    )


def measure(saves):
    employee = Person.objects.get(username="medewerker")
    assessment = Assessment.objects.get(round__name=AUTUMN, person=employee)
    if assessment.submitted_at is not None:
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=None)
    saver = Autosaver(assessment, employee)
    saver.client.get(reverse("assessments:form", args=[assessment.pk]))
    timings, queries = saver.run(saves)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        print("\n".join(queries))
    cpu = saver.cpu
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"Autosave of one answer, {saves} saves: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"max {timings[-1]:.1f} ms, {len(queries)} queries per save, "
        f"Python CPU median {statistics.median(cpu):.1f} ms (target: under {TARGET_MS} ms)"
    )
    if p95 >= TARGET_MS:
        sys.exit(f"Too slow: p95 {p95:.1f} ms is not under {TARGET_MS} ms")


if __name__ == "__main__":
    main()
