# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""What the personal gap report shows from learning: target levels beside the person's own levels, and the plan.

The report (reports/views.py) puts `report_panel(...)` in its context as `learning`, and
templates/learning/includes/report_panel.html shows it; nothing else in the report changes.
"""

from dataclasses import dataclass, field

from . import plans
from .models import Plan
from .targets import for_person


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


def report_panel(report, own):
    """Target levels that apply to the person on the round's opening day, beside the report's own rows,
    and (for the person) their plan. One query for anyone (the targets); the owner's plan adds its own.

    `report` is the personal report (reports/personal.py): its `assessment` (with person) and `rows`
    (competency with framework, current, desired, not_applicable).
    """
    assessment = report.assessment
    rows = list(report.rows)
    keys = {row.competency.pk: (row.competency.framework.slug, row.competency.code) for row in rows}
    targets = for_person(assessment.person, keys, assessment.round.opens_on)
    panel = ReportPanel(
        own=own,
        rows=[
            TargetRow(row.competency, row.current, row.desired, row.not_applicable, targets[row.competency.pk])
            for row in rows
            if row.competency.pk in targets
        ],
    )
    if own:
        panel.plan = Plan.objects.filter(person=assessment.person, round=assessment.round).first()
        if panel.plan is not None:
            panel.goals = [view for view in plans.goal_views(panel.plan) if view.progress is not None]
    return panel
