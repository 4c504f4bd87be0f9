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


# Finding 3 of the security review: anyone could lock HR out, and nothing slowed password spraying.


def attempt_from(client, address, username, password, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en", **headers
    )


def test_a_lock_from_one_address_does_not_lock_the_account_elsewhere(client, employee):
    """Finding 3: five wrong passwords from an attacker's address do not keep the owner out from theirs."""
    for _ in range(5):
        attempt_from(client, "203.0.113.66", "alice", "fout")
    assert attempt_from(client, "203.0.113.66", "alice", "geheim-wachtwoord").status_code == 429
    from django.test import Client

    owner = Client()
    assert attempt_from(owner, "198.51.100.7", "alice", "geheim-wachtwoord").status_code == 302


def test_password_spraying_from_one_address_is_throttled(client, db, settings):
    """Finding 3: many usernames, one address: after LOGIN_ADDRESS_FAILURE_LIMIT failures that address is refused."""
    from tests.factories import PersonFactory

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    PersonFactory(username="zoe")
    for number in range(6):
        assert attempt_from(client, "203.0.113.9", f"user{number}", "Welkom01").status_code == 200
    # Even the right password of a real account is refused from there now, with the address message.
    response = attempt_from(client, "203.0.113.9", "zoe", "geheim-wachtwoord")
    assert response.status_code == 429
    assert "from your network address. Logging in from this address is blocked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    from django.test import Client

    assert attempt_from(Client(), "198.51.100.7", "zoe", "geheim-wachtwoord").status_code == 302


def test_the_lockout_page_is_the_same_for_real_and_unknown_usernames(client, employee):
    """Finding 3: the lock-out page does not tell whether a username exists."""
    for _ in range(5):
        known = attempt_from(client, "203.0.113.5", "alice", "fout")
        unknown = attempt_from(client, "203.0.113.5", "niemand", "fout")
    assert known.status_code == unknown.status_code == 429

    def alert(response):
        content = response.content.decode()
        return content[
            content.index('<div class="alert') : content.index("</div>", content.index('<div class="alert'))
        ]

    assert alert(known) == alert(unknown)
    assert "with this username from your network address" in alert(known)


def test_behind_a_proxy_the_lock_uses_the_forwarded_address(client, employee, settings):
    """Finding 3: with TRUSTED_PROXY_COUNT=1 the proxy's address is not the one locked, the client's is."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        attempt_from(client, "10.0.0.1", "alice", "fout", HTTP_X_FORWARDED_FOR="203.0.113.66")
    locked = attempt_from(client, "10.0.0.1", "alice", "geheim-wachtwoord", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert locked.status_code == 429
    response = attempt_from(client, "10.0.0.1", "alice", "geheim-wachtwoord", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


def test_failed_logins_are_in_the_access_log(client, employee):
    """Access log: a failed login is written as refused, with the typed username and the address."""
    from organisation.models import AccessLog

    attempt_from(client, "203.0.113.66", "alice", "fout")
    entry = AccessLog.objects.get()
    assert (entry.action, entry.result) == (AccessLog.Action.LOGGED_IN, AccessLog.Result.REFUSED)
    assert (entry.actor_name, entry.person, entry.ip_address) == ("alice", employee, "203.0.113.66")
