# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Logging in: a throttle per client address across usernames, and failed logins in the access log.

django-axes locks a username for one address (LOGIN_FAILURE_LIMIT). Password spraying tries
one password on many usernames and never reaches that limit for any of them, so failures are
also counted per address, whatever the username: at LOGIN_ADDRESS_FAILURE_LIMIT within
LOGIN_LOCKOUT_MINUTES that address may not try at all until the period is over. The count
lives in Django's cache; a cache shared by all processes (Redis) makes it one count.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from vakmanschap.lib.client_ip import client_ip

from .audit import log_failed_login


def _key(address):
    return f"login:failures:{address}"


def is_throttled(request):
    """Whether the request's address has had too many failed logins lately."""
    address = client_ip(request)
    return address is not None and (cache.get(_key(address)) or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class AddressThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses any attempt from a throttled address, even with the right password.

    Deliberately without `get_user`: it never logs anyone in, so Django never records it as a session's backend.
    """

    def authenticate(self, request, **credentials):
        if request is not None and is_throttled(request):
            # AxesMiddleware turns this flag into the lock-out page (429); the page reads the second.
            request.axes_locked_out = True
            request.login_throttled = True
            raise PermissionDenied
        return None


def count_failure(sender, credentials, request=None, **kwargs):
    """`user_login_failed` receiver: count the failure for the address and write it to the access log."""
    if request is None:
        return
    address = client_ip(request)
    if address is not None and not getattr(request, "login_throttled", False):
        key = _key(address)
        timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
        cache.add(key, 0, timeout=timeout)
        try:
            cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=timeout)
    log_failed_login(request, credentials.get("username"))
