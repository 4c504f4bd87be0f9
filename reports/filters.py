# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Filter forms for the report pages. They read the query string, so a filtered view can be bookmarked and shared.

Each form fills in its defaults (the latest round, with sub-units, ...) for any
filter the query string leaves out, and says clearly what is wrong with a bad one.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from competencies.models import Framework

from .organisation import SORT_KEYS

YES, NO = "1", "0"


def default_round(rounds):
    """The latest closed round (its figures are final); else the latest that has opened; else the first listed."""
    today = timezone.localdate()
    closed = next((round_ for round_ in rounds if round_.is_closed), None)
    opened = next((round_ for round_ in rounds if round_.opens_on <= today), None)
    return closed or opened or (rounds[0] if rounds else None)


class _QueryForm(forms.Form):
    """A form bound to the query string with defaults for what it leaves out."""

    def __init__(self, query, defaults, *args, **kwargs):
        data = {**defaults, **{key: query.get(key) for key in query if key in self.base_fields}}
        super().__init__(data, *args, **kwargs)


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonalReportForm(_QueryForm):
    round = RoundChoiceField(
        label=_("Round"),
        queryset=Round.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the rounds in the list.")},
    )

    def __init__(self, query, rounds):
        self.base_fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
        super().__init__(query, {"round": rounds[0].pk if rounds else ""})
        # The list is known already: no second query for the options.
        self.fields["round"].choices = [(r.pk, r.name) for r in rounds]


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class UnitReportForm(_QueryForm):
    round = RoundChoiceField(
        label=_("Round"),
        queryset=Round.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the rounds in the list.")},
    )
    framework = FrameworkChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=_("All frameworks"),
        error_messages={"invalid_choice": _("Choose one of the frameworks in the list.")},
    )
    subunits = forms.ChoiceField(
        label=_("Include sub-units"),
        choices=[(YES, _("Yes, with every sub-unit")), (NO, _("No, only people directly in this unit"))],
        error_messages={"invalid_choice": _("Choose yes or no.")},
    )

    def __init__(self, query, rounds):
        self.rounds = rounds
        chosen = default_round(rounds)
        super().__init__(query, {"round": chosen.pk if chosen else "", "subunits": YES})
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
        self.fields["round"].choices = [(r.pk, r.name) for r in rounds]
        self.fields["framework"].queryset = Framework.objects.filter(rounds__in=[r.pk for r in rounds]).distinct()

    def clean(self):
        data = super().clean()
        round_, framework = data.get("round"), data.get("framework")
        if round_ and framework and not round_.frameworks.filter(pk=framework.pk).exists():
            self.add_error("framework", _("This framework was not part of the chosen round. Choose another one."))
        return data

    @property
    def include_subunits(self):
        return self.cleaned_data.get("subunits", YES) == YES


class OrganisationReportForm(_QueryForm):
    round = RoundChoiceField(
        label=_("Round"),
        queryset=Round.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the rounds in the list.")},
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    order = forms.ChoiceField(
        required=False, choices=[("asc", _("ascending")), ("desc", _("descending"))], widget=forms.HiddenInput
    )

    def __init__(self, query, rounds, themes=()):
        chosen = default_round(rounds)
        self.theme_codes = set(themes)
        super().__init__(query, {"round": chosen.pk if chosen else "", "sort": "tree", "order": "asc"})
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
        self.fields["round"].choices = [(r.pk, r.name) for r in rounds]

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or "tree"
        if sort in SORT_KEYS or (sort.startswith("theme-") and sort.removeprefix("theme-") in self.theme_codes):
            return sort
        raise forms.ValidationError(_("This column cannot be sorted. Choose a column heading."))
