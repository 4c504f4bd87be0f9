# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The personal report shows target levels beside the person's own levels; the self-assessment form never does."""

from django.urls import reverse

from assessments.models import Assessment
from learning import plans
from tests.factories import EnrolledRoundFactory, RoundFactory, TargetFactory


def test_report_shows_current_desired_and_target_side_by_side(client_for, employee, done, competencies):
    TargetFactory(competency=competencies[1], level=4)
    response = client_for(employee).get(reverse("reports:me"))
    panel = response.context["learning"]
    [row] = panel.rows
    assert (row.competency, row.current, row.desired, row.target.level) == (competencies[1], 3, 3, 4)
    assert "Target levels" in response.text and "Make a development plan" in response.text


def test_a_manager_reading_a_shared_report_sees_targets_but_not_the_plan(client_for, manager, done, competencies):
    done.shared_with_manager = True
    done.save()
    TargetFactory(competency=competencies[1], level=4)
    plans.start_plan(done.person, done)
    response = client_for(manager).get(reverse("reports:person", args=[done.person.pk]))
    assert len(response.context["learning"].rows) == 1
    assert response.context["learning"].plan is None and "development plan" not in response.text


def test_the_report_links_to_the_plan_and_shows_progress_after_a_carry_over(
    client_for, employee, plan, competencies, framework
):
    import datetime

    from tests.reports.conftest import submit

    plans.add_goal(plan, competencies[0])
    autumn = RoundFactory(
        frameworks=[framework], dates=(datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)), name="Najaar"
    )
    new_assessment = submit(employee, autumn, [(3, 4)])
    new_plan, _created = plans.start_plan(employee, new_assessment)
    page = client_for(employee).get(reverse("reports:me"), {"round": autumn.pk}).text
    assert reverse("learning:plan", args=[new_plan.pk]) in page
    assert "level 2 in Voorjaar 2026, now 3" in page


def test_the_self_assessment_form_never_shows_a_target(client_for, org, employee, competencies):
    round_ = EnrolledRoundFactory(units=[org["youth"]], frameworks=[competencies[0].framework])
    TargetFactory(competency=competencies[0], level=5)
    assessment = Assessment.objects.get(round=round_, person=employee)
    page = client_for(employee).get(reverse("assessments:form", args=[assessment.pk])).text
    assert "Target level" not in page and "target level" not in page
