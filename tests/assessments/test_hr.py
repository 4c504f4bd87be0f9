# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The HR round pages: list, create, detail with participation, extend, close, add joiners, participants, reopen."""

from django.urls import reverse
from django.utils import timezone

import pytest

from assessments import answers
from assessments.models import Assessment, Round
from competencies.models import Competency
from tests.factories import EnrolledRoundFactory, PersonFactory

from .conftest import days, make_frameworks


def hr_urls(round_, assessment):
    return {
        "get": [
            reverse("assessments:rounds"),
            reverse("assessments:round_create"),
            reverse("assessments:round", args=[round_.pk]),
            reverse("assessments:participants", args=[round_.pk]),
            reverse("assessments:reopen", args=[round_.pk, assessment.pk]),
        ],
        "post": [
            reverse("assessments:round_create"),
            reverse("assessments:round_extend", args=[round_.pk]),
            reverse("assessments:round_close", args=[round_.pk]),
            reverse("assessments:round_enrol", args=[round_.pk]),
            reverse("assessments:reopen", args=[round_.pk, assessment.pk]),
        ],
    }


def test_anonymous_goes_to_login(client, open_round, assessment):
    urls = hr_urls(open_round, assessment)
    for url in urls["get"]:
        assert client.get(url)["Location"].startswith(reverse("login")), url
    for url in urls["post"]:
        assert client.post(url)["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["employee", "manager", "senior_manager", "admin_user"])
def test_only_hr_gets_in(client_for, open_round, assessment, persona, request):
    client = client_for(request.getfixturevalue(persona))
    urls = hr_urls(open_round, assessment)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {"confirm": "on", "closes_on": days(40), "reason": "x"}).status_code == 404, url
    open_round.refresh_from_db()
    assert open_round.closed_at is None and open_round.closes_on == days(10)


