# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vakmanschap.lib.i18n import bilingual

# The one scale every competency is rated on, so a "3" means the same everywhere.
SCALE_MIN, SCALE_MAX = 1, 5
LEVELS = range(SCALE_MIN, SCALE_MAX + 1)
SCALE_NAMES = {
    1: (_("Beginning"), _("With help, in simple situations.")),
    2: (_("Developing"), _("On your own in familiar situations.")),
    3: (_("Proficient"), _("On your own, also when it gets difficult.")),
    4: (_("Advanced"), _("In complex and conflicting situations; you help others.")),
    5: (_("Role model"), _("You set the standard and shape how the organisation works.")),
}
SCALE_IDENTIFIER = "vakmanschap-scale-1-5"


def level_name(level):
    return SCALE_NAMES[level][0]


class Theme(models.Model):
    """An idea that recurs across frameworks (flexibility, empathy, ...); reports group by it."""

    code = models.SlugField(_("code"), unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name = bilingual()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["code"]

    def __str__(self):
        return self.name


class FrameworkQuerySet(models.QuerySet):
    def current(self):
        """The newest version of every framework."""
        return self.filter(successor__isnull=True)


class Framework(models.Model):
    """One version of a competency framework.

    Once used in an assessment round a version is frozen: editing it makes a
    new version (`predecessor` points back), so old reports keep their texts.
    """

    identifier = models.UUIDField(_("identifier"), unique=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Stays the same across versions."))
    version = models.PositiveIntegerField(_("version"), default=1)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))
    source_title = models.CharField(_("source: title"), max_length=300, blank=True)
    source_author = models.CharField(_("source: author"), max_length=200, blank=True)
    source_publisher = models.CharField(_("source: publisher"), max_length=200, blank=True)
    source_date = models.DateField(_("source: date"), null=True, blank=True)
    is_own = models.BooleanField(
        _("organisation's own framework"), default=False, help_text=_("For example the organisation's core values.")
    )
    predecessor = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="successor", editable=False
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    title = bilingual()
    description = bilingual()

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["is_own", "title_nl", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="unique_framework_version")]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("competencies:framework", kwargs={"slug": self.slug, "version": self.version})

    def freeze(self):
        """Called when a round starts using this version: from now on edits make a new version."""
        if self.frozen_at is None:
            self.frozen_at = timezone.now()
            Framework.objects.filter(pk=self.pk, frozen_at__isnull=True).update(frozen_at=self.frozen_at)

    @property
    def is_frozen(self):
        return self.frozen_at is not None

    @property
    def is_current(self):
        return not hasattr(self, "successor")

    @property
    def source_line(self):
        parts = [self.source_author, self.source_title, self.source_publisher]
        if self.source_date:
            parts.append(str(self.source_date.year))
        return ", ".join(p for p in parts if p)


# The order of the self-assessment form, and of every page and export that lists a round's competencies.
FORM_ORDER = ("framework__is_own", "framework__title_nl", "framework__version", "position", "code")


class CompetencyQuerySet(models.QuerySet):
    def for_round(self, round_):
        """The competencies asked in a round (a Round or its pk), in form order: the one definition of it.

        A round draws on framework versions (`Round.frameworks`). A framework from which HR picked single
        competencies (`Round.picked_competencies`) contributes only those; any other framework contributes
        all its competencies.
        """
        # Inside a subquery (round_ an OuterRef) the nested subquery below must reach one level further out.
        nested = models.OuterRef(round_) if isinstance(round_, models.OuterRef) else round_
        picked = Competency.objects.filter(picked_in_rounds=nested)
        return (
            self.filter(framework__rounds=round_)
            .filter(models.Q(pk__in=picked.values("pk")) | ~models.Q(framework__in=picked.values("framework")))
            .order_by(*FORM_ORDER)
        )


class Competency(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="competencies")
    identifier = models.UUIDField(_("identifier"), unique=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    theme = models.ForeignKey(Theme, models.PROTECT, related_name="competencies", verbose_name=_("theme"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_nl = models.TextField(_("definition (Dutch)"))
    definition_en = models.TextField(_("definition (English)"))
    not_yet_nl = models.TextField(
        _("not yet (Dutch)"),
        blank=True,
        help_text=_("Optional: what it looks like when someone does not show this competency yet."),
    )
    not_yet_en = models.TextField(_("not yet (English)"), blank=True)

    name = bilingual()
    definition = bilingual()
    not_yet = bilingual()

    objects = CompetencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_competency_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse(
            "competencies:competency",
            kwargs={"slug": self.framework.slug, "version": self.framework.version, "code": self.code},
        )


class LevelDescription(models.Model):
    """What someone at this level of this competency can be seen to do."""

    competency = models.ForeignKey(Competency, models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    identifier = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))
    # Three or four short sentences a colleague could confirm; a list of strings per language.
    indicators_nl = models.JSONField(_("indicators (Dutch)"), default=list, blank=True)
    indicators_en = models.JSONField(_("indicators (English)"), default=list, blank=True)
    # Levels 1 to 4: something to practise in the work towards the next level. Level 5 has none.
    tip_nl = models.TextField(_("development tip (Dutch)"), blank=True)
    tip_en = models.TextField(_("development tip (English)"), blank=True)

    description = bilingual()
    indicators = bilingual()
    tip = bilingual()

    class Meta:
        verbose_name = _("level description")
        verbose_name_plural = _("level descriptions")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="unique_level_per_competency"),
            models.CheckConstraint(
                condition=models.Q(level__gte=SCALE_MIN, level__lte=SCALE_MAX), name="level_on_scale"
            ),
        ]

    def __str__(self):
        return f"{self.level} {level_name(self.level)}"

    @property
    def level_name(self):
        return level_name(self.level)
