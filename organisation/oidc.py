# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Optional single sign-on through OpenID Connect (mozilla-django-oidc), off unless OIDC_RP_CLIENT_ID is set.

A person logs in with their organisation account and is matched to an existing, active
Person on one claim: the e-mail address or the personnel number (OIDC_MATCH_CLAIM). Nobody
is created at login: the organisation import decides who exists and in which unit, and a
person created from a token would have no unit and no manager. Nothing is overwritten
from the token either, for the same reason.

An e-mail address only identifies someone when the provider vouches for it: many providers
let anyone put any address in their profile. Matching on `email` therefore needs the claim
`email_verified` to be true, unless OIDC_REQUIRE_EMAIL_VERIFIED is off for a provider that
never sends it (a warning at every start says so).
"""

import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import Http404

from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import Person

logger = logging.getLogger(__name__)


def match_claim_name():
    if settings.OIDC_MATCH_CLAIM == "personnel_number":
        return settings.OIDC_PERSONNEL_NUMBER_CLAIM
    return "email"


class PersonOIDCBackend(OIDCAuthenticationBackend):
    def describe_user_by_claims(self, claims):
        return f"{match_claim_name()} claim"

    def verify_claims(self, claims):
        if not str(claims.get(match_claim_name(), "")).strip():
            return False
        must_be_verified = settings.OIDC_MATCH_CLAIM == "email" and settings.OIDC_REQUIRE_EMAIL_VERIFIED
        if must_be_verified and not email_verified(claims):
            logger.warning("Single sign-on refused: the provider did not say the e-mail address is verified.")
            return False
        return True

    def filter_users_by_claims(self, claims):
        """The one active person with this e-mail address or personnel number; none when there are several."""
        value = str(claims.get(match_claim_name(), "")).strip()
        if not value:
            return Person.objects.none()
        if settings.OIDC_MATCH_CLAIM == "personnel_number":
            people = Person.objects.filter(personnel_number=value, is_active=True)
        else:
            people = Person.objects.filter(email__iexact=value, is_active=True)
        if len(people) > 1:
            logger.warning("Single sign-on refused: %s people share the same %s.", len(people), match_claim_name())
            return Person.objects.none()
        return people

    def update_user(self, user, claims):
        return user

    def get_user(self, user_id):
        # As Django's ModelBackend: a deactivated person's session ends at the next request.
        return ModelBackend.get_user(self, user_id)


def email_verified(claims):
    """True for `"email_verified": true`; some providers send the string "true"."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def warn_if_email_unverified():
    """At start-up: say loudly that people are matched on unverified e-mail addresses."""
    if settings.OIDC_ENABLED and settings.OIDC_MATCH_CLAIM == "email" and not settings.OIDC_REQUIRE_EMAIL_VERIFIED:
        logger.warning(
            "OIDC_REQUIRE_EMAIL_VERIFIED is off: single sign-on matches people on an e-mail address the provider "
            "did not verify. Use it only for a provider that lets nobody choose their own address."
        )


def _only_when_enabled(view):
    def wrapper(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


login_start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
login_callback = _only_when_enabled(OIDCAuthenticationCallbackView.as_view())
