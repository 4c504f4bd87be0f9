# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Admin for frameworks, with the same validation as the app and the same rule: a frozen version never changes.

Saving a frozen version (one used in a round) saves the changes as the next version instead; older versions
(with a newer one after them) can only be read.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import (
    LANGS,
    BaseCompetencyFormSet,
    BilingualFormMixin,
    CompetencyForm,
    code_validator,
    save_competencies,
)
from .models import LEVELS, Competency, Framework, LevelDescription, Theme
from .versions import (
    StaleVersionError,
    newest_version,
    prepare_edit,
    retarget_competency,
    retarget_framework,
    retarget_level,
)

VERSION_FIELDS = ["identifier", "version", "predecessor", "frozen_at"]


def _is_old(framework):
    return framework is not None and framework.pk is not None and not framework.is_current


def _new_version_message(request, old_version, target):
    messages.info(
        request,
        gettext(
            "Version %(old)s is used in an assessment round, so it was not changed. "
            "Your changes were saved as version %(new)s."
        )
        % {"old": old_version, "new": target.framework.version},
    )


def _refuse_old(request, framework, url_name, newest_pk):
    """GET: say the page is read-only. POST: refuse the save and send the user to the newest version."""
    if request.method == "POST":
        messages.error(request, StaleVersionError(framework).args[0])
        return redirect(reverse(url_name, args=[newest_pk]))
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            gettext(
                "This is an older version. There is a newer version (version %(new)s); only that one can be changed."
            )
            % {"new": newest_version(framework).version},
            reverse(url_name, args=[newest_pk]),
            gettext("Go to the newest version"),
        ),
    )
    return None


def _changeform_refusing_stale(admin_view, request, *args):
    """Run the admin's change view; a save that lost the race to another new version is refused, not a 500."""
    try:
        return admin_view(request, *args)
    except StaleVersionError as exc:  # raised inside the view's transaction, so nothing was saved
        messages.error(request, exc.args[0])
        return redirect(reverse("admin:competencies_framework_change", args=[exc.newest.pk]))


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en"]
    search_fields = ["code", "name_nl", "name_en"]


class FrameworkAdminForm(BilingualFormMixin, forms.ModelForm):
    class Meta:
        model = Framework
        fields = [
            "slug",
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "source_title",
            "source_author",
            "source_publisher",
            "source_date",
            "is_own",
        ]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Framework.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another framework already uses this slug. Choose another one."), code="slug_taken"
            )
        return slug


def _level_display(level, lang, language):
    """Shows a level text when the inline is read-only (an older version)."""

    def display(self, obj):
        return next((getattr(d, f"description_{lang}") for d in obj.levels.all() if d.level == level), "")

    display.short_description = format_lazy(_("Level {level} ({language})"), level=level, language=language)
    return display


