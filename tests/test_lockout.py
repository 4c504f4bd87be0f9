# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import reverse

LOGIN = "/accounts/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en")


def test_five_failures_lock_the_username_also_for_the_right_password(client, employee):
    for _ in range(4):
        assert attempt(client, "alice", "fout").status_code == 200
    response = attempt(client, "alice", "fout")
    assert response.status_code == 429
    assert "blocked for 15 minutes" in response.content.decode()
    response = attempt(client, "alice", "geheim-wachtwoord")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_unknown_username_gets_the_same_lockout(client, db):
    for _ in range(5):
        response = attempt(client, "bestaat-niet", "fout")
    assert response.status_code == 429
    assert "blocked for 15 minutes" in response.content.decode()


def test_lock_is_per_username(client, employee, colleague):
    for _ in range(5):
        attempt(client, "carla", "fout")
    response = attempt(client, "alice", "geheim-wachtwoord")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_success_resets_the_count(client, employee):
    for _ in range(4):
        attempt(client, "alice", "fout")
    assert attempt(client, "alice", "geheim-wachtwoord").status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "alice", "fout").status_code == 200
