# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Development plans: from gaps to goals, suggestions, saving changes safely, sharing and carrying over.

For a development conversation, never for appraisal: nothing here ranks people or adds up scores.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Rating
from competencies.models import Competency, LevelDescription
from organisation.models import AccessLog
from vakmanschap.lib.concurrency import update_if_current

from .models import (
    Action,
    ActionStatus,
    ActivityCompetency,
    Goal,
    LearningLine,
    LearningLineStep,
    Plan,
    end_of_next_year,
)
from .targets import targets_for_person


class PlanError(Exception):
    """The change cannot be stored; `message` tells the person why (translated)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class NotEditableError(PlanError):
    """The plan no longer takes changes (it was carried over to a later round)."""


class StaleChangeError(PlanError):
    """The change was based on an older version; `current` is what is stored now."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "You already changed this in another window or tab. Nothing was overwritten: "
                "below is what is saved now. Change it again if you want."
            )
        )


def why_not_editable(plan):
    """A sentence saying why the plan cannot change, or None when it can."""
    if hasattr(plan, "carried_to"):
        return _("This plan was carried over to %(round)s. Make your changes there.") % {
            "round": plan.carried_to.round.name
        }
    return None


# Where a plan starts ---------------------------------------------------------------------------------------------


def latest_assessment(person):
    """The person's most recent submitted self-assessment, with its round, or None."""
    return (
        Assessment.objects.submitted()
        .filter(person=person)
        .select_related("round")
        .order_by("-round__opens_on", "-round_id")
        .first()
    )


def current_plan(person):
    """The plan for the person's most recent submitted round, or None."""
    assessment = latest_assessment(person)
    if assessment is None:
        return None
    return Plan.objects.filter(person=person, round=assessment.round).select_related("round").first()


def previous_plan(person, assessment):
    """The newest plan from a round before `assessment`'s, not carried over yet (the one to continue)."""
    return (
        Plan.objects.filter(person=person, round__opens_on__lt=assessment.round.opens_on, carried_to__isnull=True)
        .select_related("round")
        .order_by("-round__opens_on", "-pk")
        .first()
    )


@transaction.atomic
def start_plan(person, assessment):
    """The plan for `assessment`'s round: existing, or new; a new one carries over the previous plan's
    unfinished goals and actions (each goal keeps the level it started from)."""
    plan = Plan.objects.filter(person=person, round=assessment.round).first()
    if plan is not None:
        return plan, False
    previous = previous_plan(person, assessment)
    plan = Plan.objects.create(
        person=person,
        round=assessment.round,
        carried_from=previous,
        shared_with_manager=previous.shared_with_manager if previous else False,
        shared_at=previous.shared_at if previous else None,
    )
    if previous is not None:
        _carry_over(previous, plan)
    return plan, True


def _carry_over(previous, plan):
    goals = previous.goals.prefetch_related("actions")
    for goal in goals:
        new_goal = Goal.objects.create(
            plan=plan,
            competency=goal.competency,
            level_then=goal.level_then,
            round_then_id=goal.round_then_id,
            target_level=goal.target_level,
            due_on=goal.due_on,
        )
        Action.objects.bulk_create(
            [
                Action(
                    goal=new_goal,
                    activity_id=action.activity_id,
                    line_id=action.line_id,
                    title=action.title,
                    status=action.status,
                    due_on=action.due_on,
                    reflection=action.reflection,
                    finished_at=action.finished_at,
                )
                for action in goal.actions.all()
            ]
        )


# Gaps and goals --------------------------------------------------------------------------------------------------


@dataclass
class GapRow:
    """A competency where the person wants or is asked to grow: a candidate for a goal."""

    competency: Competency
    current: int
    desired: int
    target: object = None  # a Target, or None

    @property
    def aim(self):
        """The level a new goal starts with: the higher of the desired level and the target."""
        return max(self.desired, self.target.level if self.target else 0)


def gap_rows(plan):
    """Competencies of the plan's round where the desired level or the target is above the current level,
    biggest difference first, leaving out those that are goals already."""
    ratings = list(
        Rating.objects.filter(assessment__round=plan.round, assessment__person=plan.person, not_applicable=False)
        .exclude(current_level__isnull=True)
        .exclude(competency__in=plan.goals.values("competency"))
        .select_related("competency__framework")
    )
    targets = targets_for_person(plan.person, [r.competency_id for r in ratings], plan.round.opens_on)
    rows = [
        GapRow(r.competency, r.current_level, r.desired_level or r.current_level, targets.get(r.competency_id))
        for r in ratings
    ]
    rows = [row for row in rows if row.aim > row.current]
    rows.sort(key=lambda row: (-(row.aim - row.current), row.competency.name))
    return rows


def _rating(plan, competency):
    return Rating.objects.filter(
        assessment__round=plan.round, assessment__person=plan.person, competency=competency
    ).first()


