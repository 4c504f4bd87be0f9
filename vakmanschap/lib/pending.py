"""Changes that arrive after the session ended, kept in the (new, anonymous) session until the next login.

Django keeps session data when someone logs in (it only changes the session key), so an
app's `user_logged_in` receiver can store them for the person, with the usual checks.
Self-assessment answers (assessments/pending.py) and development plans (learning/pending.py)
each have their own store.
"""


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
