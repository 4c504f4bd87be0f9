# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """The export log can be read here; nobody adds, changes or deletes entries."""

    list_display = ["created_at", "who", "source", "export", "file_type", "filter_summary", "row_count", "finished_at"]
    list_filter = ["export", "source", "file_type"]
    search_fields = ["user_name"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [field.name for field in ExportLog._meta.fields]

    @admin.display(description=_("who"))
    def who(self, obj):
        return obj.who

    @admin.display(description=_("filters"))
    def filter_summary(self, obj):
        return "; ".join(obj.filter_lines())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
