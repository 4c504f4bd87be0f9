# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    person = forms.CharField(label=_("Whose data (name or personnel number)"), max_length=100, required=False)
    actor = forms.CharField(label=_("Who (name)"), max_length=100, required=False)
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("Up to and including"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Choose an end date on or after the start date."))
        return cleaned
