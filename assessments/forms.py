# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from difflib import SequenceMatcher
from itertools import combinations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies.models import FORM_ORDER, LEVELS, Competency, Framework
from organisation.models import Unit

from .models import NOTE_MAX_LENGTH, AssessmentStatus

LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]
# <input type="date"> only takes ISO dates; the Dutch format (22-11-2026) would leave the field empty.
DATE_INPUT_FORMAT = "%Y-%m-%d"


class LevelField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=LEVEL_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose a level from 1 to 5.")},
            **kwargs,
        )


class RatingForm(forms.Form):
    """One answer: current and desired level, 'not applicable', a private note, and the version it was based on."""

    current_level = LevelField(label=_("Current level"))
    desired_level = LevelField(label=_("Desired level"))
    not_applicable = forms.BooleanField(label=_("Not applicable to my work"), required=False)
    # No max_length here: the length is checked after normalising line breaks (browsers send \r\n).
    note = forms.CharField(label=_("Note for yourself"), required=False, widget=forms.Textarea)
    version = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This page is out of date. Reload the page and give your answer again."),
            "invalid": _("This page is out of date. Reload the page and give your answer again."),
            "min_value": _("This page is out of date. Reload the page and give your answer again."),
        },
    )
    # Signed while the owner was logged in (assessments.pending.owner_token): an answer sent after the
    # session ended is kept only for that person.
    owner = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean_note(self):
        note = self.cleaned_data["note"].replace("\r\n", "\n").replace("\r", "\n")
        if len(note) > NOTE_MAX_LENGTH:
            raise forms.ValidationError(
                _("Your note has %(length)s characters. Shorten it to at most %(max)s characters."),
                params={"length": len(note), "max": NOTE_MAX_LENGTH},
                code="max_length",
            )
        return note

    def clean(self):
        cleaned = super().clean()
        # "Not applicable" wins: without JavaScript a chosen radio button cannot be unchosen.
        if cleaned.get("not_applicable"):
            cleaned["current_level"] = cleaned["desired_level"] = None
        return cleaned

    def answer(self):
        """The cleaned answer as plain, JSON-safe values."""
        return {key: self.cleaned_data[key] for key in ("current_level", "desired_level", "not_applicable", "note")}


class SubmitForm(forms.Form):
    share_with_manager = forms.BooleanField(
        label=_("Share my answers with my own manager"),
        required=False,
        help_text=_(
            "Only your own manager then sees your levels, not your notes. Managers higher up see only figures "
            "of groups. You can change this later."
        ),
    )


class SharingForm(SubmitForm):
    pass


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.parent_id and obj.parent.parent_id:
            return f"{obj.parent.name} › {obj.name}"
        return obj.name


# Two competencies of one theme whose names are at least this alike (difflib ratio) are probably the same thing.
SIMILAR_NAMES = 0.8


def _alike(first, second):
    return any(
        SequenceMatcher(
            None, getattr(first, f"name_{lang}").casefold(), getattr(second, f"name_{lang}").casefold()
        ).ratio()
        >= SIMILAR_NAMES
        for lang in ("nl", "en")
    )


