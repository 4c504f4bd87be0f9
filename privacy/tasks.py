# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The nightly task, run by the django-tasks-db worker (`manage.py db_worker`): retention and the log check.

The purge task enqueues its next run for the following night when it finishes; `migrate`
enqueues the first one if none is waiting (vakmanschap/lib/daily.py).
"""

import datetime
import logging

from django.tasks import task

from organisation import import_jobs
from organisation.audit_chain import verify_and_record
from vakmanschap.lib import daily

from . import retention

logger = logging.getLogger(__name__)

RUN_AT = datetime.time(3, 0)


@task
def purge_expired_daily():
    """Delete expired self-assessments and stale imports, check the access log's chain, purge old entries.

    The chain's last hash goes to the application log, which lives outside the database: someone
    who rewrote the chain in the database cannot rewrite those lines too. When the check fails,
    no log entries are purged, so the broken part stays for investigation.
    """
    found = retention.purge_expired()
    for item in found:
        logger.info("purge_expired: %s: %s self-assessments deleted", item.round, item.assessments)
    imports = import_jobs.purge_stale()
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
        "imports": imports,
    }


def next_run(now=None):
    """The next RUN_AT (local time) after `now`."""
    return daily.next_run(RUN_AT, now)


def schedule_daily_purge(now=None):
    """Enqueue the next purge unless one is already waiting; returns the new task result or None."""
    return daily.schedule_daily(purge_expired_daily, RUN_AT, now)


def schedule_daily_purge_after_migrate(app_config, using="default", **kwargs):
    """post_migrate: make sure a purge is planned once the task table exists."""
    if daily.task_table_ready(app_config, using):
        schedule_daily_purge()