def add_goal(plan, competency, today=None):
    """Turn a gap into a goal: the aim is the higher of the desired level and the target, by the target's date
    (or the end of next year). Raises PlanError when the competency was not rated in this round."""
    _check_editable(plan)
    rating = _rating(plan, competency)
    if rating is None or rating.current_level is None:
        raise PlanError(_("You did not give a level for this competency in this round. Choose another one."))
    target = targets_for_person(plan.person, [competency.pk], plan.round.opens_on).get(competency.pk)
    aim = max(rating.desired_level or rating.current_level, target.level if target else 0, rating.current_level)
    try:
        with transaction.atomic():
            return Goal.objects.create(
                plan=plan,
                competency=competency,
                level_then=rating.current_level,
                round_then=plan.round,
                target_level=min(aim, 5),
                due_on=target.due_on if target else end_of_next_year(today),
            )
    except IntegrityError:
        raise PlanError(_("This competency is already a goal in your plan.")) from None


def _check_editable(plan):
    if reason := why_not_editable(plan):
        raise NotEditableError(reason)


def save_goal(goal, values, base_version, now=None):
    """Store the goal's level and date if based on the stored version.

    Raises NotEditableError for a plan that was carried over, StaleChangeError when another tab saved first.
    """
    _check_editable(goal.plan)
    now = now or timezone.now()
    if not update_if_current(Goal.objects.filter(pk=goal.pk), base_version, now, **values):
        raise StaleChangeError(Goal.objects.get(pk=goal.pk))
    for name, value in values.items():
        setattr(goal, name, value)
    goal.version, goal.updated_at = base_version + 1, now
    return goal


# Suggestions -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tip:
    """The framework's development tip for one step up the scale: practice in the work itself, costing nothing."""

    level_from: int
    level_to: int
    text: str


@dataclass
class Suggestions:
    """What a goal could be worked on with: catalogue activities, learning lines and the framework's tips."""

    activities: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # LearningLine with `ordered_steps`
    tips: list = field(default_factory=list)  # Tip, one per step from the level now up to the goal's level


def _same_competency(competencies):
    """A filter for these competencies in any framework version (slug and code identify them across versions)."""
    keys = {(c.framework.slug, c.code) for c in competencies}
    condition = Q(pk__in=[])
    for slug, code in keys:
        condition |= Q(competency__framework__slug=slug, competency__code=code)
    return condition


def _key(competency):
    return (competency.framework.slug, competency.code)


def suggestions(goal, level=None):
    """Suggestions for one goal (see `suggestions_for`)."""
    return suggestions_for([(goal, level or goal.level_then or 1)])[goal.pk]


def suggestions_for(goals_and_levels):
    """Suggestions per goal, for pairs of (goal, the person's level now), in a fixed number of queries.

    Catalogue activities and learning lines for the goal's competency (any framework version) that suit the
    level (from ≤ level < to), without those already chosen (the goals' `actions` are read, prefetch them);
    lines meant for other units or job titles are left out. And the framework's tips for each step from the
    level up to the goal's level.
    """
    pairs = [(goal, level or 1) for goal, level in goals_and_levels]
    if not pairs:
        return {}
    same = _same_competency([goal.competency for goal, _level in pairs])
    links = list(
        ActivityCompetency.objects.filter(same, activity__is_active=True)
        .select_related("activity", "competency__framework")
        .order_by("activity__title_nl", "activity_id")
    )
    lines = list(
        LearningLine.objects.filter(same, is_active=True)
        .select_related("competency__framework")
        .prefetch_related(
            "units",
            Prefetch(
                "steps",
                queryset=LearningLineStep.objects.select_related("activity").order_by("position"),
                to_attr="ordered_steps",
            ),
        )
    )
    tips = development_tips([goal.competency for goal, _level in pairs])
    found = {}
    for goal, level in pairs:
        key, chosen = _key(goal.competency), goal.actions.all()
        chosen_activities = {a.activity_id for a in chosen if a.activity_id}
        chosen_lines = {a.line_id for a in chosen if a.line_id}
        activities, seen = [], set(chosen_activities)
        for link in links:  # in title order; an activity linked to two versions of the competency comes once
            if (
                _key(link.competency) == key
                and link.level_from <= level < link.level_to
                and link.activity_id not in seen
            ):
                seen.add(link.activity_id)
                activities.append(link.activity)
        person = goal.plan.person
        meant = [
            line
            for line in lines
            if _key(line.competency) == key
            and line.level_from <= level < line.level_to
            and line.pk not in chosen_lines
            and line.is_meant_for(person, [unit.pk for unit in line.units.all()])
        ]
        steps = [
            Tip(step, step + 1, tips[key][step])
            for step in range(level, goal.target_level)
            if tips.get(key, {}).get(step)
        ]
        found[goal.pk] = Suggestions(activities, meant, steps)
    return found


