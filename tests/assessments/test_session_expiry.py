# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""An answer sent after the session ended is kept, and stored once the same person logs in again."""

import re
import time

from django.urls import reverse

import pytest

from assessments import pending
from assessments.models import Rating
from organisation.audit import Action
from organisation.models import AccessLog
from vakmanschap.middleware import IDLE_KEY

from .test_fill_in import HTMX, answer, form_url, rating_url

PASSWORD = "geheim-wachtwoord"  # tests.factories.PersonFactory


def expire(client):
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 24 * 3600
    session.save()


def owned(assessment, data):
    """The answer as the form sends it: with the owner token the page got while its owner was logged in.

    The token gets the same form prefix ("c12-") as the answer's other fields.
    """
    prefix = next(key[: -len("version")] for key in data if key.endswith("version"))
    return {**data, f"{prefix}owner": pending.owner_token(assessment.person, assessment)}


def log_in(client, person, next_url):
    return client.post(
        reverse("login") + "?next=" + next_url,
        {"username": person.username, "password": PASSWORD, "next": next_url},
        follow=True,
    )


def test_autosave_after_expiry_keeps_the_answer_until_login(client_for, employee, assessment, competencies):
    client = client_for(employee)
    expire(client)
    competency = competencies[2]

    response = client.post(
        rating_url(assessment, competency),
        owned(assessment, answer(2, 5, note="Bijna kwijt", of=competency)),
        headers=HTMX,
    )

    assert response.status_code == 401
    html = response.content.decode()
    assert "We kept this answer." in html
    login_link = reverse("login") + "?next=" + form_url(assessment).replace("/", "%2F") + f"%23c{competency.pk}"
    assert login_link in html
    assert not Rating.objects.exists()  # not stored yet: we do not know who sent it

    response = log_in(client, employee, form_url(assessment) + f"#c{competency.pk}")

    assert response.redirect_chain[-1][0] == form_url(assessment) + f"#c{competency.pk}"
    rating = Rating.objects.get(assessment=assessment, competency=competency)
    assert (rating.current_level, rating.desired_level, rating.note) == (2, 5, "Bijna kwijt")
    assert "We saved the answer you gave just before you were logged out." in response.content.decode()
    assert not pending.has_pending(client.session)
    entry = AccessLog.objects.get(action=Action.CHANGED_RATING)
    assert (entry.actor, entry.detail) == (employee, competency.code)


def test_several_answers_and_the_save_button_after_expiry(client_for, employee, assessment, competencies):
    client = client_for(employee)
    expire(client)
    client.post(
        rating_url(assessment, competencies[0]), owned(assessment, answer(1, 2, of=competencies[0])), headers=HTMX
    )
    response = client.post(
        rating_url(assessment, competencies[1]), owned(assessment, answer(3, 3, of=competencies[1]))
    )  # without JavaScript

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert "expired=1" in response["Location"]

    log_in(client, employee, form_url(assessment))
    assert Rating.objects.filter(assessment=assessment).count() == 2


def test_invalid_answer_after_expiry_is_not_kept(client_for, employee, assessment, competencies):
    client = client_for(employee)
    expire(client)
    response = client.post(
        rating_url(assessment, competencies[0]), owned(assessment, answer(current=8, of=competencies[0])), headers=HTMX
    )
    assert response.status_code == 401
    assert "We kept this answer." not in response.content.decode()
    log_in(client, employee, form_url(assessment))
    assert not Rating.objects.exists()


def test_kept_answer_does_not_overwrite_a_newer_one(client_for, employee, assessment, competencies):
    client = client_for(employee)
    expire(client)
    client.post(
        rating_url(assessment, competencies[0]),
        owned(assessment, answer(1, 1, version=0, of=competencies[0])),
        headers=HTMX,
    )
    # Meanwhile the answer was given in another browser.
    Rating.objects.create(assessment=assessment, competency=competencies[0], current_level=4, desired_level=5)

    response = log_in(client, employee, form_url(assessment))

    assert Rating.objects.get(assessment=assessment, competency=competencies[0]).current_level == 4
    assert "An answer you gave while logged out was not saved." in response.content.decode()


