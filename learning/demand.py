# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Demand for learning, for HR's budget: per activity and learning line, over the whole organisation,

- gap: people whose submitted self-assessment in the round has a matching gap (the competency,
  in any framework version, at a current level within the activity's range, and a desired level
  above it);
- chosen: people who have it in their current plan (not carried over to a later one);
- finished: people who marked it done there.

Counted in the database (three queries for activities, three for lines, whatever the size).
Only raw counts: reports/learning_demand.py releases each one through the disclosure layer and
says which self-assessments may be counted (those already released).
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from assessments.models import Assessment, Rating
from competencies.models import Competency, Framework

from .models import Action, ActionStatus, Activity, ActivityCompetency, LearningLine


@dataclass(frozen=True, slots=True)
class Demand:
    item: object  # an Activity or a LearningLine
    kind: str  # "activity" or "line"
    gap: int
    chosen: int
    finished: int


def _gap_sql(link_table, owner_column, counted_sql=""):
    """People with a matching gap per owner (activity or line) of competency links in `link_table`."""
    q = connection.ops.quote_name
    return f"""
        SELECT link.{q(owner_column)}, COUNT(DISTINCT a.{q("person_id")})
        FROM {q(link_table)} link
        JOIN {q(Competency._meta.db_table)} lc ON lc.id = link.{q("competency_id")}
        JOIN {q(Framework._meta.db_table)} lf ON lf.id = lc.{q("framework_id")}
        JOIN {q(Competency._meta.db_table)} rc ON rc.{q("code")} = lc.{q("code")}
        JOIN {q(Framework._meta.db_table)} rf ON rf.id = rc.{q("framework_id")} AND rf.{q("slug")} = lf.{q("slug")}
        JOIN {q(Rating._meta.db_table)} r ON r.{q("competency_id")} = rc.id
        JOIN {q(Assessment._meta.db_table)} a ON a.id = r.{q("assessment_id")}
        WHERE a.{q("round_id")} = %s AND a.{q("submitted_at")} IS NOT NULL AND r.{q("not_applicable")} = %s
          AND r.{q("desired_level")} > r.{q("current_level")}
          AND r.{q("current_level")} >= link.{q("level_from")} AND r.{q("current_level")} < link.{q("level_to")}
          {counted_sql}
        GROUP BY link.{q(owner_column)}
    """  # noqa: S608 - table and column names from the models, the values are parameters


def _gaps(link_table, owner_column, round_, counted):
    if round_ is None:
        return {}
    params = [round_.pk, False]
    counted_sql = ""
    if counted is not None:
        inner, inner_params = counted.values("pk").query.sql_with_params()
        counted_sql = f"AND a.id IN ({inner})"
        params += list(inner_params)
    with connection.cursor() as cursor:
        cursor.execute(_gap_sql(link_table, owner_column, counted_sql), params)
        return dict(cursor.fetchall())


def _choices(field):
    current = Action.objects.filter(goal__plan__carried_to__isnull=True, **{f"{field}__isnull": False})
    rows = current.values(field).annotate(
        chosen=Count("goal__plan__person", distinct=True),
        finished=Count("goal__plan__person", distinct=True, filter=Q(status=ActionStatus.DONE)),
    )
    return {row[field]: (row["chosen"], row["finished"]) for row in rows}


def learning_demand(round_, counted=None):
    """[Demand] for every activity and learning line in the catalogue; gaps counted in `round_` (or none).

    `counted`, a queryset of assessments, limits the gaps to those self-assessments.
    """
    activity_gaps = _gaps(ActivityCompetency._meta.db_table, "activity_id", round_, counted)
    line_gaps = _gaps(LearningLine._meta.db_table, "id", round_, counted)
    activity_choices, line_choices = _choices("activity"), _choices("line")
    rows = [
        Demand(activity, "activity", activity_gaps.get(activity.pk, 0), *activity_choices.get(activity.pk, (0, 0)))
        for activity in Activity.objects.active().order_by("title_nl", "pk")
    ]
    rows += [
        Demand(line, "line", line_gaps.get(line.pk, 0), *line_choices.get(line.pk, (0, 0)))
        for line in LearningLine.objects.filter(is_active=True).order_by("title_nl", "pk")
    ]
    return rows
