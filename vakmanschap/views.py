# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organisation.access import is_hr


@login_required
def home(request):
    """Tell each person what to do next, by role."""
    user = request.user
    context = {
        "managed_units": user.managed_units.order_by("tree_path"),
        "is_hr": is_hr(user),
    }
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def security_txt(request):
    """RFC 9116: who to tell about a vulnerability. 404 until SECURITY_CONTACT is set."""
    if not settings.SECURITY_CONTACT:
        raise Http404("SECURITY_CONTACT is not set")
    expires = timezone.now() + timedelta(days=settings.SECURITY_TXT_EXPIRES_DAYS)
    lines = [f"Contact: {_contact_uri(contact)}" for contact in settings.SECURITY_CONTACT]
    lines += [
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _contact_uri(contact):
    """An e-mail address becomes a mailto: URI; a URI stays as it is."""
    return contact if ":" in contact else f"mailto:{contact}"
