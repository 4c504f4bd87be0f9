# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import time

from django.conf import settings
from django.contrib.auth import logout

IDLE_KEY = "_last_activity"
START_KEY = "_session_started"


class IdleTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT idle minutes or SESSION_COOKIE_AGE in all.

    Django only knows one expiry (refreshed on every write); we need both an idle
    limit and an absolute lifetime, so we keep two timestamps in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.session_timed_out = False
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last = session.get(IDLE_KEY, now)
            started = session.setdefault(START_KEY, now)
            idle_limit = settings.SESSION_IDLE_TIMEOUT * 60
            if now - last > idle_limit or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                request.session_timed_out = True
            elif now - last >= 30 or IDLE_KEY not in session:
                # Writing at most twice a minute keeps session writes cheap.
                session[IDLE_KEY] = now
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in person.

    Every page and file behind the login shows personal data, if only the name in the menu:
    reports, charts, exports, "Mijn gegevens", the self-assessment. No shared proxy may keep
    them, and neither may the browser's disk cache (a shared computer). One rule for all,
    so a new personal view cannot forget it. Public pages (login, statements, frameworks
    read anonymously) keep the default caching.
    """

    VALUE = "private, no-store"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = self.VALUE
            response.headers.pop("Expires", None)
        return response
