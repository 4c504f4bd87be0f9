# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from unittest import mock

from django.db import DatabaseError
from django.urls import reverse

import pytest


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_fails(client, db):
    with mock.patch("vakmanschap.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_with_standard_form(client, employee):
    response = client.post(reverse("login"), {"username": "alice", "password": "geheim-wachtwoord"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_gets_a_message_and_no_session(client, employee):
    response = client.post(reverse("login"), {"username": "alice", "password": "fout"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_ends_session_server_side(client_for, employee):
    client = client_for(employee)
    key = client.session.session_key
    client.post(reverse("logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize(
    ("accept", "lang"), [("nl-NL,nl;q=0.9", "nl"), ("en-GB,en;q=0.8", "en"), ("de-DE", "nl"), ("", "nl")]
)
def test_browser_language_is_honoured_dutch_otherwise(client, db, accept, lang):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    assert f'<html lang="{lang}" ' in response.content.decode()


def test_language_switch_overrides_browser(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="nl")
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl")
    assert '<html lang="en" ' in response.content.decode()
    assert "Log in" in response.content.decode()


def test_every_page_has_skip_link_landmarks_and_language_switch(client_for, employee):
    content = client_for(employee).get("/").content.decode()
    for needle in ('href="#main"', "<main", "<nav", "<footer", 'name="language"'):
        assert needle in content


def test_security_headers_on_pages(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_or_styles_in_base_layout(client_for, employee):
    content = client_for(employee).get("/").content.decode()
    assert "<script>" not in content
    assert "style=" not in content


def test_idle_session_ends(client_for, employee, settings):
    client = client_for(employee)
    assert client.get("/").status_code == 200
    session = client.session
    session["_last_activity"] -= settings.SESSION_IDLE_TIMEOUT * 60 + 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_absolute_session_lifetime(client_for, employee, settings):
    client = client_for(employee)
    client.get("/")
    session = client.session
    session["_session_started"] -= settings.SESSION_COOKIE_AGE + 1
    session.save()
    assert client.get("/").status_code == 302


def test_password_reset_sends_mail(client, employee, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": employee.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_password_reset_does_not_reveal_unknown_addresses(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "niemand@voorbeeld.nl"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_every_page_configures_htmx_once_without_inline_styles(client_for, employee):
    content = client_for(employee).get("/").content.decode()
    assert content.count('name="htmx-config"') == 1
    assert '"includeIndicatorStyles": false' in content


def test_password_pages_render(client_for, employee, client):
    assert (
        "Change password"
        in client_for(employee).get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    client.logout()
    assert client.get(reverse("password_reset")).status_code == 200
    stale = client.get("/accounts/reset/MQ/set-password/", HTTP_ACCEPT_LANGUAGE="en")
    assert "no longer valid" in stale.content.decode()
