# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .middleware import IDLE_KEY


@never_cache
@login_required
@require_POST
def keep_alive(request):
    """The "stay logged in" button: restart the idle clock. A session that already ended redirects to login."""
    request.session[IDLE_KEY] = int(time.time())
    return JsonResponse({"idle_seconds": settings.SESSION_IDLE_TIMEOUT * 60})
