# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""TRUSTED_PROXY_COUNT: which address is the client's (finding 3, and the access log's origin)."""

from django.test import RequestFactory

import pytest

from vakmanschap.lib.client_ip import client_ip


def request(remote="10.0.0.1", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.66", "10.0.0.1"),  # no proxy configured: a forwarded header is anyone's to write
        (1, "203.0.113.66", "203.0.113.66"),
        (1, "1.2.3.4, 203.0.113.66", "203.0.113.66"),  # the client put 1.2.3.4 there itself
        (2, "1.2.3.4, 203.0.113.66, 10.0.0.2", "203.0.113.66"),
        (2, "203.0.113.66", "10.0.0.1"),  # fewer addresses than proxies: not through all of them
        (1, None, "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:0db8:0000::0001", "2001:db8::1"),
    ],
)
def test_trusted_proxy_count(settings, count, forwarded, expected):
    """Finding 3: only the address the trusted proxies saw counts; what the client wrote left of it does not."""
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected
