# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who may read the access log: HR and functional administrators; anyone else gets a 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required

from organisation.audit import may_read_log, refuse_page


def audit_reader_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not may_read_log(request.user):
            refuse_page(request)
        return view(request, *args, **kwargs)

    return wrapper
