# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The report pages: what each shows, their filters, bad input, and query counts that do not grow with the team."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import PersonFactory, RoundFactory, TargetFactory
from tests.reports.conftest import (
    SPRING_2025,
    add_people,
    competencies_of,
    invite,
    make_framework,
    submit,
    submit_many,
)

pytestmark = pytest.mark.django_db

LEVELS = [(2, 4), (3, 3), (4, 5), (1, 3), (3, 5)]


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _no_inline_style_or_script(response):
    html = response.content.decode()
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


# Personal report


def test_my_report_empty_state(client, employee, spring):
    submit(employee, spring, LEVELS, submitted=False)
    client.force_login(employee)
    response = client.get(reverse("reports:me"))
    assert response.status_code == 200
    assert "You have not submitted a self-assessment yet" in _text(response)
    assert reverse("assessments:list") in response.content.decode()


def test_my_report_latest_round_by_default_and_others_to_choose(client, employee, framework):
    earlier = RoundFactory(frameworks=[framework], dates=SPRING_2025)
    spring = RoundFactory(frameworks=[framework])
    submit(employee, earlier, [(1, 4)])
    submit(employee, spring, LEVELS, shared=True)
    client.force_login(employee)
    response = client.get(reverse("reports:me"))
    text = _text(response)
    assert response.context["report"].assessment.round == spring
    assert "Development points" in text and "Strengths" in text
    assert "Compared with Voorjaar 2025" in text
    assert "Change in current level since Voorjaar 2025" in text
    # C1: now 2, was 1: one up.
    assert "↑ +1 (higher)" in text
    _no_inline_style_or_script(response)

    older = client.get(reverse("reports:me"), {"round": earlier.pk})
    assert older.context["report"].assessment.round == earlier
    assert older.context["report"].previous is None


def test_my_report_shows_gaps_next_level_and_chart(client, employee, spring, framework):
    submit(employee, spring, LEVELS)
    client.force_login(employee)
    response = client.get(reverse("reports:me"))
    html = response.content.decode()
    text = _text(response)
    # Biggest gaps: C1 (2 -> 4), C4 (1 -> 3), C5 (3 -> 5), all 2: the highest wanted level first.
    points = [row.competency.code for row in response.context["report"].development_points]
    assert points == ["C5", "C1", "C4"]
    assert "What level 3 (Proficient) looks like:" in text
    assert "behaviour at level 3" in text
    chart = reverse("reports:personal_chart", args=[response.context["report"].assessment.pk, framework.pk])
    assert f'src="{chart}?v=' in html
    # Five competencies: a radar chart, described in words, with the table below.
    assert 'alt="Radar chart of ' in html
    assert "<caption" in html and 'scope="col"' in html


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_my_report_bad_round(client, employee, spring, value):
    submit(employee, spring, LEVELS)
    client.force_login(employee)
    response = client.get(reverse("reports:me"), {"round": value})
    assert response.status_code == 400
    assert "report" not in response.context
    assert "Choose one of the rounds in the list." in _text(response) or "This field is required." in _text(response)


def test_round_of_someone_else_cannot_be_chosen(client, employee, colleague, framework):
    mine = RoundFactory(frameworks=[framework])
    theirs = RoundFactory(frameworks=[framework], dates=SPRING_2025)
    submit(employee, mine, LEVELS)
    submit(colleague, theirs, LEVELS)
    client.force_login(employee)
    assert client.get(reverse("reports:me"), {"round": theirs.pk}).status_code == 400


def test_hr_sees_a_person_without_submissions(client, hr, employee):
    client.force_login(hr)
    response = client.get(reverse("reports:person", args=[employee.pk]))
    assert response.status_code == 200
    assert "Alice Jansen has not submitted a self-assessment yet." in _text(response)


