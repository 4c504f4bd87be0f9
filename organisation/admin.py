# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessLog, Person, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "manager"]
    search_fields = ["name"]
    autocomplete_fields = ["parent", "manager"]
    list_select_related = ["parent", "manager"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["personnel_number", "name", "email", "unit", "job_title", "is_active"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["personnel_number", "name", "email", "username"]
    ordering = ["name"]
    autocomplete_fields = ["unit", "manager"]
    list_select_related = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["personnel_number", "name", "email", "job_title", "unit", "manager"]}),
        (_("For statistics in groups"), {"fields": ["birth_year", "in_service_since"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "personnel_number", "name", "email", "unit", "password1", "password2"]}),
    ]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes access log entries."""

    list_display = ["at", "actor_name", "action", "person_name", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "person_name", "person__personnel_number"]
    date_hierarchy = "at"
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
