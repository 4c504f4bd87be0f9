# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The export filters, read from the query string (the export page, the download links) or the command line."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from competencies.models import Framework
from organisation.models import Unit

from .exports import CSV, CSV_DIALECT, EXCEL_DIALECT, XLSX, Filters, default_round

DRAFTS = "drafts"


class RoundField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Indented by depth, so the tree shows in the list.
        return "\u2003" * (len(obj.tree_path.strip("/").split("/")) - 1) + obj.name


class ExportForm(forms.Form):
    round = RoundField(
        label=_("Round"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=_("The most recent round with submitted self-assessments"),
        error_messages={"invalid_choice": _("Choose one of the rounds in the list.")},
    )
    unit = UnitField(
        label=_("Unit"),
        help_text=_("The unit and all units below it."),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
        error_messages={"invalid_choice": _("Choose one of the units in the list.")},
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=_("All frameworks of the round"),
        error_messages={"invalid_choice": _("Choose one of the frameworks in the list.")},
    )
    include = forms.MultipleChoiceField(
        label=_("Self-assessments"),
        choices=[(DRAFTS, _("Also include self-assessments that are not submitted yet (drafts)"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Leave this empty or choose 'drafts'.")},
    )
    pseudonymise = forms.BooleanField(
        label=_("Pseudonymise: replace names and personnel numbers by a code"),
        help_text=_("For the ratings and people exports. The same person always gets the same code."),
        required=False,
        widget=forms.CheckboxInput(attrs={"value": "1"}),
    )
    format = forms.ChoiceField(
        label=_("File type"),
        choices=[(CSV, _("CSV file")), (XLSX, _("Excel workbook (.xlsx)"))],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose csv or xlsx.")},
    )
    dialect = forms.ChoiceField(
        label=_("Kind of CSV"),
        choices=[
            (EXCEL_DIALECT, _("For Dutch Excel: semicolons, decimal comma")),
            (CSV_DIALECT, _("Standard CSV (RFC 4180) for other programs: commas, decimal point")),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose excel or csv.")},
    )

    def __init__(self, data, *, units, **kwargs):
        # Bound even without a query string, with the file type filled in, so the page shows the defaults.
        data = data.copy()
        for name, default in (("format", CSV), ("dialect", EXCEL_DIALECT)):
            if not data.get(name):
                data[name] = default
        super().__init__(data, **kwargs)
        self.fields["round"].queryset = Round.objects.all()
        self.fields["unit"].queryset = units.order_by("tree_path")
        self.fields["framework"].queryset = Framework.objects.filter(rounds__isnull=False).distinct()

    def clean(self):
        cleaned = super().clean()
        if "round" in cleaned and cleaned["round"] is None:
            cleaned["round"] = default_round()
            if cleaned["round"] is None:
                raise forms.ValidationError(
                    _("There is no round with submitted self-assessments yet. Choose a round."), code="no_round"
                )
        framework, round_ = cleaned.get("framework"), cleaned.get("round")
        if framework is not None and round_ is not None and not round_.frameworks.filter(pk=framework.pk).exists():
            self.add_error("framework", _("This framework is not part of the chosen round. Choose another one."))
        return cleaned

    def filters(self, viewer=None):
        data = self.cleaned_data
        return Filters(
            viewer=viewer,
            round=data["round"],
            unit=data["unit"],
            framework=data["framework"],
            include_drafts=DRAFTS in data["include"],
            pseudonymise=data["pseudonymise"],
        )

    def query(self):
        """The filters as a query string, with the round spelled out so a download matches the count shown."""
        data = self.cleaned_data
        query = QueryDict(mutable=True)
        query["round"] = data["round"].pk
        for name in ("unit", "framework"):
            if data[name] is not None:
                query[name] = data[name].pk
        if DRAFTS in data["include"]:
            query["include"] = DRAFTS
        if data["pseudonymise"]:
            query["pseudonymise"] = "1"
        if data["format"] != CSV:
            query["format"] = data["format"]
        if data["dialect"] != EXCEL_DIALECT:
            query["dialect"] = data["dialect"]
        return query.urlencode()
