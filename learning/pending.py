"""Plan changes that arrive after the session ended are kept and stored after the next login.

The same mechanism as the self-assessment (vakmanschap/lib/pending.py, assessments/pending.py):
the validated change waits in the anonymous session; right after login it is stored for the
person, if the goal or action is in one of their plans, with the usual version check.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vakmanschap.lib.pending import PendingStore

from . import plans
from .models import Action, Goal

STORE = PendingStore("learning_pending_changes")
GOAL, ACTION = "goal", "action"


def keep(session, kind, pk, values, base_version):
    """Remember a goal or action change given without a valid session (dates as ISO text)."""
    safe = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in values.items()}
    return STORE.keep(session, f"{kind}:{pk}", {"values": safe, "version": base_version})


def has_pending(session):
    return STORE.has(session)


def apply(request):
    """Store the kept changes for the logged-in person; tell them what happened. Returns the number stored."""
    pending = STORE.pop(request.session)
    if not pending or not request.user.is_authenticated:
        return 0
    ids = {kind: set() for kind in (GOAL, ACTION)}
    for key in pending:
        kind, pk = key.split(":")
        if kind in ids:
            ids[kind].add(int(pk))
    goals = {
        goal.pk: goal
        for goal in Goal.objects.filter(pk__in=ids[GOAL], plan__person=request.user).select_related("plan")
    }
    actions = Action.objects.select_related("goal__plan").filter(pk__in=ids[ACTION], goal__plan__person=request.user)
    actions = {action.pk: action for action in actions}
    stored, problems = 0, []
    for key, value in pending.items():
        kind, pk = key.split(":")
        obj = (goals if kind == GOAL else actions).get(int(pk))
        if obj is None:
            continue  # not this person's: someone else used this browser before
        try:
            if kind == GOAL:
                plans.save_goal(obj, value["values"], value["version"])
            else:
                plans.save_action(obj, value["values"], value["version"])
        except plans.PlanError as exc:
            problems.append(exc.message)
        else:
            stored += 1
    if stored:
        messages.success(
            request,
            ngettext(
                "We saved the change to your plan you made just before you were logged out.",
                "We saved the %(count)s changes to your plan you made just before you were logged out.",
                stored,
            )
            % {"count": stored},
            fail_silently=True,
        )
    for problem in problems:
        messages.warning(
            request,
            _("A change you made while logged out was not saved. %(problem)s") % {"problem": problem},
            fail_silently=True,
        )
    return stored


def apply_on_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver."""
    if request is not None and hasattr(request, "session"):
        apply(request)
