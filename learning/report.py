"""What the personal gap report shows from learning: target levels beside the person's own levels, and the plan.

The report (reports/views.py) puts `report_panel(...)` in its context as `learning`, and
templates/learning/includes/report_panel.html shows it; nothing else in the report changes.
"""

from dataclasses import dataclass, field

from assessments.models import Rating

from . import plans
from .models import Plan
from .targets import targets_for_person


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
    """Target levels that apply to the person on the round's opening day, and (for the person) their plan."""
    ratings = list(
        Rating.objects.filter(assessment=assessment)
        .select_related("competency__framework")
        .order_by("competency__framework_id", "competency__position")
    )
    targets = targets_for_person(assessment.person, [r.competency_id for r in ratings], assessment.round.opens_on)
    rows = [
        TargetRow(r.competency, r.current_level, r.desired_level, r.not_applicable, targets[r.competency_id])
        for r in ratings
        if r.competency_id in targets
    ]
    panel = ReportPanel(own=own, rows=rows)
    if own:
        panel.plan = Plan.objects.filter(person=assessment.person, round=assessment.round).first()
        if panel.plan is not None:
            panel.goals = [view for view in plans.goal_views(panel.plan) if view.progress is not None]
    return panel
