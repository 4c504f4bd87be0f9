# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The export page and the downloads (HR only). The rows come from reports.exports; every download is logged."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from organisation.access import hr_required, visible_units

from . import audit
from .disclosure import min_group_size
from .export_forms import ExportForm
from .exports import (
    MEAN_GAP_HELP,
    PEOPLE,
    PEOPLE_COLUMNS,
    RATINGS,
    RATINGS_COLUMNS,
    UNITS,
    UNITS_COLUMNS,
    XLSX,
    XLSX_MAX_ROWS,
    Export,
)

LOG_PAGE_SIZE = 25
SECTIONS = [
    (
        RATINGS,
        "exports:ratings",
        RATINGS_COLUMNS,
        gettext_lazy("Ratings"),
        gettext_lazy("One row per employee per competency: the levels they chose. Personal notes are never exported."),
    ),
    (
        PEOPLE,
        "exports:people",
        PEOPLE_COLUMNS,
        gettext_lazy("People"),
        gettext_lazy(
            "One row per employee in the round: how far they are, and their average gap per framework. "
            "Employees who have not submitted are in it too."
        ),
    ),
    (
        UNITS,
        "exports:units",
        UNITS_COLUMNS,
        gettext_lazy("Units"),
        gettext_lazy(
            "One row per unit per competency: averages, without names. An average over fewer than "
            "%(minimum)s employees is not shown, so nobody can be recognised."
        ),
    ),
]


@require_GET
@hr_required
def index(request):
    """The filters, the number of rows each export will have, what the columns mean, and the export log."""
    form = ExportForm(request.GET, units=visible_units(request.user))
    counts = {}
    if form.is_valid():
        filters = form.filters(request.user)
        counts = {kind: Export(kind, filters).count() for kind, *_rest in SECTIONS}
    return _page(request, form, counts)


def _page(request, form, counts, status=200):
    log = Paginator(audit.entries(), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    sections = [
        {
            "kind": kind,
            "url_name": url_name,
            "columns": columns,
            "title": title,
            "description": description % {"minimum": min_group_size()} if kind == UNITS else description,
            "count": counts.get(kind),
        }
        for kind, url_name, columns, title, description in SECTIONS
    ]
    context = {
        "form": form,
        "sections": sections,
        "query": form.query() if counts else "",
        "mean_gap_help": MEAN_GAP_HELP,
        "log": log,
    }
    return render(request, "reports/exports.html", context, status=status)


@require_GET
@hr_required
def download(request, kind):
    """Stream one export as a file; bad filters get the export page with the errors, and no file."""
    form = ExportForm(request.GET, units=visible_units(request.user))
    if not form.is_valid():
        return _page(request, form, {}, status=400)
    export = Export(
        kind,
        form.filters(request.user),
        file_format=form.cleaned_data["format"],
        dialect_name=form.cleaned_data["dialect"],
    )
    if export.file_format == XLSX and export.count() > XLSX_MAX_ROWS:
        form.add_error(
            "format", _("Excel holds at most %(max)s rows. Choose CSV, or fewer rows.") % {"max": XLSX_MAX_ROWS}
        )
        return _page(request, form, {}, status=400)
    log = audit.start(export, request=request)
    response = StreamingHttpResponse(audit.logged(export, log), content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    return response
