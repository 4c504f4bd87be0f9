"""What the personal gap report shows from learning: target levels beside the person's own levels, and the plan.

The report (reports/views.py) puts `report_panel(...)` in its context as `learning`, and
templates/learning/includes/report_panel.html shows it; nothing else in the report changes.
"""

from dataclasses import dataclass, field

from assessments.models import Rating

from . import plans
from .models import Plan
from .targets import resolve


@dataclass
class TargetRow:
    competency: object
    current: int | None
    desired: int | None
    not_applicable: bool
    target: object


@dataclass
class ReportPanel:
    own: bool
    rows: list = field(default_factory=list)
    plan: Plan | None = None
    goals: list = field(default_factory=list)  # plans.GoalView, with level then and now


def report_panel(assessment, own):
    """Target levels that apply to the person on the round's opening day, and (for the person) their plan.

    Two queries for anyone (the ratings with the person, the targets); the owner's plan adds its own.
    """
    ratings = list(
        Rating.objects.filter(assessment=assessment)
        .select_related("competency__framework", "assessment__person__unit")
        .order_by("competency__framework_id", "competency__position")
    )
    if not ratings:
        return ReportPanel(own=own)
    person = ratings[0].assessment.person
    people = [(person.pk, person.job_title, person.unit.tree_path if person.unit_id else "")]
    keys = {r.competency_id: (r.competency.framework.slug, r.competency.code) for r in ratings}
    targets = {c: t for (_p, c), t in resolve(people, keys, assessment.round.opens_on).items()}
    rows = [
        TargetRow(r.competency, r.current_level, r.desired_level, r.not_applicable, targets[r.competency_id])
        for r in ratings
        if r.competency_id in targets
    ]
    panel = ReportPanel(own=own, rows=rows)
    if own:
        panel.plan = Plan.objects.filter(person=person, round=assessment.round).first()
        if panel.plan is not None:
            panel.goals = [view for view in plans.goal_views(panel.plan) if view.progress is not None]
    return panel
