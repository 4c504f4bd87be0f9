"""How fast is the organisation import of a ministry? (issue 16)

Targets: 25,000 people checked (planned) in under 10 s and imported in under 30 s;
100,000 people checked in under 40 s; the task worker's peak memory under 300 MB for
100,000 rows. Upload, preview and confirm pages answer within 2 s.

Runs against PostgreSQL from DATABASE_URL, in a database of its own (<name>_import_bench,
or --database NAME), whose people and units it empties before each size. For each size it
writes a CSV file like an HR system's (a ministry: directorates, departments, teams of about
twelve; one in ten people with an explicit manager), then, as HR does in the browser:
uploads it through Django's test client, lets the real task worker (`manage.py db_worker
--batch`, a separate process, as in production) check it, opens the preview, confirms and
lets the worker import it. Then it re-imports the same file with one in ten job titles
changed. Check and import times are the tasks' own start and finish times; peak memory is the
worker process's own high-water mark (`benchlib.peak_memory_mb`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vakmanschap .venv/bin/python bench/bench_import.py
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vakmanschap.settings")

from benchsettings import ENVIRONMENT, use_production  # noqa: E402

use_production()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchlib import open_database  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from organisation.models import ImportJob, Person  # noqa: E402

TARGETS = {25_000: {"check": 10, "import": 30}, 100_000: {"check": 40}}
MEMORY_TARGET_MB = 300
PAGE_TARGET_S = 2
HEADER = "personnel_number;name;email;unit;manager_personnel_number;job_title;birth_year;in_service_since\r\n"
FIRST = ["Anouk", "Bram", "Chantal", "Daan", "Eva", "Fatima", "Gijs", "Iris", "Karim", "Noor", "Sanne", "Umut"]
LAST = ["de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "El Amrani", "Öztürk", "Nguyen"]


def ministry_csv(people, changed_every=0):
    """A ministry of `people` in teams of 12; every `changed_every`-th person gets another job title."""
    lines = [HEADER]
    for i in range(people):
        team = i // 12
        directorate, department = team // 200, team // 20
        unit = f"Ministerie van Voorbeeld/Directoraat {directorate + 1}/Afdeling {department + 1}/Team {team + 1}"
        manager = f"M{(team * 12):07d}" if i % 10 == 3 else ""
        title = "Senior adviseur" if changed_every and i % changed_every == 0 else "Adviseur"
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // 7) % len(LAST)]}"
        lines.append(f"M{i:07d};{name};m{i}@voorbeeld.nl;{unit};{manager};{title};{1960 + i % 45};{1990 + i % 35}\r\n")
    return "".join(lines).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25000,100000", help="comma-separated numbers of people")
    parser.add_argument("--database", help="database name (default <name>_import_bench)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and make it again")
    args = parser.parse_args()
    settings.MAX_IMPORT_BYTES = 50 * 1024 * 1024
    name = open_database("import_bench", fresh=args.fresh, name=args.database)
    failures = []
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            failures += bench(size, name)
    finally:
        connection.close()
    if failures:
        sys.exit("Missed: " + "; ".join(failures))


def empty():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE organisation_person, organisation_unit, django_tasks_database_dbtaskresult CASCADE")
    hr = Person.objects.create(username="bench-hr", name="Bench HR", email="hr@voorbeeld.nl")
    hr.groups.add(Group.objects.get(name=settings.HR_GROUP))
    return hr


def worker(database):
    """Run the real worker until the queue is empty; its peak memory in MB."""
    env = os.environ | ENVIRONMENT | {"DATABASE_URL": _url(database)}  # production, even under DEBUG=1 make bench
    code = (
        "import sys, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'vakmanschap.settings');"
        "django.setup(); from django.core.management import call_command;"
        "call_command('db_worker', '--batch', '--no-startup-delay', '--no-reload', verbosity=0);"
        "sys.path.insert(0, 'bench'); from benchlib import peak_memory_mb; print(round(peak_memory_mb()))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    return int(out.stdout.strip().splitlines()[-1])


def _url(database):
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"


def task_seconds(task_path):
    result = DBTaskResult.objects.filter(task_path=task_path).order_by("-enqueued_at").first()
    return (result.finished_at - result.started_at).total_seconds()


def timed(call):
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def one_import(client, data, database, label):
    response, upload_s = timed(
        lambda: client.post(reverse("organisation:import"), {"file": SimpleUploadedFile("ministerie.csv", data)})
    )
    assert response.status_code == 302, response.status_code
    job = ImportJob.objects.latest("pk")
    check_mb = worker(database)
    check_s = task_seconds("organisation.tasks.check_import")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY, (job.status, job.message)
    page = reverse("organisation:import_job", kwargs={"pk": job.pk})
    response, preview_s = timed(lambda: client.get(page, {"show": "update" if job.summary["updated"] else "create"}))
    assert response.status_code == 200
    response, confirm_s = timed(lambda: client.post(reverse("organisation:import_confirm", kwargs={"pk": job.pk})))
    assert response.status_code == 302
    import_mb = worker(database)
    import_s = task_seconds("organisation.tasks.run_import")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.status
    s = job.summary
    print(
        f"  {label}: {len(data) / 1e6:.1f} MB; {s['created']} added, {s['updated']} changed, {s['unchanged']} same, "
        f"{s['units_created']} units; check {check_s:.1f} s (worker peak {check_mb} MB), "
        f"import incl. second check {import_s:.1f} s (worker peak {import_mb} MB); "
        f"pages: upload {upload_s:.2f} s, preview {preview_s:.2f} s, confirm {confirm_s:.2f} s"
    )
    return {
        "check": check_s,
        "import": import_s,
        "memory": max(check_mb, import_mb),
        "pages": (upload_s, preview_s, confirm_s),
    }


def bench(size, database):
    print(f"{size} people")
    hr = empty()
    client = Client()
    client.force_login(hr)
    first = one_import(client, ministry_csv(size), database, "first import")
    again = one_import(client, ministry_csv(size, changed_every=10), database, "re-import, 10% changed")
    failures = []
    target = TARGETS.get(size, {})
    for figures in (first, again):
        for step, limit in target.items():
            if figures[step] >= limit:
                failures.append(f"{size} people: {step} {figures[step]:.1f} s, target under {limit} s")
        if size >= 100_000 and figures["memory"] >= MEMORY_TARGET_MB:
            failures.append(f"{size} people: worker peak {figures['memory']} MB, target under {MEMORY_TARGET_MB} MB")
        if max(figures["pages"]) >= PAGE_TARGET_S:
            failures.append(f"{size} people: a page took {max(figures['pages']):.2f} s")
    return failures


if __name__ == "__main__":
    main()
