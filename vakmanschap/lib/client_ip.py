# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The address a request came from, for the login lockout and the access log.

Without a proxy (TRUSTED_PROXY_COUNT=0) that is REMOTE_ADDR. Behind n trusted proxies each
appends the address it saw to X-Forwarded-For, so the n-th address from the right is the
one the first trusted proxy saw; everything left of it was written by the client and can
be anything. A header with fewer addresses than proxies did not pass through all of them,
and then REMOTE_ADDR (a proxy, but never a forged value) is used.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=4096)  # an export logs thousands of entries from one address
def normalise(address):
    """The canonical text of an IP address ("2001:db8::1"), or None when it is not one."""
    try:
        return ipaddress.ip_address(str(address).strip()).compressed
    except ValueError:
        return None


def client_ip(request):
    """The client's address as configured by TRUSTED_PROXY_COUNT; None when there is none."""
    remote = normalise(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return normalise(forwarded[-count]) or remote
