# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import hashlib

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


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
        return upload.read()


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ConfirmImportForm(forms.Form):
    """Confirms the previewed file; the fingerprint ties the confirmation to exactly that file."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
