# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organisation.access import hr_required, is_hr
from organisation.audit import Action as LogAction
from organisation.audit import log_access

from . import imports, pending, plans, reminders
from .access import (
    catalogue,
    get_action_for_owner,
    get_activity_for_viewer,
    get_goal_for_owner,
    get_line_for_viewer,
    get_person_for_targets,
    get_plan_for_manager,
    get_plan_for_owner,
    get_plan_for_viewer,
    lines,
    plans_shared_with,
)
from .forms import (
    ActionForm,
    ActivityForm,
    AddActionForm,
    AddGoalForm,
    CatalogueFilterForm,
    CatalogueImportForm,
    CommentForm,
    CompetencyLinkFormSet,
    ConfirmImportForm,
    GoalForm,
    LearningLineForm,
    PersonTargetForm,
    ReminderSettingsForm,
    SharingForm,
    StepFormSet,
    TargetForm,
    fingerprint,
)
from .models import ActivityCompetency, LearningLineStep, Target, TargetScope

PAGE_SIZE = 20
PLAN_TEMPLATE = "learning/plan.html"


# Catalogue -------------------------------------------------------------------------------------------------------


@require_GET
@login_required
def activity_list(request):
    form = CatalogueFilterForm(request.GET or None)
    queryset = catalogue(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        queryset = form.filter(queryset)
    links = ActivityCompetency.objects.select_related("competency__framework")
    queryset = queryset.prefetch_related(Prefetch("competency_links", queryset=links)).order_by("title_nl", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {"form": form, "page": page, "query": query, "lines": lines(request.user).select_related("competency")}
    return render(request, "learning/activity_list.html", context, status=status)


@require_GET
@login_required
def activity_detail(request, pk):
    activity = get_activity_for_viewer(request, pk)
    links = activity.competency_links.select_related("competency__framework")
    in_lines = lines(request.user).filter(steps__activity=activity).distinct()
    context = {"activity": activity, "links": links, "in_lines": in_lines}
    return render(request, "learning/activity_detail.html", context)


@require_GET
@login_required
def line_detail(request, pk):
    line = get_line_for_viewer(request, pk)
    steps = LearningLineStep.objects.filter(line=line).select_related("activity").order_by("position")
    return render(request, "learning/line_detail.html", {"line": line, "steps": steps})


@hr_required
def activity_edit(request, pk=None):
    """HR adds or changes an activity with the competencies it develops."""
    activity = get_activity_for_viewer(request, pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(data, instance=activity)
    links = CompetencyLinkFormSet(data, instance=activity, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        activity = form.save()
        links.instance = activity
        links.save()
        messages.success(request, _("The activity is saved."))
        return redirect("learning:activity", pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "links": links, "activity": activity}
    return render(request, "learning/activity_form.html", context, status=status)


@hr_required
def line_edit(request, pk=None):
    """HR adds or changes a learning line and its steps in order."""
    line = get_line_for_viewer(request, pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = LearningLineForm(data, instance=line)
    steps = StepFormSet(data, instance=line, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        with transaction.atomic():
            line = form.save()
            steps.instance = line
            # Free the step numbers first: a reordering may swap two of them.
            line.steps.update(position=F("position") + 1000)
            steps.save()
            line.steps.filter(position__gte=1000).update(position=F("position") - 1000)
        messages.success(request, _("The learning line is saved."))
        return redirect("learning:line", pk=line.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/line_form.html", {"form": form, "steps": steps, "line": line}, status=status)


CATALOGUE_SESSION_KEY = "learning_catalogue_import"


@hr_required
def catalogue_import(request):
    """Upload a catalogue CSV: every error, or a preview; `confirm` applies the previewed file."""
    return _import_page(
        request,
        session_key=CATALOGUE_SESSION_KEY,
        plan_fn=imports.plan_catalogue,
        apply_fn=lambda plan: imports.apply_catalogue(plan),
        template="learning/catalogue_import.html",
        done=_("Import done: %(created)s activities added, %(updated)s changed."),
    )


def _import_page(request, *, session_key, plan_fn, apply_fn, template, done):
    if request.method == "POST" and "fingerprint" in request.POST:
        return _import_confirm(request, session_key, plan_fn, apply_fn, template, done)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    plan = confirm = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        try:
            plan = plan_fn(data)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if plan.ok:
                request.session[session_key] = data.decode("utf-8", "surrogateescape")
                confirm = ConfirmImportForm(initial={"fingerprint": fingerprint(data)})
    status = 400 if request.method == "POST" and (form.errors or (plan and not plan.ok)) else 200
    return render(request, template, {"form": form, "plan": plan, "confirm": confirm}, status=status)


def _import_confirm(request, session_key, plan_fn, apply_fn, template, done):
    form = ConfirmImportForm(request.POST)
    stored = request.session.get(session_key)
    data = stored.encode("utf-8", "surrogateescape") if stored is not None else None
    if not form.is_valid() or data is None or fingerprint(data) != form.cleaned_data["fingerprint"]:
        messages.error(request, _("There is no file waiting to be imported. Choose the file again."))
        return redirect(request.path)
    plan = plan_fn(data)
    if not plan.ok:
        return render(request, template, {"form": CatalogueImportForm(), "plan": plan}, status=400)
    apply_fn(plan)
    del request.session[session_key]
    messages.success(request, done % {"created": plan.created, "updated": plan.updated})
    return redirect(request.path)


# Targets ---------------------------------------------------------------------------------------------------------


@hr_required
def target_list(request):
    """Every target HR set, with a form to add one (organisation, unit or job title)."""
    form = TargetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        target = form.save(commit=False)
        target.set_by = request.user
        target.save()
        messages.success(request, _("The target level is saved."))
        return redirect("learning:targets")
    queryset = (
        Target.objects.exclude(scope=TargetScope.PERSON)
        .select_related("competency__framework", "unit")
        .order_by("competency__framework__title_nl", "competency__position", "scope", "-valid_from")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/targets.html", {"form": form, "page": page}, status=status)


@hr_required
@require_POST
def target_delete(request, pk):
    target = get_object_or_404(Target.objects.exclude(scope=TargetScope.PERSON), pk=pk)
    target.delete()
    messages.success(request, _("The target level is removed."))
    return redirect("learning:targets")


TARGETS_SESSION_KEY = "learning_targets_import"


@hr_required
def target_import(request):
    return _import_page(
        request,
        session_key=TARGETS_SESSION_KEY,
        plan_fn=imports.plan_targets,
        apply_fn=lambda plan: imports.apply_targets(plan, by=request.user),
        template="learning/target_import.html",
        done=_("Import done: %(created)s target levels added, %(updated)s changed."),
    )


@login_required
def person_targets(request, pk):
    """The own manager sets target levels for one person."""
    person = get_person_for_targets(request, pk)
    form = PersonTargetForm(
        request.POST if request.method == "POST" else None,
        instance=Target(scope=TargetScope.PERSON, person=person, set_by=request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The target level for %(name)s is saved.") % {"name": person})
        return redirect("learning:person_targets", pk=person.pk)
    targets = person.targets.select_related("competency__framework").order_by("-valid_from", "pk")
    status = 400 if request.method == "POST" else 200
    context = {"person": person, "form": form, "targets": targets}
    return render(request, "learning/person_targets.html", context, status=status)


# Plans -----------------------------------------------------------------------------------------------------------


@login_required
def my_plan(request):
    """The plan for the person's latest round, or what to do to start one."""
    if pending.has_pending(request.session):
        pending.apply(request)
    assessment = plans.latest_assessment(request.user)
    plan = plans.current_plan(request.user)
    if plan is not None:
        return _plan_page(request, plan)
    previous = plans.previous_plan(request.user, assessment) if assessment else None
    context = {"assessment": assessment, "previous": previous, "shared": plans_shared_with(request.user)}
    return render(request, "learning/plan_start.html", context)


@require_GET
@login_required
def shared_plans(request):
    """The plans people chose to share with the viewer as their own manager."""
    return render(request, "learning/shared_plans.html", {"plans": plans_shared_with(request.user)})


@login_required
@require_POST
def start_plan(request):
    assessment = plans.latest_assessment(request.user)
    if assessment is None:
        messages.error(request, _("Submit a self-assessment first. Your plan starts from its report."))
        return redirect("learning:my_plan")
    plan, created = plans.start_plan(request.user, assessment)
    if created and plan.carried_from_id:
        messages.success(request, _("Your plan from the previous round is carried over. Check your goals."))
    return redirect("learning:my_plan")


@login_required
def plan_detail(request, pk):
    plan = get_plan_for_viewer(request, pk)
    if plan.person_id != request.user.pk:
        log_access(request, LogAction.VIEWED_REPORT, plan, detail=_("development plan"))
    return _plan_page(request, plan)


def _plan_page(request, plan, *, status=200, notice="", forms=None):
    own = plan.person_id == request.user.pk
    reason = plans.why_not_editable(plan)
    editable = own and reason is None
    context = {
        "plan": plan,
        "own": own,
        "editable": editable,
        "locked_reason": reason,
        "goals": plans.goal_views(plan, with_suggestions=editable),
        "gaps": plans.gap_rows(plan) if editable else [],
        "readers": plans.readers(plan) if own else [],
        "manager": plan.person.effective_manager(),
        "sharing_form": SharingForm(initial={"shared_with_manager": plan.shared_with_manager}),
        "comment_form": (forms or {}).get("comment") or CommentForm(initial={"comment": plan.manager_comment}),
        "notice": notice,
        "shared": plans_shared_with(request.user) if own else [],
        "owner_token": pending.owner_token(request.user, plan) if editable else "",
    }
    return render(request, PLAN_TEMPLATE, context, status=status)


@login_required
@require_POST
def add_goal(request, pk):
    plan = get_plan_for_owner(request, pk)
    form = AddGoalForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, status=400, notice=_("This page is out of date. Reload the page."))
    try:
        goal = plans.add_goal(plan, form.cleaned_data["competency"])
    except plans.PlanError as exc:
        return _plan_page(request, plan, status=409, notice=exc.message)
    messages.success(request, _("The goal is added. Choose what you will do for it."))
    return redirect(reverse("learning:plan", args=[plan.pk]) + f"#{goal.anchor}")


@login_required
@require_POST
def add_action(request, pk, goal_pk):
    plan = get_plan_for_owner(request, pk)
    goal = get_goal_for_owner(request, plan, goal_pk)
    form = AddActionForm(request.POST)
    if not form.is_valid():
        errors = " ".join(e for field_errors in form.errors.values() for e in field_errors)
        return _plan_page(request, plan, status=400, notice=errors)
    try:
        plans.add_action(goal, **form.cleaned_data)
    except plans.PlanError as exc:
        return _plan_page(request, plan, status=409, notice=exc.message)
    messages.success(request, _("Added to your plan."))
    return redirect(reverse("learning:plan", args=[plan.pk]) + f"#{goal.anchor}")


@require_POST
def save_goal(request, pk, goal_pk):
    """Autosave of a goal's level and date (htmx), or its save button without JavaScript."""
    form = GoalForm(request.POST)
    if not request.user.is_authenticated:
        return _keep_until_login(request, pending.GOAL, goal_pk, form, pk)
    plan = get_plan_for_owner(request, pk)
    goal = get_goal_for_owner(request, plan, goal_pk)
    return _save(request, plan, goal, form, plans.save_goal, "#goal", "goal")


@require_POST
def save_action(request, pk, action_pk):
    """Autosave of an action's status, date and reflection (htmx), or its save button without JavaScript."""
    form = ActionForm(request.POST)
    if not request.user.is_authenticated:
        return _keep_until_login(request, pending.ACTION, action_pk, form, pk)
    plan = get_plan_for_owner(request, pk)
    action = get_action_for_owner(request, plan, action_pk)
    return _save(request, plan, action, form, plans.save_action, "#action", "action")


def _save(request, plan, obj, form, save, partial, name):
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return _refuse(request, plan, " ".join(errors), 400)
    try:
        saved = save(obj, form.values(), form.cleaned_data["version"])
    except plans.StaleChangeError as exc:
        return _refuse_stale(request, plan, exc, partial, name)
    except plans.NotEditableError as exc:
        return _refuse(request, plan, exc.message + " " + _("Nothing was saved."), 409)
    except plans.PlanError as exc:
        return _refuse(request, plan, exc.message, 400)
    if not request.htmx:
        messages.success(request, _("Your change is saved."))
        return redirect(reverse("learning:plan", args=[plan.pk]) + f"#{saved.anchor}")
    return render(request, PLAN_TEMPLATE + "#saved", {"obj": saved})


def _refuse(request, plan, message, status):
    if request.htmx:
        return render(request, PLAN_TEMPLATE + "#refused", {"message": message}, status=status)
    return _plan_page(request, plan, status=status, notice=message)


def _refuse_stale(request, plan, exc, partial, name):
    """Show what is stored now; htmx replaces just that block."""
    if not request.htmx:
        return _plan_page(request, plan, status=409, notice=exc.message)
    context = {
        name: exc.current,
        "plan": plan,
        "editable": True,
        "notice": exc.message,
        "owner_token": pending.owner_token(request.user, plan),
    }
    if name == "goal":
        context["view"] = plans.GoalView(exc.current, None)
    response = render(request, PLAN_TEMPLATE + partial + "form", context, status=409)
    response["HX-Retarget"] = f"#{exc.current.anchor}-form"
    response["HX-Reswap"] = "outerHTML"
    return response


def _keep_until_login(request, kind, obj_pk, form, plan_pk):
    """The session ended (idle timeout): keep the change in the anonymous session and ask to log in."""
    kept = form.is_valid() and pending.keep(
        request.session, kind, obj_pk, plan_pk, form.values(), form.cleaned_data["version"], form.cleaned_data["owner"]
    )
    next_url = reverse("learning:my_plan")
    login_url = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": next_url, "expired": 1})
    if request.htmx:
        return render(request, PLAN_TEMPLATE + "#expired", {"login_url": login_url, "kept": kept}, status=401)
    return redirect(login_url)


@login_required
@require_POST
def change_sharing(request, pk):
    plan = get_plan_for_owner(request, pk)
    form = SharingForm(request.POST)
    form.is_valid()
    plans.set_sharing(plan, form.cleaned_data.get("shared_with_manager", False))
    if plan.shared_with_manager:
        messages.success(request, _("Your manager can now read your plan."))
    else:
        messages.success(request, _("Your plan is no longer shared with your manager."))
    return redirect(reverse("learning:plan", args=[plan.pk]) + "#sharing")


@login_required
@require_POST
def comment(request, pk):
    """The own manager comments on a shared plan."""
    plan = get_plan_for_manager(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan, status=400, forms={"comment": form})
    plans.add_comment(plan, request.user, form.cleaned_data["comment"])
    messages.success(request, _("Your comment is saved. %(name)s can read it now.") % {"name": plan.person})
    return redirect(reverse("learning:plan", args=[plan.pk]) + "#comment")


@require_GET
@login_required
def conversation(request, pk):
    """The gespreksvoorbereiding: development points, goals and actions on one A4, without levels."""
    plan = get_plan_for_viewer(request, pk)
    if plan.person_id != request.user.pk:
        log_access(request, LogAction.VIEWED_REPORT, plan, detail=_("conversation preparation"))
    context = {"plan": plan, "goals": plans.goal_views(plan), "today": timezone.localdate()}
    return render(request, "learning/conversation.html", context)


# Reminder settings -----------------------------------------------------------------------------------------------


@login_required
def reminder_settings(request):
    kinds = reminders.kinds_for(request.user)
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, kinds=kinds, opted_out=reminders.opted_out(request.user)
    )
    if request.method == "POST" and form.is_valid():
        reminders.set_opt_outs(request.user, form.opted_out())
        messages.success(request, _("Your choices for e-mail reminders are saved."))
        return redirect("learning:reminder_settings")
    return render(request, "learning/reminder_settings.html", {"form": form, "is_hr": is_hr(request.user)})
