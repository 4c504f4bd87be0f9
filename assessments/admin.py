# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import admin

from .models import Round, RoundUnit


class ReadOnlyMixin:
    """Rounds are run from /hr/rounds/, where the rules live (frozen frameworks, enrolment); the admin only shows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoundUnitInline(ReadOnlyMixin, admin.TabularInline):
    model = RoundUnit
    extra = 0


@admin.register(Round)
class RoundAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "opens_on", "closes_on", "closed_at"]
    search_fields = ["name"]
    inlines = [RoundUnitInline]
