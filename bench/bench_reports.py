# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""How fast are the gap reports with 25,000 employees and 40 competencies? (issue 5)

Targets: the dashboard of a 1,000-person unit under 500 ms, the organisation view
under 2 s, a personal report under 150 ms with a warm chart cache.

Runs against PostgreSQL from DATABASE_URL, in a database of its own
(<name>_reports_bench), so your real data is never touched. The first run builds
an organisation of 25 departments of 1,000 people (40 teams of 25 each), the five
framework fixtures plus an own framework of five competencies (40 in all), and two
closed rounds in which 85% submitted (about 1.7 million ratings; a few minutes).
Later runs reuse it (--fresh starts over). Pages are requested through Django's
test client, the full middleware stack included.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vakmanschap .venv/bin/python bench/bench_reports.py
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vakmanschap.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Assessment, Rating, Round, RoundUnit  # noqa: E402
from competencies.models import Competency, Framework, LevelDescription, Theme  # noqa: E402
from organisation.models import Person, Unit  # noqa: E402

DEPARTMENTS, TEAMS, TEAM_SIZE = 25, 40, 25
ROUNDS = [
    ("Bench voorjaar 2025", datetime.date(2025, 3, 3), datetime.date(2025, 4, 11)),
    ("Bench voorjaar 2026", datetime.date(2026, 3, 2), datetime.date(2026, 4, 10)),
]
SUBMITTED, SHARED = 0.85, 0.4
TARGETS_MS = {"dashboard": 500, "organisation": 2000, "personal": 150}
BATCH_SIZE = 10_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page (after two warm-ups)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and build it again")
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite anyway (not the real figure)")
    args = parser.parse_args()

    if connection.vendor != "postgresql" and not args.allow_sqlite:
        sys.exit(
            "The benchmark measures PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            "(it uses a database of its own, <name>_reports_bench)."
        )
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_reports_bench"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=not args.fresh)
    print(f"Database: {name}")
    try:
        seed()
        failures = measure(args.runs)
    finally:
        connection.close()
    if failures:
        sys.exit("Too slow: " + "; ".join(failures))


# The data


def seed():
    people = Person.objects.filter(username__startswith="bench-").count()
    if people >= DEPARTMENTS * TEAMS * TEAM_SIZE:
        print(f"Built already: {people} people, {Rating.objects.count()} ratings")
        return
    started = time.monotonic()
    call_command("load_frameworks", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(2026)
    with transaction.atomic():
        frameworks = [*Framework.objects.current().filter(is_own=False), _own_framework()]
        root, departments = _organisation(rng)
        for name, opens_on, closes_on in ROUNDS:
            _round(rng, name, opens_on, closes_on, frameworks, root)
    connection.cursor().execute("ANALYZE")
    competencies = Competency.objects.filter(framework__in=frameworks).count()
    print(
        f"Built {Person.objects.count()} people, {competencies} competencies and {Rating.objects.count()} ratings "
        f"in {time.monotonic() - started:.0f} s"
    )


def _own_framework():
    framework = Framework.objects.create(
        slug="bench-kernwaarden",
        title_nl="Kernwaarden (bench)",
        title_en="Core values (bench)",
        description_nl="Eigen kader voor de benchmark.",
        description_en="Own framework for the benchmark.",
        is_own=True,
    )
    themes = list(Theme.objects.all()[:5])
    for index, theme in enumerate(themes):
        competency = Competency.objects.create(
            framework=framework,
            code=f"KW-{index + 1}",
            position=index,
            theme=theme,
            name_nl=f"Kernwaarde {index + 1}",
            name_en=f"Core value {index + 1}",
            definition_nl="Wat je laat zien.",
            definition_en="What you show.",
        )
        LevelDescription.objects.bulk_create(
            LevelDescription(
                competency=competency, level=level, description_nl=f"Niveau {level}", description_en=f"Level {level}"
            )
            for level in range(1, 6)
        )
    return framework


def _organisation(rng):
    root = Unit.objects.create(name="Gemeente Bench")
    departments = [Unit.objects.create(name=f"Afdeling {d + 1:02d}", parent=root) for d in range(DEPARTMENTS)]
    teams = [
        Unit.objects.create(name=f"Team {d + 1:02d}-{t + 1:02d}", parent=dep)
        for d, dep in enumerate(departments)
        for t in range(TEAMS)
    ]
    unusable = make_password(None)
    people = []
    for index in range(DEPARTMENTS * TEAMS * TEAM_SIZE):
        birth = rng.randint(1960, 2003)
        people.append(
            Person(
                username=f"bench-{index:05d}",
                personnel_number=f"B{index:06d}",
                name=f"Bench Persoon {index:05d}",
                email=f"bench{index}@voorbeeld.nl",
                unit=teams[index // TEAM_SIZE],
                birth_year=birth if rng.random() < 0.9 else None,
                in_service_since=rng.randint(max(birth + 18, 1985), 2026) if rng.random() < 0.9 else None,
                password=unusable,
            )
        )
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    first = {}
    for unit_id, pk in Person.objects.order_by("-unit_id", "-pk").values_list("unit_id", "pk"):
        first[unit_id] = pk  # ends with the lowest pk per unit
    for team in teams:
        team.manager_id = first[team.pk]
    Unit.objects.bulk_update(teams, ["manager"])
    for department in departments:
        department.manager_id = first[Unit.objects.filter(parent=department).order_by("pk").first().pk]
    Unit.objects.bulk_update(departments, ["manager"])
    root.manager_id = departments[0].manager_id
    root.save(update_fields=["manager"])
    password = make_password("bench")
    hr = Person.objects.create(username="bench-hr", name="Bench HR", unit=root, password=password)
    hr.groups.add(Group.objects.get(name=settings.HR_GROUP))
    return root, departments


def _round(rng, name, opens_on, closes_on, frameworks, root):
    round_ = Round.objects.create(name=name, opens_on=opens_on, closes_on=closes_on)
    round_.frameworks.set(frameworks)
    RoundUnit.objects.create(round=round_, unit=root, include_subunits=True)
    submitted_at = timezone.make_aware(datetime.datetime.combine(closes_on, datetime.time(12)))
    people = Person.objects.filter(username__regex=r"^bench-\d+$").values_list("pk", "unit_id")
    Assessment.objects.bulk_create(
        (
            Assessment(
                round=round_,
                person_id=pk,
                unit_id=unit_id,
                started_at=submitted_at,
                submitted_at=submitted_at if rng.random() < SUBMITTED else None,
                shared_with_manager=rng.random() < SHARED,
            )
            for pk, unit_id in people
        ),
        batch_size=BATCH_SIZE,
    )
    competencies = list(Competency.objects.filter(framework__in=frameworks).values_list("pk", flat=True))
    base = {pk: rng.uniform(2.2, 3.6) for pk in competencies}
    want = {pk: rng.uniform(0.2, 1.6) for pk in competencies}
    batch = []
    for assessment_id in Assessment.objects.filter(round=round_, submitted_at__isnull=False).values_list(
        "pk", flat=True
    ):
        person = rng.gauss(0, 0.5)
        for pk in competencies:
            if rng.random() < 0.03:
                batch.append(Rating(assessment_id=assessment_id, competency_id=pk, not_applicable=True))
                continue
            current = min(5, max(1, round(base[pk] + person + rng.gauss(0, 0.6))))
            desired = min(5, max(current, round(current + want[pk] + rng.gauss(0, 0.5))))
            batch.append(
                Rating(assessment_id=assessment_id, competency_id=pk, current_level=current, desired_level=desired)
            )
        if len(batch) >= BATCH_SIZE:
            Rating.objects.bulk_create(batch)
            batch = []
    Rating.objects.bulk_create(batch)


# The measurements


def timed(client, url, runs, **query):
    """Median and slowest time of `runs` requests after two warm-ups, in ms."""
    for _ in range(2):
        response = client.get(url, query)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, query)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), response