def test_someone_else_logging_in_on_the_same_browser_gets_nothing(
    client_for, employee, colleague, assessment, colleague_assessment, competencies
):
    client = client_for(employee)
    expire(client)
    client.post(
        rating_url(assessment, competencies[0]), owned(assessment, answer(2, 3, of=competencies[0])), headers=HTMX
    )

    log_in(client, colleague, form_url(colleague_assessment))

    assert not Rating.objects.exists()
    assert not pending.has_pending(client.session)


def test_round_closed_while_logged_out_stores_nothing(client_for, employee, assessment, competencies):
    from .test_fill_in import close

    client = client_for(employee)
    expire(client)
    client.post(
        rating_url(assessment, competencies[0]), owned(assessment, answer(2, 3, of=competencies[0])), headers=HTMX
    )
    close(assessment.round)

    response = log_in(client, employee, form_url(assessment))

    assert not Rating.objects.exists()
    assert "This round is closed." in response.content.decode()


@pytest.mark.parametrize("count", [pending.MAX_PENDING])
def test_an_anonymous_session_holds_a_bounded_number_of_answers(client, assessment, competencies, count):
    session, token = {}, pending.owner_token(assessment.person, assessment)
    for number in range(count):
        assert pending.keep(session, assessment.pk, number, {"current_level": 1}, 0, token)
    assert not pending.keep(session, assessment.pk, count + 1, {"current_level": 1}, 0, token)
    assert pending.keep(session, assessment.pk, 0, {"current_level": 2}, 0, token)  # replacing one is fine


# Finding 2 of the security review: answers planted before login.


def test_an_answer_without_owner_token_is_not_kept(client, employee, assessment, competencies):
    """Finding 2: an autosave sent without any session (a planted answer) is not kept; the answer says so."""
    response = client.post(rating_url(assessment, competencies[0]), answer(1, 1, of=competencies[0]), headers=HTMX)
    assert response.status_code == 401
    assert "This answer was not kept" in response.content.decode()
    assert not pending.has_pending(client.session)
    log_in(client, employee, form_url(assessment))
    assert not Rating.objects.exists()


@pytest.mark.parametrize("token", ["forged", "other-assessment", "expired"])
def test_a_bad_owner_token_is_not_kept(
    client, employee, assessment, colleague_assessment, competencies, token, settings
):
    """Finding 2: a forged token, one for another assessment or an expired one keeps nothing."""
    tokens = {
        "forged": "eyJwZXJzb24iOjF9:forged:signature",
        "other-assessment": pending.owner_token(employee, colleague_assessment),
        "expired": pending.owner_token(employee, assessment),
    }
    if token == "expired":
        settings.SESSION_COOKIE_AGE = -1  # every token is older than a session may live
    data = {**answer(1, 1, of=competencies[0]), f"c{competencies[0].pk}-owner": tokens[token]}
    response = client.post(rating_url(assessment, competencies[0]), data, headers=HTMX)
    assert response.status_code == 401 and "This answer was not kept" in response.content.decode()
    assert not pending.has_pending(client.session)


def test_an_answer_planted_with_the_attackers_token_is_dropped_for_the_victim(
    client_for, employee, colleague, assessment, colleague_assessment, competencies
):
    """Finding 2: someone's own token, planted in a browser, is not stored for the next person; they are told."""
    client = client_for(colleague)
    expire(client)
    # The colleague plants an answer with a genuine token of theirs for the employee's assessment id.
    planted = {
        **answer(1, 1, of=competencies[0]),
        f"c{competencies[0].pk}-owner": pending.owner_token(colleague, assessment),
    }
    assert client.post(rating_url(assessment, competencies[0]), planted, headers=HTMX).status_code == 401
    # The token names the colleague, so the employee's login stores nothing and says so.
    response = log_in(client, employee, form_url(assessment))
    assert not Rating.objects.exists()
    assert "was not saved: it was not given by you." in response.content.decode()
    assert not pending.has_pending(client.session)


def test_the_form_carries_the_owner_token(client_for, employee, assessment, competencies):
    """Finding 2: the form page issues the signed token while its owner is logged in."""
    content = client_for(employee).get(form_url(assessment)).content.decode()
    value = re.search(r'name="c\d+-owner" value="([^"]+)"', content).group(1)
    assert pending.token_owner(value, assessment.pk) == employee.pk
