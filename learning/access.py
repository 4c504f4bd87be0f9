# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who may reach which plan, target and catalogue page. Views fetch through these helpers; anything else is a 404.

- A development plan: its owner; and their own manager (`Person.effective_manager()`, not
  managers higher up) while the owner shares it. HR never reads a plan: HR sees released
  counts only (reports/learning_demand.py).
- Person targets: the person's own manager sets them; HR sets every other kind.
- The catalogue: everyone logged in reads it; HR maintains it.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from organisation.access import get_person_for_viewer, is_hr, people_managed_by

from .models import Action, Activity, Goal, LearningLine, Plan


def own_plans(user):
    if not user.is_authenticated:
        return Plan.objects.none()
    return Plan.objects.filter(person=user)


def may_read_plan(user, plan):
    if plan.person_id == user.pk:
        return True
    return plan.shared_with_manager and _is_own_manager(user, plan.person)


def _is_own_manager(user, person):
    manager = person.effective_manager()
    return manager is not None and manager.pk == user.pk


def get_plan_for_viewer(request, pk):
    """A plan the viewer may read (owner, or own manager while shared), with its person and round; else 404."""
    plan = get_object_or_404(Plan.objects.select_related("person__unit", "round"), pk=pk)
    if not request.user.is_authenticated or not may_read_plan(request.user, plan):
        raise Http404
    return plan


def plans_shared_with(user):
    """Current plans (not carried over) the user may read as the own manager of their owner.

    Candidates come from the people the user manages in one query; the own-manager rule is then
    checked per plan, which costs a query or two each (a team's plans, not the organisation's).
    """
    if not user.is_authenticated:
        return []
    candidates = (
        Plan.objects.filter(
            shared_with_manager=True, carried_to__isnull=True, person__in=people_managed_by(user).values("pk")
        )
        .select_related("person__unit", "round")
        .order_by("person__name", "pk")
    )
    return [plan for plan in candidates if _is_own_manager(user, plan.person)]


def get_plan_for_owner(request, pk):
    return get_object_or_404(own_plans(request.user).select_related("person", "round"), pk=pk)


def get_plan_for_manager(request, pk):
    """A shared plan the viewer is the own manager of (to comment on); 404 for the owner and everyone else."""
    plan = get_plan_for_viewer(request, pk)
    if plan.person_id == request.user.pk:
        raise Http404
    return plan


def get_goal_for_owner(request, plan, pk):
    goal = get_object_or_404(Goal.objects.filter(plan=plan).select_related("competency__framework"), pk=pk)
    goal.plan = plan
    return goal


def get_action_for_owner(request, plan, pk):
    action = get_object_or_404(Action.objects.filter(goal__plan=plan).select_related("goal"), pk=pk)
    action.goal.plan = plan
    return action


def get_person_for_targets(request, pk):
    """A person whose own manager the viewer is (to set a personal target); 404 otherwise, also for HR."""
    person = get_person_for_viewer(request, pk)
    if not _is_own_manager(request.user, person):
        raise Http404
    return person


def catalogue(user):
    """Activities the viewer sees: HR also sees the ones taken out of the catalogue."""
    return Activity.objects.all() if is_hr(user) else Activity.objects.active()


def get_activity_for_viewer(request, pk):
    return get_object_or_404(catalogue(request.user), pk=pk)


def lines(user):
    return LearningLine.objects.all() if is_hr(user) else LearningLine.objects.filter(is_active=True)


def get_line_for_viewer(request, pk):
    return get_object_or_404(lines(request.user).select_related("competency__framework"), pk=pk)
