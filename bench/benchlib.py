# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""What the benchmark scripts share: a database of their own, and answers saved as the browser's autosave does.

Import after `django.setup()`.
"""

import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

from assessments import answers


def open_database(suffix, *, fresh=False, allow_sqlite=False, name=None):
    """Switch to the benchmark's own database `<DATABASE_URL's name>_<suffix>` (or `name`); returns its name.

    It is made on the first run and kept for the next (`fresh` drops it first). The real database is never
    touched. Stops with a message on SQLite unless `allow_sqlite` (a quick try, not the figure that counts).
    """
    if connection.vendor != "postgresql" and not allow_sqlite:
        sys.exit(
            "The benchmark measures PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            f"(it uses a database of its own, <name>_{suffix})."
        )
    setup_test_environment()
    if not settings.DEBUG:  # the production storage serves hashed names from a manifest (benchsettings.py)
        call_command("collectstatic", interactive=False, verbosity=0)
    connection.settings_dict["TEST"]["NAME"] = name or f"{connection.settings_dict['NAME']}_{suffix}"
    created = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=not fresh)
    print(f"Database: {created}")
    return created


def peak_memory_mb():
    """This process's peak resident memory in MB: the kernel's high-water mark of its own memory (VmHWM).

    Not `getrusage(RUSAGE_SELF).ru_maxrss`: on Linux that also carries the peak of the memory the process had
    before `exec`, which for a child started with `subprocess` is the parent's. A worker started by a 300 MB
    benchmark reported 300 MB whatever it used itself. Falls back to ru_maxrss where there is no /proc.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def analyse():
    """Give PostgreSQL's planner statistics of freshly seeded tables (autovacuum may be off, as on our machines)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Autosaver:
    """`employee` saving answers in `assessment` as htmx autosave requests through the whole middleware stack.

    Every save carries the version of the previous one, as the form in the browser does.
    """

    def __init__(self, assessment, employee):
        self.assessment = assessment
        self.competencies = list(assessment.round.competencies().values_list("pk", flat=True))
        self.versions = dict(assessment.ratings.values_list("competency_id", "version"))
        self.client = Client(headers={"HX-Request": "true"})
        self.client.force_login(employee)
        self.cpu = []  # this process's processor time per save: steadier than wall time on a busy machine

    def save(self, number):
        """Save answer `number` (which competency and levels follow from it); returns the wall time in ms."""
        competency = self.competencies[number % len(self.competencies)]
        fields = {
            "current_level": 1 + number % 5,
            "desired_level": 1 + (number + 2) % 5,
            "note": f"Benchmark {number}",
            "version": self.versions.get(competency, 0),
        }
        data = {f"{answers.prefix(competency)}-{key}": value for key, value in fields.items()}
        url = reverse("assessments:rating", args=[self.assessment.pk, competency])
        started, cpu_started = time.perf_counter(), time.process_time()
        response = self.client.post(url, data)
        elapsed = (time.perf_counter() - started) * 1000
        self.cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (response.status_code, response.content[:500])  # noqa: S101
        self.versions[competency] = self.versions.get(competency, 0) + 1
        return elapsed

    def run(self, saves, warm_up=10):
        """(sorted wall times in ms of `saves` saves, the SQL of one save) after `warm_up` saves not counted."""
        for number in range(warm_up):
            self.save(number)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            self.save(warm_up)
        self.cpu.clear()
        timings = sorted(self.save(number) for number in range(warm_up + 1, warm_up + 1 + saves))
        return timings, queries
