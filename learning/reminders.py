# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""E-mail reminders: round opened, a week and a day before the closing date, a plan action due,
and (sent by reports, which releases the figures) a weekly participation summary for managers.

Every reminder is sent at most once: before the mail goes out a row (kind, person, object,
date) is inserted and committed, and a unique constraint refuses a second one, also when the
worker restarts or two workers run at once. The row is removed again only when the mail
server refused the message, so the next run tries again. The `date` is the day the reminder
is about (the opening day, the closing date minus 7 or 1, the action's date), not the day it
was sent: a worker that was down for a day still sends it once, late.

Mails never hold levels or gaps. They are in Dutch with the English text below it (the
portal does not store a language per person), as plain text and HTML.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Assessment, Round
from organisation.access import is_manager

from .models import Action, ActionStatus, ReminderKind, ReminderOptOut, SentReminder

logger = logging.getLogger(__name__)

OPENED_WINDOW_DAYS = 3  # a round opened up to this many days ago still gets its "round opened" mail
LANGUAGES = ("nl", "en")
MANAGER_KINDS = {ReminderKind.WEEKLY_DIGEST}

# Sent by the daily run with `today`; reports connects the weekly summary (it releases the figures).
reminders_due = Signal()


def kinds_for(person):
    """The kinds of reminder `person` can get, as (value, label) pairs for the settings page."""
    manager = is_manager(person)
    return [(value, label) for value, label in ReminderKind.choices if manager or value not in MANAGER_KINDS]


def opted_out(person):
    return set(ReminderOptOut.objects.filter(person=person).values_list("kind", flat=True))


@transaction.atomic
def set_opt_outs(person, kinds):
    ReminderOptOut.objects.filter(person=person).exclude(kind__in=kinds).delete()
    for kind in kinds:
        ReminderOptOut.objects.get_or_create(person=person, kind=kind)


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


# Sending once ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mail:
    kind: str
    person: object
    object_id: int
    on_date: datetime.date
    template: str  # learning/mail/<template>.txt and .html
    context: dict


def render(mail):
    """(subject, text, html): Dutch first, then English, from the same templates."""
    parts = {"subject": [], "txt": [], "html": []}
    for language in LANGUAGES:
        with translation.override(language):
            context = {**mail.context, "person": mail.person, "language": language}
            parts["subject"].append(render_to_string(f"learning/mail/{mail.template}.subject.txt", context).strip())
            parts["txt"].append(render_to_string(f"learning/mail/{mail.template}.txt", context).strip())
            parts["html"].append(render_to_string(f"learning/mail/{mail.template}.html", context).strip())
    subject = " / ".join(dict.fromkeys(parts["subject"]))
    text = "\n\n----- English -----\n\n".join(parts["txt"]) + "\n"
    html = render_to_string("learning/mail/base.html", {"parts": parts["html"], "subject": subject})
    return subject, text, html


def send_once(mail, using="default"):
    """Send `mail` unless it was sent (or is being sent) before or the person opted out; True when sent."""
    person = mail.person
    if not person.email or not person.is_active:
        return False
    if ReminderOptOut.objects.filter(person=person, kind=mail.kind).exists():
        return False
    try:
        with transaction.atomic():
            claim = SentReminder.objects.create(
                kind=mail.kind, person=person, object_id=mail.object_id, on_date=mail.on_date
            )
    except IntegrityError:
        return False
    subject, text, html = render(mail)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [person.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send(using=using)
    except Exception:
        # Refused or unreachable: free the claim so the next run tries again.
        SentReminder.objects.filter(pk=claim.pk).delete()
        raise
    SentReminder.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
    return True


def send_all(mails, using="default"):
    """Send each mail once; a failure is logged and does not stop the others. Returns the number sent."""
    sent = 0
    for mail in mails:
        try:
            sent += send_once(mail, using=using)
        except Exception:
            logger.exception("reminder %s to person %s not sent", mail.kind, mail.person.pk)
    return sent


# Who gets what today ---------------------------------------------------------------------------------------------


def _round_context(round_, assessment):
    return {
        "round": round_,
        "closes_on": round_.closes_on,
        "url": absolute(reverse("assessments:form", args=[assessment.pk])),
        "settings_url": absolute(reverse("learning:reminder_settings")),
    }


def round_mails(today):
    """Round opened (to every participant) and the two deadline reminders (to those who have not submitted)."""
    rounds = Round.objects.open(today)
    for round_ in rounds:
        deadline_week = round_.closes_on - datetime.timedelta(days=7)
        deadline_day = round_.closes_on - datetime.timedelta(days=1)
        due = []
        if round_.opens_on >= today - datetime.timedelta(days=OPENED_WINDOW_DAYS):
            due.append((ReminderKind.ROUND_OPENED, round_.opens_on, "round_opened", False))
        # A round of a week or less gets the opening mail and the last-day one, not a week reminder as well.
        if deadline_week <= today < deadline_day and deadline_week > round_.opens_on:
            due.append((ReminderKind.DEADLINE_WEEK, deadline_week, "deadline", True))
        if deadline_day <= today:
            due.append((ReminderKind.DEADLINE_DAY, deadline_day, "deadline", True))
        if not due:
            continue
        assessments = list(Assessment.objects.for_round(round_).select_related("person"))
        for kind, on_date, template, only_open in due:
            for assessment in assessments:
                if only_open and assessment.is_submitted:
                    continue
                context = _round_context(round_, assessment) | {"kind": kind}
                yield Mail(kind, assessment.person, round_.pk, on_date, template, context)


def action_mails(today):
    """A plan action that is not done, due today or tomorrow, in a plan that was not carried over."""
    actions = (
        Action.objects.exclude(status=ActionStatus.DONE)
        .filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=1), goal__plan__carried_to__isnull=True)
        .select_related("goal__plan__person", "activity", "line")
    )
    for action in actions:
        plan = action.goal.plan
        context = {
            "action": action,
            "due_on": action.due_on,
            "url": absolute(reverse("learning:plan", args=[plan.pk]) + f"#{action.anchor}"),
            "settings_url": absolute(reverse("learning:reminder_settings")),
        }
        yield Mail(ReminderKind.ACTION_DUE, plan.person, action.pk, action.due_on, "action_due", context)


def send_due(today=None, using="default"):
    """Everything due on `today`: rounds, actions, and what other apps add through `reminders_due`."""
    today = today or timezone.localdate()
    sent = send_all(round_mails(today), using) + send_all(action_mails(today), using)
    for _receiver, result in reminders_due.send(sender=Mail, today=today, using=using):
        sent += result or 0
    return sent


def week_start(day):
    """The Monday of `day`'s week: the date a weekly summary is about."""
    return day - datetime.timedelta(days=day.weekday())
