# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Changes that arrive after the session ended, kept in the (new, anonymous) session until the next login.

Django keeps session data when someone logs in (it only changes the session key), so an
app's `user_logged_in` receiver can store them for the person, with the usual checks.
Anyone can send an anonymous change, so a kept change must prove whose it is: the page
carries a signed owner token made while its owner was logged in (`OwnerToken`), and a
change is kept only with a valid token and stored only for the person named in it.
Self-assessment answers (assessments/pending.py) and development plans (learning/pending.py)
each have their own store and token salt.
"""

from django.conf import settings
from django.core import signing


class PendingStore:
    """A bounded {key: value} in the session under `session_key`; values must be JSON-safe."""

    def __init__(self, session_key, limit=200):
        self.session_key = session_key
        self.limit = limit  # bounds what an anonymous client can put in a session

    def keep(self, session, key, value):
        """Remember `value` under `key`; returns False when the store is full."""
        pending = session.get(self.session_key, {})
        if key not in pending and len(pending) >= self.limit:
            return False
        pending[key] = value
        session[self.session_key] = pending
        return True

    def has(self, session):
        return bool(session.get(self.session_key))

    def pop(self, session):
        return session.pop(self.session_key, None) or {}


class OwnerToken:
    """Signed tokens naming a person and the object (`scope`) a page was made for."""

    def __init__(self, salt, scope_name):
        self.salt = salt
        self.scope_name = scope_name

    def make(self, person, scope_id):
        return signing.dumps({"person": person.pk, self.scope_name: scope_id}, salt=self.salt)

    def owner(self, token, scope_id):
        """The id of the person the token was made for, if it is genuine, for this object and not too old.

        A page lives no longer than the session it was made in (SESSION_MAX_AGE_HOURS), so an older token is refused.
        """
        try:
            data = signing.loads(token or "", salt=self.salt, max_age=settings.SESSION_COOKIE_AGE)
        except signing.BadSignature:  # SignatureExpired included
            return None
        if not isinstance(data, dict) or data.get(self.scope_name) != scope_id:
            return None
        return data.get("person")
