# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""E-mail reminders: who gets which, once only (also after a restart), opt-outs, and a real SMTP server."""

import datetime
import socket

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller

from assessments.models import Assessment
from learning import plans, reminders, tasks
from learning.models import ReminderKind, ReminderOptOut, SentReminder
from tests.assessments.conftest import days
from tests.factories import CompetencyFactory, EnrolledRoundFactory, FrameworkFactory


@pytest.fixture
def round_(org, employee, colleague, manager):
    """Opened today for Team Jeugd, closes in 14 days: the colleague has submitted already."""
    framework = FrameworkFactory()
    CompetencyFactory(framework=framework)
    round_ = EnrolledRoundFactory(
        units=[org["youth"]], frameworks=[framework], opens_on=days(0), closes_on=days(14), name="Najaar"
    )
    Assessment.objects.filter(round=round_, person=colleague).update(submitted_at=timezone.now())
    return round_


def kinds(*only):
    rows = SentReminder.objects.filter(kind__in=only) if only else SentReminder.objects.all()
    return sorted(rows.values_list("kind", "person__username"))


def sent_to(kind):
    return sorted(username for k, username in kinds(kind))


def test_round_opened_goes_to_every_participant_once(round_):
    today = round_.opens_on
    assert reminders.send_due(today) == 3 + 1  # "round opened" to the three participants, the manager's summary
    assert sent_to(ReminderKind.ROUND_OPENED) == ["alice", "bob", "carla"]
    assert reminders.send_due(today) == 0
    assert reminders.send_due(today + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 4


def test_a_week_and_a_day_before_the_deadline_only_to_those_who_did_not_submit(round_):
    day_before = round_.closes_on - datetime.timedelta(days=1)
    reminders.send_due(round_.closes_on - datetime.timedelta(days=8))
    assert not kinds(ReminderKind.DEADLINE_WEEK)
    reminders.send_due(day_before - datetime.timedelta(days=2))  # within the last week: the week reminder
    reminders.send_due(day_before)
    reminders.send_due(round_.closes_on)  # the closing day itself: nothing new
    assert sent_to(ReminderKind.DEADLINE_WEEK) == sent_to(ReminderKind.DEADLINE_DAY) == ["alice", "bob"]


def test_extending_a_round_gives_new_deadline_reminders(round_):
    day_before = round_.closes_on - datetime.timedelta(days=1)
    reminders.send_due(day_before)
    round_.closes_on += datetime.timedelta(days=10)
    round_.save()
    reminders.send_due(round_.closes_on - datetime.timedelta(days=1))
    days = SentReminder.objects.filter(kind=ReminderKind.DEADLINE_DAY, person__username="alice")
    assert days.count() == 2


def test_opt_out_per_kind_on_the_settings_page(client_for, employee, round_):
    client = client_for(employee)
    page = client.get(reverse("learning:reminder_settings"))
    assert "A round has opened" in page.text and "Weekly participation summary" not in page.text
    data = {"deadline_week": "on", "deadline_day": "on", "action_due": "on"}  # round_opened unticked
    assert client.post(reverse("learning:reminder_settings"), data).status_code == 302
    assert list(ReminderOptOut.objects.values_list("kind", flat=True)) == ["round_opened"]
    reminders.send_due(round_.opens_on)
    assert sent_to(ReminderKind.ROUND_OPENED) == ["bob", "carla"]
    client.post(reverse("learning:reminder_settings"), {**data, "round_opened": "on"})
    assert not ReminderOptOut.objects.exists()


def test_a_claim_left_by_a_crashed_worker_is_not_sent_again(round_, employee):
    SentReminder.objects.create(
        kind=ReminderKind.ROUND_OPENED, person=employee, object_id=round_.pk, on_date=round_.opens_on
    )
    reminders.send_due(round_.opens_on)
    assert "alice@voorbeeld.nl" not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 2 + 1


def test_action_due_mail_links_to_the_plan_and_holds_no_levels(employee, manager, competencies, plan):
    goal = plans.add_goal(plan, competencies[0])
    action = plans.add_action(goal, title="Meelopen met de wijkcoach")
    action.due_on = timezone.localdate() + datetime.timedelta(days=1)
    action.save()
    done = plans.add_action(goal, title="Al klaar")
    done.due_on, done.status = timezone.localdate(), "done"
    done.save()
    assert reminders.send_due(timezone.localdate()) == 1
    [message] = mail.outbox
    assert message.to == ["alice@voorbeeld.nl"]
    assert "Meelopen met de wijkcoach" in message.body
    assert f"/plans/{plan.pk}/#{action.anchor}" in message.body
    assert "----- English -----" in message.body and "In your development plan" in message.body
    html = message.alternatives[0].content
    assert '<div lang="en">' in html and "&quot;Meelopen met de wijkcoach&quot;" in html
    for word in ["level", "niveau", "gap"]:
        assert word not in message.body.lower()
    assert reminders.send_due(timezone.localdate() + datetime.timedelta(days=1)) == 0


def test_weekly_digest_to_managers_holds_released_counts_only(settings, org, round_, manager, employee, colleague):
    settings.REPORT_MIN_GROUP_SIZE = 3
    monday = reminders.week_start(round_.opens_on)
    assert reminders.send_due(round_.opens_on) == 3 + 1
    [digest] = [m for m in mail.outbox if m.to == ["bob@voorbeeld.nl"] and "Participation" in m.subject]
    # Three invited, none busy yet, one submitted: the one is withheld (fewer than three).
    assert "Team Jeugd: uitgenodigd 3, bezig 0, ingeleverd niet getoond" in digest.body
    assert "Team Jeugd: invited 3, busy 0, submitted not shown" in digest.body
    assert "Alice" not in digest.body and "Carla" not in digest.body
    assert SentReminder.objects.get(kind=ReminderKind.WEEKLY_DIGEST).on_date == monday
    assert reminders.send_due(round_.opens_on + datetime.timedelta(days=1)) == 0
    settings.REPORT_MIN_GROUP_SIZE = 5
    SentReminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST).delete()
    mail.outbox.clear()
    reminders.send_due(round_.opens_on)
    [digest] = mail.outbox
    assert "not shown" in digest.body and " 3" not in digest.body.split("----- English -----")[1]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self):
        self.messages = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - the name aiosmtpd calls
        if self.refuse:
            return "550 mailbox unavailable"
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    yield sink
    controller.stop()


