# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Releases of big rounds, made by the django-tasks-db worker (`manage.py db_worker`) rather than in a request.

A release of a whole ministry takes about a minute (docs/performance.md): longer than a
proxy or gunicorn lets a request run. `disclosure.current_release` hands such a release to
this task and the report shows its figures as waiting until the worker has made it.
"""

import logging

from django.tasks import task

from assessments.models import Round

from . import disclosure

logger = logging.getLogger(__name__)


@task
def make_due_release(round_id):
    """Make the release that is due for the round, if any (serialised per round, so a repeat does nothing)."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return {"release": None}
    release = disclosure.current_release(round_, in_request=False)
    logger.info("release of %s: %s", round_, release)
    return {"release": release.number if release else None, "people": release.people if release else 0}
