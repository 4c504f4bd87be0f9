# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import Action, log_access
from .models import AccessLog, Person, Unit

# What makes someone more than an employee. Only a superuser grants them, never to themselves.
ROLE_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions"]


def has_role(person):
    """Superuser, staff or member of a role group: someone whose account others must not take over."""
    return person.is_superuser or person.is_staff or person.groups.exists()


def roles_of(person):
    return {
        "superuser": person.is_superuser,
        "staff": person.is_staff,
        "groups": sorted(person.groups.values_list("name", flat=True)),
    }


def describe_role_change(before, after):
    """ "groups: (none) → HR; superuser: no → yes" for the access log."""

    def show(value):
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return ", ".join(value) or _("(none)")

    labels = {"superuser": _("superuser"), "staff": _("staff"), "groups": _("groups")}
    return "; ".join(
        f"{labels[key]}: {show(before[key])} → {show(after[key])}" for key in labels if before[key] != after[key]
    )


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
        (gettext_lazy("Person"), {"fields": ["personnel_number", "name", "email", "job_title", "unit", "manager"]}),
        (gettext_lazy("For statistics in groups"), {"fields": ["birth_year", "in_service_since"]}),
        (gettext_lazy("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (gettext_lazy("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "personnel_number", "name", "email", "unit", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        """Roles are read-only except for a superuser changing someone else."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser or (obj is not None and obj.pk == request.user.pk):
            fields += [name for name in ROLE_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        # Changing an HR adviser's or administrator's e-mail address is enough to take over the account
        # (password reset), so only a superuser changes people with a role; others see them read-only.
        if obj is not None and obj.pk != request.user.pk and not request.user.is_superuser and has_role(obj):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Nobody sets another administrator's (or HR adviser's) password here: they reset it themselves."""
        person = self.get_object(request, unquote(id))
        if person is not None and person.pk != request.user.pk and has_role(person):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        before = Person.objects.filter(pk=obj.pk).first() if change else None
        request._roles_before = roles_of(before) if before else {"superuser": False, "staff": False, "groups": []}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """After the groups are saved: write any change of roles to the access log."""
        super().save_related(request, form, formsets, change)
        after = roles_of(form.instance)
        if after != request._roles_before:
            detail = describe_role_change(request._roles_before, after)
            log_access(request, Action.CHANGED_ROLES, form.instance, detail=detail)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes access log entries."""

    list_display = [
        "sequence",
        "at",
        "actor_name",
        "action",
        "result",
        "person_name",
        "object_type",
        "object_id",
        "ip_address",
    ]
    list_filter = ["action", "result", "at"]
    search_fields = ["actor_name", "person_name", "person__personnel_number"]
    date_hierarchy = "at"
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