def test_manager_gets_no_change_from_an_unshared_earlier_round(client, employee, manager, framework):
    earlier = RoundFactory(frameworks=[framework], dates=SPRING_2025)
    spring = RoundFactory(frameworks=[framework])
    submit(employee, earlier, [(1, 4)], shared=False)
    submit(employee, spring, LEVELS, shared=True)
    client.force_login(manager)
    response = client.get(reverse("reports:person", args=[employee.pk]))
    assert response.context["report"].previous is None
    assert [r.name for r in response.context["rounds"]] == [spring.name]


# Team dashboard


def test_dashboard(client, org, team, manager, spring):
    team = [*team, PersonFactory(unit=org["youth"], name="Jeugd 4")]
    for index, person in enumerate(team):
        submit(person, spring, LEVELS, shared=index == 0)
    invite(manager, spring)
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]))
    text = _text(response)
    assert response.status_code == 200
    assert "6 of 7 people submitted their self-assessment for Voorjaar 2026 (86%)" in text
    assert "Figures as of" in text
    assert "6 people counted in the whole round. The round has closed: these figures are final." in text
    assert "Gaps per competency" in text
    assert "1 person shared their self-assessment with you as their own manager" in text
    assert "5 people did not share with you (not shown)" in text
    assert team[0].name in text and team[1].name not in text
    assert response.context["report"].rows[0].mean_gap == pytest.approx(2.0)
    assert 'alt="Radar chart of ' in response.content.decode()
    _no_inline_style_or_script(response)


def test_dashboard_logs_each_person_shown_in_the_heatmap(client, org, team, manager, spring):
    from organisation.models import AccessLog

    for index, person in enumerate(team):
        submit(person, spring, LEVELS, shared=index < 2)
    submit(manager, spring, LEVELS, shared=True)  # the manager's own row is not logged
    client.force_login(manager)
    client.get(reverse("reports:unit", args=[org["youth"].pk]))
    logged = AccessLog.objects.filter(actor=manager, action=AccessLog.Action.VIEWED_REPORT)
    assert {entry.person for entry in logged} == set(team[:2])
    assert logged.count() == 2
    assert all("team dashboard Team Jeugd, Voorjaar 2026" in entry.detail for entry in logged)


def test_dashboard_suppressed_cell_for_a_small_team(client, org, senior_manager, spring):
    submit_many(add_people(org["youth"], 6), spring, LEVELS)
    submit_many(add_people(org["wmo"], 6), spring, LEVELS)
    submit_many(add_people(org["social"], 3), spring, LEVELS)  # directly in Sociaal Domein
    client.force_login(senior_manager)
    response = client.get(reverse("reports:unit", args=[org["social"].pk]))
    text = _text(response)
    assert "Directly in Sociaal Domein 3 3 100% k Hidden: this group has fewer than 5 people." in text
    # 15 minus two teams of 6 would give the 3 people directly in Sociaal Domein: one team is hidden too.
    assert "Team Jeugd 6 6 100% c Hidden: together with another figure it would show a group" in text
    assert "Team Wmo 6 6 100% 1.4" in text
    # The reason is said once, in the legend under the table.
    assert text.count("k Hidden: this group has fewer than 5 people.") == 2  # the cell and the legend


def test_dashboard_filters_in_the_query_string(client, org, team, manager, framework):
    other = make_framework(2, slug="ander")
    spring = RoundFactory(frameworks=[framework, other])
    for person in team:
        submit(person, spring, LEVELS)
    client.force_login(manager)
    url = reverse("reports:unit", args=[org["youth"].pk])
    response = client.get(url, {"round": spring.pk, "framework": other.pk, "subunits": "0"})
    assert response.status_code == 200
    assert {row.competency.framework for row in response.context["report"].rows} == {other}
    assert response.context["report"].include_subunits is False
    html = response.content.decode()
    assert '<form method="get"' in html
    assert f'value="{other.pk}" selected' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"subunits": "maybe"}, "Choose yes or no."),
        ({"round": "999999"}, "Choose one of the rounds in the list."),
        ({"framework": "999999"}, "Choose one of the frameworks in the list."),
    ],
)
def test_dashboard_bad_filters(client, org, team, manager, spring, query, message):
    for person in team:
        submit(person, spring, LEVELS)
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]), query)
    assert response.status_code == 400
    assert message in _text(response)
    assert "report" not in response.context


