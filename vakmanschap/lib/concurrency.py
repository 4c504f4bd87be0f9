# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Optimistic concurrency: a row changes only if it still has the version the page showed.

Used for every autosaved form (self-assessment answers, development plans), so a stale tab
never overwrites a newer answer: the change is one guarded UPDATE, no lock, no transaction.
"""

from django.db.models import F


def update_if_current(queryset, base_version, now, **values):
    """Apply `values` to the rows of `queryset` still at `base_version`, raising the version; True if one changed.

    The model needs `version` and `updated_at` fields.
    """
    return bool(queryset.filter(version=base_version).update(**values, version=F("version") + 1, updated_at=now))
