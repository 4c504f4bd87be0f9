# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from assessments.models import Assessment, Rating, Round
from privacy import retention, tasks
from tests.factories import RoundFactory
from tests.privacy.conftest import days_ago


@pytest.fixture
def rounds(org, employee, colleague, settings):
    settings.ASSESSMENT_RETENTION_DAYS = 1095
    return {
        "old": RoundFactory(
            units=[org["youth"]],
            people=[employee, colleague],
            name="Old",
            opens_on=days_ago(1200),
            closes_on=days_ago(1100),
            competencies=2,
        ),
        "edge": RoundFactory(
            units=[org["youth"]],
            people=[employee],
            name="Edge",
            opens_on=days_ago(1150),
            closes_on=days_ago(1095),
            competencies=2,
        ),
        "recent": RoundFactory(
            units=[org["youth"]],
            people=[employee],
            name="Recent",
            opens_on=days_ago(400),
            closes_on=days_ago(300),
            competencies=2,
        ),
        "closed_early": RoundFactory(
            units=[org["youth"]],
            people=[colleague],
            name="Closed early",
            opens_on=days_ago(1300),
            closes_on=days_ago(10),
            closed_at=timezone.now() - datetime.timedelta(days=1200),
            competencies=2,
        ),
        "open": RoundFactory(
            units=[org["youth"]],
            people=[employee],
            name="Open",
            opens_on=days_ago(5),
            closes_on=days_ago(-5),
            competencies=2,
        ),
    }


def test_dry_run_changes_nothing_and_lists_what_would_go(rounds):
    before = (Assessment.objects.count(), Rating.objects.count())
    out = StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert (Assessment.objects.count(), Rating.objects.count()) == before
    text = out.getvalue()
    assert (
        f"{rounds['old']} (closed {days_ago(1100):%Y-%m-%d}): 2 self-assessments, 4 ratings would be deleted" in text
    )
    assert "would be deleted" in text and "3 self-assessments would be deleted" in text
    assert "Recent" not in text and "Edge" not in text and "Open" not in text


def test_purge_deletes_only_rounds_closed_longer_ago_than_retention(rounds):
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert not Assessment.objects.filter(round__in=[rounds["old"], rounds["closed_early"]]).exists()
    assert not Rating.objects.filter(assessment__round__in=[rounds["old"], rounds["closed_early"]]).exists()
    # Exactly the retention period ago is not yet older than it; recent and open rounds stay.
    for name in ("edge", "recent", "open"):
        assert Assessment.objects.filter(round=rounds[name]).exists(), name
    # The rounds themselves hold no personal data and stay for the record.
    assert Round.objects.filter(pk=rounds["old"].pk).exists()
    assert "3 self-assessments deleted" in out.getvalue()


def test_purge_is_safe_to_repeat(rounds):
    retention.purge_expired()
    assert retention.purge_expired() == []


def test_closed_on_is_the_early_close_date(rounds):
    found = {item.round.pk: item for item in retention.purge_expired(dry_run=True)}
    assert found[rounds["closed_early"].pk].closed_on == timezone.localdate(rounds["closed_early"].closed_at)


def test_retention_setting_is_honoured(rounds, settings):
    settings.ASSESSMENT_RETENTION_DAYS = 200
    retention.purge_expired()
    assert not Assessment.objects.filter(round=rounds["recent"]).exists()
    assert Assessment.objects.filter(round=rounds["open"]).exists()


def test_the_daily_task_purges_and_plans_the_next_run(rounds):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    result = tasks.purge_expired_daily.call()
    assert result == {
        "rounds": 2,
        "assessments": 3,
        "access_log_intact": True,
        "access_log_deleted": 0,
        "login_records_deleted": 0,
        "imports": 0,
    }
    assert not Assessment.objects.filter(round=rounds["old"]).exists()
    waiting = DBTaskResult.objects.get(task_path=tasks.purge_expired_daily.module_path)
    assert waiting.status == "READY"
    assert waiting.run_after > timezone.now()
    assert timezone.localtime(waiting.run_after).hour == 3


def test_scheduling_is_idempotent(db):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    assert tasks.schedule_daily_purge() is not None
    assert tasks.schedule_daily_purge() is None
    assert DBTaskResult.objects.filter(task_path=tasks.purge_expired_daily.module_path).count() == 1


def test_migrate_plans_the_first_run(db):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert DBTaskResult.objects.filter(task_path=tasks.purge_expired_daily.module_path, status="READY").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_planned_purge(rounds):
    """The real worker (db_worker --batch) picks up a due purge task and runs it."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    tasks.purge_expired_daily.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=StringIO(), stderr=StringIO())
    done = DBTaskResult.objects.filter(task_path=tasks.purge_expired_daily.module_path).exclude(status="READY").get()
    assert done.status == "SUCCESSFUL", (done.status, done.exception_class_path, done.traceback)
    assert (done.return_value["rounds"], done.return_value["assessments"]) == (2, 3)
    assert not Assessment.objects.filter(round=rounds["old"]).exists()


def test_next_run_is_tonight_or_tomorrow_at_three():
    tz = timezone.get_current_timezone()
    assert tasks.next_run(datetime.datetime(2026, 3, 1, 2, 0, tzinfo=tz)) == datetime.datetime(
        2026, 3, 1, 3, 0, tzinfo=tz
    )
    assert tasks.next_run(datetime.datetime(2026, 3, 1, 3, 0, tzinfo=tz)) == datetime.datetime(
        2026, 3, 2, 3, 0, tzinfo=tz
    )


def test_development_plans_go_with_their_expired_round(rounds, employee):
    from learning import plans
    from learning.models import Plan

    old, _created = plans.start_plan(employee, Assessment.objects.get(round=rounds["old"], person=employee))
    recent, _created = plans.start_plan(employee, Assessment.objects.get(round=rounds["recent"], person=employee))
    [found] = [item for item in retention.purge_expired() if item.round == rounds["old"]]
    assert found.plans == 1
    assert list(Plan.objects.all()) == [recent]
