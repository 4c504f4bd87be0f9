# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from . import disclosure


class DisclosureMemoMiddleware:
    """Let the disclosure layer work out once per request what a page asks it several times (`one_request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with disclosure.one_request():
            return self.get_response(request)
