# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from assessments.models import Assessment, Round
from competencies.models import Framework, Theme
from learning.report import report_panel
from organisation.access import hr_required
from organisation.audit import Action, log_access, log_access_many

from . import charts, personal, team
from .access import get_assessment_for_report, get_person_for_report, get_unit_for_dashboard
from .filters import OrganisationReportForm, PersonalReportForm, UnitReportForm
from .organisation import organisation_report

# An SVG shown through <img> runs no script; matplotlib styles it with inline CSS.
SVG_CSP = {"default-src": [CSP.NONE], "style-src": [CSP.UNSAFE_INLINE]}


# Personal report


@require_GET
@login_required
def my_report(request):
    return _personal_page(request, request.user, Assessment.objects.submitted().filter(person=request.user))


@require_GET
@login_required
def person_report(request, pk):
    person, assessments = get_person_for_report(request, pk)
    return _personal_page(request, person, assessments)


def _personal_page(request, person, assessments):
    rounds = list(Round.objects.filter(assessments__in=assessments).order_by("-opens_on", "-pk"))
    context = {"person": person, "own": person.pk == request.user.pk, "rounds": rounds}
    if not rounds:
        return render(request, "reports/personal.html", context)
    form = PersonalReportForm(request.GET, rounds)
    context["form"] = form
    if not form.is_valid():
        return render(request, "reports/personal.html", context, status=400)
    assessment = assessments.select_related("round", "person").get(round=form.cleaned_data["round"])
    report = personal.personal_report(assessment, earlier=assessments)
    if not context["own"]:
        log_access(request, Action.VIEWED_REPORT, assessment, detail=assessment.round.name)
    for section in report.sections:
        section.chart = _personal_chart(report, section)
    context["report"] = report
    context["learning"] = report_panel(report, own=context["own"])
    return render(request, "reports/personal.html", context)


def _personal_chart(report, section):
    data = section.chart_data()
    if not data["labels"]:
        return None
    url = reverse("reports:personal_chart", args=[report.assessment.pk, section.framework.pk])
    digest = charts.cache_key("personal", [report.assessment.pk, section.framework.pk], data)[1]
    return {"url": f"{url}?v={digest}", "alt": charts.describe(data, section.framework.title)}


@require_GET
@login_required
@csp_override(SVG_CSP)
def personal_chart(request, pk, framework_pk):
    assessment = get_assessment_for_report(request, pk)
    section = personal.personal_section(assessment, framework_pk)
    if section is None or not section.rated_rows:
        raise Http404
    if assessment.person_id != request.user.pk:
        detail = f"{assessment.round.name}, {section.framework.title}"
        log_access(request, Action.VIEWED_CHART, assessment, detail=detail)
    return _svg_response(request, "personal", [assessment.pk, framework_pk], section.chart_data())


def _svg_response(request, report, parts, data):
    svg, digest = charts.chart_svg(report, parts, data)
    etag = f'"{digest}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(svg, content_type="image/svg+xml")
    # No Cache-Control here: vakmanschap.middleware.PrivateCacheMiddleware sends "private, no-store" for
    # every logged-in request, so a withdrawn sharing choice counts at once and no proxy keeps the picture.
    response["ETag"] = etag
    return response


# Team dashboard


def _unit_rounds(unit):
    took_part = Assessment.objects.filter(unit__tree_path__startswith=unit.tree_path).values("round_id")
    return list(Round.objects.filter(pk__in=took_part).order_by("-opens_on", "-pk"))


