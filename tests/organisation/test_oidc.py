# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Single sign-on against a fake OpenID Connect provider: the token and userinfo calls are mocked."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlparse

from django.urls import reverse

import jwt
import pytest

from tests.factories import PersonFactory

SECRET = "test-client-secret-that-is-long-enough-for-hs256"
OIDC_SETTINGS = {
    "OIDC_ENABLED": True,
    "OIDC_RP_CLIENT_ID": "vakmanschap",
    "OIDC_RP_CLIENT_SECRET": SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.test/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.test/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.test/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "",
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_MATCH_CLAIM": "email",
}
BACKENDS = [
    "organisation.logins.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "organisation.oidc.PersonOIDCBackend",
]


@pytest.fixture
def client(client):
    """Messages are asserted on their English ids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def sso(settings):
    for name, value in OIDC_SETTINGS.items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    return settings


class FakeResponse:
    def __init__(self, data):
        self._data = data
        self.status_code = 200
        self.headers = {"content-type": "application/json"}

    def json(self):
        return self._data

    def raise_for_status(self):
        return None


def sign_in(client, claims, *, tamper_nonce=False):
    """Run the code flow: our redirect to the provider, then the provider's redirect back with a code."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    assert start["Location"].startswith("https://idp.example.test/authorize")
    assert query["client_id"] == ["vakmanschap"] and "code_challenge" in query
    nonce = "wrong" if tamper_nonce else query["nonce"][0]
    id_token = jwt.encode(
        {
            "iss": "https://idp.example.test",
            "aud": "vakmanschap",
            "sub": "abc",
            "nonce": nonce,
            "exp": int(time.time()) + 300,
            "iat": int(time.time()),
        },
        SECRET,
        algorithm="HS256",
    )
    token = FakeResponse({"id_token": id_token, "access_token": "access"})
    with (
        mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token) as post,
        mock.patch("mozilla_django_oidc.auth.requests.get", return_value=FakeResponse(claims)),
    ):
        response = client.get(reverse("oidc_authentication_callback"), {"code": "c0de", "state": query["state"][0]})
    if not tamper_nonce:
        assert post.call_args.kwargs["data"]["code"] == "c0de"
    return response


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_off_by_default(client, db, settings):
    assert settings.OIDC_ENABLED is False
    assert "organisation.oidc.PersonOIDCBackend" not in settings.AUTHENTICATION_BACKENDS
    assert settings.AUTHENTICATION_BACKENDS[:2] == [
        "organisation.logins.AddressThrottleBackend",
        "axes.backends.AxesStandaloneBackend",
    ]
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "organisation account" not in client.get(reverse("login")).content.decode()


def test_login_page_offers_the_button_when_enabled(client, sso):
    content = client.get(reverse("login") + "?next=/assessments/").content.decode()
    assert "Log in with your organisation account" in content
    assert reverse("oidc_authentication_init") + "?next=/assessments/" in content