def test_over_a_real_smtp_server_each_reminder_arrives_once(smtp, round_):
    assert reminders.send_due(round_.opens_on) == 4
    assert sorted(to[0] for to, _content in smtp.messages) == [
        "alice@voorbeeld.nl",
        "bob@voorbeeld.nl",
        "bob@voorbeeld.nl",
        "carla@voorbeeld.nl",
    ]
    _to, content = smtp.messages[0]
    assert "multipart/alternative" in content and "text/html" in content
    # A second run (a restarted worker) sends nothing again.
    assert reminders.send_due(round_.opens_on) == 0
    assert len(smtp.messages) == 4


def test_a_refused_mail_is_tried_again_on_the_next_run(smtp, round_):
    smtp.refuse = True
    assert reminders.send_due(round_.opens_on) == 0
    assert not SentReminder.objects.exists()
    smtp.refuse = False
    assert reminders.send_due(round_.opens_on) == 4
    assert SentReminder.objects.filter(sent_at__isnull=False).count() == 4


def test_the_daily_task_sends_and_plans_the_next_run(round_, settings):
    from django_tasks_db.models import DBTaskResult

    result = tasks.send_reminders_daily.call()
    assert result == {"sent": len(mail.outbox)}
    waiting = DBTaskResult.objects.get(task_path=tasks.send_reminders_daily.module_path, status="READY")
    assert waiting.run_after.astimezone().time() == tasks.RUN_AT