@require_GET
@login_required
def unit_dashboard(request, pk):
    unit = get_unit_for_dashboard(request, pk)
    rounds = _unit_rounds(unit)
    context = {"unit": unit, "rounds": rounds}
    if not rounds:
        return render(request, "reports/unit.html", context)
    form = UnitReportForm(request.GET, rounds)
    context["form"] = form
    if not form.is_valid():
        return render(request, "reports/unit.html", context, status=400)
    round_, framework = form.cleaned_data["round"], form.cleaned_data["framework"]
    frameworks = [framework] if framework else list(round_.frameworks.all())
    options = {"include_subunits": form.include_subunits, "frameworks": [framework] if framework else None}
    report = team.team_report(request.user, unit, round_, **options)
    heatmap = team.heatmap(request.user, unit, round_, page=request.GET.get("page"), **options)
    # The heatmap shows individual gaps of the people who shared: log each one seen.
    detail = _("team dashboard %(unit)s, %(round)s") % {"unit": unit.name, "round": round_.name}
    log_access_many(request, Action.VIEWED_REPORT, [row.assessment for row in heatmap.rows], detail=detail)
    query = {"round": round_.pk, "subunits": form.cleaned_data["subunits"]}
    if framework:
        query["framework"] = framework.pk
    context.update(
        report=report,
        heatmap=heatmap,
        query=urlencode(query),
        charts=[_unit_chart(report, f, query) for f in frameworks],
        ancestors=unit.ancestors()[:-1],
    )
    return render(request, "reports/unit.html", context)


def _unit_chart(report, framework, query):
    data = report.chart_data(framework)
    if not data["labels"]:
        return {"framework": framework, "chart": None}
    url = reverse("reports:unit_chart", args=[report.unit.pk, framework.pk])
    parts = [report.unit.pk, report.round.pk, framework.pk, int(report.include_subunits)]
    digest = charts.cache_key("team", parts, data)[1]
    return {
        "framework": framework,
        "chart": {"url": f"{url}?{urlencode(query)}&v={digest}", "alt": charts.describe(data, framework.title)},
    }


@require_GET
@login_required
@csp_override(SVG_CSP)
def unit_chart(request, pk, framework_pk):
    unit = get_unit_for_dashboard(request, pk)
    form = UnitReportForm(request.GET, _unit_rounds(unit))
    if not form.is_valid():
        raise Http404
    round_ = form.cleaned_data["round"]
    framework = get_object_or_404(Framework, pk=framework_pk, rounds=round_)
    _figures, rows = team.team_rows(
        request.user, unit, round_, include_subunits=form.include_subunits, frameworks=[framework]
    )
    data = team.team_chart_data(rows, framework)
    if not data["labels"]:
        raise Http404
    parts = [unit.pk, round_.pk, framework.pk, int(form.include_subunits)]
    return _svg_response(request, "team", parts, data)


# Organisation


ORGANISATION_PAGE_SIZE = 100


@require_GET
@hr_required
def organisation(request):
    rounds = list(Round.objects.order_by("-opens_on", "-pk"))
    context = {"rounds": rounds}
    if not rounds:
        return render(request, "reports/organisation.html", context)
    form = OrganisationReportForm(request.GET, rounds, Theme.objects.values_list("code", flat=True))
    context["form"] = form
    if not form.is_valid():
        return render(request, "reports/organisation.html", context, status=400)
    round_, sort = form.cleaned_data["round"], form.cleaned_data["sort"]
    descending = form.cleaned_data["order"] == "desc"
    report = organisation_report(round_, request.user, sort=sort, descending=descending)
    band_tables = [
        (_("By age"), report.age_bands, _("Participation and mean gap by age in the year of the round.")),
        (
            _("By years in service"),
            report.service_bands,
            _("Participation and mean gap by years in service in the year of the round."),
        ),
    ]
    # A ministry has thousands of units: a page of them at a time, in the chosen order (the export has them all).
    page = Paginator(report.units, ORGANISATION_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        report=report,
        unit_page=page,
        columns=_sort_links(round_, report, sort, descending),
        band_tables=band_tables,
    )
    return render(request, "reports/organisation.html", context)


def _sort_links(round_, report, sort, descending):
    """Column headings: label, link that sorts by the column (again: the other way) and the aria-sort state."""
    columns = [
        ("name", _("Unit")),
        ("invited", _("Invited")),
        ("submitted", _("Submitted")),
        ("percent", _("Percentage")),
        ("gap", _("Mean gap")),
    ] + [(f"theme-{theme.code}", theme.name) for theme in report.themes]
    links = {}
    for key, label in columns:
        active = key == sort
        order = "asc" if active and descending else ("desc" if active or key != "name" else "asc")
        state = ("descending" if descending else "ascending") if active else None
        href = "?" + urlencode({"round": round_.pk, "sort": key, "order": order})
        links[key] = {"label": label, "href": href, "state": state}
    return links
