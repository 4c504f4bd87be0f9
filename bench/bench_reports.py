# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""How fast are releases, reports and the form for a ministry of 100,000 people with 40 competencies? (issue 16)

Targets, warm, through the whole middleware stack: the team dashboard of a
1,000-person unit under 150 ms, the organisation view under 300 ms, a personal
report under 100 ms (as its owner and as the manager it is shared with), the
self-assessment form of a 40-competency round under 200 ms, saving one answer p95
under 50 ms; the first (final) release of a closed round of the whole organisation
under 30 s; seeding all of it under 5 minutes.

Runs against PostgreSQL from DATABASE_URL, in a database of its own
(<name>_scale_bench), so your real data is never touched. The first run builds,
with bulk SQL (INSERT ... SELECT generate_series): 100 departments of 1,000 people
(40 teams of 25 each), the five framework fixtures plus an own framework of five
competencies (40 in all), two closed rounds a year apart in which 85% submitted and
40% shared with their manager (about 6.8 million ratings), and an open round with
the same 40 competencies. Later runs reuse it (--fresh starts over).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vakmanschap .venv/bin/python bench/bench_reports.py
"""

import argparse
import datetime
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

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchlib import Autosaver, open_database  # noqa: E402

from assessments.models import Assessment, Rating, Round, RoundUnit  # noqa: E402
from competencies.models import Competency, Framework, LevelDescription, Theme  # noqa: E402
from organisation.models import Person, Unit  # noqa: E402
from reports import disclosure  # noqa: E402
from reports.models import Release  # noqa: E402

DEPARTMENTS, TEAMS, TEAM_SIZE = 100, 40, 25
EMPLOYEES = DEPARTMENTS * TEAMS * TEAM_SIZE
CLOSED_ROUNDS = [
    ("Bench voorjaar 2025", datetime.date(2025, 3, 3), datetime.date(2025, 4, 11)),
    ("Bench voorjaar 2026", datetime.date(2026, 3, 2), datetime.date(2026, 4, 10)),
]
OPEN_ROUND = "Bench najaar 2026"
# Per thousand, from a hash of the id: who submitted and who shared (of those who submitted).
SUBMITTED_PER_MILLE, SHARED_PER_MILLE = 850, 400
TARGETS_MS = {"dashboard": 150, "organisation": 300, "personal": 100, "form": 200, "save": 50}
RELEASE_TARGET_S, SEED_TARGET_S = 30, 300
PASSWORD = "bench"  # noqa: S105 - a benchmark database of its own


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed requests per page (after two warm-ups)")
    parser.add_argument("--saves", type=int, default=200, help="answers saved for the p95")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and build it again")
    parser.add_argument(
        "--release-again", action="store_true", help="drop the closed rounds' releases and time them again"
    )
    parser.add_argument("--allow-sqlite", action="store_true", help="run on SQLite anyway (not the real figure)")
    parser.add_argument(
        "--departments",
        type=int,
        default=DEPARTMENTS,
        help=f"departments of {TEAMS * TEAM_SIZE} people (default {DEPARTMENTS}; 1 for an organisation of 1,000, "
        "in a database of its own)",
    )
    args = parser.parse_args()

    suffix = "scale_bench" if args.departments == DEPARTMENTS else f"scale_bench_{args.departments}"
    set_size(args.departments)
    open_database(suffix, fresh=args.fresh, allow_sqlite=args.allow_sqlite)
    failures = []
    try:
        failures += seed()
        if args.release_again:
            _drop_releases()
        failures += release()
        failures += measure(args.runs, args.saves)
    finally:
        connection.close()
    if failures:
        sys.exit("TOO SLOW: " + "; ".join(failures))


def set_size(departments):
    """Seed and measure `departments` departments (the organisation's size) instead of the default 100."""
    global DEPARTMENTS, EMPLOYEES
    DEPARTMENTS, EMPLOYEES = departments, departments * TEAMS * TEAM_SIZE


# The data


def seed():
    people = Person.objects.filter(username__startswith="bench-").count()
    if people >= EMPLOYEES:
        print(f"Built already: {people} people, {Rating.objects.count()} ratings")
        return []
    started = time.monotonic()
    call_command("load_frameworks", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    frameworks = [*Framework.objects.current().filter(is_own=False), _own_framework()]
    root = _organisation()
    now = timezone.now()
    for name, opens_on, closes_on in CLOSED_ROUNDS:
        round_ = _round(name, opens_on, closes_on, frameworks, root)
        _assessments(round_, submitted=True)
        _ratings(round_)
    today = timezone.localdate()
    round_ = _round(
        OPEN_ROUND, today - datetime.timedelta(days=7), today + datetime.timedelta(days=21), frameworks, root
    )
    _assessments(round_, submitted=False)
    for framework in frameworks:
        framework.freeze()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    took = time.monotonic() - started
    competencies = Competency.objects.filter(framework__in=frameworks).count()
    verdict = "ok" if took < SEED_TARGET_S else "TOO SLOW"
    print(
        f"Built {Person.objects.count()} people, {Unit.objects.count()} units, {competencies} competencies and "
        f"{Rating.objects.count()} ratings in {took:.0f} s (target < {SEED_TARGET_S} s) {verdict}"
    )
    print(f"  (seeded at {now:%Y-%m-%d %H:%M})")
    return [] if took < SEED_TARGET_S else [f"seeding: {took:.0f} s"]


def _own_framework():
    framework = Framework.objects.create(
        slug="bench-kernwaarden",
        title_nl="Kernwaarden (bench)",
        title_en="Core values (bench)",
        description_nl="Eigen kader voor de benchmark.",
        description_en="Own framework for the benchmark.",
        is_own=True,
    )
    for index, theme in enumerate(Theme.objects.all()[:5]):
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


def _organisation():
    """Root, departments and teams with their tree paths; 100,000 people; a manager per unit; HR."""
    unit = Unit._meta.db_table
    person = Person._meta.db_table
    root = Unit.objects.create(name="Ministerie Bench")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {unit} (name, parent_id, tree_path)
            SELECT 'Afdeling ' || lpad(d::text, 3, '0'), %(root)s, '' FROM generate_series(1, {DEPARTMENTS}) d
            """,  # noqa: S608 - table names and constants only
            {"root": root.pk},
        )
        cursor.execute(
            f"UPDATE {unit} SET tree_path = %s || id || '/' WHERE parent_id = %s",  # noqa: S608
            [root.tree_path, root.pk],
        )
        cursor.execute(
            f"""
            INSERT INTO {unit} (name, parent_id, tree_path)
            SELECT 'Team ' || substr(d.name, 10) || '-' || lpad(t::text, 2, '0'), d.id, d.tree_path
            FROM {unit} d CROSS JOIN generate_series(1, {TEAMS}) t WHERE d.parent_id = %(root)s
            ORDER BY d.id, t
            """,  # noqa: S608
            {"root": root.pk},
        )
        cursor.execute(
            f"UPDATE {unit} SET tree_path = tree_path || id || '/' WHERE tree_path NOT LIKE '%%/' || id || '/'"  # noqa: S608
        )
        teams = [pk for (pk,) in Unit.objects.filter(parent__parent=root).order_by("pk").values_list("pk")]
        cursor.execute(
            f"""
            INSERT INTO {person} (password, is_superuser, username, email, is_staff, is_active, date_joined,
                name, personnel_number, job_title, unit_id, birth_year, in_service_since)
            SELECT %(password)s, false, 'bench-' || lpad(g::text, 6, '0'), 'bench' || g || '@voorbeeld.nl',
                false, true, %(now)s, 'Bench Persoon ' || lpad(g::text, 6, '0'), 'B' || lpad(g::text, 6, '0'),
                CASE WHEN g %% 7 = 0 THEN 'Adviseur' ELSE 'Medewerker' END,
                (%(teams)s::bigint[])[(g - 1) / {TEAM_SIZE} + 1],
                CASE WHEN g %% 10 = 0 THEN NULL ELSE 1960 + (g * 37) %% 44 END,
                CASE WHEN g %% 10 = 3 THEN NULL ELSE 1985 + (g * 53) %% 41 END
            FROM generate_series(1, {EMPLOYEES}) AS g
            """,  # noqa: S608
            {"password": make_password(PASSWORD), "now": timezone.now(), "teams": teams},
        )
        # The first person of each team manages it; a department is managed by its first team's manager.
        cursor.execute(
            f"""
            UPDATE {unit} u SET manager_id = m.id
            FROM (SELECT unit_id, min(id) AS id FROM {person} GROUP BY unit_id) m WHERE m.unit_id = u.id
            """  # noqa: S608
        )
        cursor.execute(
            f"""
            UPDATE {unit} d SET manager_id = t.manager_id
            FROM (SELECT DISTINCT ON (parent_id) parent_id, manager_id FROM {unit}
                  WHERE parent_id IS NOT NULL ORDER BY parent_id, id) t
            WHERE t.parent_id = d.id AND d.parent_id = %s
            """,  # noqa: S608
            [root.pk],
        )
    # The ministry's top manager manages no department of their own.
    root.refresh_from_db()
    root.manager = Person.objects.create(
        username="bench-sg", name="Bench SG", unit=root, password=make_password(PASSWORD)
    )
    root.save(update_fields=["manager"])
    hr = Person.objects.create(username="bench-hr", name="Bench HR", unit=root, password=make_password(PASSWORD))
    hr.groups.add(Group.objects.get(name=settings.HR_GROUP))
    return root


def _round(name, opens_on, closes_on, frameworks, root):
    round_ = Round.objects.create(name=name, opens_on=opens_on, closes_on=closes_on)
    round_.frameworks.set(frameworks)
    RoundUnit.objects.create(round=round_, unit=root, include_subunits=True)
    return round_


def _assessments(round_, submitted):
    """Everyone invited; in a closed round 85% submitted on the last day, 40% of them shared when submitting."""
    at = timezone.make_aware(datetime.datetime.combine(round_.closes_on, datetime.time(12)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Assessment._meta.db_table} (round_id, person_id, unit_id, created_at, started_at,
                submitted_at, shared_with_manager, shared_at, reopen_reason)
            SELECT %(round)s, p.id, p.unit_id, %(at)s, CASE WHEN %(submitted)s THEN %(at)s END, s.at,
                s.at IS NOT NULL AND s.shared, CASE WHEN s.shared THEN s.at END, ''
            FROM {Person._meta.db_table} p,
                LATERAL (SELECT CASE WHEN %(submitted)s AND (p.id * 7919 + %(round)s) %% 1000 < {SUBMITTED_PER_MILLE}
                                     THEN %(at)s::timestamptz END AS at,
                                (p.id * 104729 + %(round)s) %% 1000 < {SHARED_PER_MILLE} AS shared) s
            WHERE p.username LIKE 'bench-%%' AND p.username <> 'bench-hr'
            """,  # noqa: S608
            {"round": round_.pk, "at": at, "submitted": submitted},
        )


def _ratings(round_):
    """Two levels per competency for every submitted self-assessment, 3% not applicable; levels vary by person."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Rating._meta.db_table} (assessment_id, competency_id, current_level, desired_level,
                not_applicable, note, updated_at, version)
            SELECT a.id, c.id, CASE WHEN h.na THEN NULL ELSE h.current END,
                CASE WHEN h.na THEN NULL ELSE least(5, h.current + h.step) END, h.na, '', a.submitted_at, 1
            FROM {Assessment._meta.db_table} a
            CROSS JOIN {Competency._meta.db_table} c
            JOIN assessments_round_frameworks rf ON rf.framework_id = c.framework_id AND rf.round_id = a.round_id,
            LATERAL (SELECT (a.id * 31 + c.id * 17) %% 100 < 3 AS na,
                            least(5, 1 + (a.person_id * 13) %% 3 + (c.id * 7) %% 3 + (a.id + c.id) %% 2) AS current,
                            (a.id * 11 + c.id * 5) %% 3 AS step) h
            WHERE a.round_id = %(round)s AND a.submitted_at IS NOT NULL
            """,  # noqa: S608
            {"round": round_.pk},
        )


