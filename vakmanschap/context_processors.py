# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import logging

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

logger = logging.getLogger(__name__)


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


def theme(request):
    """The organisation's look: theme class and token stylesheet, organisation name and logo (see settings)."""
    return {
        "THEME_CLASS": settings.THEME_CLASS,
        "THEME_STYLESHEET": _static_url(settings.THEME_STYLESHEET),
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "ORGANISATION_LOGO": _static_url(settings.ORGANISATION_LOGO),
    }


def _static_url(path):
    """The URL of a static file, or "" (logged) when it is missing: a typo in a setting must not break every page."""
    if not path:
        return ""
    try:
        return staticfiles_storage.url(path)
    except ValueError:  # the manifest storage does not know the file
        logger.error("The static file %s (THEME_STYLESHEET or ORGANISATION_LOGO) is missing.", path)
        return ""
