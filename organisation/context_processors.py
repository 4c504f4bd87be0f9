# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from .access import is_hr


def roles(request):
    """Lazily tell templates which role links to show."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_is_hr": lambda: is_hr(user),
        "user_managed_units": lambda: list(user.managed_units.order_by("tree_path")),
    }