def test_list_shows_participation(client_for, hr, open_round, assessment, django_assert_max_num_queries):
    Assessment.objects.filter(pk=assessment.pk).update(started_at=timezone.now(), submitted_at=timezone.now())
    for number in range(3):
        EnrolledRoundFactory(
            units=[open_round.round_units.first().unit], frameworks=make_frameworks(1), name=f"Extra {number}"
        )
    client = client_for(hr)
    client.get(reverse("assessments:rounds"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assessments:rounds"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Najaar" in html and "Extra 2" in html
    assert "1 (33%)" in html  # 1 of 3 submitted
    assert "<caption" in html and 'scope="col"' in html


def test_list_paginates(client_for, hr, org, frameworks):
    for number in range(23):
        Round.objects.create(name=f"Ronde {number:02d}", opens_on=days(-number), closes_on=days(5))
    client = client_for(hr)
    first = client.get(reverse("assessments:rounds")).content.decode()
    assert "Page 1 of 2" in first
    assert "Ronde 22" not in first
    assert "Ronde 22" in client.get(reverse("assessments:rounds") + "?page=2").content.decode()


def round_data(org, chosen, **changes):
    data = {
        "name": "Najaar 2026",
        "frameworks": [framework.pk for framework in chosen],
        "units_with_subunits": [org["social"].pk],
        "units_only": [org["green"].pk],
        "opens_on": days(0).isoformat(),
        "closes_on": days(21).isoformat(),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_create_a_round(client_for, hr, org, employee, colleague, other_manager, frameworks):
    client = client_for(hr)
    form = client.get(reverse("assessments:round_create")).content.decode()
    for framework in frameworks:
        assert f'value="{framework.pk}"' in form

    response = client.post(reverse("assessments:round_create"), round_data(org, frameworks, share_default="on"))

    round_ = Round.objects.get(name="Najaar 2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:round", args=[round_.pk])
    assert round_.share_default
    assert round_.created_by == hr
    assert set(round_.assessments.values_list("person__username", flat=True)) == {"alice", "carla", "olga"}
    assert all(framework.is_frozen for framework in round_.frameworks.all())
    follow = client.get(response["Location"]).content.decode()
    assert "3 participants" in follow


def test_create_offers_only_current_framework_versions(client_for, hr, org, frameworks):
    from competencies.versions import new_version

    old = frameworks[0]
    newer = new_version(old)
    form = client_for(hr).get(reverse("assessments:round_create")).content.decode()
    assert f'name="frameworks" value="{newer.pk}"' in form
    assert f'name="frameworks" value="{old.pk}"' not in form
    response = client_for(hr).post(reverse("assessments:round_create"), round_data(org, [old]))
    assert response.status_code == 400
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"frameworks": []}, "Choose at least one framework or competency."),
        ({"units_with_subunits": [], "units_only": []}, "Choose at least one unit."),
        ({"units_only": "social"}, "Choose each unit once"),
        ({"closes_on": days(-1).isoformat(), "opens_on": days(-5).isoformat()}, "The closing date has passed."),
        ({"opens_on": days(10).isoformat(), "closes_on": days(5).isoformat()}, "The round must close on or after"),
        ({"opens_on": "31-02-2026"}, "Enter a valid date."),
    ],
)
def test_create_refuses_bad_input(client_for, hr, org, frameworks, changes, message):
    if changes.get("units_only") == "social":
        changes["units_only"] = [org["social"].pk]
    response = client_for(hr).post(reverse("assessments:round_create"), round_data(org, frameworks, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Round.objects.exists()
    assert not Assessment.objects.exists()


def test_create_refuses_a_framework_without_competencies(client_for, hr, org, frameworks):
    from tests.factories import FrameworkFactory

    empty = FrameworkFactory(title_en="Our values")
    response = client_for(hr).post(reverse("assessments:round_create"), round_data(org, [*frameworks, empty]))
    assert response.status_code == 400
    assert "Our values has no competencies yet." in response.content.decode()
    assert not Round.objects.exists()


def test_detail_shows_participation_per_unit(
    client_for, hr, open_round, assessment, colleague_assessment, django_assert_max_num_queries
):
    Assessment.objects.filter(pk=colleague_assessment.pk).update(
        started_at=timezone.now(), submitted_at=timezone.now()
    )
    Assessment.objects.filter(pk=assessment.pk).update(started_at=timezone.now())
    client = client_for(hr)
    url = reverse("assessments:round", args=[open_round.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "3 participants" in html
    assert "1 not started (33%)" in html
    assert "1 in progress (33%)" in html
    assert "1 submitted (33%)" in html
    assert "Team Jeugd" in html and "Sociaal Domein" in html


def test_detail_query_count_does_not_grow_with_units(client_for, hr, org, frameworks, django_assert_max_num_queries):
    for number in range(30):
        team = org["social"].children.create(name=f"Team {number}")
        PersonFactory(unit=team)
    round_ = EnrolledRoundFactory(units=[org["social"]], frameworks=frameworks)
    client = client_for(hr)
    client.get(reverse("assessments:round", args=[round_.pk]))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:round", args=[round_.pk]))
    assert "Team 29" in response.content.decode() or "Page 1 of" in response.content.decode()


def test_extend(client_for, hr, open_round, org):
    newcomer = PersonFactory(unit=org["youth"])
    response = client_for(hr).post(
        reverse("assessments:round_extend", args=[open_round.pk]), {"closes_on": days(30).isoformat()}
    )
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.closes_on == days(30)
    assert Assessment.objects.filter(round=open_round, person=newcomer).exists()


def test_extend_a_round_whose_date_passed(client_for, hr, open_round, assessment):
    Round.objects.filter(pk=open_round.pk).update(opens_on=days(-20), closes_on=days(-2))
    client_for(hr).post(reverse("assessments:round_extend", args=[open_round.pk]), {"closes_on": days(3).isoformat()})
    open_round.refresh_from_db()
    assert open_round.is_open


@pytest.mark.parametrize(
    ("value", "message"),
    [(days(5), "Choose a day after the current closing date"), ("morgen", "Enter a valid date.")],
)
def test_extend_refuses_bad_dates(client_for, hr, open_round, value, message):
    response = client_for(hr).post(
        reverse("assessments:round_extend", args=[open_round.pk]), {"closes_on": str(value)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    open_round.refresh_from_db()
    assert open_round.closes_on == days(10)


def test_close_early_needs_confirmation(client_for, hr, open_round):
    client = client_for(hr)
    url = reverse("assessments:round_close", args=[open_round.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    open_round.refresh_from_db()
    assert open_round.closed_at is None

    assert client.post(url, {"confirm": "on"}).status_code == 302
    open_round.refresh_from_db()
    assert open_round.is_closed

    response = client.post(reverse("assessments:round_extend", args=[open_round.pk]), {"closes_on": days(40)})
    assert response.status_code == 409
    open_round.refresh_from_db()
    assert open_round.closes_on == days(10)


def test_add_late_joiners_button(client_for, hr, open_round, org):
    newcomer = PersonFactory(unit=org["wmo"])
    response = client_for(hr).post(reverse("assessments:round_enrol", args=[open_round.pk]), follow=True)
    assert "1 person who joined since the round was opened was added." in response.content.decode()
    assert Assessment.objects.filter(round=open_round, person=newcomer).exists()


def test_participants_search_and_filter(
    client_for, hr, open_round, assessment, colleague_assessment, django_assert_max_num_queries
):
    Assessment.objects.filter(pk=colleague_assessment.pk).update(
        started_at=timezone.now(), submitted_at=timezone.now()
    )
    client = client_for(hr)
    url = reverse("assessments:participants", args=[open_round.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        everyone = client.get(url).content.decode()
    assert "Alice Jansen" in everyone and "Carla de Vries" in everyone and "Bob Bakker" in everyone
    found = client.get(url, {"q": "alice"}).content.decode()
    assert "Alice Jansen" in found and "Carla de Vries" not in found
    submitted = client.get(url, {"status": "submitted"}).content.decode()
    assert "Carla de Vries" in submitted and "Alice Jansen" not in submitted
    assert reverse("assessments:reopen", args=[open_round.pk, colleague_assessment.pk]) in submitted
    bad = client.get(url, {"status": "everything"})
    assert bad.status_code == 200
    assert "Select a valid choice." in bad.content.decode()


def test_reopen_with_a_reason_the_employee_sees(client_for, hr, employee, open_round, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(started_at=timezone.now(), submitted_at=timezone.now())
    client = client_for(hr)
    url = reverse("assessments:reopen", args=[open_round.pk, assessment.pk])

    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "x" * 501}).status_code == 400
    assert Assessment.objects.get(pk=assessment.pk).is_submitted

    response = client.post(url, {"reason": "Je team is veranderd; vul opnieuw in."})
    assert response.status_code == 302
    assert not Assessment.objects.get(pk=assessment.pk).is_submitted

    page = client_for(employee).get(reverse("assessments:form", args=[assessment.pk])).content.decode()
    assert "HR opened your self-assessment again" in page
    assert "Je team is veranderd; vul opnieuw in." in page
    listing = client_for(employee).get(reverse("assessments:list")).content.decode()
    assert "Je team is veranderd; vul opnieuw in." in listing


def test_reopen_refuses_an_assessment_that_is_not_submitted(client_for, hr, open_round, assessment):
    url = reverse("assessments:reopen", args=[open_round.pk, assessment.pk])
    response = client_for(hr).post(url, {"reason": "Waarom"})
    assert response.status_code == 409
    assert Assessment.objects.get(pk=assessment.pk).reopened_at is None


def test_reopen_an_assessment_of_another_round_is_404(client_for, hr, org, open_round, assessment, frameworks):
    other = EnrolledRoundFactory(units=[org["youth"]], frameworks=frameworks, name="Ander")
    url = reverse("assessments:reopen", args=[other.pk, assessment.pk])
    assert client_for(hr).get(url).status_code == 404


# A round as a competency profile: whole frameworks plus single competencies


def test_create_a_round_from_a_whole_framework_and_single_competencies(client_for, hr, org, employee, frameworks):
    whole, partial = frameworks
    single = partial.competencies.order_by("position").first()
    form = client_for(hr).get(reverse("assessments:round_create")).content.decode()
    assert f'name="competencies" value="{single.pk}"' in form
    response = client_for(hr).post(
        reverse("assessments:round_create"), round_data(org, [whole], competencies=[single.pk])
    )
    assert response.status_code == 302
    round_ = Round.objects.get(name="Najaar 2026")
    expected = [*whole.competencies.order_by("position"), single]
    assert sorted(c.pk for c in round_.competencies()) == sorted(c.pk for c in expected)
    assert set(round_.frameworks.all()) == {whole, partial} and all(f.is_frozen for f in round_.frameworks.all())
    assessment = Assessment.objects.get(round=round_, person=employee)
    assert answers.competency_counts({round_.pk}) == {round_.pk: len(expected)}
    assert answers.progress(answers.form_sections(assessment))["total"] == len(expected)
    other = partial.competencies.exclude(pk=single.pk).first()
    assert answers.round_competency(assessment, other.pk) is None  # not asked, so it cannot be saved
    assert answers.round_competency(assessment, single.pk).round_total == len(expected)


def test_a_single_competency_of_a_framework_chosen_whole_adds_nothing(client_for, hr, org, frameworks):
    whole, _partial = frameworks
    single = whole.competencies.first()
    data = round_data(org, [whole], competencies=[single.pk])
    assert client_for(hr).post(reverse("assessments:round_create"), data).status_code == 302
    round_ = Round.objects.get(name="Najaar 2026")
    assert round_.competencies().count() == whole.competencies.count()
    assert not round_.picked_competencies.exists()


def test_two_competencies_with_one_theme_and_nearly_the_same_name_need_a_confirmation(client_for, hr, org, frameworks):
    first, second = frameworks
    twin = second.competencies.first()
    original = first.competencies.first()
    Competency.objects.filter(pk=twin.pk).update(
        theme=original.theme, name_nl="Iets anders", name_en=original.name_en + "!"
    )
    data = round_data(org, [first], competencies=[twin.pk])
    response = client_for(hr).post(reverse("assessments:round_create"), data)
    assert response.status_code == 400
    assert "share a theme and have nearly the same name" in response.content.decode()
    assert original.name_en in response.content.decode()
    assert not Round.objects.exists()
    data["keep_similar"] = "on"
    assert client_for(hr).post(reverse("assessments:round_create"), data).status_code == 302
    assert Round.objects.get().competencies().count() == first.competencies.count() + 1