def test_dashboard_framework_of_another_round(client, org, team, manager, spring):
    for person in team:
        submit(person, spring, LEVELS)
    other = make_framework(2, slug="ander")
    RoundFactory(frameworks=[other], dates=SPRING_2025)
    submit(team[0], other.rounds.get(), [(1, 2)])
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]), {"round": spring.pk, "framework": other.pk})
    assert response.status_code == 400
    assert "This framework was not part of the chosen round." in _text(response)


def test_dashboard_without_rounds(client, org, manager):
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]))
    assert "Nobody in this unit has taken part in a self-assessment round yet." in _text(response)


def test_home_links_to_reports(client, org, manager, employee, hr):
    client.force_login(manager)
    html = client.get(reverse("home")).content.decode()
    assert reverse("reports:unit", args=[org["youth"].pk]) in html
    assert reverse("reports:me") in html
    client.force_login(hr)
    assert reverse("reports:organisation") in client.get(reverse("home")).content.decode()


# Organisation view


def test_organisation_view(client, org, hr, spring):
    submit_many(add_people(org["youth"], 5), spring, LEVELS)
    submit_many(add_people(org["wmo"], 5), spring, [(3, 3)])
    client.force_login(hr)
    response = client.get(reverse("reports:organisation"))
    text = _text(response)
    assert response.status_code == 200
    assert "Team Jeugd 5 5 100% 1.4" in text
    assert "Team Wmo 5 5 100% 0.0" in text
    _no_inline_style_or_script(response)

    by_gap = client.get(reverse("reports:organisation"), {"sort": "gap", "order": "desc"})
    labels = [row.label for row in by_gap.context["report"].units]
    assert labels.index("Team Jeugd") < labels.index("Team Wmo")
    assert 'aria-sort="descending"' in by_gap.content.decode()


def test_organisation_view_pages_through_the_units_in_the_chosen_order(client, org, hr, spring, monkeypatch):
    """A ministry has thousands of units: a page at a time, each page in the order chosen for all of them."""
    from reports import views

    submit_many(add_people(org["youth"], 5), spring, LEVELS)
    submit_many(add_people(org["wmo"], 5), spring, [(3, 3)])
    monkeypatch.setattr(views, "ORGANISATION_PAGE_SIZE", 2)
    client.force_login(hr)
    everything = [row.label for row in client.get(reverse("reports:organisation")).context["report"].units]
    assert len(everything) > 2
    pages, number = [], 1
    while True:
        response = client.get(reverse("reports:organisation"), {"page": number})
        page = response.context["unit_page"]
        pages += [row.label for row in page.object_list]
        if not page.has_next():
            break
        assert "?page=%s" % (number + 1) in response.content.decode()
        number += 1
    assert pages == everything
    by_gap = client.get(reverse("reports:organisation"), {"sort": "gap", "order": "desc", "page": 1})
    first = [row.label for row in by_gap.context["unit_page"].object_list]
    assert first == [row.label for row in by_gap.context["report"].units][:2]
    assert "sort=gap" in by_gap.content.decode().split('aria-label="Pages"')[-1]


