# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""How long personal data is kept.

Self-assessments: ASSESSMENT_RETENTION_DAYS after their round closed. They are deleted with
their ratings and notes, not anonymised: in small teams the unit, round and job title are
enough to tell who someone is, so an "anonymous" copy would still be personal data. The
round itself (name, dates, frameworks) stays.

The access log and django-axes' records of logins and failed logins: ACCESS_LOG_RETENTION_DAYS
after they were written (BIO2 8.15 asks for a fixed term for logs).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Assessment, Rating, Round
from organisation import audit_chain
from organisation.audit import retention_cutoff


@dataclass
class ExpiredRound:
    round: Round
    closed_on: datetime.date
    assessments: int
    ratings: int


def cutoff(today=None, days=None):
    """The day before which a round must have closed for its self-assessments to go."""
    today = today or timezone.localdate()
    days = settings.ASSESSMENT_RETENTION_DAYS if days is None else days
    return today - datetime.timedelta(days=days)


def expired_rounds(today=None, days=None):
    """Rounds that closed (on their last day, or early by HR) before the cut-off and still hold assessments."""
    day = cutoff(today, days)
    start_of_day = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    closed_before = Q(closes_on__lt=day) | Q(closed_at__lt=start_of_day)
    return Round.objects.filter(closed_before).filter(assessments__isnull=False).distinct().order_by("closes_on", "pk")


def purge_expired(dry_run=False, today=None, days=None):
    """Delete the self-assessments (and their ratings and notes) of rounds past the retention period.

    Returns one ExpiredRound per round, with what was (or, with dry_run, would be) deleted.
    """
    with transaction.atomic():
        rounds = list(expired_rounds(today, days))
        assessment_counts = dict(
            Assessment.objects.filter(round__in=rounds).values_list("round").annotate(n=Count("pk")).order_by()
        )
        rating_counts = dict(
            Rating.objects.filter(assessment__round__in=rounds)
            .values_list("assessment__round")
            .annotate(n=Count("pk"))
            .order_by()
        )
        found = [
            ExpiredRound(
                round=round_,
                closed_on=_closed_on(round_),
                assessments=assessment_counts.get(round_.pk, 0),
                ratings=rating_counts.get(round_.pk, 0),
            )
            for round_ in rounds
        ]
        if not dry_run and rounds:
            Assessment.objects.filter(round__in=rounds).delete()
    return found


def _closed_on(round_):
    if round_.closed_at is not None:
        return min(round_.closes_on, timezone.localdate(round_.closed_at))
    return round_.closes_on


@dataclass
class ExpiredLogs:
    before: datetime.datetime
    access_log: int
    login_records: int


def purge_access_records(dry_run=False, now=None):
    """Delete access log entries and django-axes login records older than ACCESS_LOG_RETENTION_DAYS."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as LoginLog

    before = retention_cutoff(now)
    access_log = audit_chain.purge_before(before, dry_run=dry_run)
    login_records = 0
    with transaction.atomic():
        for queryset in (
            AccessAttempt.objects.filter(attempt_time__lt=before),
            AccessFailureLog.objects.filter(attempt_time__lt=before),
            LoginLog.objects.filter(attempt_time__lt=before),
        ):
            login_records += queryset.count() if dry_run else queryset.delete()[0]
    return ExpiredLogs(before, access_log, login_records)
