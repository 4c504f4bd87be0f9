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


class RoundStructure(models.Model):
    """Which unit figures of a round can ever be released, fixed when the round's first release is made.

    Decided on the number of people invited per unit (which does not change as
    people submit), with the nested-groups rule of `reports.disclosure`: every
    shown figure minus the shown figures below it covers 0 or at least the minimum
    number of people. The parts left over ("atoms") are what releases fill in
    steps. `subtree` and `direct` list the unit ids whose figure with and without
    sub-units may be shown; `hidden` maps "unit:<id>" / "direct:<id>" to the reason
    code of every other unit figure.
    """

    round = models.OneToOneField("assessments.Round", models.CASCADE, related_name="disclosure_structure")
    made_at = models.DateTimeField(default=timezone.now)
    subtree = models.JSONField(default=list)
    direct = models.JSONField(default=list)
    hidden = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("disclosure structure")
        verbose_name_plural = _("disclosure structures")

    def __str__(self):
        return str(self.round)


class Release(models.Model):
    """One step in which a round's figures change: the people counted from this release on, and their sums.

    Figures of release n are the sums of releases 1..n. A release never changes
    once made (the sums are stored, so a reopened self-assessment does not change
    what was released).
    """

    round = models.ForeignKey("assessments.Round", models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("number"))
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    final = models.BooleanField(_("final"), default=False)
    people = models.PositiveIntegerField(_("people counted"), default=0, help_text=_("All releases so far together."))
    # The final release's age and service bands, worked out once: {competency id: {band: [n, gap sum, reason]}}.
    bands = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="one_release_number_per_round")]

    def __str__(self):
        return f"{self.round} #{self.number}"


class ReleaseEntry(models.Model):
    """A submitted self-assessment counted in the figures from `release` on, in the group (`atom`) it fills."""

    release = models.ForeignKey(Release, models.CASCADE, related_name="entries")
    assessment = models.OneToOneField("assessments.Assessment", models.CASCADE, related_name="release_entry")
    atom = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("release entry")
        verbose_name_plural = _("release entries")
        indexes = [models.Index(fields=["release", "atom"], name="release_entry_release_atom")]

    def __str__(self):
        return f"{self.release} {self.atom}"


class ReleasedSum(models.Model):
    """The sums one release adds for one unit (people directly in it) and one competency.

    `viewers` counts the respondents who are HR (the people who can open the age and
    service bands: they know their own answers, so a band must be big enough without
    them); `bands` holds which age and service bands these respondents fall in, one bit
    per band in the order of `disclosure.BAND_KEYS`. Both are read only when a round's
    final release works out its bands (`disclosure._store_bands`).
    """

    release = models.ForeignKey(Release, models.CASCADE, related_name="sums")
    unit = models.ForeignKey("organisation.Unit", models.CASCADE, related_name="+")
    atom = models.CharField(max_length=40)
    competency = models.ForeignKey("competencies.Competency", models.CASCADE, related_name="+")
    respondents = models.PositiveIntegerField()
    viewers = models.PositiveIntegerField(default=0)
    bands = models.PositiveIntegerField(default=0)
    sum_current = models.IntegerField()
    sum_desired = models.IntegerField()
    sum_gap_squared = models.IntegerField()
    big_gaps = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("released sum")
        verbose_name_plural = _("released sums")
        indexes = [
            models.Index(fields=["release", "unit"], name="released_sum_release_unit"),
            models.Index(fields=["release", "atom"], name="released_sum_release_atom"),
        ]

    def __str__(self):
        return f"{self.release} {self.unit_id} {self.competency_id}"


class ReleasedBandSum(models.Model):
    """Sums one release adds per competency, age band and service band, for the banded tables.

    Over the whole release: which tree cells hold which bands is kept on `ReleasedSum.bands`,
    so there is one row here per combination of bands, not one per group and combination.
    `viewers` counts the respondents who are HR.
    """

    release = models.ForeignKey(Release, models.CASCADE, related_name="band_sums")
    competency = models.ForeignKey("competencies.Competency", models.CASCADE, related_name="+")
    age_band = models.CharField(max_length=20, blank=True)
    service_band = models.CharField(max_length=20, blank=True)
    respondents = models.PositiveIntegerField()
    viewers = models.PositiveIntegerField(default=0)
    sum_gap = models.IntegerField()

    class Meta:
        verbose_name = _("released band sum")
        verbose_name_plural = _("released band sums")

    def __str__(self):
        return f"{self.release} {self.competency_id} {self.age_band} {self.service_band}"


class SharedLevelsSeen(models.Model):
    """A manager was shown the individual levels of someone who shared them: from then on they are known.

    The disclosure layer counts known people out of every group before it shows
    more, so what a manager once saw can never be subtracted from a figure later.
    """

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    assessment = models.ForeignKey("assessments.Assessment", models.CASCADE, related_name="+")
    first_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("shared levels seen")
        verbose_name_plural = _("shared levels seen")
        constraints = [models.UniqueConstraint(fields=["viewer", "assessment"], name="seen_once_per_viewer")]

    def __str__(self):
        return f"{self.viewer_id} {self.assessment_id}"
