# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Bilingual content fields: model text is stored in Dutch and English side by side."""

from django.utils.translation import get_language


def current_language():
    return (get_language() or "nl")[:2]


class bilingual:  # noqa: N801 - used like @property
    """A read-only attribute that returns `<name>_en` in English and `<name>_nl` otherwise.

    Falls back to the Dutch text when the English one is empty.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        dutch = getattr(instance, f"{self.name}_nl")
        if current_language() == "en":
            return getattr(instance, f"{self.name}_en") or dutch
        return dutch