def similar_pairs(competencies):
    """Pairs of competencies that share a theme and have (nearly) the same name: a round would ask them twice."""
    return [
        (first, second)
        for first, second in combinations(competencies, 2)
        if first.theme_id == second.theme_id and _alike(first, second)
    ]


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoundForm(forms.Form):
    """A round is a competency profile: whole frameworks and single competencies, from their current versions."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example: Najaar 2026."))
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Whole frameworks"),
        queryset=Framework.objects.current(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("People rate every competency of these frameworks. The current version of each is used."),
    )
    competencies = CompetencyChoiceField(
        label=_("Single competencies"),
        queryset=Competency.objects.filter(framework__successor__isnull=True)
        .select_related("framework")
        .order_by(*FORM_ORDER),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Add competencies of frameworks you do not take whole, for example a few core values."),
    )
    keep_similar = forms.BooleanField(
        label=_("Keep them both: they are different competencies"),
        required=False,
        help_text=_("Tick this only if people should really answer both."),
    )
    units_with_subunits = UnitChoiceField(
        label=_("Units, with all units below them"),
        queryset=Unit.objects.select_related("parent"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    units_only = UnitChoiceField(
        label=_("Units, without the units below them"),
        queryset=Unit.objects.select_related("parent"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    opens_on = forms.DateField(
        label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT_FORMAT)
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT_FORMAT),
        help_text=_("The last day on which people can fill in."),
    )
    share_default = forms.BooleanField(
        label=_("'Share with my manager' starts ticked"),
        required=False,
        help_text=_("Each person decides when submitting. Leave this unticked to protect privacy by default."),
    )

    def clean_frameworks(self):
        frameworks = self.cleaned_data["frameworks"]
        empty = [framework.title for framework in frameworks.filter(competencies__isnull=True)]
        if empty:
            raise forms.ValidationError(
                _("%(frameworks)s has no competencies yet. Add them first, or leave it out of this round."),
                params={"frameworks": ", ".join(empty)},
            )
        return frameworks

    def competency_groups(self):
        """[(framework, its "whole framework" checkbox, [its competency checkboxes])] for the template."""
        frameworks = {str(f.pk): f for f in self.fields["frameworks"].queryset}
        competencies = {str(c.pk): c for c in self.fields["competencies"].queryset}
        groups = {}
        for box in self["competencies"]:
            groups.setdefault(str(competencies[str(box.data["value"])].framework_id), []).append(box)
        return [
            (frameworks[str(box.data["value"])], box, groups.get(str(box.data["value"]), []))
            for box in self["frameworks"]
        ]

    def chosen_competencies(self, cleaned):
        """Every competency the round would ask, from the whole frameworks and the single picks."""
        whole = list(cleaned.get("frameworks") or [])
        picked = [c for c in cleaned.get("competencies") or [] if c.framework not in whole]
        return list(Competency.objects.filter(framework__in=whole).select_related("framework")) + picked

    def clean(self):
        cleaned = super().clean()
        if "frameworks" in cleaned and "competencies" in cleaned:
            if not cleaned["frameworks"] and not cleaned["competencies"]:
                self.add_error("frameworks", _("Choose at least one framework or competency."))
            self.similar = similar_pairs(self.chosen_competencies(cleaned))
            if self.similar and not cleaned.get("keep_similar"):
                pairs = "; ".join(
                    _("%(first)s (%(first_framework)s) and %(second)s (%(second_framework)s)")
                    % {
                        "first": first.name,
                        "first_framework": first.framework.title,
                        "second": second.name,
                        "second_framework": second.framework.title,
                    }
                    for first, second in self.similar
                )
                self.add_error(
                    "keep_similar",
                    _(
                        "These competencies share a theme and have nearly the same name, so people would answer "
                        "the same question twice: %(pairs)s. Leave one of each pair out, or tick this box to keep "
                        "both."
                    )
                    % {"pairs": pairs},
                )
        with_subunits = set(cleaned.get("units_with_subunits") or [])
        only = set(cleaned.get("units_only") or [])
        if "units_with_subunits" in cleaned and "units_only" in cleaned and not (with_subunits or only):
            self.add_error("units_with_subunits", _("Choose at least one unit."))
        both = with_subunits & only
        if both:
            self.add_error(
                "units_only",
                _("Choose each unit once: %(units)s is chosen both with and without the units below it.")
                % {"units": ", ".join(sorted(unit.name for unit in both))},
            )
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if closes_on and closes_on < timezone.localdate():
            self.add_error("closes_on", _("The closing date has passed. Choose today or a later day."))
        elif opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The round must close on or after the day it opens."))
        return cleaned


class ExtendForm(forms.Form):
    closes_on = forms.DateField(
        label=_("New closing date"), widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT_FORMAT)
    )

    def __init__(self, *args, round_, **kwargs):
        self.round = round_
        super().__init__(*args, **kwargs)

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on <= self.round.closes_on:
            raise forms.ValidationError(
                _("Choose a day after the current closing date (%(date)s)."),
                params={"date": self.round.closes_on.strftime("%d-%m-%Y")},
            )
        if closes_on < timezone.localdate():
            raise forms.ValidationError(_("The closing date has passed. Choose today or a later day."))
        return closes_on


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, close this round now"),
        error_messages={"required": _("Tick the box to confirm that you want to close the round.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The employee sees this reason above their self-assessment."),
    )


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or personnel number"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(AssessmentStatus.choices), required=False
    )
