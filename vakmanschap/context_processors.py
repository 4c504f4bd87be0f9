# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.conf import settings


def session(request):
    """What session.js needs to warn before the idle time-out, and whether single sign-on is offered."""
    context = {"oidc_enabled": settings.OIDC_ENABLED}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        idle = settings.SESSION_IDLE_TIMEOUT * 60
        context["session_idle_seconds"] = idle
        # Warn two minutes ahead, or halfway for very short time-outs.
        warning = min(120, idle // 2)
        context["session_warning_seconds"] = warning
        context["session_warning_minutes"] = max(1, round(warning / 60))
    return context