class CompetencyInline(admin.StackedInline):
    model = Competency
    form = CompetencyForm
    formset = BaseCompetencyFormSet
    extra = 1
    min_num = 1
    show_change_link = True
    readonly_fields = ["identifier"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("theme").prefetch_related("levels")

    def has_add_permission(self, request, obj=None):
        return not _is_old(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_old(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_old(obj) and super().has_delete_permission(request, obj)


def _guidance_display(level, lang, language, kind, label):
    """Shows a level's indicators or tip when the inline is read-only (an older version)."""

    def display(self, obj):
        value = next((getattr(d, f"{kind}_{lang}") for d in obj.levels.all() if d.level == level), "")
        return "; ".join(value) if isinstance(value, list) else value

    display.short_description = format_lazy(label, level=level, language=language)
    return display


for _level in LEVELS:
    for _lang, _language in LANGS:
        setattr(CompetencyInline, f"level_{_level}_{_lang}", _level_display(_level, _lang, _language))
        setattr(
            CompetencyInline,
            f"indicators_{_level}_{_lang}",
            _guidance_display(_level, _lang, _language, "indicators", _("Level {level}: indicators ({language})")),
        )
        if _level < LEVELS[-1]:
            setattr(
                CompetencyInline,
                f"tip_{_level}_{_lang}",
                _guidance_display(_level, _lang, _language, "tip", _("Level {level}: tip ({language})")),
            )


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    form = FrameworkAdminForm
    inlines = [CompetencyInline]
    list_display = ["title_nl", "version", "is_own", "frozen_at", "predecessor"]
    list_filter = ["is_own"]
    search_fields = ["title_nl", "title_en", "slug"]
    list_select_related = ["predecessor"]
    readonly_fields = VERSION_FIELDS
    save_as = False

    def get_readonly_fields(self, request, obj=None):
        # The slug ties the versions together; whether a framework is the organisation's own is decided once.
        return [*VERSION_FIELDS, "slug", "is_own"] if obj else VERSION_FIELDS

    def has_change_permission(self, request, obj=None):
        return not _is_old(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_frozen or _is_old(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if _is_old(obj):
            refused = _refuse_old(request, obj, "admin:competencies_framework_change", newest_version(obj).pk)
            if refused:
                return refused
        return _changeform_refusing_stale(super().changeform_view, request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        form.edit_target = None
        if change:
            old_version = obj.version
            form.edit_target = prepare_edit(obj)
            if form.edit_target.is_new_version:
                retarget_framework(obj, form.edit_target)
                _new_version_message(request, old_version, form.edit_target)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, BaseCompetencyFormSet):
            save_competencies(formset, form.edit_target)
        else:
            super().save_formset(request, form, formset, change)


class LevelDescriptionForm(BilingualFormMixin, forms.ModelForm):
    class Meta:
        model = LevelDescription
        fields = ["level", "description_nl", "description_en", "indicators_nl", "indicators_en", "tip_nl", "tip_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Level numbers are fixed (1 to 5, one of each); only the texts are edited.
        self.fields["level"].disabled = True


class BaseLevelFormSet(forms.BaseInlineFormSet):
    """Exactly five level descriptions, one for every level, each different from the others."""

    def __init__(self, *args, instance=None, **kwargs):
        have = set(instance.levels.values_list("level", flat=True)) if instance is not None and instance.pk else set()
        kwargs.setdefault("initial", [{"level": level} for level in LEVELS if level not in have])
        super().__init__(*args, instance=instance, **kwargs)

    def clean(self):
        super().clean()
        levels = {form.cleaned_data.get("level") for form in self.forms if hasattr(form, "cleaned_data")}
        if levels != set(LEVELS):
            raise forms.ValidationError(_("A competency needs exactly one description for each of the levels 1 to 5."))
        for lang, _language in LANGS:
            seen = {}
            for form in sorted(self.forms, key=lambda f: f.cleaned_data.get("level") or 0):
                text = " ".join((form.cleaned_data.get(f"description_{lang}") or "").split()).casefold()
                if text and text in seen:
                    form.add_error(
                        f"description_{lang}",
                        _("This is the same text as level %(other)s. Describe what someone does differently here.")
                        % {"other": seen[text]},
                    )
                elif text:
                    seen[text] = form.cleaned_data.get("level")


class LevelDescriptionInline(admin.StackedInline):
    model = LevelDescription
    form = LevelDescriptionForm
    formset = BaseLevelFormSet
    extra = 0
    min_num = len(LEVELS)
    max_num = len(LEVELS)
    can_delete = False
    readonly_fields = ["identifier"]

    def has_add_permission(self, request, obj=None):
        return not (obj and _is_old(obj.framework)) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and _is_old(obj.framework)) and super().has_change_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.update(validate_min=True, validate_max=True)
        return super().get_formset(request, obj, **kwargs)


class CompetencyAdminForm(BilingualFormMixin, forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["framework", "code", "position", "theme", "name_nl", "name_en", "definition_nl", "definition_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "framework" in self.fields:
            self.fields["framework"].queryset = Framework.objects.current()
        if "code" in self.fields:  # absent when the page is read-only
            self.fields["code"].validators.append(code_validator)

    def clean(self):
        cleaned = super().clean()
        framework = cleaned.get("framework") or (self.instance.framework if self.instance.framework_id else None)
        code = cleaned.get("code")
        if framework and code:
            siblings = framework.competencies.exclude(pk=self.instance.pk)
            if siblings.filter(code__iexact=code).exists():
                self.add_error(
                    "code",
                    _("The code %(code)s is already used in this framework. Give every competency its own code.")
                    % {"code": code},
                )
        return cleaned


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    form = CompetencyAdminForm
    inlines = [LevelDescriptionInline]
    list_display = ["code", "name_nl", "framework", "theme"]
    list_filter = ["framework__is_own", "theme"]
    search_fields = ["code", "name_nl", "name_en"]
    list_select_related = ["framework", "theme"]
    readonly_fields = ["identifier"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a competency to another framework would change what old ratings mean.
        return ["identifier", "framework"] if obj else ["identifier"]

    def has_change_permission(self, request, obj=None):
        return not (obj and _is_old(obj.framework)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.framework.is_frozen or _is_old(obj.framework)):
            return False
        return super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is not None and _is_old(obj.framework):
            newest = newest_version(obj.framework)
            same = newest.competencies.filter(code=obj.code).first()
            if same is not None:
                refused = _refuse_old(request, obj.framework, "admin:competencies_competency_change", same.pk)
            else:
                refused = _refuse_old(request, obj.framework, "admin:competencies_framework_change", newest.pk)
            if refused:
                return refused
        return _changeform_refusing_stale(super().changeform_view, request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        old_version = obj.framework.version
        form.edit_target = prepare_edit(obj.framework)
        if form.edit_target.is_new_version:
            retarget_competency(obj, form.edit_target)
            _new_version_message(request, old_version, form.edit_target)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for level_form in formset.forms:
            if level_form.instance.pk:
                retarget_level(level_form.instance, form.edit_target, form.instance)
        super().save_formset(request, form, formset, change)
