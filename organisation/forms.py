# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2


from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import ImportLine


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file with people"),
        help_text=_("Separated by semicolons or commas, UTF-8. The first line holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB. Split it into smaller files.")
                % {"mb": settings.MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Choose a .csv file. Save an Excel sheet as 'CSV UTF-8' first."))
        self.cleaned_data["name"] = upload.name
        return upload.read()


class ImportLinesForm(forms.Form):
    """Which lines of a checked file to list: errors, people to add or change, new units."""

    show = forms.ChoiceField(choices=ImportLine.Kind.choices, required=False)

    def __init__(self, job, data):
        super().__init__(data)
        self.job = job

    def counts(self):
        """Lines per kind, from the job's summary (the preview lines go once the import is done)."""
        if self.job.status == self.job.Status.DONE:
            return {}
        summary = self.job.summary or {}
        counts = {
            ImportLine.Kind.ERROR: summary.get("errors", 0),
            ImportLine.Kind.UPDATE: summary.get("updated", 0),
            ImportLine.Kind.CREATE: summary.get("created", 0),
            ImportLine.Kind.UNIT: summary.get("units_created", 0),
        }
        return {kind: count for kind, count in counts.items() if count}

    def kind(self):
        """The chosen kind, else the first that has lines (errors first)."""
        counts = self.counts()
        chosen = self.cleaned_data.get("show") if self.is_valid() else ""
        if chosen in counts:
            return chosen
        return next(iter(counts), "")

    def tabs(self):
        return [{"kind": kind, "label": kind.label, "count": count} for kind, count in self.counts().items()]
