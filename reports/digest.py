# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The weekly participation summary for managers, sent by learning's reminder run (`reminders_due`).

Counts only, never names or levels: per open round, how many people in the units the manager
manages (with everything below them) were invited, are busy and have submitted. Each count is
released first (reports/disclosure.release_count: steps of the disclosure layer's minimum), so a
small team's figures are withheld and one person's submission never shows as a change.
Sent once per manager per week (the Monday is the reminder's date).
"""

from django.urls import reverse

from assessments.models import Round
from assessments.rounds import participation_by_unit
from learning import reminders
from learning.models import ReminderKind
from organisation.models import Unit

from .disclosure import release_count


def digest_mails(today):
    """One mail per manager with a managed unit taking part in an open round."""
    week = reminders.week_start(today)
    per_manager = {}
    for round_ in Round.objects.open(today):
        for row in participation_by_unit(round_):
            if row.unit.manager_id is None:
                continue
            figures = per_manager.setdefault(row.unit.manager_id, {"manager": None, "rows": []})
            figures["rows"].append(
                {
                    "round": round_,
                    "unit": row.unit,
                    "total": release_count(row.total),
                    "in_progress": release_count(row.in_progress),
                    "submitted": release_count(row.submitted),
                }
            )
    if not per_manager:
        return
    managers = {
        unit.manager_id: unit.manager
        for unit in Unit.objects.filter(manager_id__in=per_manager).select_related("manager")
    }
    for manager_id, figures in per_manager.items():
        manager = managers[manager_id]
        # A manager of a department sees the department's totals, not each team again.
        managed = {row["unit"].pk for row in figures["rows"]}
        rows = [row for row in figures["rows"] if not set(row["unit"].ancestor_ids()[:-1]) & managed]
        context = {
            "rows": rows,
            "week": week,
            "url": reminders.absolute(reverse("home")),
            "settings_url": reminders.absolute(reverse("learning:reminder_settings")),
        }
        yield reminders.Mail(ReminderKind.WEEKLY_DIGEST, manager, manager_id, week, "weekly_digest", context)


def send_digests(sender=None, *, today, using="default", **kwargs):
    """`reminders_due` receiver: the weekly summaries (once per week, whichever day the run first comes)."""
    return reminders.send_all(digest_mails(today), using)
