# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from competencies.models import LEVELS, Competency, Framework
from organisation.forms import ImportForm
from organisation.models import Unit

from .models import (
    DUPLICATE_TARGET,
    TEXT_MAX_LENGTH,
    Action,
    ActionStatus,
    Activity,
    ActivityCompetency,
    LearningForm,
    LearningLine,
    LearningLineStep,
    Target,
    TargetScope,
)

LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STALE = _("This page is out of date. Reload the page and make your change again.")


class OwnerField(forms.CharField):
    """The plan page's signed owner token (learning/pending.py), used only when the session has ended."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.HiddenInput, **kwargs)


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            widget=forms.HiddenInput,
            error_messages={"required": STALE, "invalid": STALE, "min_value": STALE},
            **kwargs,
        )


def _clean_text(value, label):
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > TEXT_MAX_LENGTH:
        raise forms.ValidationError(
            _("%(label)s has %(length)s characters. Shorten it to at most %(max)s characters."),
            params={"label": label, "length": len(text), "max": TEXT_MAX_LENGTH},
        )
    return text


class CompetencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, competency):
        return f"{competency.name} ({competency.framework.title})"


def current_competencies():
    return Competency.objects.filter(framework__in=Framework.objects.current()).select_related("framework")


# Catalogue -------------------------------------------------------------------------------------------------------


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    competency = CompetencyChoiceField(
        label=_("Competency"), queryset=Competency.objects.none(), required=False, empty_label=_("All competencies")
    )
    form = forms.ChoiceField(label=_("Learning form"), required=False, choices=[("", _("All forms"))])
    max_hours = forms.DecimalField(
        label=_("At most this many hours"), required=False, min_value=0, max_digits=6, decimal_places=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = current_competencies().order_by("framework__title_nl", "position")
        self.fields["form"].choices = [("", _("All forms")), *LearningForm.choices]

    def filter(self, queryset):
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(title_nl__icontains=data["q"]) | queryset.filter(title_en__icontains=data["q"])
        if data["competency"]:
            competency = data["competency"]
            queryset = queryset.filter(
                competency_links__competency__framework__slug=competency.framework.slug,
                competency_links__competency__code=competency.code,
            )
        if data["form"]:
            queryset = queryset.filter(form=data["form"])
        if data["max_hours"] is not None:
            queryset = queryset.filter(duration_hours__lte=data["max_hours"])
        return queryset.distinct()


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "code",
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "provider",
            "form",
            "duration_hours",
            "cost",
            "url",
            "is_active",
        ]


class ActivityCompetencyForm(forms.ModelForm):
    competency = CompetencyChoiceField(label=_("Competency"), queryset=Competency.objects.none())

    class Meta:
        model = ActivityCompetency
        fields = ["competency", "level_from", "level_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = current_competencies()

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("level_from"), cleaned.get("level_to")
        if low and high and low >= high:
            self.add_error("level_to", _("The 'to level' must be higher than the 'from level'."))
        return cleaned


CompetencyLinkFormSet = forms.inlineformset_factory(
    Activity, ActivityCompetency, form=ActivityCompetencyForm, extra=2, can_delete=True, min_num=1, validate_min=True
)


class LearningLineForm(forms.ModelForm):
    competency = CompetencyChoiceField(label=_("Competency"), queryset=Competency.objects.none())

    class Meta:
        model = LearningLine
        fields = [
            "code",
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "competency",
            "level_from",
            "level_to",
            "units",
            "job_titles",
            "is_active",
        ]
        widgets = {"units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = current_competencies()
        self.fields["units"].help_text = _("Leave empty for everyone. A unit includes its sub-units.")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("level_from"), cleaned.get("level_to")
        if low and high and low >= high:
            self.add_error("level_to", _("The 'to level' must be higher than the 'from level'."))
        return cleaned


class StepForm(forms.ModelForm):
    class Meta:
        model = LearningLineStep
        fields = ["position", "activity"]


class BaseStepFormSet(forms.BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if "activity" in unique_check:
            return _("An activity is in this learning line twice. Keep it in one step.")
        return _("Two steps have the same number. Give each step its own number.")


StepFormSet = forms.inlineformset_factory(
    LearningLine,
    LearningLineStep,
    form=StepForm,
    formset=BaseStepFormSet,
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ConfirmImportForm(forms.Form):
    """Confirms the previewed file; the fingerprint ties the confirmation to exactly that file."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CatalogueImportForm(ImportForm):
    """The people import's upload checks (size, .csv), with its own label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("CSV file")


# Targets ---------------------------------------------------------------------------------------------------------


class TargetForm(forms.ModelForm):
    competency = CompetencyChoiceField(label=_("Competency"), queryset=Competency.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False)

    class Meta:
        model = Target
        fields = ["competency", "scope", "job_title", "unit", "include_subunits", "level", "due_on", "valid_from"]
        widgets = {"due_on": DATE_WIDGET, "valid_from": DATE_WIDGET, "level": forms.Select(choices=LEVEL_CHOICES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = current_competencies().order_by("framework__title_nl", "position")
        self.fields["scope"].choices = [c for c in TargetScope.choices if c[0] != TargetScope.PERSON]

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        if scope == TargetScope.JOB_TITLE and not (cleaned.get("job_title") or "").strip():
            self.add_error("job_title", _("Fill in the job title this target is for."))
        if scope == TargetScope.UNIT and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit this target is for."))
        if scope != TargetScope.JOB_TITLE:
            cleaned["job_title"] = ""
            self.instance.job_title = ""
        if scope != TargetScope.UNIT:
            cleaned["unit"] = None
            self.instance.unit = None
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        from .targets import duplicate_of

        if not self.errors and duplicate_of(self.instance) is not None:
            self.add_error("valid_from", DUPLICATE_TARGET)


class PersonTargetForm(forms.ModelForm):
    competency = CompetencyChoiceField(label=_("Competency"), queryset=Competency.objects.none())

    class Meta:
        model = Target
        fields = ["competency", "level", "due_on"]
        widgets = {"due_on": DATE_WIDGET, "level": forms.Select(choices=LEVEL_CHOICES)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = current_competencies().order_by("framework__title_nl", "position")

    def _post_clean(self):
        super()._post_clean()
        from .targets import duplicate_of

        if not self.errors and duplicate_of(self.instance) is not None:
            self.add_error("competency", DUPLICATE_TARGET)


# Plans -----------------------------------------------------------------------------------------------------------


class AddGoalForm(forms.Form):
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": STALE, "required": STALE},
    )


class GoalForm(forms.Form):
    target_level = forms.TypedChoiceField(
        label=_("Level I want to reach"),
        choices=LEVEL_CHOICES,
        coerce=int,
        error_messages={"invalid_choice": _("Choose a level from 1 to 5."), "required": _("Choose a level.")},
    )
    due_on = forms.DateField(
        label=_("By when"), widget=DATE_WIDGET, error_messages={"invalid": _("Give a date such as 31-12-2027.")}
    )
    version = VersionField()
    owner = OwnerField()

    def values(self):
        return {key: self.cleaned_data[key] for key in ("target_level", "due_on")}


class AddActionForm(forms.Form):
    activity = forms.ModelChoiceField(queryset=Activity.objects.active(), required=False, widget=forms.HiddenInput)
    line = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Something of your own"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        from .models import LearningLine

        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = LearningLine.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in ("activity", "line") if cleaned.get(name)]
        title = (cleaned.get("title") or "").strip()
        if not chosen and not title:
            self.add_error("title", _("Say what you will do, for example 'Ask a colleague for feedback'."))
        if chosen:
            cleaned["title"] = ""
        return cleaned


class ActionForm(forms.ModelForm):
    version = VersionField()
    owner = OwnerField()

    class Meta:
        model = Action
        fields = ["title", "status", "due_on", "reflection"]
        widgets = {"due_on": DATE_WIDGET, "reflection": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"due_on": {"invalid": _("Give a date such as 31-12-2027.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ActionStatus.choices
        self.fields["reflection"].max_length = None
        self.fields["title"].required = False

    def clean_reflection(self):
        return _clean_text(self.cleaned_data["reflection"], _("Your reflection"))

    def values(self):
        return {key: self.cleaned_data[key] for key in ("title", "status", "due_on", "reflection")}


class SharingForm(forms.Form):
    shared_with_manager = forms.BooleanField(label=_("Share my plan with my manager"), required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_comment(self):
        return _clean_text(self.cleaned_data["comment"], _("Your comment"))


class ReminderSettingsForm(forms.Form):
    """One tick box per kind of reminder; unticked is an opt-out."""

    def __init__(self, *args, kinds, opted_out, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in kinds:
            self.fields[value] = forms.BooleanField(label=label, required=False, initial=value not in opted_out)

    def opted_out(self):
        return {name for name, wanted in self.cleaned_data.items() if not wanted}
