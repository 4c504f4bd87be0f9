# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""HR's view of learning: demand per activity and learning line (page and CSV), and the catalogue as CSV.

The counts come from learning/demand.py; every count about people is released here, with the
disclosure layer's minimum and reasons (reports/disclosure.py), before it is shown or exported:

- gaps are counted only over the self-assessments the round's current release holds
  (`disclosure.current_release`), so they move in the release's steps, not per submission;
- every count goes through `disclosure.release_count`: in steps of REPORT_MIN_GROUP_SIZE
  (rounded down: 0, 5, 10, ...), so two moments, the page and the CSV never differ by fewer
  people than the minimum; a count of 1 to minimum - 1 is withheld with the reason (SMALL).

Both CSVs use the export dialects of reports/exports.py (Dutch Excel by default, `?dialect=csv`).
"""

from dataclasses import dataclass

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from assessments.models import Assessment, Round
from learning.demand import learning_demand
from learning.imports import CATALOGUE_COLUMNS, catalogue_rows
from organisation.access import hr_required

from . import disclosure
from .exports import BOOL, CSV_DIALECT, DECIMAL, DIALECTS, EXCEL_DIALECT, INT, TEXT, Column, Progress, csv_chunks
from .exports import default_round as latest_round_with_submissions

MEASURES = ("gap", "chosen", "finished")


@dataclass(frozen=True, slots=True)
class DemandRow:
    item: object
    kind: str
    gap: disclosure.ReleasedCount
    chosen: disclosure.ReleasedCount
    finished: disclosure.ReleasedCount


def released_demand(round_):
    """Demand rows with every count released; gaps from the round's current release only."""
    counted = None
    if round_ is not None:
        current = disclosure.current_release(round_)
        counted = Assessment.objects.filter(release_entry__release__round=round_)
        if current is None:
            counted = counted.none()
    minimum = disclosure.min_group_size()
    return [
        DemandRow(
            row.item, row.kind, *(disclosure.release_count(getattr(row, measure), minimum) for measure in MEASURES)
        )
        for row in learning_demand(round_, counted)
    ]


class DemandForm(forms.Form):
    round = forms.ModelChoiceField(
        label=gettext_lazy("Gaps from the round"), queryset=Round.objects.all(), required=False, empty_label=None
    )
    dialect = forms.ChoiceField(
        label=gettext_lazy("File type"),
        required=False,
        choices=[
            (EXCEL_DIALECT, gettext_lazy("For Dutch Excel: semicolons, decimal comma")),
            (CSV_DIALECT, gettext_lazy("Standard CSV (RFC 4180) for other programs: commas, decimal point")),
        ],
    )

    def chosen_round(self):
        return self.cleaned_data.get("round") or latest_round_with_submissions()

    def dialect_obj(self):
        return DIALECTS[self.cleaned_data.get("dialect") or EXCEL_DIALECT]


@require_GET
@hr_required
def demand_page(request):
    form = DemandForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/learning_demand.html", {"form": form}, status=400)
    round_ = form.chosen_round()
    context = {
        "form": form,
        "round": round_,
        "rows": released_demand(round_),
        "query": request.GET.urlencode(),
        "minimum": disclosure.min_group_size(),
    }
    return render(request, "reports/learning_demand.html", context)


DEMAND_COLUMNS = [
    Column("type", TEXT, gettext_lazy("activity or learning line")),
    Column("code", TEXT, gettext_lazy("the code in the catalogue")),
    Column("title", TEXT, gettext_lazy("the title")),
    Column("people_with_gap", INT, gettext_lazy("people with a matching gap (in steps; empty: too few to show)")),
    Column("people_chose", INT, gettext_lazy("people who chose it in their plan (in steps; empty: too few to show)")),
    Column("people_finished", INT, gettext_lazy("people who finished it (in steps; empty: too few to show)")),
]


def _stream(columns, rows, dialect, filename):
    response = StreamingHttpResponse(
        csv_chunks(columns, rows, dialect, Progress()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@hr_required
def demand_csv(request):
    form = DemandForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/learning_demand.html", {"form": form}, status=400)
    rows = (
        [row.kind, row.item.code, row.item.title, row.gap.value, row.chosen.value, row.finished.value]
        for row in released_demand(form.chosen_round())
    )
    filename = f"learning-demand-{timezone.localdate().isoformat()}.csv"
    return _stream(DEMAND_COLUMNS, rows, form.dialect_obj(), filename)


CATALOGUE_KINDS = {"duration_hours": DECIMAL, "cost": DECIMAL, "active": BOOL}
CATALOGUE_EXPORT_COLUMNS = [Column(name, CATALOGUE_KINDS.get(name, TEXT), "") for name in CATALOGUE_COLUMNS]


@require_GET
@hr_required
def catalogue_csv(request):
    """The whole catalogue in the import's columns, so HR can change it in Excel and import it again."""
    form = DemandForm(request.GET)
    dialect = form.dialect_obj() if form.is_valid() else DIALECTS[EXCEL_DIALECT]
    filename = f"learning-catalogue-{timezone.localdate().isoformat()}.csv"
    return _stream(CATALOGUE_EXPORT_COLUMNS, catalogue_rows(), dialect, filename)
