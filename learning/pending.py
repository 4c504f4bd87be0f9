# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Plan changes that arrive after the session ended are kept and stored after the next login, for their owner only.

The same mechanism as the self-assessment (vakmanschap/lib/pending.py; storing and telling the person in
`assessments.pending.apply_kept`):
the validated change waits in the anonymous session, kept only with the plan page's signed
owner token; right after login it is stored if the person who logs in is the one named in the
token and the goal or action is in that plan, with the usual version check.
"""

from django.utils.translation import gettext_lazy, ngettext_lazy

from assessments.pending import KeptMessages, apply_kept
from vakmanschap.lib.pending import OwnerToken, PendingStore

from . import plans
from .models import Action, Goal

STORE = PendingStore("learning_pending_changes")
TOKENS = OwnerToken("learning.pending.owner", "plan")
GOAL, ACTION = "goal", "action"


def owner_token(person, plan):
    """A signed token naming `person` and `plan`, put in the plan's forms while the person is logged in."""
    return TOKENS.make(person, plan.pk)


def keep(session, kind, pk, plan_id, values, base_version, token):
    """Remember a goal or action change given without a valid session (dates as ISO text).

    Returns False when the token is not genuine for this plan or the store is full.
    """
    owner = TOKENS.owner(token, plan_id)
    if owner is None:
        return False
    safe = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in values.items()}
    value = {"values": safe, "version": base_version, "person": owner, "plan": plan_id}
    return STORE.keep(session, f"{kind}:{pk}", value)


def has_pending(session):
    return STORE.has(session)


PLAN_MESSAGES = KeptMessages(
    stored=ngettext_lazy(
        "We saved the change to your plan you made just before you were logged out.",
        "We saved the %(count)s changes to your plan you made just before you were logged out.",
        "count",
    ),
    dropped=ngettext_lazy(
        "A change made on this browser while nobody was logged in was not saved: it was not made by you.",
        "%(count)s changes made on this browser while nobody was logged in were not saved: they were not made by you.",
        "count",
    ),
    problem=gettext_lazy("A change you made while logged out was not saved. %(problem)s"),
)


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
    kept = []
    for key, value in pending.items():
        kind, pk = key.split(":")
        obj = (goals if kind == GOAL else actions).get(int(pk))
        plan = None if obj is None else (obj.plan if kind == GOAL else obj.goal.plan)
        mine = plan is not None and value.get("person") == request.user.pk and value.get("plan") == plan.pk
        kept.append(((kind, obj) if mine else None, value))

    def save(target, value):
        kind, obj = target
        try:
            if kind == GOAL:
                plans.save_goal(obj, value["values"], value["version"])
            else:
                plans.save_action(obj, value["values"], value["version"])
        except plans.PlanError as exc:
            return exc.message
        return None

    return apply_kept(request, kept, save, PLAN_MESSAGES)


def apply_on_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver."""
    if request is not None and hasattr(request, "session"):
        apply(request)
