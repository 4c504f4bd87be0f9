# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Session end: the warning's data, "stay logged in", and deactivated people."""

import re

from django.urls import reverse

from vakmanschap.middleware import IDLE_KEY

KEEP_ALIVE = "/session/keep-alive/"


def test_body_carries_the_timeout_for_the_warning(client_for, employee, settings):
    settings.SESSION_IDLE_TIMEOUT = 30
    content = client_for(employee).get("/").content.decode()
    assert 'data-session-idle="1800"' in content
    assert 'data-session-warning="120"' in content
    assert "js/session.js" in content
    dialog = re.search(r"<dialog id=\"session-warning\"[^>]*>", content).group(0)
    assert 'role="alertdialog"' in dialog
    assert 'aria-labelledby="session-warning-title"' in dialog
    assert "Stay logged in" in content or "Ingelogd blijven" in content


def test_short_timeout_warns_halfway(client_for, employee, settings):
    settings.SESSION_IDLE_TIMEOUT = 1
    content = client_for(employee).get("/").content.decode()
    assert 'data-session-idle="60"' in content
    assert 'data-session-warning="30"' in content


def test_no_warning_when_logged_out(client, db):
    content = client.get(reverse("login")).content.decode()
    assert "data-session-idle" not in content
    assert "session-warning" not in content
    assert "js/session.js" not in content


def test_keep_alive_restarts_the_idle_clock(client_for, employee, settings):
    client = client_for(employee)
    client.get("/")
    session = client.session
    session[IDLE_KEY] -= settings.SESSION_IDLE_TIMEOUT * 60 - 60  # one minute left
    session.save()
    before = client.session[IDLE_KEY]
    response = client.post(KEEP_ALIVE, headers={"accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"idle_seconds": settings.SESSION_IDLE_TIMEOUT * 60}
    assert "no-store" in response["Cache-Control"]
    assert client.session[IDLE_KEY] > before
    # Two more minutes would have ended the old session; the refreshed one lives on.
    session = client.session
    session[IDLE_KEY] -= 120
    session.save()
    assert client.get("/").status_code == 200


def test_keep_alive_cannot_revive_an_ended_session(client_for, employee, settings):
    client = client_for(employee)
    client.get("/")
    session = client.session
    session[IDLE_KEY] -= settings.SESSION_IDLE_TIMEOUT * 60 + 1
    session.save()
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/").status_code == 302


def test_keep_alive_anonymous_goes_to_login(client, db):
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_keep_alive_only_by_post(client_for, employee):
    assert client_for(employee).get(KEEP_ALIVE).status_code == 405


def test_keep_alive_needs_the_csrf_token(employee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(employee)
    assert client.post(KEEP_ALIVE).status_code == 403


def test_deactivated_person_is_logged_out_at_the_next_request(client_for, employee):
    """ModelBackend.get_user refuses inactive users on every request, so the session ends at once."""
    client = client_for(employee)
    assert client.get("/").status_code == 200
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(KEEP_ALIVE).status_code == 302


def test_deactivated_person_cannot_log_in(client, employee):
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    response = client.post(reverse("login"), {"username": "alice", "password": "geheim-wachtwoord"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
