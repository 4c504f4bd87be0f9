# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Forms for a framework and its competencies; the app pages and the admin share them.

A competency form carries its five level descriptions as fields, so "exactly one description per level"
holds by construction, and the formset checks what only the whole framework can tell: unique codes,
at least one competency.
"""

from functools import cached_property

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import case_reading
from .loading import FrameworkDataError
from .models import LEVELS, Competency, Framework, LevelDescription, Theme, level_name
from .versions import prepare_edit, retarget_competency, retarget_framework

LANGS = (("nl", _("Dutch")), ("en", _("English")))

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use only letters, digits, dots (.), dashes (-) and underscores (_), without spaces. For example KW-SAMEN."),
)


def _level_field_name(level, lang):
    return f"level_{level}_{lang}"


def _indicators_field_name(level, lang):
    return f"indicators_{level}_{lang}"


def _tip_field_name(level, lang):
    return f"tip_{level}_{lang}"


def indicator_lines(text):
    """The indicators typed in a text box, one per line, without empty lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _lang_attrs(field_name):
    """Tell screen readers which language a text box holds."""
    return {"lang": "en"} if field_name.endswith("_en") else {"lang": "nl"}


class BilingualFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith(("_nl", "_en")):
                field.widget.attrs.update(_lang_attrs(name))
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs.setdefault("rows", 3)


