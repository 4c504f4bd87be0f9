# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""A big release goes to the task worker: a request never runs for the minute a ministry's release takes."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

import pytest

from reports.models import Release
from tests.reports.conftest import add_people, submit_many

pytestmark = pytest.mark.django_db(transaction=True)

LEVELS = [(2, 4)]


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=StringIO(), stderr=StringIO())


def _queued():
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path="reports.tasks.make_due_release").values_list("status", "args_kwargs")
    )


def test_a_release_over_the_limit_is_made_by_the_worker_and_the_page_waits_for_it(client, org, hr, spring, settings):
    settings.RELEASE_IN_REQUEST_MAX = 4
    submit_many(add_people(org["youth"], 6), spring, LEVELS)
    client.force_login(hr)

    waiting = client.get(reverse("reports:organisation"), {"round": spring.pk})
    assert waiting.status_code == 200
    assert not Release.objects.filter(round=spring).exists()  # the request did not make it
    assert waiting.context["report"].release is None
    youth = next(row for row in waiting.context["report"].units if row.key == org["youth"].pk)
    assert not youth.overall.shown
    [(status, arguments)] = _queued()
    assert status == "READY" and arguments["args"] == [spring.pk]

    client.get(reverse("reports:organisation"), {"round": spring.pk})
    assert len(_queued()) == 1  # looking again does not queue it twice

    _run_worker()
    [release] = Release.objects.filter(round=spring)
    assert release.final and release.people == 6
    shown = client.get(reverse("reports:organisation"), {"round": spring.pk}).context["report"]
    youth = next(row for row in shown.units if row.key == org["youth"].pk)
    assert youth.overall.shown and youth.overall.respondents == 6 * len(spring.frameworks.get().competencies.all())


def test_a_release_within_the_limit_is_made_in_the_request(client, org, hr, spring, settings):
    settings.RELEASE_IN_REQUEST_MAX = 6
    submit_many(add_people(org["youth"], 6), spring, LEVELS)
    client.force_login(hr)
    report = client.get(reverse("reports:organisation"), {"round": spring.pk}).context["report"]
    assert report.release is not None and report.release.people == 6
    assert _queued() == []