# The measurements


def release():
    """The first (final) release of the latest closed round: structure, steps, sums, bands."""
    round_ = Round.objects.get(name=CLOSED_ROUNDS[-1][0])
    failures, made_now = [], False
    for past in Round.objects.filter(name__in=[name for name, _o, _c in CLOSED_ROUNDS]):
        if not Release.objects.filter(round=past).exists():
            started = time.monotonic()
            made = disclosure.current_release(past, in_request=False)
            took = time.monotonic() - started
            verdict = "ok" if took < RELEASE_TARGET_S else "TOO SLOW"
            print(
                f"  Final release of {past.name}: {made.people} people counted in {took:.1f} s "
                f"(target < {RELEASE_TARGET_S} s) {verdict}"
            )
            if took >= RELEASE_TARGET_S:
                failures.append(f"release of {past.name}: {took:.1f} s")
            made_now = True
    if made_now:
        # As autovacuum would before people read the figures (it is off on our machines): statistics of the
        # release tables, and the visibility map that lets index-only scans skip the 6.8 million rating rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if not failures and Release.objects.filter(round=round_).exists():
        print(f"  Releases made already ({Release.objects.filter(round=round_).get().people} people in the latest)")
    return failures


def _drop_releases():
    from reports.models import ReleasedBandSum, ReleasedSum, ReleaseEntry, RoundStructure, SharedLevelsSeen

    with connection.cursor() as cursor:
        for model in (ReleasedBandSum, ReleasedSum, ReleaseEntry, SharedLevelsSeen, Release, RoundStructure):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - table names only
        cursor.execute("VACUUM ANALYZE")


