"""The daily purge, run by the django-tasks-db worker (`manage.py db_worker`).

The purge task enqueues its next run for the following night when it finishes; `migrate`
enqueues the first one if none is waiting (vakmanschap/lib/daily.py).
"""

import datetime
import logging

from django.tasks import task

from vakmanschap.lib import daily

from . import retention

logger = logging.getLogger(__name__)

RUN_AT = datetime.time(3, 0)


@task
def purge_expired_daily():
    """Delete expired self-assessments, then plan tomorrow's run."""
    found = retention.purge_expired()
    for item in found:
        logger.info("purge_expired: %s: %s self-assessments deleted", item.round, item.assessments)
    schedule_daily_purge()
    return {"rounds": len(found), "assessments": sum(item.assessments for item in found)}


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