def chart_urls(response):
    import re

    return [
        url.replace("&amp;", "&")
        for url in re.findall(r'<img src="([^"]+chart\.svg[^"]*)"', response.content.decode())
    ]


def measure(runs):
    department = Unit.objects.get(name="Afdeling 01")
    manager = department.manager
    hr = Person.objects.get(username="bench-hr")
    shared = (
        Assessment.objects.filter(round__name=ROUNDS[-1][0], unit__tree_path__startswith=department.tree_path)
        .filter(submitted_at__isnull=False, shared_with_manager=True)
        .exclude(person=manager)
        .select_related("person")
        .first()
    )
    size = Person.objects.filter(unit__tree_path__startswith=department.tree_path).count()
    client = Client()
    results, failures = [], []

    def report(label, key, median, slowest, extra=""):
        target = TARGETS_MS.get(key)
        verdict = "" if target is None else (" ok" if median < target else " TOO SLOW")
        results.append(
            f"  {label}: median {median:.0f} ms, slowest {slowest:.0f} ms{extra}"
            + (f" (target < {target} ms){verdict}" if target else "")
        )
        if target and median >= target:
            failures.append(f"{label}: {median:.0f} ms")

    client.force_login(manager)
    dashboard = reverse("reports:unit", args=[department.pk])
    median, slowest, response = timed(client, dashboard, runs)
    report(f"Team dashboard, {size} people in {TEAMS} teams", "dashboard", median, slowest)
    cold = _chart_times(client, chart_urls(response), clear=True)
    results.append(
        f"  its {len(cold)} charts, drawn with a cold cache: {sum(cold):.0f} ms in all, slowest {max(cold):.0f} ms"
    )
    warm = _chart_times(client, chart_urls(response))
    results.append(f"  the same charts from the cache: {sum(warm):.0f} ms in all, slowest {max(warm):.0f} ms")

    client.force_login(hr)
    median, slowest, response = timed(client, reverse("reports:organisation"), max(3, runs // 2))
    rows = len(response.context["report"].units)
    report(f"Organisation view, {rows} units", "organisation", median, slowest)
    median, slowest, _response = timed(
        client, reverse("reports:organisation"), max(3, runs // 2), sort="gap", order="desc"
    )
    report("Organisation view sorted by mean gap", "organisation", median, slowest)

    client.force_login(shared.person)
    median, slowest, response = timed(client, reverse("reports:me"), runs)
    report("Personal report (own), page", "personal", median, slowest)
    urls = chart_urls(response)
    charts_warm, totals = [], []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(reverse("reports:me"))
        page = (time.perf_counter() - started) * 1000
        times = _chart_times(client, urls)
        charts_warm += times
        totals.append(page + sum(times))
    # A browser asks for the charts side by side; one after the other is the worst case.
    report(
        f"  one of its {len(urls)} charts from the cache",
        None,
        statistics.median(charts_warm),
        max(charts_warm),
    )
    report(
        "  page plus all its charts one after the other (worst case)",
        None,
        statistics.median(totals),
        max(totals),
    )
    client.force_login(manager)
    median, slowest, _response = timed(client, reverse("reports:person", args=[shared.person.pk]), runs)
    report("Personal report read by the manager (shared)", "personal", median, slowest)

    print(f"PostgreSQL, {Person.objects.count()} people, {Rating.objects.count()} ratings, {runs} runs per page:")
    print("\n".join(results))
    return failures


def _chart_times(client, urls, clear=False):
    from django.core.cache import cache

    if clear:
        cache.clear()
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times or [0.0]


if __name__ == "__main__":
    main()
