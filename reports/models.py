# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    RATINGS = "ratings", _("Ratings")
    PEOPLE = "people", _("People")
    UNITS = "units", _("Units")


class ExportFileType(models.TextChoices):
    EXCEL = "excel", _("CSV for Dutch Excel")
    CSV = "csv", _("CSV (RFC 4180)")
    XLSX = "xlsx", _("Excel workbook (.xlsx)")


class ExportSource(models.TextChoices):
    WEB = "web", _("export page")
    COMMAND = "command", _("command line")


class ExportLog(models.Model):
    """One export of personal data: who, when, which export, which filters, how many rows.

    Written by `reports.audit` only; the admin shows it read-only and nobody can
    change it in the app. `row_count` is filled in when the file is complete;
    `finished_at` stays empty when the download broke off.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who")
    )
    user_name = models.CharField(_("name"), max_length=200, blank=True, help_text=_("Kept if the person is removed."))
    source = models.CharField(_("from"), max_length=16, choices=ExportSource.choices)
    export = models.CharField(_("export"), max_length=16, choices=ExportKind.choices)
    file_type = models.CharField(_("file type"), max_length=16, choices=ExportFileType.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-pk"]
        # Only viewing: no permission to add, change or delete exists at all.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.export} {self.who}"

    @property
    def who(self):
        if self.source == ExportSource.COMMAND:
            return str(ExportSource.COMMAND.label)
        return self.user_name or (str(self.user) if self.user_id else "")

    def filter_lines(self):
        """The filters as short translated lines, for the log on the export page and the admin."""
        lines = []
        for key, label in (("round", _("Round")), ("unit", _("Unit")), ("framework", _("Framework"))):
            value = self.filters.get(key)
            if value:
                lines.append(f"{label}: {value['name']}")
        if self.filters.get("include_drafts"):
            lines.append(str(_("including drafts")))
        if self.filters.get("pseudonymise"):
            lines.append(str(_("pseudonymised")))
        return lines
