# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Development plans: from gaps to goals, autosave with the stale-tab check and session expiry, sharing."""

import datetime
import io
import json

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import pytest

from competencies.models import Framework, LevelDescription
from learning import pending, plans
from learning.models import Action, ActionStatus, Goal, Plan
from organisation.models import AccessLog
from tests.factories import ActivityFactory, LearningLineFactory, RoundFactory, TargetFactory
from tests.reports.conftest import make_framework, submit


def goal_url(plan, goal):
    return reverse("learning:goal", args=[plan.pk, goal.pk])


def action_url(plan, action):
    return reverse("learning:action", args=[plan.pk, action.pk])


def test_anonymous_is_sent_to_login(client, plan):
    for url in [reverse("learning:my_plan"), reverse("learning:plan", args=[plan.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_without_a_submitted_assessment_the_page_says_what_to_do(client_for, employee):
    response = client_for(employee).get(reverse("learning:my_plan"))
    assert "Submit a self-assessment first" in response.text
    assert client_for(employee).post(reverse("learning:start_plan")).status_code == 302
    assert not Plan.objects.exists()


def test_start_plan_then_gaps_become_goals(client_for, employee, done, competencies):
    client = client_for(employee)
    assert "Start my plan" in client.get(reverse("learning:my_plan")).text
    client.post(reverse("learning:start_plan"))
    plan = Plan.objects.get(person=employee)
    page = client.get(reverse("learning:my_plan")).text
    # Gaps biggest first: C1 (2→4), then C3 and C5; C2 has none, C4 is not applicable.
    assert page.index("Competency 1") < page.index("Competency 3")
    assert [row.competency for row in plans.gap_rows(plan)] == [competencies[0], competencies[2], competencies[4]]
    response = client.post(reverse("learning:add_goal", args=[plan.pk]), {"competency": competencies[0].pk})
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert (goal.level_then, goal.target_level, goal.due_on.month) == (2, 4, 12)
    assert competencies[0] not in [row.competency for row in plans.gap_rows(plan)]


def test_a_target_sets_the_aim_and_the_date(plan, competencies):
    TargetFactory(competency=competencies[1], level=4, due_on=datetime.date(2027, 6, 30))
    gaps = {row.competency: row for row in plans.gap_rows(plan)}
    assert gaps[competencies[1]].aim == 4  # no gap of its own, but below the target
    goal = plans.add_goal(plan, competencies[1])
    assert (goal.target_level, goal.due_on) == (4, datetime.date(2027, 6, 30))


def test_a_competency_not_rated_cannot_become_a_goal(client_for, employee, plan, competencies):
    response = client_for(employee).post(
        reverse("learning:add_goal", args=[plan.pk]), {"competency": competencies[3].pk}
    )
    assert response.status_code == 409
    assert "did not give a level" in response.text
    assert not Goal.objects.exists()


def test_suggestions_match_competency_and_level_and_keep_line_order(plan, competencies, employee, org):
    goal = plans.add_goal(plan, competencies[0])  # level then 2
    fits = ActivityFactory(develops=[(competencies[0], 2, 3)])
    wide = ActivityFactory(develops=[(competencies[0], 1, 4)])
    ActivityFactory(develops=[(competencies[0], 3, 4)])  # for people at 3
    ActivityFactory(develops=[(competencies[1], 2, 3)])  # another competency
    ActivityFactory(develops=[(competencies[0], 2, 3)], is_active=False)
    step1, step2 = ActivityFactory(title_nl="Stap B"), ActivityFactory(title_nl="Stap A")
    line = LearningLineFactory(competency=competencies[0], level_from=2, level_to=4, steps=[step1, step2])
    elsewhere = LearningLineFactory(competency=competencies[0], level_from=2, level_to=4)
    elsewhere.units.add(org["green"])
    for_title = LearningLineFactory(competency=competencies[0], job_titles="Beleidsadviseur\n")
    employee.job_title = "beleidsadviseur"
    employee.save()
    found = plans.suggestions(Goal.objects.get(pk=goal.pk))
    assert set(found.activities) == {fits, wide}
    assert set(found.lines) == {line, for_title}
    ordered = next(item for item in found.lines if item == line)
    assert [step.activity for step in ordered.ordered_steps] == [step1, step2]
    plans.add_action(goal, activity=fits)
    assert fits not in plans.suggestions(Goal.objects.get(pk=goal.pk)).activities


def test_add_actions_and_bad_input_changes_nothing(client_for, employee, plan, competencies):
    goal = plans.add_goal(plan, competencies[0])
    activity = ActivityFactory(develops=[(competencies[0], 2, 3)])
    client = client_for(employee)
    url = reverse("learning:add_action", args=[plan.pk, goal.pk])
    assert client.post(url, {"activity": activity.pk}).status_code == 302
    assert client.post(url, {"title": "Meelopen met een collega"}).status_code == 302
    response = client.post(url, {"title": "   "})
    assert response.status_code == 400
    assert "Say what you will do" in response.text
    assert client.post(url, {"activity": activity.pk}).status_code == 409
    assert sorted(a.name for a in goal.actions.all()) == sorted([activity.title, "Meelopen met een collega"])


@pytest.fixture
def action(plan, competencies):
    goal = plans.add_goal(plan, competencies[0])
    return plans.add_action(goal, title="Een cursus zoeken")


def test_autosave_action_with_htmx(client_for, employee, plan, action):
    data = {
        "title": "Een cursus zoeken",
        "status": "done",
        "due_on": "2026-12-01",
        "reflection": "Veel geleerd.",
        "version": 1,
    }
    response = client_for(employee).post(action_url(plan, action), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Saved at" in response.text and 'value="2"' in response.text
    action.refresh_from_db()
    assert (action.status, action.reflection, action.version) == (ActionStatus.DONE, "Veel geleerd.", 2)
    assert action.finished_at is not None


def test_a_stale_tab_gets_409_and_sees_what_is_stored(client_for, employee, plan, action):
    client = client_for(employee)
    first = {"title": "Een cursus zoeken", "status": "in_progress", "reflection": "Eerste tab", "version": 1}
    assert client.post(action_url(plan, action), first, HTTP_HX_REQUEST="true").status_code == 200
    second = {**first, "status": "planned", "reflection": "Tweede tab"}
    response = client.post(action_url(plan, action), second, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "another window or tab" in response.text and "Eerste tab" in response.text
    assert response["HX-Retarget"] == f"#{action.anchor}-form"
    action.refresh_from_db()
    assert (action.reflection, action.version) == ("Eerste tab", 2)


def test_goal_autosave_and_bad_input(client_for, employee, plan, competencies):
    goal = plans.add_goal(plan, competencies[0])
    client = client_for(employee)
    ok = client.post(
        goal_url(plan, goal), {"target_level": 5, "due_on": "2027-03-01", "version": 1}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200
    bad = client.post(
        goal_url(plan, goal), {"target_level": 9, "due_on": "gisteren", "version": 2}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400
    assert "Choose a level from 1 to 5" in bad.text
    goal.refresh_from_db()
    assert (goal.target_level, goal.due_on, goal.version) == (5, datetime.date(2027, 3, 1), 2)


def test_without_javascript_the_save_button_redirects(client_for, employee, plan, action):
    data = {"title": "Een cursus zoeken", "status": "in_progress", "version": 1}
    response = client_for(employee).post(action_url(plan, action), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#{action.anchor}")


def test_a_change_after_the_session_ended_is_kept_and_stored_after_login(client, employee, plan, action):
    data = {"title": "Een cursus zoeken", "status": "in_progress", "reflection": "Na de time-out", "version": 1}
    data["owner"] = pending.owner_token(employee, plan)
    response = client.post(action_url(plan, action), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert "We kept this change" in response.text
    action.refresh_from_db()
    assert action.reflection == ""
    client.post(reverse("login"), {"username": employee.username, "password": "geheim-wachtwoord"})
    assert SESSION_KEY in client.session
    action.refresh_from_db()
    assert (action.reflection, action.status, action.version) == ("Na de time-out", "in_progress", 2)


def test_a_kept_change_for_someone_elses_plan_is_dropped(client, employee, colleague, plan, action):
    data = {"title": "x", "status": "done", "reflection": "Niet van mij", "version": 1}
    data["owner"] = pending.owner_token(employee, plan)
    client.post(action_url(plan, action), data, HTTP_HX_REQUEST="true")
    response = client.post(
        reverse("login"), {"username": colleague.username, "password": "geheim-wachtwoord"}, follow=True
    )
    action.refresh_from_db()
    assert action.reflection == ""
    assert any("it was not made by you" in str(message) for message in response.context["messages"])


def test_a_change_without_the_owner_token_is_not_kept(client, plan, action):
    data = {"title": "x", "status": "done", "reflection": "Van een vreemde", "version": 1, "owner": "vals"}
    response = client.post(action_url(plan, action), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 401 and "We kept this change" not in response.text
    assert not pending.has_pending(client.session)


def test_other_people_get_404_on_every_plan_url(client_for, plan, action, colleague, hr, manager, senior_manager):
    urls = [
        ("get", reverse("learning:plan", args=[plan.pk])),
        ("get", reverse("learning:conversation", args=[plan.pk])),
        ("post", action_url(plan, action)),
        ("post", reverse("learning:sharing", args=[plan.pk])),
        ("post", reverse("learning:add_goal", args=[plan.pk])),
    ]
    for person in [colleague, hr, manager, senior_manager]:
        client = client_for(person)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (person, url)
    action.refresh_from_db()
    assert action.version == 1


def test_sharing_lets_only_the_own_manager_read_and_comment(client_for, employee, plan, manager, senior_manager, hr):
    client_for(employee).post(reverse("learning:sharing", args=[plan.pk]), {"shared_with_manager": "on"})
    plan.refresh_from_db()
    assert plan.shared_with_manager
    assert client_for(manager).get(reverse("learning:plan", args=[plan.pk])).status_code == 200
    for higher in [senior_manager, hr]:
        assert client_for(higher).get(reverse("learning:plan", args=[plan.pk])).status_code == 404
        assert (
            client_for(higher).post(reverse("learning:comment", args=[plan.pk]), {"comment": "x"}).status_code == 404
        )
    response = client_for(manager).post(reverse("learning:comment", args=[plan.pk]), {"comment": "Goed plan!"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.manager_comment, plan.manager_comment_by) == ("Goed plan!", manager)
    # The owner cannot write the manager's comment.
    assert client_for(employee).post(reverse("learning:comment", args=[plan.pk]), {"comment": "x"}).status_code == 404
    empty = client_for(manager).post(reverse("learning:comment", args=[plan.pk]), {"comment": ""})
    assert empty.status_code == 400
    plan.refresh_from_db()
    assert plan.manager_comment == "Goed plan!"


def test_the_owner_sees_who_read_it(client_for, employee, plan, manager):
    plans.set_sharing(plan, True)
    client_for(manager).get(reverse("learning:plan", args=[plan.pk]))
    client_for(manager).get(reverse("learning:plan", args=[plan.pk]))
    assert AccessLog.objects.filter(actor=manager, person=employee, object_type="learning.plan").count() == 2
    page = client_for(employee).get(reverse("learning:plan", args=[plan.pk])).text
    assert "Bob Bakker, last on" in page and "(2 times)" in page


def test_the_own_manager_finds_shared_plans(client_for, employee, plan, manager, senior_manager):
    assert "Nobody has shared" in client_for(manager).get(reverse("learning:shared_plans")).text
    plans.set_sharing(plan, True)
    page = client_for(manager).get(reverse("learning:shared_plans")).text
    assert reverse("learning:plan", args=[plan.pk]) in page
    assert (
        reverse("learning:plan", args=[plan.pk])
        not in client_for(senior_manager).get(reverse("learning:shared_plans")).text
    )


def test_withdrawing_sharing_takes_effect_at_once(client_for, employee, plan, manager):
    plans.set_sharing(plan, True)
    client_for(employee).post(reverse("learning:sharing", args=[plan.pk]), {})
    assert client_for(manager).get(reverse("learning:plan", args=[plan.pk])).status_code == 404


def test_carry_over_to_the_next_round_shows_progress(client_for, employee, plan, competencies, framework):
    from tests.reports.conftest import SPRING_2025, submit

    goal = plans.add_goal(plan, competencies[0])
    plans.add_action(goal, title="Oefenen")
    autumn = RoundFactory(
        frameworks=[framework], dates=(datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)), name="Najaar 2026"
    )
    RoundFactory(frameworks=[framework], dates=SPRING_2025, name="Ouder")  # older rounds do not matter
    submit(employee, autumn, [(3, 4)])
    client = client_for(employee)
    assert "Carry over my plan" in client.get(reverse("learning:my_plan")).text
    client.post(reverse("learning:start_plan"))
    new = Plan.objects.get(person=employee, round=autumn)
    assert new.carried_from == plan
    [view] = plans.goal_views(new)
    assert (view.goal.level_then, view.level_now, view.progress) == (2, 3, 1)
    assert [a.title for a in view.goal.actions.all()] == ["Oefenen"]
    page = client.get(reverse("learning:my_plan")).text
    assert "Level then: 2 (Voorjaar 2026). Level now: 3." in page
    # The old plan is read-only now.
    old_action = Action.objects.get(goal__plan=plan)
    response = client.post(action_url(plan, old_action), {"title": "x", "status": "done", "version": 1})
    assert response.status_code == 409


def test_conversation_preparation_has_no_scores(client_for, employee, plan, competencies):
    goal = plans.add_goal(plan, competencies[0])
    plans.add_action(goal, title="Meelopen")
    page = client_for(employee).get(reverse("learning:conversation", args=[plan.pk])).text
    main = page[page.index("<main") : page.index("</main>")]
    assert "Competency 1" in main and "Meelopen" in main
    for word in ["level", "Level", "gap"]:
        assert word not in main


def test_plan_page_query_count_is_the_same_for_one_goal_and_five(client_for, employee, django_assert_num_queries):
    """Suggestions (activities, learning lines with their steps and units, tips) cost one query per kind."""
    framework = make_framework(6, slug="zes")
    round_ = RoundFactory(frameworks=[framework], dates=(datetime.date(2026, 9, 1), datetime.date(2026, 9, 30)))
    plan = plans.start_plan(employee, submit(employee, round_, [(1, 3)] * 6))[0]
    six = list(framework.competencies.order_by("position"))
    LevelDescription.objects.filter(competency__in=six).update(tip_nl="Oefen in je werk.", tip_en="Practise.")
    for competency in six:
        ActivityFactory(develops=[(competency, 1, 3)])
        line = LearningLineFactory(competency=competency, level_from=1, level_to=3, steps=[ActivityFactory()])
        line.units.add(employee.unit)

    def add_goals(competencies):
        for competency in competencies:
            goal = plans.add_goal(plan, competency)
            plans.add_action(goal, activity=ActivityFactory(develops=[(competency, 1, 5)]))
            plans.add_action(goal, title="Eigen actie")

    client = client_for(employee)
    url = reverse("learning:plan", args=[plan.pk])
    add_goals(six[:1])
    client.get(url)  # the session and the language settle on the first request
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).text
    assert page.count("Practise.") == 2  # from level 1 to 2 and from 2 to 3
    add_goals(six[1:5])  # the sixth stays a development point, so the page reads the same things
    assert plan.goals.count() == 5
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).text
    assert page.count("Practise.") == 10 and page.count('value="Eigen actie"') == 5


def test_the_tips_of_the_loaded_frameworks_show_for_each_step_up_to_the_goal(client_for, employee):
    """The real content: the tip of level n (what to practise towards n + 1), for the steps the goal asks for.

    A round rated against version 1 (no tips yet) shows version 2's tips of the same competency.
    """
    call_command("load_frameworks", stdout=io.StringIO())
    data = json.loads((settings.BASE_DIR / "fixtures/frameworks/vakmanschap-3-0.json").read_text())
    levels = data["competencies"][0]["levels"]  # VK3-RESULT, levels 1 to 5
    for version, month in [(1, 3), (2, 9)]:
        translation.activate("en")
        framework = Framework.objects.get(slug="vakmanschap-3-0", version=version)
        round_ = RoundFactory(
            frameworks=[framework], dates=(datetime.date(2026, month, 1), datetime.date(2026, month, 28))
        )
        rated = [(2, 4)] + [(3, 3)] * (framework.competencies.count() - 1)
        plan = plans.start_plan(employee, submit(employee, round_, rated))[0]
        competency = framework.competencies.get(code="VK3-RESULT")
        goal = plans.add_goal(plan, competency)
        assert goal.target_level == 4
        [view] = plans.goal_views(plan, with_suggestions=True)
        tips = view.suggestions.tips
        assert [(tip.level_from, tip.level_to) for tip in tips] == [(2, 3), (3, 4)]
        assert [tip.text for tip in tips] == [levels[1]["tip"]["en"], levels[2]["tip"]["en"]]
        client = client_for(employee)
        url = reverse("learning:plan", args=[plan.pk])
        english = client.get(url).text
        assert "Practise in your work (costs nothing)" in english
        assert levels[1]["tip"]["en"] in english and levels[2]["tip"]["en"] in english
        assert levels[0]["tip"]["en"] not in english  # the level below the person's own
        assert levels[3]["tip"]["en"] not in english  # beyond the goal
        dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").text
        assert levels[1]["tip"]["nl"] in dutch and "kost niets" in dutch
        plans.save_goal(goal, {"target_level": 3, "due_on": goal.due_on}, goal.version)
        translation.activate("en")  # the Dutch request left its language active
        [view] = plans.goal_views(plan, with_suggestions=True)
        assert [tip.text for tip in view.suggestions.tips] == [levels[1]["tip"]["en"]]
        plan.delete()  # the next round starts afresh instead of carrying this goal over


def test_the_plan_is_in_my_data_download(client_for, employee, plan, action):
    plans.save_action(
        action, {"title": "Een cursus zoeken", "status": "done", "due_on": None, "reflection": "Nuttig"}, 1
    )
    data = client_for(employee).get(reverse("privacy:my_data_json")).json()
    [row] = data["plans"]
    assert (row["what"], row["reflection"], row["status"]) == ("Een cursus zoeken", "Nuttig", "Done")


def test_kept_goal_changes_are_stored_after_login_unless_another_tab_saved_first(client, employee, plan, competencies):
    goal = plans.add_goal(plan, competencies[0])
    other = plans.add_goal(plan, competencies[2])
    owner = pending.owner_token(employee, plan)
    for target, level in [(goal, 5), (other, 4)]:
        data = {"target_level": level, "due_on": "2027-06-30", "version": 1, "owner": owner}
        client.post(goal_url(plan, target), data, HTTP_HX_REQUEST="true")
    # Meanwhile another tab, still logged in, changes the second goal.
    plans.save_goal(Goal.objects.get(pk=other.pk), {"target_level": 3, "due_on": datetime.date(2027, 1, 1)}, 1)
    response = client.post(
        reverse("login"), {"username": employee.username, "password": "geheim-wachtwoord"}, follow=True
    )
    goal.refresh_from_db()
    other.refresh_from_db()
    assert (goal.target_level, goal.due_on, goal.version) == (5, datetime.date(2027, 6, 30), 2)
    assert (other.target_level, other.version) == (3, 2)  # the newer change from the other tab stands
    texts = [str(message) for message in response.context["messages"]]
    assert any("We saved the change to your plan" in text for text in texts)
    assert any("was not saved" in text and "another window or tab" in text for text in texts)