def test_matched_on_email(client, sso, employee):
    response = sign_in(client, {"email": "ALICE@voorbeeld.nl", "email_verified": True, "sub": "abc"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_as(client) == str(employee.pk)
    assert client.get("/").status_code == 200
    employee.refresh_from_db()
    assert employee.name == "Alice Jansen"  # nothing overwritten from the token


def test_matched_on_personnel_number(client, sso, employee):
    sso.OIDC_MATCH_CLAIM = "personnel_number"
    sso.OIDC_PERSONNEL_NUMBER_CLAIM = "employee_id"
    response = sign_in(client, {"email": "someone-else@voorbeeld.nl", "employee_id": employee.personnel_number})
    assert response.status_code == 302
    assert logged_in_as(client) == str(employee.pk)


def test_unknown_person_is_not_created(client, sso, employee):
    from organisation.models import Person

    count = Person.objects.count()
    response = sign_in(client, {"email": "nobody@voorbeeld.nl"})
    assert response.status_code == 302 and "sso=failed" in response["Location"]
    assert logged_in_as(client) is None
    assert Person.objects.count() == count
    page = client.get(response["Location"]).content.decode()
    assert "Logging in with your organisation account did not work." in page


def test_deactivated_person_cannot_sign_in(client, sso, employee):
    employee.is_active = False
    employee.save()
    assert "sso=failed" in sign_in(client, {"email": employee.email})["Location"]
    assert logged_in_as(client) is None


def test_two_people_with_the_same_email_are_refused(client, sso, employee):
    PersonFactory(email=employee.email)
    assert "sso=failed" in sign_in(client, {"email": employee.email})["Location"]
    assert logged_in_as(client) is None


def test_missing_claim_is_refused(client, sso, employee):
    assert "sso=failed" in sign_in(client, {"sub": "abc"})["Location"]
    assert logged_in_as(client) is None


def test_token_with_the_wrong_nonce_is_refused(client, sso, employee):
    response = sign_in(client, {"email": employee.email}, tamper_nonce=True)
    assert response.status_code in (302, 400)
    assert logged_in_as(client) is None


def test_sso_session_ends_when_the_person_is_deactivated(client, sso, employee):
    sign_in(client, {"email": employee.email, "email_verified": True})
    assert client.get("/").status_code == 200
    employee.is_active = False
    employee.save()
    assert client.get("/").status_code == 302


def test_settings_refuse_half_configured_sso(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import vakmanschap.settings.base as base

    monkeypatch.setenv("OIDC_RP_CLIENT_ID", "vakmanschap")
    try:
        with pytest.raises(ImproperlyConfigured, match="OIDC_OP_TOKEN_ENDPOINT"):
            importlib.reload(base)
        monkeypatch.setenv("OIDC_MATCH_CLAIM", "username")
        with pytest.raises(ImproperlyConfigured, match="OIDC_MATCH_CLAIM"):
            importlib.reload(base)
        for name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
            monkeypatch.setenv(f"OIDC_OP_{name}_ENDPOINT", f"https://idp.example.test/{name.lower()}")
        monkeypatch.setenv("OIDC_MATCH_CLAIM", "email")
        reloaded = importlib.reload(base)
        assert reloaded.OIDC_ENABLED is True
        assert reloaded.AUTHENTICATION_BACKENDS[1] == "axes.backends.AxesStandaloneBackend"
        assert reloaded.AUTHENTICATION_BACKENDS[-1] == "organisation.oidc.PersonOIDCBackend"
    finally:
        for name in (
            "OIDC_RP_CLIENT_ID",
            "OIDC_MATCH_CLAIM",
            *(f"OIDC_OP_{n}_ENDPOINT" for n in ("AUTHORIZATION", "TOKEN", "USER", "JWKS")),
        ):
            monkeypatch.delenv(name, raising=False)
        importlib.reload(base)


# Finding 8 of the security review: e-mail addresses the provider did not verify.


@pytest.mark.parametrize("claim", [None, False, "false"])
def test_unverified_email_is_refused(client, sso, employee, claim):
    """Finding 8: matching on e-mail needs email_verified; missing or false is refused."""
    claims = {"email": employee.email, "sub": "abc"}
    if claim is not None:
        claims["email_verified"] = claim
    response = sign_in(client, claims)
    assert response.status_code == 302 and "sso=failed" in response["Location"]
    assert logged_in_as(client) is None


def test_verified_as_a_string_is_accepted(client, sso, employee):
    """Finding 8: some providers send "true" as a string."""
    sign_in(client, {"email": employee.email, "email_verified": "true"})
    assert logged_in_as(client) == str(employee.pk)


def test_verification_can_be_switched_off_with_a_warning(client, sso, employee, caplog):
    """Finding 8: for a provider that never sends the claim, the check can go, and every start warns about it."""
    from organisation.oidc import warn_if_email_unverified

    sso.OIDC_REQUIRE_EMAIL_VERIFIED = False
    sign_in(client, {"email": employee.email})
    assert logged_in_as(client) == str(employee.pk)
    with caplog.at_level("WARNING", logger="organisation.oidc"):
        warn_if_email_unverified()
    assert "OIDC_REQUIRE_EMAIL_VERIFIED is off" in caplog.text


def test_personnel_number_matching_needs_no_verified_email(client, sso, employee):
    """Finding 8: the check is about e-mail addresses only."""
    sso.OIDC_MATCH_CLAIM = "personnel_number"
    sign_in(client, {"employee_id": employee.personnel_number})
    assert logged_in_as(client) == str(employee.pk)
