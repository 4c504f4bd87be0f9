# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Everything the portal holds about one person, for "Mijn gegevens" (/me/data/), as JSON and as CSV.

`collect` builds the data once; `json_document` and `csv_rows` present it. The CSV is one long
table (section; item; field; value) so it opens in Excel and holds every section in one file.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment, Rating
from organisation.models import AccessLog

# OWASP: a text cell starting with one of these can run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

SECTIONS = {
    "profile": gettext_lazy("Profile"),
    "assessments": gettext_lazy("Self-assessment"),
    "ratings": gettext_lazy("Rating"),
    "access_log": gettext_lazy("Who looked at your data"),
    "logins": gettext_lazy("Login"),
}
LABELS = {
    "username": gettext_lazy("Username"),
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("E-mail address"),
    "personnel_number": gettext_lazy("Personnel number"),
    "job_title": gettext_lazy("Job title"),
    "unit": gettext_lazy("Unit"),
    "manager": gettext_lazy("Manager"),
    "birth_year": gettext_lazy("Birth year"),
    "in_service_since": gettext_lazy("In service since (year)"),
    "roles": gettext_lazy("Roles"),
    "active": gettext_lazy("Account active"),
    "date_joined": gettext_lazy("Account created"),
    "last_login": gettext_lazy("Last login"),
    "round": gettext_lazy("Round"),
    "round_opens_on": gettext_lazy("Round opens on"),
    "round_closes_on": gettext_lazy("Round closes on"),
    "status": gettext_lazy("Status"),
    "started_at": gettext_lazy("Started at"),
    "submitted_at": gettext_lazy("Submitted at"),
    "shared_with_manager": gettext_lazy("Shared with the manager"),
    "reopened_at": gettext_lazy("Reopened at"),
    "reopen_reason": gettext_lazy("Reason for reopening"),
    "framework": gettext_lazy("Framework"),
    "competency_code": gettext_lazy("Competency code"),
    "competency": gettext_lazy("Competency"),
    "current_level": gettext_lazy("Current level"),
    "desired_level": gettext_lazy("Desired level"),
    "not_applicable": gettext_lazy("Not applicable to my work"),
    "note": gettext_lazy("Note"),
    "updated_at": gettext_lazy("Last changed"),
    "at": gettext_lazy("Time"),
    "who": gettext_lazy("Who"),
    "action": gettext_lazy("Action"),
    "detail": gettext_lazy("Detail"),
    "result": gettext_lazy("Result"),
    "ip_address": gettext_lazy("IP address"),
    "successful": gettext_lazy("Successful"),
}


def collect(person):
    """All data about `person`, as plain values in sections. A fixed number of queries, however much there is."""
    manager = person.effective_manager()
    profile = {
        "username": person.username,
        "name": person.name,
        "email": person.email,
        "personnel_number": person.personnel_number,
        "job_title": person.job_title,
        "unit": person.unit.full_path if person.unit_id else None,
        "manager": manager.get_full_name() if manager else None,
        "birth_year": person.birth_year,
        "in_service_since": person.in_service_since,
        "roles": ", ".join(sorted(person.groups.values_list("name", flat=True))),
        "active": person.is_active,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
    }
    return {
        "profile": profile,
        "assessments": _assessments(person),
        "access_log": _access_log(person),
        "logins": _logins(person),
    }


def _assessments(person):
    ratings = Rating.objects.select_related("competency__framework").order_by("competency__position", "pk")
    assessments = (
        Assessment.objects.filter(person=person)
        .select_related("round", "unit")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("round__opens_on", "pk")
    )
    return [
        {
            "round": assessment.round.name,
            "round_opens_on": assessment.round.opens_on,
            "round_closes_on": assessment.round.closes_on,
            "unit": assessment.unit.name if assessment.unit_id else None,
            "status": str(assessment.get_status_display()),
            "started_at": assessment.started_at,
            "submitted_at": assessment.submitted_at,
            "shared_with_manager": assessment.shared_with_manager,
            "reopened_at": assessment.reopened_at,
            "reopen_reason": assessment.reopen_reason,
            "ratings": [
                {
                    "framework": rating.competency.framework.title,
                    "competency_code": rating.competency.code,
                    "competency": rating.competency.name,
                    "current_level": rating.current_level,
                    "desired_level": rating.desired_level,
                    "not_applicable": rating.not_applicable,
                    "note": rating.note,
                    "updated_at": rating.updated_at,
                }
                for rating in assessment.ratings.all()
            ],
        }
        for assessment in assessments
    ]


def _access_log(person):
    """Who opened, changed, exported or tried to reach this person's data (their own changes included)."""
    return [
        {
            "at": entry.at,
            "who": entry.actor_name,
            "action": str(entry.get_action_display()),
            "result": str(entry.get_result_display()),
            "detail": entry.detail,
        }
        for entry in AccessLog.objects.about(person).order_by("at", "pk")
    ]


def _logins(person):
    """Logins and failed attempts that django-axes holds for this username."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as LoginLog

    done = [
        {"at": log.attempt_time, "successful": True, "ip_address": log.ip_address}
        for log in LoginLog.objects.filter(username=person.username)
    ]
    failed = [
        {"at": log.attempt_time, "successful": False, "ip_address": log.ip_address}
        for log in AccessFailureLog.objects.filter(username=person.username)
    ]
    # Recent failures not yet cleared by a successful login or the cool-off.
    pending = [
        {"at": attempt.attempt_time, "successful": False, "ip_address": attempt.ip_address}
        for attempt in AccessAttempt.objects.filter(username=person.username)
    ]
    return sorted(done + failed + pending, key=lambda row: row["at"])


def json_document(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def csv_rows(data):
    """(section, item, field, value) rows with translated labels, headed by a header row."""
    yield [_("Section"), _("Item"), _("Field"), _("Value")]
    for key, value in data["profile"].items():
        yield [SECTIONS["profile"], "", LABELS[key], value]
    for assessment in data["assessments"]:
        item = assessment["round"]
        for key, value in assessment.items():
            if key != "ratings":
                yield [SECTIONS["assessments"], item, LABELS[key], value]
        for rating in assessment["ratings"]:
            rating_item = f"{item} / {rating['competency_code']} {rating['competency']}"
            for key, value in rating.items():
                yield [SECTIONS["ratings"], rating_item, LABELS[key], value]
    for section in ("access_log", "logins"):
        for number, row in enumerate(data[section], start=1):
            for key, value in row.items():
                yield [SECTIONS[section], str(number), LABELS[key], value]


def cell(value):
    """One CSV cell: numbers stay numbers, yes/no in words, local times, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
