# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.contrib import admin

from .models import Activity, ActivityCompetency, LearningLine, LearningLineStep, Target


class ActivityCompetencyInline(admin.TabularInline):
    model = ActivityCompetency
    autocomplete_fields = ["competency"]
    extra = 1


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title_nl", "code", "form", "duration_hours", "cost", "is_active"]
    list_filter = ["form", "is_active"]
    search_fields = ["title_nl", "title_en", "code", "provider"]
    inlines = [ActivityCompetencyInline]


class LearningLineStepInline(admin.TabularInline):
    model = LearningLineStep
    autocomplete_fields = ["activity"]
    extra = 1


@admin.register(LearningLine)
class LearningLineAdmin(admin.ModelAdmin):
    list_display = ["title_nl", "code", "competency", "level_from", "level_to", "is_active"]
    search_fields = ["title_nl", "title_en", "code"]
    filter_horizontal = ["units"]
    autocomplete_fields = ["competency"]
    inlines = [LearningLineStepInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["competency", "scope", "level", "due_on", "valid_from"]
    list_filter = ["scope"]
    autocomplete_fields = ["competency", "person", "unit"]
