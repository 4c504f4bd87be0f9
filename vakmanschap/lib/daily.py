# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Daily tasks for the django-tasks-db worker (`manage.py db_worker`).

Django's task framework has no schedule of its own, so a daily task enqueues its own next
run when it finishes, and `migrate` enqueues the first one when none is waiting. Used by the
nightly retention purge (privacy/tasks.py) and the morning reminders (learning/tasks.py).
"""

import datetime

from django.conf import settings
from django.db import connections
from django.tasks import TaskResultStatus
from django.utils import timezone


def next_run(at: datetime.time, now=None):
    """The next `at` (local time) after `now`."""
    now = timezone.localtime(now)
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if candidate <= now:
        candidate += datetime.timedelta(days=1)
    return candidate


def uses_database_worker():
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def schedule_daily(task, at, now=None):
    """Enqueue `task` for the next `at` unless a run is already waiting; returns the new task result or None."""
    if not uses_database_worker():
        return None
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).exists():
        return None
    return task.using(run_after=next_run(at, now)).enqueue()


def task_table_ready(app_config, using):
    """In a post_migrate receiver: whether this is the worker's app and its table exists."""
    if app_config.label != "django_tasks_database" or not uses_database_worker() or using != "default":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult._meta.db_table in connections[using].introspection.table_names()