def test_organisation_sums_are_read_again_for_a_new_release(client, org, hr, spring):
    """The rolled-up sums are kept per release: the next step of an open round shows its own figures."""
    today = timezone.localdate()
    dates = (today - datetime.timedelta(days=10), today + datetime.timedelta(days=10))
    round_ = RoundFactory(frameworks=list(spring.frameworks.all()), dates=dates, name="Najaar")
    submit_many(add_people(org["youth"], 5), round_, [(1, 3)])
    client.force_login(hr)
    first = client.get(reverse("reports:organisation"), {"round": round_.pk}).context["report"]
    youth = next(row for row in first.units if row.key == org["youth"].pk)
    submit_many(add_people(org["youth"], 5), round_, [(3, 3)])
    second = client.get(reverse("reports:organisation"), {"round": round_.pk}).context["report"]
    again = next(row for row in second.units if row.key == org["youth"].pk)
    assert second.release.number == first.release.number + 1
    assert (youth.overall.respondents, again.overall.respondents) == (
        youth.overall.respondents,
        2 * youth.overall.respondents,
    )
    assert again.overall.mean_gap < youth.overall.mean_gap


@pytest.mark.parametrize("query", [{"sort": "salary"}, {"sort": "theme-nope"}, {"order": "sideways"}])
def test_organisation_bad_sort(client, org, hr, spring, query):
    client.force_login(hr)
    response = client.get(reverse("reports:organisation"), query)
    assert response.status_code == 400
    assert "report" not in response.context


def test_organisation_without_rounds(client, hr):
    client.force_login(hr)
    assert "There is no self-assessment round yet." in _text(client.get(reverse("reports:organisation")))


# Query counts: the same with a small team and with one of 500.


def _big_world(org, size, spring):
    """Half share, half do not; an earlier round; target levels for the organisation and a unit above."""
    c1, c2, *_rest = competencies_of(spring)
    TargetFactory(competency=c1, level=4)
    TargetFactory(competency=c2, for_unit=True, unit=org["social"], level=5)
    people = add_people(org["youth"], size)
    submit_many(people[: size // 2], spring, LEVELS, shared=True)
    submit_many(people[size // 2 :], spring, [(3, 4)], shared=False)
    earlier = RoundFactory(frameworks=list(spring.frameworks.all()), dates=SPRING_2025)
    submit_many(people, earlier, [(1, 3)])
    return people


@pytest.mark.parametrize("size", [10, 500])  # half share: with fewer, the team's figures are protected
def test_dashboard_query_count(client, org, manager, spring, size, django_assert_max_num_queries):
    _big_world(org, size, spring)
    client.force_login(manager)
    url = reverse("reports:unit", args=[org["youth"].pk])
    client.get(url)  # the first look makes the rounds' releases
    with django_assert_max_num_queries(47):  # one for the target levels
        response = client.get(url)
    assert response.context["report"].respondents == size
    assert len(response.context["report"].distances) == 2
    with django_assert_max_num_queries(47):
        client.get(url, {"page": "2"})


@pytest.mark.parametrize("size", [5, 500])
def test_organisation_query_count(client, org, hr, spring, size, django_assert_max_num_queries):
    _big_world(org, size, spring)
    client.force_login(hr)
    client.get(reverse("reports:organisation"))  # the first look makes the round's release
    with django_assert_max_num_queries(26):  # two for the distance to the target levels
        response = client.get(reverse("reports:organisation"))
    assert response.status_code == 200
    assert len(response.context["report"].distances[0].rows) == 1  # Sociaal Domein's target is not the whole's


@pytest.mark.parametrize("size", [10, 500])
def test_personal_report_and_chart_query_count(
    client, org, manager, spring, framework, size, django_assert_max_num_queries
):
    people = _big_world(org, size, spring)
    client.force_login(manager)
    client.get(reverse("reports:unit", args=[org["youth"].pk]))  # the first look makes the rounds' releases
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reports:person", args=[people[0].pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(16):  # the chart view is written to the chained access log
        chart = client.get(
            reverse("reports:personal_chart", args=[response.context["report"].assessment.pk, framework.pk])
        )
    assert chart.status_code == 200
    with django_assert_max_num_queries(25):
        chart = client.get(reverse("reports:unit_chart", args=[org["youth"].pk, framework.pk]))
    assert chart.status_code == 200
