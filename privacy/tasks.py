# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The nightly task, run by the django-tasks-db worker (`manage.py db_worker`): retention and the log check.

Django's task framework has no schedule of its own, so the purge task enqueues its next run
for the following night when it finishes; `migrate` enqueues the first one if none is waiting.
"""

import datetime
import logging

from django.conf import settings
from django.db import connections
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from organisation.audit_chain import verify_and_record

from . import retention

logger = logging.getLogger(__name__)

RUN_AT = datetime.time(3, 0)


@task
def purge_expired_daily():
    """Delete expired self-assessments, check the access log's chain, purge old log entries, plan tomorrow's run.

    The chain's last hash goes to the application log, which lives outside the database: someone
    who rewrote the chain in the database cannot rewrite those lines too. When the check fails,
    no log entries are purged, so the broken part stays for investigation.
    """
    found = retention.purge_expired()
    for item in found:
        logger.info("purge_expired: %s: %s self-assessments deleted", item.round, item.assessments)
    check = verify_and_record()
    logs = retention.ExpiredLogs(None, 0, 0)
    if check.ok:
        logger.info("verify_access_log: %s Last hash: %s", check.describe(), check.last_hash or "-")
        logs = retention.purge_access_records()
        logger.info(
            "purge_expired: %s access log entries, %s login records deleted", logs.access_log, logs.login_records
        )
    else:
        logger.error("verify_access_log: %s Old entries are not purged.", check.describe())
    schedule_daily_purge()
    return {
        "rounds": len(found),
        "assessments": sum(item.assessments for item in found),
        "access_log_intact": check.ok,
        "access_log_deleted": logs.access_log,
        "login_records_deleted": logs.login_records,
    }


def next_run(now=None):
    """The next RUN_AT (local time) after `now`."""
    now = timezone.localtime(now)
    candidate = now.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    if candidate <= now:
        candidate += datetime.timedelta(days=1)
    return candidate


def uses_database_worker():
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def schedule_daily_purge(now=None):
    """Enqueue the next purge unless one is already waiting; returns the new task result or None."""
    if not uses_database_worker():
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=purge_expired_daily.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return None
    return purge_expired_daily.using(run_after=next_run(now)).enqueue()


def schedule_daily_purge_after_migrate(app_config, using="default", **kwargs):
    """post_migrate: make sure a purge is planned once the task table exists."""
    if app_config.label != "django_tasks_database" or not uses_database_worker() or using != "default":
        return
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult._meta.db_table not in connections[using].introspection.table_names():
        return
    schedule_daily_purge()
