# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organisation.access import is_hr
from organisation.audit import Action, log_access
from organisation.audit_chain import last_verification
from organisation.models import AccessLog

from . import personal_data
from .access import audit_reader_required
from .forms import AuditFilterForm

JSON, CSV = "json", "csv"

AUDIT_PAGE_SIZE = 50


@audit_reader_required
def audit_log(request):
    """The access log, newest first, filtered by whose data, who, and period."""
    form = AuditFilterForm(request.GET or None)
    entries = AccessLog.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if person := data["person"].strip():
            entries = entries.filter(Q(person_name__icontains=person) | Q(person__personnel_number__iexact=person))
        if actor := data["actor"].strip():
            entries = entries.filter(actor_name__icontains=actor)
        entries = entries.between(data["start"], data["end"])
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "export_log_url": _export_log_url(request.user),
        "verification": last_verification(),
    }
    return render(request, "privacy/audit_log.html", context)


def _export_log_url(user):
    """Exports are logged by reports' own export log: HR reads it on the exports page, staff in the admin."""
    if is_hr(user):
        return reverse("exports:index")
    if user.is_staff and user.has_perm("reports.view_exportlog"):
        return reverse("admin:reports_exportlog_changelist")
    return None


@login_required
def my_data(request):
    """ "Mijn gegevens": what the portal holds about you, with the two downloads."""
    data = personal_data.collect(request.user)
    context = {
        "profile": data["profile"],
        "assessment_count": len(data["assessments"]),
        "rating_count": sum(len(a["ratings"]) for a in data["assessments"]),
        "access_count": len(data["access_log"]),
        "retention_days": settings.ASSESSMENT_RETENTION_DAYS,
    }
    return render(request, "privacy/my_data.html", context)


@login_required
@require_GET
def my_data_download(request, file_type):
    """All data about the logged-in person (never anyone else: there is no id in the URL)."""
    data = personal_data.collect(request.user)
    log_access(request, Action.DOWNLOADED_OWN_DATA, request.user, detail=file_type)
    filename = f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.{file_type}"
    if file_type == JSON:
        response = HttpResponse(personal_data.json_document(data), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        # Dutch Excel: byte-order mark, semicolons, CRLF.
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
        for row in personal_data.csv_rows(data):
            writer.writerow([personal_data.cell(value) for value in row])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def privacy_statement(request):
    """Public. An organisation replaces the text with its own pages/privacy.html in EXTRA_TEMPLATES_DIR."""
    context = {
        "retention_days": settings.ASSESSMENT_RETENTION_DAYS,
        "log_retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT,
        "min_group_size": getattr(settings, "REPORT_MIN_GROUP_SIZE", None),
    }
    return render(request, "pages/privacy.html", context)


def accessibility_statement(request):
    """Public. An organisation replaces the text with its own pages/accessibility.html in EXTRA_TEMPLATES_DIR."""
    return render(request, "pages/accessibility.html")
