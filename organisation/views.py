# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2


from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from django_htmx.http import HttpResponseClientRefresh

from . import import_jobs
from .access import get_import_job_for_viewer, hr_required
from .forms import ImportForm, ImportLinesForm
from .models import ImportJob, ImportLine

LINES_PER_PAGE = 100


@hr_required
def import_people(request):
    """Upload a CSV; the worker checks it and the job page shows the preview."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_jobs.start(request.user, form.cleaned_data["name"], form.cleaned_data["file"])
        return redirect("organisation:import_job", pk=job.pk)
    recent = ImportJob.objects.filter(uploaded_by=request.user).defer("data")[:5]
    return render(request, "organisation/import.html", {"form": form, "recent": recent})


@hr_required
def import_job(request, pk):
    """Progress while the worker checks or imports; then the errors, the preview or the result."""
    job = get_import_job_for_viewer(request, pk)
    if request.htmx:
        if job.is_busy:
            return render(request, "organisation/import_job.html#progress", {"job": job})
        return HttpResponseClientRefresh()
    filters = ImportLinesForm(job, request.GET)
    kind = filters.kind()
    page = None
    if kind:
        lines = ImportLine.objects.filter(job=job, kind=kind).order_by("line", "pk")
        page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"job": job, "filters": filters, "kind": kind, "page": page, "Status": ImportJob.Status}
    return render(request, "organisation/import_job.html", context)


@require_POST
@hr_required
def import_confirm(request, pk):
    """Import the previewed file (in the background)."""
    job = get_import_job_for_viewer(request, pk)
    if not import_jobs.confirm(job):
        messages.error(request, _("This file cannot be imported (any more). Choose the file again."))
    return redirect("organisation:import_job", pk=job.pk)


@require_POST
@hr_required
def import_discard(request, pk):
    """Throw the uploaded file away without importing it."""
    job = get_import_job_for_viewer(request, pk)
    if import_jobs.discard(job):
        messages.success(request, _("The file was removed. Nothing was imported."))
        return redirect("organisation:import")
    messages.error(request, _("The file is being imported and cannot be removed now."))
    return redirect("organisation:import_job", pk=job.pk)
