# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Submitting: every competency answered, a confirmation, then read-only; sharing chosen on submit and later."""

from django.urls import reverse

import pytest

from assessments.models import Assessment, Rating

from .test_fill_in import HTMX, answer, close, form_url, rating_url


def submit_url(assessment):
    return reverse("assessments:submit", args=[assessment.pk])


def answer_all(assessment, competencies, skip=0):
    for competency in competencies[skip:]:
        Rating.objects.create(assessment=assessment, competency=competency, current_level=3, desired_level=4)


def test_submit_anonymous_goes_to_login(client, assessment):
    assert client.get(submit_url(assessment))["Location"].startswith(reverse("login"))
    assert client.post(submit_url(assessment))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["colleague", "manager", "hr"])
def test_nobody_else_can_submit(client_for, assessment, competencies, persona, request):
    answer_all(assessment, competencies)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(submit_url(assessment)).status_code == 404
    assert client.post(submit_url(assessment), {"share_with_manager": "on"}).status_code == 404
    assert Assessment.objects.get(pk=assessment.pk).submitted_at is None


def test_missing_answers_are_listed_with_links(client_for, employee, assessment, competencies):
    answer_all(assessment, competencies, skip=2)
    Rating.objects.create(assessment=assessment, competency=competencies[1], current_level=2)  # desired missing
    client = client_for(employee)

    response = client.get(submit_url(assessment))

    html = response.content.decode()
    assert "2 competencies still need an answer" in html
    assert f'href="{form_url(assessment)}#c{competencies[0].pk}"' in html
    assert f'href="{form_url(assessment)}#c{competencies[1].pk}"' in html
    assert "the desired level is missing" in html
    assert "Yes, submit my self-assessment" not in html

    response = client.post(submit_url(assessment), {"share_with_manager": "on"})
    assert response.status_code == 400
    assert Assessment.objects.get(pk=assessment.pk).submitted_at is None


def test_not_applicable_counts_as_an_answer(client_for, employee, assessment, competencies):
    answer_all(assessment, competencies, skip=1)
    Rating.objects.create(assessment=assessment, competency=competencies[0], not_applicable=True)
    response = client_for(employee).post(submit_url(assessment), {})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).is_submitted


def test_confirmation_then_read_only_with_the_submission_time(client_for, employee, assessment, competencies):
    answer_all(assessment, competencies)
    client = client_for(employee)

    confirm = client.get(submit_url(assessment)).content.decode()
    assert "Yes, submit my self-assessment" in confirm
    assert "checked" not in confirm.split('name="share_with_manager"')[1].split(">")[0]  # privacy by default

    response = client.post(submit_url(assessment), {})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert not assessment.shared_with_manager

    page = client.get(form_url(assessment)).content.decode()
    assert "You submitted this self-assessment on" in page
    assert 'class="assess-readonly"' in page
    assert rating_url(assessment, competencies[0]) not in page

    refused = client.post(rating_url(assessment, competencies[0]), answer(1, 1, version=1), headers=HTMX)
    assert refused.status_code == 409
    assert Rating.objects.get(assessment=assessment, competency=competencies[0]).current_level == 3


def test_share_default_comes_from_the_round(client_for, employee, assessment, competencies):
    assessment.round.share_default = True
    assessment.round.save()
    answer_all(assessment, competencies)
    confirm = client_for(employee).get(submit_url(assessment)).content.decode()
    assert "checked" in confirm.split('name="share_with_manager"')[1].split(">")[0]


def test_submitting_twice_is_harmless(client_for, employee, assessment, competencies):
    answer_all(assessment, competencies)
    client = client_for(employee)
    client.post(submit_url(assessment), {"share_with_manager": "on"})
    first = Assessment.objects.get(pk=assessment.pk).submitted_at

    response = client.post(submit_url(assessment), {}, follow=True)

    assert response.status_code == 200
    assert "You already submitted this self-assessment on" in response.content.decode()
    again = Assessment.objects.get(pk=assessment.pk)
    assert again.submitted_at == first
    assert again.shared_with_manager  # the second post did not change the choice


def test_sharing_can_change_after_submitting(client_for, employee, assessment, competencies):
    answer_all(assessment, competencies)
    client = client_for(employee)
    client.post(submit_url(assessment), {"share_with_manager": "on"})
    sharing = reverse("assessments:sharing", args=[assessment.pk])

    response = client.post(sharing, {})
    assert response.status_code == 302
    assert not Assessment.objects.get(pk=assessment.pk).shared_with_manager

    close(assessment.round)  # also after the round closed: it is the employee's choice
    client.post(sharing, {"share_with_manager": "on"})
    assert Assessment.objects.get(pk=assessment.pk).shared_with_manager


def test_sharing_before_submitting_is_refused(client_for, employee, assessment):
    response = client_for(employee).post(
        reverse("assessments:sharing", args=[assessment.pk]), {"share_with_manager": "on"}
    )
    assert response.status_code == 409
    assert not Assessment.objects.get(pk=assessment.pk).shared_with_manager


@pytest.mark.parametrize("persona", ["manager", "hr"])
def test_nobody_else_can_change_sharing(client_for, assessment, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(reverse("assessments:sharing", args=[assessment.pk]), {}).status_code == 404


def test_closed_round_cannot_be_submitted(client_for, employee, assessment, competencies):
    answer_all(assessment, competencies)
    close(assessment.round)
    client = client_for(employee)
    assert "This round is closed." in client.get(submit_url(assessment)).content.decode()
    response = client.post(submit_url(assessment), {})
    assert response.status_code == 409
    assert Assessment.objects.get(pk=assessment.pk).submitted_at is None


def test_after_reopening_the_earlier_sharing_choice_stands(client_for, employee, assessment, competencies):
    from assessments import rounds

    answer_all(assessment, competencies)
    client = client_for(employee)
    client.post(submit_url(assessment), {"share_with_manager": "on"})
    rounds.reopen(Assessment.objects.get(pk=assessment.pk), "Nog een keer")
    confirm = client.get(submit_url(assessment)).content.decode()
    assert "checked" in confirm.split('name="share_with_manager"')[1].split(">")[0]
