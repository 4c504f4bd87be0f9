# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who may read and who may maintain frameworks. Views fetch frameworks through these helpers.

Every logged-in person reads every framework. Only people with the framework permissions (HR, functional
administrators) maintain the organisation's own frameworks in the app; the source frameworks are read-only
content there. Anything else is a 404, as elsewhere.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Competency, Framework

ADD_PERMISSION = "competencies.add_framework"
CHANGE_PERMISSION = "competencies.change_framework"


def can_add_own_framework(user):
    return user.is_authenticated and user.has_perm(ADD_PERMISSION)


def can_change_own_framework(user):
    return user.is_authenticated and user.has_perm(CHANGE_PERMISSION)


def get_framework_for_viewer(request, slug, version):
    return get_object_or_404(Framework, slug=slug, version=version)


def get_competency_for_viewer(request, slug, version, code):
    return get_object_or_404(
        Competency.objects.select_related("framework", "theme"),
        framework__slug=slug,
        framework__version=version,
        code=code,
    )


def get_own_framework_for_editor(request, slug, version):
    """An own framework the user may change; source frameworks and people without the permission get a 404."""
    if not can_change_own_framework(request.user):
        raise Http404
    return get_object_or_404(Framework.objects.filter(is_own=True), slug=slug, version=version)


def framework_adder_required(view):
    """Anonymous users go to the login page; logged-in users who may not add frameworks get a 404."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_add_own_framework(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
