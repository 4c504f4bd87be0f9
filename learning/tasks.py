# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The morning reminders, run by the django-tasks-db worker (`manage.py db_worker`)."""

import datetime
import logging

from django.tasks import task

from vakmanschap.lib import daily

from . import reminders

logger = logging.getLogger(__name__)

RUN_AT = datetime.time(7, 0)


@task
def send_reminders_daily():
    """Send today's reminders (each once), then plan tomorrow's run."""
    try:
        sent = reminders.send_due()
        logger.info("reminders: %s sent", sent)
    finally:
        schedule_daily_reminders()
    return {"sent": sent}


def schedule_daily_reminders(now=None):
    return daily.schedule_daily(send_reminders_daily, RUN_AT, now)


def schedule_after_migrate(app_config, using="default", **kwargs):
    """post_migrate: make sure a reminder run is planned once the task table exists."""
    if daily.task_table_ready(app_config, using):
        schedule_daily_reminders()