def timed(client, url, runs, method="get", data=None, **query):
    """All timings (ms) of `runs` requests after two warm-ups, the query count of the last one and its response."""
    call = getattr(client, method)
    for _ in range(2):
        response = call(url, data or query)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = call(url, data or query)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        call(url, data or query)
    return timings, len(queries), response


def measure(runs, saves):
    department = Unit.objects.get(name="Afdeling 001")
    manager = department.manager
    hr = Person.objects.get(username="bench-hr")
    latest = Round.objects.get(name=CLOSED_ROUNDS[-1][0])
    shared = (
        Assessment.objects.filter(round=latest, unit__tree_path__startswith=department.tree_path)
        .filter(submitted_at__isnull=False, shared_with_manager=True)
        .exclude(person=manager)
        .exclude(unit=department)
        .select_related("person", "unit")
        .first()
    )
    size = Person.objects.filter(unit__tree_path__startswith=department.tree_path).count()
    failures = []
    print(
        f"PostgreSQL, {Person.objects.count()} people, {Rating.objects.count()} ratings, {runs} runs per page, "
        f"{saves} saves, {timezone.now():%Y-%m-%d %H:%M}, load average {os.getloadavg()[0]:.1f}:",
        flush=True,
    )

    def report(label, key, timings, queries):
        target = TARGETS_MS.get(key)
        ordered = sorted(timings)
        median, p95 = statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]
        measure_ = p95 if key == "save" else median
        verdict = "" if target is None else (" ok" if measure_ < target else " TOO SLOW")
        print(
            f"  {label}: min {ordered[0]:.0f} / median {median:.0f} / p95 {p95:.0f} / max {ordered[-1]:.0f} ms, "
            f"{queries} queries"
            + (f" (target {'p95' if key == 'save' else 'median'} < {target} ms){verdict}" if target else "")
        )
        if target and measure_ >= target:
            failures.append(f"{label}: {measure_:.0f} ms")

    client = Client()
    client.force_login(manager)
    timings, queries, _response = timed(client, reverse("reports:unit", args=[department.pk]), runs)
    report(f"Team dashboard, {size} people in {TEAMS} teams (its manager)", "dashboard", timings, queries)
    timings, queries, _response = timed(client, reverse("reports:person", args=[shared.person.pk]), runs)
    report("Personal report read by the own manager (shared)", "personal", timings, queries)

    client = Client()
    client.force_login(shared.person)
    timings, queries, _response = timed(client, reverse("reports:me"), runs)
    report("Personal report (own)", "personal", timings, queries)

    client = Client()
    client.force_login(hr)
    timings, queries, response = timed(client, reverse("reports:organisation"), runs)
    rows = len(response.context["report"].units)
    report(f"Organisation view, {rows} units (HR)", "organisation", timings, queries)
    timings, queries, _response = timed(client, reverse("reports:organisation"), runs, sort="gap", order="desc")
    report("Organisation view sorted by mean gap", "organisation", timings, queries)

    employee = shared.person
    assessment = Assessment.objects.get(round__name=OPEN_ROUND, person=employee)
    client = Client()
    client.force_login(employee)
    timings, queries, _response = timed(client, reverse("assessments:form", args=[assessment.pk]), runs)
    n = Competency.objects.for_round(assessment.round).count()
    report(f"Self-assessment form, {n} competencies", "form", timings, queries)
    report("Saving one answer (htmx autosave)", "save", *_saves(assessment, employee, saves))

    print(f"  (load average {os.getloadavg()[0]:.1f} at the end)")
    return failures


def _saves(assessment, employee, saves):
    timings, queries = Autosaver(assessment, employee).run(saves)
    return timings, len(queries)


if __name__ == "__main__":
    main()
