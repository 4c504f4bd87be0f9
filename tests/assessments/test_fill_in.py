# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The employee's pages: the list, the form, and saving one answer (autosave and the no-JavaScript button)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments import rounds
from assessments.models import Assessment, Rating, Round
from tests.factories import CompetencyFactory, EnrolledRoundFactory, PersonFactory

from .conftest import days, make_frameworks

HTMX = {"HX-Request": "true"}


def rating_url(assessment, competency):
    return reverse("assessments:rating", args=[assessment.pk, competency.pk])


def form_url(assessment):
    return reverse("assessments:form", args=[assessment.pk])


def answer(current=3, desired=4, version=0, *, of=None, **extra):
    """The form data of one answer; `of` (the competency) gives the field names their form prefix ("c12-...")."""
    data = {"current_level": current, "desired_level": desired, "version": version, "note": ""}
    data.update(extra)
    return prefixed({key: value for key, value in data.items() if value is not None}, of)


def prefixed(data, competency):
    return data if competency is None else {f"c{competency.pk}-{key}": value for key, value in data.items()}


def close(round_):
    Round.objects.filter(pk=round_.pk).update(opens_on=days(-20), closes_on=days(-1))
    round_.refresh_from_db()


# The list


def test_list_anonymous_goes_to_login(client, assessment):
    response = client.get(reverse("assessments:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_shows_open_rounds_first_with_progress_and_deadline(client_for, employee, assessment, competencies, org):
    old = EnrolledRoundFactory(
        units=[org["social"]], frameworks=make_frameworks(1), opens_on=days(-60), closes_on=days(-30), name="Voorjaar"
    )
    assert not Assessment.objects.filter(round=old).exists()  # a closed round enrols nobody
    Assessment.objects.create(round=old, person=employee, unit=org["youth"])
    Rating.objects.create(assessment=assessment, competency=competencies[0], current_level=2, desired_level=3)
    Rating.objects.create(assessment=assessment, competency=competencies[1], current_level=2)  # half done

    response = client_for(employee).get(reverse("assessments:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Najaar") < html.index("Voorjaar")
    assert "1 of 5 filled in" in html
    assert days(10).strftime("%Y") in html


def test_list_empty_state(client_for, org):
    loner = PersonFactory(unit=org["green"])
    response = client_for(loner).get(reverse("assessments:list"))
    assert response.status_code == 200
    assert "There is no self-assessment for you yet" in response.content.decode()


def test_list_query_count_does_not_grow_with_rounds(client_for, employee, org, django_assert_max_num_queries):
    client = client_for(employee)
    for number in range(6):
        EnrolledRoundFactory(units=[org["youth"]], frameworks=make_frameworks(2 + number), name=f"Ronde {number}")
    client.get(reverse("assessments:list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assessments:list"))
    assert response.content.decode().count("assess-round ") == 6


def test_late_joiner_gets_an_assessment_when_opening_the_list(client_for, open_round, org):
    newcomer = PersonFactory(unit=org["wmo"])  # joins a unit below Sociaal Domein after the round opened
    response = client_for(newcomer).get(reverse("assessments:list"))
    assert response.status_code == 200
    assert Assessment.objects.filter(round=open_round, person=newcomer, unit=org["wmo"]).exists()
    assert "Najaar" in response.content.decode()


def test_outsider_does_not_join_on_the_fly(client_for, open_round, other_manager):
    client_for(other_manager).get(reverse("assessments:list"))
    assert not Assessment.objects.filter(person=other_manager).exists()


def test_home_shows_the_open_assessment(client_for, employee, assessment):
    response = client_for(employee).get(reverse("home"))
    assert form_url(assessment) in response.content.decode()
    assert "0 of 5 filled in" in response.content.decode()


# The form page


def test_form_anonymous_goes_to_login(client, assessment):
    response = client.get(form_url(assessment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["colleague", "manager", "senior_manager", "hr", "admin_user"])
def test_nobody_else_sees_the_form(client_for, assessment, persona, request):
    other = request.getfixturevalue(persona)
    assert client_for(other).get(form_url(assessment)).status_code == 404


def test_form_shows_every_competency_grouped_by_framework(client_for, employee, assessment, frameworks, competencies):
    Rating.objects.create(
        assessment=assessment, competency=competencies[0], current_level=2, desired_level=5, note="Mijn notitie"
    )
    response = client_for(employee).get(form_url(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    for framework in frameworks:
        assert f'id="f{framework.pk}"' in html
    for competency in competencies:
        assert f'id="c{competency.pk}"' in html
        assert f'href="#c{competency.pk}"' in html  # table of contents
    assert f'id="c{competencies[0].pk}-current-2" checked' in html
    assert f'id="c{competencies[0].pk}-desired-5" checked' in html
    assert "Mijn notitie" in html
    assert '<progress id="assess-progress-bar" max="5" value="1">' in html
    assert "<details" in html and "<fieldset" in html and "<legend" in html


def test_form_query_count_does_not_grow_with_competencies(client_for, org, employee):
    counts = []
    for size in (5, 40):
        round_ = EnrolledRoundFactory(
            units=[org["youth"]], frameworks=make_frameworks(size // 2, size - size // 2), name=f"R{size}"
        )
        assessment = Assessment.objects.get(round=round_, person=employee)
        for competency in round_.competencies()[:3]:
            Rating.objects.create(assessment=assessment, competency=competency, current_level=1, desired_level=2)
        client = client_for(employee)
        client.get(form_url(assessment))  # the first request of a session also writes the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(form_url(assessment))
        assert response.status_code == 200
        assert response.content.decode().count('class="assess-competency"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1], queries.captured_queries
    assert counts[1] <= 10


# Saving one answer


def test_autosave_stores_the_answer_and_returns_a_small_partial(client_for, employee, assessment, competencies):
    competency = competencies[0]
    response = client_for(employee).post(
        rating_url(assessment, competency), answer(2, 4, note="Oefenen", of=competency), headers=HTMX
    )
    assert response.status_code == 200
    rating = Rating.objects.get(assessment=assessment, competency=competency)
    assert (rating.current_level, rating.desired_level, rating.note, rating.version) == (2, 4, "Oefenen", 1)
    html = response.content.decode()
    assert "Saved at" in html
    assert f'id="c{competency.pk}-version" data-hx-swap-oob="true"' in html and 'value="1"' in html
    assert "1 of 5 filled in" in html
    assert "<html" not in html
    assessment.refresh_from_db()
    assert assessment.started_at is not None


def test_autosave_in_steps_keeps_the_version_going(client_for, employee, assessment, competencies):
    client = client_for(employee)
    url = rating_url(assessment, competencies[0])
    assert client.post(url, answer(2, None, version=0, of=competencies[0]), headers=HTMX).status_code == 200
    assert client.post(url, answer(2, 3, version=1, of=competencies[0]), headers=HTMX).status_code == 200
    rating = Rating.objects.get(assessment=assessment, competency=competencies[0])
    assert (rating.current_level, rating.desired_level, rating.version) == (2, 3, 2)
    assert rating.is_complete


def test_save_button_without_javascript_redirects_to_the_anchor(client_for, employee, assessment, competencies):
    competency = competencies[1]
    response = client_for(employee).post(rating_url(assessment, competency), answer(1, 2, of=competency))
    assert response.status_code == 302
    assert response["Location"] == form_url(assessment) + f"#c{competency.pk}"
    assert Rating.objects.filter(assessment=assessment, competency=competency, current_level=1).exists()


def test_not_applicable_stores_no_levels(client_for, employee, assessment, competencies):
    response = client_for(employee).post(
        rating_url(assessment, competencies[0]), answer(3, 4, not_applicable="on", of=competencies[0]), headers=HTMX
    )
    assert response.status_code == 200
    rating = Rating.objects.get(assessment=assessment, competency=competencies[0])
    assert rating.not_applicable and rating.current_level is None and rating.desired_level is None
    assert rating.is_complete


def test_note_of_2000_characters_with_windows_line_breaks_is_fine(client_for, employee, assessment, competencies):
    note = ("a" * 9 + "\r\n") * 199 + "a" * 10  # 2,199 sent; 2,000 once a line break is one character
    response = client_for(employee).post(
        rating_url(assessment, competencies[0]), answer(note=note, of=competencies[0]), headers=HTMX
    )
    assert response.status_code == 200
    assert len(Rating.objects.get(assessment=assessment).note) == 2000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (answer(current=0), "Choose a level from 1 to 5."),
        (answer(current=6), "Choose a level from 1 to 5."),
        (answer(desired=9), "Choose a level from 1 to 5."),
        (answer(current="drie"), "Choose a level from 1 to 5."),
        (answer(note="x" * 2001), "Your note has 2001 characters. Shorten it to at most 2000 characters."),
        ({"current_level": 3, "desired_level": 4}, "This page is out of date."),  # no version
        (answer(version="oud"), "This page is out of date."),
        (answer(version=-1), "This page is out of date."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_input_is_refused_and_nothing_is_stored(
    client_for, employee, assessment, competencies, data, message, htmx
):
    url = rating_url(assessment, competencies[0])
    response = client_for(employee).post(url, prefixed(data, competencies[0]), headers=HTMX if htmx else {})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Rating.objects.exists()
    assessment.refresh_from_db()
    assert assessment.started_at is None
    if htmx:
        assert response["HX-Retarget"] == f"#c{competencies[0].pk}"
        assert response["HX-Reswap"] == "outerHTML"


def test_bad_input_shows_what_was_typed(client_for, employee, assessment, competencies):
    response = client_for(employee).post(
        rating_url(assessment, competencies[0]),
        answer(current=7, note="Niet kwijtraken", of=competencies[0]),
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Niet kwijtraken" in response.content.decode()


@pytest.mark.parametrize("htmx", [True, False])
def test_competency_not_in_this_round_is_refused(client_for, employee, assessment, htmx):
    stranger = CompetencyFactory()
    response = client_for(employee).post(
        rating_url(assessment, stranger), answer(of=stranger), headers=HTMX if htmx else {}
    )
    assert response.status_code == 400
    assert "This competency is not part of this round." in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize("persona", ["colleague", "manager", "hr"])
def test_nobody_else_can_save_an_answer(client_for, assessment, competencies, persona, request):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(rating_url(assessment, competencies[0]), answer(of=competencies[0]), headers=HTMX)
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_unknown_assessment_is_404(client_for, employee, assessment, competencies):
    response = client_for(employee).post(
        reverse("assessments:rating", args=[assessment.pk + 999, competencies[0].pk]), answer(of=competencies[0])
    )
    assert response.status_code == 404


def test_saving_needs_post(client_for, employee, assessment, competencies):
    assert client_for(employee).get(rating_url(assessment, competencies[0])).status_code == 405


@pytest.mark.parametrize("htmx", [True, False])
def test_closed_round_is_read_only(client_for, employee, assessment, competencies, htmx):
    Rating.objects.create(assessment=assessment, competency=competencies[0], current_level=2, desired_level=3)
    close(assessment.round)
    client = client_for(employee)
    response = client.post(
        rating_url(assessment, competencies[0]),
        answer(5, 5, version=1, of=competencies[0]),
        headers=HTMX if htmx else {},
    )
    assert response.status_code == 409
    assert "This round is closed." in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    rating = Rating.objects.get(assessment=assessment, competency=competencies[0])
    assert (rating.current_level, rating.version) == (2, 1)
    assert not Rating.objects.filter(competency=competencies[1]).exists()

    page = client.get(form_url(assessment)).content.decode()
    assert "This round is closed." in page
    assert '<form method="post" action="' + rating_url(assessment, competencies[0]) not in page
    assert 'class="assess-readonly"' in page


def test_closed_early_round_is_read_only(client_for, employee, assessment, competencies):
    rounds.close_early(assessment.round)
    response = client_for(employee).post(
        rating_url(assessment, competencies[0]), answer(of=competencies[0]), headers=HTMX
    )
    assert response.status_code == 409
    assert not Rating.objects.exists()


def test_round_that_has_not_opened_takes_no_answers(client_for, employee, org, frameworks):
    round_ = EnrolledRoundFactory(units=[org["youth"]], frameworks=frameworks, opens_on=days(3), closes_on=days(20))
    assessment = Assessment.objects.get(round=round_, person=employee)
    competency = round_.competencies().first()
    response = client_for(employee).post(rating_url(assessment, competency), answer(of=competency), headers=HTMX)
    assert response.status_code == 409
    assert "This round opens on" in response.content.decode()
    assert not Rating.objects.exists()


def test_submitted_assessment_takes_no_answers(client_for, employee, assessment, competencies):
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=timezone.now())
    response = client_for(employee).post(
        rating_url(assessment, competencies[0]), answer(of=competencies[0]), headers=HTMX
    )
    assert response.status_code == 409
    assert "You have submitted this self-assessment." in response.content.decode()
    assert not Rating.objects.exists()


# Two tabs


def test_stale_tab_does_not_overwrite_a_newer_answer(client_for, employee, assessment, competencies):
    client = client_for(employee)
    url = rating_url(assessment, competencies[0])
    # Tab A and tab B both show version 0; tab B saves first.
    assert (
        client.post(url, answer(4, 5, version=0, note="Uit tab B", of=competencies[0]), headers=HTMX).status_code
        == 200
    )
    response = client.post(url, answer(1, 1, version=0, note="Uit tab A", of=competencies[0]), headers=HTMX)

    assert response.status_code == 409
    html = response.content.decode()
    assert "You already changed this answer in another window" in html
    assert f'id="c{competencies[0].pk}-current-4" checked' in html  # the stored answer is shown
    assert "Uit tab B" in html
    assert f'name="c{competencies[0].pk}-version" value="1"' in html
    assert response["HX-Retarget"] == f"#c{competencies[0].pk}"
    rating = Rating.objects.get(assessment=assessment, competency=competencies[0])
    assert (rating.current_level, rating.note, rating.version) == (4, "Uit tab B", 1)


def test_stale_update_is_refused_too(client_for, employee, assessment, competencies):
    client = client_for(employee)
    url = rating_url(assessment, competencies[0])
    client.post(url, answer(2, 3, version=0, of=competencies[0]), headers=HTMX)
    client.post(url, answer(3, 3, version=1, of=competencies[0]), headers=HTMX)
    response = client.post(url, answer(5, 5, version=1, of=competencies[0]))  # without JavaScript: the whole page, 409
    assert response.status_code == 409
    assert "You already changed this answer in another window" in response.content.decode()
    assert Rating.objects.get(assessment=assessment, competency=competencies[0]).current_level == 3


def test_the_radios_of_a_column_are_escaped_and_show_the_chosen_level(competencies):
    """The radio groups are built in Python (assessment_tags.radio_column): nothing in them is left unescaped."""
    from assessments.answers import Item
    from assessments.templatetags.assessment_tags import radio_column

    competency = competencies[0]
    competency.name_en = competency.name_nl = '<b>Samen & "sterk"</b>'
    item = Item(competency, posted={f"c{competency.pk}-current_level": "3"})
    current, desired = item.columns
    html = radio_column(item, current)
    assert html.count('type="radio"') == 5 and html.count(" checked") == 1
    assert f'id="c{competency.pk}-current-3" checked' in html
    assert "&lt;b&gt;Samen &amp; &quot;sterk&quot;&lt;/b&gt;" in html and "<b>" not in html
    assert " checked" not in radio_column(item, desired)


def test_the_levels_are_escaped_and_say_what_you_do_and_the_tip_in_dutch(competencies):
    """The level rows are built in Python too (assessment_tags.level_rows), translated as the template was."""
    from django.utils import translation

    from assessments.answers import Item
    from assessments.templatetags.assessment_tags import level_rows

    competency = competencies[0]
    level = competency.levels.get(level=3)
    level.indicators_nl = ["Je <i>zegt</i> het & doet het"]
    level.tip_nl = 'Vraag "feedback"'
    level.save()
    with translation.override("nl"):
        html = level_rows(Item(competency))
    assert html.count('class="assess-level ') == 5
    assert f'id="c{competency.pk}-l3-text"' in html
    assert "<li>Je &lt;i&gt;zegt&lt;/i&gt; het &amp; doet het</li>" in html and "<i>" not in html
    assert "Wat je doet op niveau 3" in html
    assert "Tip voor de stap naar het volgende niveau:</span> Vraag &quot;feedback&quot;</p>" in html
