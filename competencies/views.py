# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .access import (
    can_add_own_framework,
    can_change_own_framework,
    framework_adder_required,
    get_competency_for_viewer,
    get_framework_for_viewer,
    get_own_framework_for_editor,
)
from .case import import_packages
from .forms import CaseImportForm, CompetencyFormSet, FrameworkForm, save_framework
from .loading import FrameworkDataError
from .models import SCALE_NAMES, Competency, Framework, LevelDescription
from .versions import StaleVersionError

LEVELS_IN_ORDER = Prefetch("levels", queryset=LevelDescription.objects.order_by("level"))


def _versions(framework):
    """Every version of the framework, newest first; one query."""
    return list(Framework.objects.filter(slug=framework.slug).order_by("-version"))


@login_required
def framework_list(request):
    frameworks = Framework.objects.current().annotate(competency_count=Count("competencies"))
    context = {
        "frameworks": [f for f in frameworks if not f.is_own],
        "own_frameworks": [f for f in frameworks if f.is_own],
        "can_add": can_add_own_framework(request.user),
        "can_change": can_change_own_framework(request.user),
    }
    return render(request, "competencies/framework_list.html", context)


@login_required
def framework_detail(request, slug, version):
    framework = get_framework_for_viewer(request, slug, version)
    competencies = framework.competencies.select_related("theme").prefetch_related(LEVELS_IN_ORDER)
    versions = _versions(framework)
    context = {
        "framework": framework,
        "competencies": competencies,
        "versions": versions,
        "newest": versions[0],
        "scale": [(level, name, meaning) for level, (name, meaning) in SCALE_NAMES.items()],
        "can_change": framework.is_own and can_change_own_framework(request.user),
    }
    return render(request, "competencies/framework_detail.html", context)


@login_required
def competency_detail(request, slug, version, code):
    competency = get_competency_for_viewer(request, slug, version, code)
    newest = _versions(competency.framework)[0]
    related = (
        Competency.objects.filter(theme=competency.theme, framework__successor__isnull=True)
        .exclude(framework__slug=competency.framework.slug)
        .select_related("framework")
        .order_by("framework__title_nl", "position")
    )
    context = {
        "competency": competency,
        "framework": competency.framework,
        "levels": competency.levels.order_by("level"),
        "related": related,
        "newest": newest,
        "newest_competency": newest.competencies.filter(code=code).first() if newest != competency.framework else None,
    }
    return render(request, "competencies/competency_detail.html", context)


def _edit_page(request, form, formset, framework):
    return render(
        request, "competencies/own_framework_form.html", {"form": form, "formset": formset, "framework": framework}
    )


@framework_adder_required
def own_framework_create(request):
    """Add the organisation's own framework (its core values) with its competencies and levels."""
    framework = Framework(is_own=True)
    form = FrameworkForm(request.POST or None, instance=framework)
    formset = CompetencyFormSet(request.POST or None, instance=framework, prefix="competencies")
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        framework = save_framework(form, formset)
        messages.success(request, _("The framework has been added."))
        return redirect(framework)
    return _edit_page(request, form, formset, framework)


@login_required
def own_framework_edit(request, slug, version):
    """Edit an own framework; a version used in a round stays as it is and the edit becomes a new version."""
    framework = get_own_framework_for_editor(request, slug, version)
    newest = _versions(framework)[0]
    if newest != framework:
        if request.method == "POST":
            messages.error(request, StaleVersionError(framework).args[0])
        else:
            messages.info(request, _("There is a newer version of this framework. You are now editing that one."))
        return redirect("competencies:own_edit", slug=newest.slug, version=newest.version)
    form = FrameworkForm(request.POST or None, instance=framework)
    formset = CompetencyFormSet(request.POST or None, instance=framework, prefix="competencies")
    if request.method == "POST":
        if all([form.is_valid(), formset.is_valid()]):
            try:
                saved = save_framework(form, formset)
            except StaleVersionError as exc:
                messages.error(request, exc.args[0])
                return redirect("competencies:own_edit", slug=exc.newest.slug, version=exc.newest.version)
            if saved.version != version:
                messages.success(
                    request,
                    _("Your changes are saved as version %(new)s. Version %(old)s stays as it was for its round.")
                    % {"new": saved.version, "old": version},
                )
            else:
                messages.success(request, _("Your changes have been saved."))
            return redirect(saved)
        if form.is_stale():
            messages.error(request, form.non_field_errors()[0] + " " + _("Make your changes again."))
            return redirect("competencies:own_edit", slug=slug, version=version)
    return _edit_page(request, form, formset, framework)


@framework_adder_required
def case_import(request):
    """Import a framework from a CASE 1.1 package (or two, one per language), all or nothing."""
    form = CaseImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        readings = form.cleaned_data["readings"]
        try:
            result = import_packages(*(reading.package for reading in readings))
        except FrameworkDataError as exc:
            for error in exc.errors:
                form.add_error(None, error)
        else:
            for warning in (warning for reading in readings for warning in reading.warnings):
                messages.warning(request, warning)
            for code in result.new_themes:
                messages.info(request, _("New theme: %(code)s") % {"code": code})
            verbs = {"created": _("Created"), "updated": _("Updated"), "unchanged": _("Unchanged")}
            messages.success(
                request,
                _("%(action)s: %(framework)s") % {"action": verbs[result.action], "framework": result.framework},
            )
            return redirect(result.framework)
    status = 400 if form.is_bound else 200
    return render(request, "competencies/case_import.html", {"form": form}, status=status)