class FrameworkForm(BilingualFormMixin, forms.ModelForm):
    """Title and description of an own framework; `revision` refuses a save made on an outdated page."""

    STALE = "stale"
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Framework
        fields = ["title_nl", "title_en", "description_nl", "description_en"]
        help_texts = {
            "title_nl": _("For example: Kernwaarden Gemeente Voorbeeld."),
            "description_nl": _("Two or three sentences: what is this framework for, and who uses it?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["revision"].initial = self.revision_of(self.instance)

    @staticmethod
    def revision_of(framework):
        return f"{framework.version}:{framework.updated_at.isoformat()}"

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("revision") != self.revision_of(self.instance):
            raise forms.ValidationError(
                _("Someone else saved this framework after you opened it. Your changes were not saved."),
                code=self.STALE,
            )
        return cleaned

    def is_stale(self):
        return self.has_error(NON_FIELD_ERRORS, self.STALE)


def _level_field(name):
    return forms.CharField(
        label=_("Level description"),  # the real label follows in CompetencyForm.__init__, in the active language
        widget=forms.Textarea(attrs={"rows": 2, **_lang_attrs(name)}),
    )


def _optional_text(name, rows):
    return forms.CharField(
        label=name,  # the real label follows in CompetencyForm.__init__
        required=False,
        widget=forms.Textarea(attrs={"rows": rows, **_lang_attrs(name)}),
    )


# Declared on a form class of their own so the admin sees them as ordinary form fields too.
# Level 5 has no tip: it is the top of the scale.
LevelFields = type(
    "LevelFields",
    (forms.Form,),
    {
        "__module__": __name__,
        **{
            name: _level_field(name)
            for name in (_level_field_name(level, lang) for level in LEVELS for lang, _language in LANGS)
        },
        **{
            name: _optional_text(name, 3)
            for name in (_indicators_field_name(level, lang) for level in LEVELS for lang, _language in LANGS)
        },
        **{
            name: _optional_text(name, 2)
            for name in (_tip_field_name(level, lang) for level in LEVELS[:-1] for lang, _language in LANGS)
        },
    },
)

MAX_INDICATORS = 4


class CompetencyForm(BilingualFormMixin, LevelFields, forms.ModelForm):
    """One competency with its five level descriptions (Dutch and English)."""

    MAIN_FIELDS = ["code", "theme", "name_nl", "name_en", "definition_nl", "definition_en", "not_yet_nl", "not_yet_en"]

    class Meta:
        model = Competency
        fields = ["code", "theme", "name_nl", "name_en", "definition_nl", "definition_en", "not_yet_nl", "not_yet_en"]
        help_texts = {
            "code": _("A short code that stays the same, for example KW-SAMEN. Unique within the framework."),
            "theme": _("Competencies with the same theme are linked across frameworks and grouped in reports."),
            "definition_nl": _("Two or three sentences: what does this competency mean here?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" not in self.fields:
            return  # a read-only page (an older version in the admin) shows the stored values instead
        self.fields["code"].validators.append(code_validator)
        self.fields["theme"].empty_label = _("Choose a theme")
        levels = {level.level: level for level in self.instance.levels.all()} if self.instance.pk else {}
        for level in LEVELS:
            for lang, language in LANGS:
                field = self.fields[_level_field_name(level, lang)]
                field.label = _("Level %(level)s, %(name)s (%(language)s)") % {
                    "level": level,
                    "name": level_name(level),
                    "language": language,
                }
                field.initial = getattr(levels.get(level), f"description_{lang}", "")
                field = self.fields[_indicators_field_name(level, lang)]
                field.label = _("Level %(level)s: indicators (%(language)s)") % {"level": level, "language": language}
                field.help_text = _("Optional: three or four things a colleague could see you do, one per line.")
                field.initial = "\n".join(getattr(levels.get(level), f"indicators_{lang}", None) or [])
                if level < LEVELS[-1]:
                    field = self.fields[_tip_field_name(level, lang)]
                    field.label = _("Level %(level)s: tip towards the next level (%(language)s)") % {
                        "level": level,
                        "language": language,
                    }
                    field.initial = getattr(levels.get(level), f"tip_{lang}", "")

    def _names(self, level):
        names = [_level_field_name(level, lang) for lang, _l in LANGS]
        names += [_indicators_field_name(level, lang) for lang, _l in LANGS]
        if level < LEVELS[-1]:
            names += [_tip_field_name(level, lang) for lang, _l in LANGS]
        return names

    def level_fields(self):
        """[(level, name, [bound fields])] for the template: one fieldset per level (text, indicators, tip)."""
        return [(level, level_name(level), [self[name] for name in self._names(level)]) for level in LEVELS]

    def main_fields(self):
        return [self[name] for name in self.MAIN_FIELDS]

    def clean(self):
        cleaned = super().clean()
        for lang, _language in LANGS:
            seen = {}
            for level in LEVELS:
                name = _level_field_name(level, lang)
                text = " ".join((cleaned.get(name) or "").split()).casefold()
                if not text:
                    continue
                if text in seen:
                    self.add_error(
                        name,
                        _("This is the same text as level %(other)s. Describe what someone does differently here.")
                        % {"other": seen[text]},
                    )
                else:
                    seen[text] = level
        for level in LEVELS:
            self._clean_guidance(cleaned, level)
        return cleaned

    def _clean_guidance(self, cleaned, level):
        """Indicators: at most four, as many in English as in Dutch. A tip in both languages or in neither."""
        counts = {lang: len(indicator_lines(cleaned.get(_indicators_field_name(level, lang)))) for lang, _l in LANGS}
        if counts["nl"] > MAX_INDICATORS:
            self.add_error(
                _indicators_field_name(level, "nl"),
                _("Write at most %(most)s indicators, one per line; now there are %(count)s.")
                % {"most": MAX_INDICATORS, "count": counts["nl"]},
            )
        elif counts["nl"] != counts["en"]:
            self.add_error(
                _indicators_field_name(level, "en"),
                _("Give every Dutch indicator its English translation: %(nl)s in Dutch, %(en)s in English.") % counts,
            )
        if level < LEVELS[-1]:
            tips = {lang: (cleaned.get(_tip_field_name(level, lang)) or "").strip() for lang, _l in LANGS}
            if bool(tips["nl"]) != bool(tips["en"]):
                missing = "en" if tips["nl"] else "nl"
                self.add_error(
                    _tip_field_name(level, missing), _("Write the tip in both languages, or leave both empty.")
                )

    def validate_constraints(self):
        # Codes are checked against each other in the formset, which holds every competency of the
        # framework; a database check per form would also trip over two codes being swapped.
        pass

    def save(self, commit=True):
        self._is_new = self.instance._state.adding
        return super().save(commit)

    def _save_m2m(self):
        super()._save_m2m()
        competency = self.instance
        texts = {}
        for level in LEVELS:
            data = self.cleaned_data
            texts[level] = {}
            for lang, _l in LANGS:
                texts[level][f"description_{lang}"] = data[_level_field_name(level, lang)]
                texts[level][f"indicators_{lang}"] = indicator_lines(data.get(_indicators_field_name(level, lang)))
                texts[level][f"tip_{lang}"] = (data.get(_tip_field_name(level, lang)) or "").strip()
        if self._is_new:
            LevelDescription.objects.bulk_create(
                [LevelDescription(competency=competency, level=level, **text) for level, text in texts.items()]
            )
            return
        for level, text in texts.items():
            if any(name in self.changed_data for name in self._names(level)):
                LevelDescription.objects.update_or_create(competency=competency, level=level, defaults=text)


class BaseCompetencyFormSet(forms.BaseInlineFormSet):
    """All competencies of one framework: codes unique (ignoring case), at least one competency."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = self.queryset.select_related("theme").prefetch_related("levels")

    @cached_property
    def theme_choices(self):
        # One query for every form's theme list instead of one per form.
        return [("", _("Choose a theme")), *((theme.pk, theme.name) for theme in Theme.objects.all())]

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if "theme" in form.fields:
            form.fields["theme"].choices = self.theme_choices
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this competency")

    def clean(self):
        seen = set()
        duplicates = False
        kept = 0
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if form.empty_permitted and not form.has_changed():
                continue  # the empty form for an extra competency
            kept += 1
            code = (form.cleaned_data.get("code") or "").casefold()
            if code in seen:
                duplicates = True
                form.add_error(
                    "code",
                    _("The code %(code)s is used more than once. Give every competency its own code.")
                    % {"code": form.cleaned_data["code"]},
                )
            elif code:
                seen.add(code)
        if not kept:
            raise forms.ValidationError(
                _("A framework needs at least one competency. Fill in at least one competency."),
                code="no_competencies",
            )
        if not duplicates:
            super().clean()


CompetencyFormSet = forms.inlineformset_factory(
    Framework,
    Competency,
    form=CompetencyForm,
    formset=BaseCompetencyFormSet,
    extra=1,
    min_num=1,
    can_delete=True,
    can_delete_extra=False,
)


def unique_slug(title):
    """A slug for a new framework, not used by any framework yet (whatever its version)."""
    base = slugify(title)[:90] or "kernwaarden"
    taken = set(Framework.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | {"own"}
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def save_competencies(formset, target):
    """Save a valid competency formset into the version `target` (from `prepare_edit`, or None for a new framework)."""
    if target is not None:
        for form in formset.initial_forms:
            retarget_competency(form.instance, target)
    existing = [form.instance for form in formset.initial_forms if form.instance.pk]
    moving = [
        form.instance.pk
        for form in formset.initial_forms
        if form.instance.pk and (form in formset.deleted_forms or "code" in form.changed_data)
    ]
    if moving:
        # Park the codes that change first, so swapping two codes does not trip the unique constraint halfway.
        Competency.objects.filter(pk__in=moving).update(code=Concat(Value("~"), Cast("pk", CharField())))
    last = max((obj.position for obj in existing), default=0)
    for number, form in enumerate(formset.extra_forms, 1):
        form.instance.position = last + number
    return formset.save()


@transaction.atomic
def save_framework(form, formset):
    """Save a valid own-framework form with its competencies; nothing is saved unless all of it is.

    A new framework gets a fresh slug. A frozen framework is not changed: the edit becomes its next version.
    Returns the framework (version) the edit went to; raises StaleVersionError for an outdated version.
    """
    framework = form.instance
    target = None
    if framework.pk is None:
        framework.slug = unique_slug(form.cleaned_data["title_nl"])
        framework.is_own = True
    else:
        target = prepare_edit(framework)
        retarget_framework(framework, target)
    framework = form.save()
    formset.instance = framework
    save_competencies(formset, target)
    return framework


class CaseImportForm(forms.Form):
    """One CASE 1.1 package, or two (one per language); each is read by case_reading.read, errors beside the file."""

    file = forms.FileField(
        label=_("CASE package (JSON)"),
        help_text=_("A getCFPackage file from another CASE provider, or one of ours."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    second_file = forms.FileField(
        label=_("The same package in the other language (optional)"),
        help_text=_("Only for providers that publish one package per language."),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def _read(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            case_reading.check_size(upload.size, upload.name)
            return case_reading.read(upload.read(), upload.name)
        except FrameworkDataError as exc:
            for error in exc.errors:
                self.add_error(name, error)
            return None

    def clean(self):
        cleaned = super().clean()
        cleaned["readings"] = [reading for reading in map(self._read, ("file", "second_file")) if reading]
        return cleaned