def development_tips(competencies):
    """The framework's tips per competency (slug, code) and level, in one query: {(slug, code): {level: text}}.

    The tip of level n (LevelDescription.tip, levels 1-4) says what to practise in the work to grow from n to
    n + 1. A competency rated in an older framework version that had no tips takes them from the newest version
    that has them (slug and code stay the same across versions); its own version's tip wins when it has one.
    """
    competencies = list(competencies)
    own = {c.pk for c in competencies}
    descriptions = (
        LevelDescription.objects.filter(_same_competency(competencies))
        .exclude(tip_nl="")
        .select_related("competency__framework")
        .order_by("competency__framework__version")
    )
    tips, from_own = {}, set()
    for description in descriptions:
        key, level = _key(description.competency), description.level
        if (key, level) in from_own:
            continue
        tips.setdefault(key, {})[level] = description.tip
        if description.competency_id in own:
            from_own.add((key, level))
    return tips


# Actions ---------------------------------------------------------------------------------------------------------


def add_action(goal, *, activity=None, line=None, title=""):
    """Add a chosen activity, a learning line or an own action to a goal."""
    _check_editable(goal.plan)
    if activity is not None and goal.actions.filter(activity=activity).exists():
        raise PlanError(_("This activity is already in your plan for this goal."))
    if line is not None and goal.actions.filter(line=line).exists():
        raise PlanError(_("This learning line is already in your plan for this goal."))
    return Action.objects.create(goal=goal, activity=activity, line=line, title=title)


def save_action(action, values, base_version, now=None):
    """Store an action's status, date, reflection (and title of an own action) if based on the stored version.

    Raises NotEditableError, StaleChangeError (as save_goal) or PlanError when an own action loses its text.
    """
    _check_editable(action.goal.plan)
    now = now or timezone.now()
    values = dict(values)
    if not action.activity_id and not action.line_id and not values.get("title", action.title):
        raise PlanError(_("Say what you will do."))
    if action.activity_id or action.line_id:
        values.pop("title", None)
    values["finished_at"] = now if values.get("status") == ActionStatus.DONE else None
    if values["finished_at"] and action.finished_at:
        values["finished_at"] = action.finished_at
    if not update_if_current(Action.objects.filter(pk=action.pk), base_version, now, **values):
        raise StaleChangeError(Action.objects.select_related("activity", "line").get(pk=action.pk))
    for name, value in values.items():
        setattr(action, name, value)
    action.version, action.updated_at = base_version + 1, now
    return action


# Sharing, comments, readers --------------------------------------------------------------------------------------


def set_sharing(plan, shared, now=None):
    plan.shared_with_manager = shared
    plan.shared_at = (now or timezone.now()) if shared else None
    plan.save(update_fields=["shared_with_manager", "shared_at"])


def add_comment(plan, manager, text, now=None):
    """The manager's comment (one, replaced by the next); only while the plan is shared (checked by access)."""
    plan.manager_comment = text
    plan.manager_comment_by = manager
    plan.manager_comment_at = now or timezone.now()
    plan.save(update_fields=["manager_comment", "manager_comment_by", "manager_comment_at"])


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    last_read: object
    times: int


def readers(plan):
    """Who else read the plan, from the access log: name, last time, how often (one query)."""
    entries = AccessLog.objects.filter(object_type=Plan._meta.label_lower, object_id=str(plan.pk)).exclude(
        actor=plan.person
    )
    found = {}
    for name, at in entries.values_list("actor_name", "at").order_by("at"):
        previous = found.get(name)
        found[name] = Reader(name, at, previous.times + 1 if previous else 1)
    return sorted(found.values(), key=lambda reader: reader.last_read, reverse=True)


# Reading a plan --------------------------------------------------------------------------------------------------


@dataclass
class GoalView:
    goal: Goal
    level_now: int | None
    suggestions: Suggestions | None = None

    @property
    def progress(self):
        """Levels gained since the goal was set (None until the goal spans two rounds)."""
        if (
            self.level_now is None
            or self.goal.level_then is None
            or self.goal.round_then_id == self.goal.plan.round_id
        ):
            return None
        return self.level_now - self.goal.level_then


def goal_views(plan, with_suggestions=False):
    """The plan's goals with their actions and the level in the plan's round (then and now)."""
    goals = list(
        plan.goals.select_related("competency__framework", "round_then", "plan__person__unit").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("activity", "line").order_by("pk"))
        )
    )
    levels = dict(
        Rating.objects.filter(
            assessment__round=plan.round,
            assessment__person=plan.person,
            competency__in=[g.competency_id for g in goals],
        ).values_list("competency_id", "current_level")
    )
    views = [GoalView(goal, levels.get(goal.competency_id)) for goal in goals]
    if with_suggestions:
        found = suggestions_for([(view.goal, view.level_now or view.goal.level_then) for view in views])
        for view in views:
            view.suggestions = found[view.goal.pk]
    return views
