# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Target levels, the learning catalogue, learning lines, development plans and sent reminders."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Round
from competencies.models import SCALE_MAX, SCALE_MIN, Competency
from organisation.models import Unit
from vakmanschap.lib.i18n import bilingual

TEXT_MAX_LENGTH = 2000
ON_SCALE = [MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]


def job_title_key(title):
    """Job titles match whatever their case or spacing ("Beleidsadviseur  Jeugd" = "beleidsadviseur jeugd")."""
    return " ".join((title or "").split()).casefold()


# Target levels ---------------------------------------------------------------------------------------------------


class TargetScope(models.TextChoices):
    # In order of precedence: the most specific first.
    PERSON = "person", _("One person")
    JOB_TITLE = "job_title", _("A job title")
    UNIT = "unit", _("A unit")
    ORGANISATION = "organisation", _("The whole organisation")


DUPLICATE_TARGET = _("There already is a target for this competency and group from this date. Change that one.")


class Target(models.Model):
    """A streefniveau: the level the organisation asks for on one competency, for a scope, by a date.

    Kept apart from the person's own desired level. The most specific target applies
    (person > job title > unit > organisation; see learning/targets.py). A newer target for
    the same scope starts on `valid_from`, so older rounds keep the target they had.
    """

    competency = models.ForeignKey(Competency, models.CASCADE, related_name="targets", verbose_name=_("competency"))
    scope = models.CharField(_("applies to"), max_length=16, choices=TargetScope.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("person"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    job_title_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("unit"))
    include_subunits = models.BooleanField(_("with sub-units"), default=True)
    level = models.PositiveSmallIntegerField(_("target level"), validators=ON_SCALE)
    due_on = models.DateField(_("to reach by"))
    valid_from = models.DateField(_("applies from"), default=timezone.localdate)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("target level")
        verbose_name_plural = _("target levels")
        ordering = ["competency", "scope", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=SCALE_MIN, level__lte=SCALE_MAX), name="target_on_scale"),
            models.CheckConstraint(
                condition=(
                    Q(scope="person", person__isnull=False, unit__isnull=True, job_title_key="")
                    | Q(scope="job_title", person__isnull=True, unit__isnull=True) & ~Q(job_title_key="")
                    | Q(scope="unit", person__isnull=True, unit__isnull=False, job_title_key="")
                    | Q(scope="organisation", person__isnull=True, unit__isnull=True, job_title_key="")
                ),
                name="target_scope_fields",
            ),
            models.UniqueConstraint(
                fields=["competency", "person", "valid_from"],
                condition=Q(scope="person"),
                name="one_person_target_per_day",
                violation_error_message=DUPLICATE_TARGET,
            ),
            models.UniqueConstraint(
                fields=["competency", "job_title_key", "valid_from"],
                condition=Q(scope="job_title"),
                name="one_job_title_target_per_day",
                violation_error_message=DUPLICATE_TARGET,
            ),
            models.UniqueConstraint(
                fields=["competency", "unit", "include_subunits", "valid_from"],
                condition=Q(scope="unit"),
                name="one_unit_target_per_day",
                violation_error_message=DUPLICATE_TARGET,
            ),
            models.UniqueConstraint(
                fields=["competency", "valid_from"],
                condition=Q(scope="organisation"),
                name="one_organisation_target_per_day",
                violation_error_message=DUPLICATE_TARGET,
            ),
        ]

    def __str__(self):
        return f"{self.competency} → {self.level} ({self.scope_label})"

    def save(self, *args, **kwargs):
        self.job_title_key = job_title_key(self.job_title) if self.scope == TargetScope.JOB_TITLE else ""
        super().save(*args, **kwargs)

    @property
    def scope_label(self):
        if self.scope == TargetScope.PERSON:
            return str(self.person)
        if self.scope == TargetScope.JOB_TITLE:
            return self.job_title
        if self.scope == TargetScope.UNIT:
            suffix = _("with sub-units") if self.include_subunits else _("only this unit")
            return f"{self.unit} ({suffix})"
        return str(TargetScope.ORGANISATION.label)


# The catalogue ---------------------------------------------------------------------------------------------------


class LearningForm(models.TextChoices):
    ONLINE = "online", _("Online")
    CLASSROOM = "classroom", _("Classroom")
    MICROLEARNING = "microlearning", _("Microlearning")
    BLENDED = "blended", _("Blended")
    WORKPLACE = "workplace", _("Learning on the job")
    COACHING = "coaching", _("Coaching or peer review")


class ActivityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def suiting(self, competency, level):
        """Activities that develop `competency` (any version of it) and suit someone at `level`."""
        return self.filter(
            pk__in=ActivityCompetency.objects.matching(competency, level).values("activity_id")
        ).distinct()


class Activity(models.Model):
    """Something to learn from: a course, a module, a practice assignment, coaching."""

    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    form = models.CharField(_("learning form"), max_length=16, choices=LearningForm.choices)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    cost = models.DecimalField(
        _("cost (euro)"), max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    url = models.URLField(_("link"), blank=True)
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Stays the same, so a CSV import can update the activity.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    title = bilingual()
    description = bilingual()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning activity")
        verbose_name_plural = _("learning activities")
        ordering = ["title_nl", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_hours__gte=0), name="activity_duration_not_negative"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="activity_cost_not_negative"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:activity", args=[self.pk])

    @property
    def is_free(self):
        return not self.cost


class ActivityCompetencyQuerySet(models.QuerySet):
    def matching(self, competency, level):
        """Links to `competency` (or the same competency in another framework version) whose range holds `level`."""
        same = Q(competency=competency) | Q(
            competency__framework__slug=competency.framework.slug, competency__code=competency.code
        )
        return self.filter(same, level_from__lte=level, level_to__gt=level)


class ActivityCompetency(models.Model):
    """An activity develops a competency for people from `level_from` up to `level_to` (e.g. from 2 to 3)."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="competency_links")
    competency = models.ForeignKey(Competency, models.CASCADE, related_name="+", verbose_name=_("competency"))
    level_from = models.PositiveSmallIntegerField(_("from level"), validators=ON_SCALE)
    level_to = models.PositiveSmallIntegerField(_("to level"), validators=ON_SCALE)

    objects = ActivityCompetencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency developed")
        verbose_name_plural = _("competencies developed")
        ordering = ["activity", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "competency"], name="one_link_per_activity_competency"),
            models.CheckConstraint(
                condition=Q(level_from__gte=SCALE_MIN, level_to__lte=SCALE_MAX, level_from__lt=F("level_to")),
                name="activity_level_range",
            ),
        ]

    def __str__(self):
        return f"{self.competency} {self.level_from}→{self.level_to}"


class LearningLine(models.Model):
    """A leerlijn: activities in a fixed order that take someone from one level of a competency to a higher one.

    Optionally meant for certain units (and their sub-units) or job titles; empty means everyone.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    competency = models.ForeignKey(Competency, models.CASCADE, related_name="+", verbose_name=_("competency"))
    level_from = models.PositiveSmallIntegerField(_("from level"), validators=ON_SCALE)
    level_to = models.PositiveSmallIntegerField(_("to level"), validators=ON_SCALE)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("meant for units"))
    job_titles = models.TextField(_("meant for job titles"), blank=True, help_text=_("One job title per line."))
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    activities = models.ManyToManyField(Activity, through="LearningLineStep", related_name="lines")

    title = bilingual()
    description = bilingual()

    class Meta:
        verbose_name = _("learning line")
        verbose_name_plural = _("learning lines")
        ordering = ["title_nl", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level_from__gte=SCALE_MIN, level_to__lte=SCALE_MAX, level_from__lt=F("level_to")),
                name="line_level_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:line", args=[self.pk])

    def job_title_keys(self):
        return {job_title_key(line) for line in self.job_titles.splitlines() if line.strip()}

    def is_meant_for(self, person, unit_ids):
        """Whether the line is meant for `person`; `unit_ids` are the ids of the line's units (prefetched)."""
        titles = self.job_title_keys()
        if not unit_ids and not titles:
            return True
        if titles and job_title_key(person.job_title) in titles:
            return True
        return bool(person.unit_id and set(person.unit.ancestor_ids()) & set(unit_ids))


class LearningLineStep(models.Model):
    line = models.ForeignKey(LearningLine, models.CASCADE, related_name="steps")
    activity = models.ForeignKey(Activity, models.PROTECT, related_name="line_steps", verbose_name=_("activity"))
    position = models.PositiveSmallIntegerField(_("step"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["line", "position"]
        constraints = [
            models.UniqueConstraint(fields=["line", "position"], name="one_activity_per_step"),
            models.UniqueConstraint(fields=["line", "activity"], name="activity_once_per_line"),
        ]

    def __str__(self):
        return f"{self.position}. {self.activity}"


# Development plans -----------------------------------------------------------------------------------------------


class Plan(models.Model):
    """A persoonlijk ontwikkelplan: one per person per round, started from that round's report.

    The person decides whether their own manager (`Person.effective_manager()`) may read it;
    higher managers and HR never read a plan (HR sees released counts only).
    `carried_from` is the plan of the previous round it continues.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="plans")
    round = models.ForeignKey(Round, models.PROTECT, related_name="+", verbose_name=_("round"))
    carried_from = models.OneToOneField(
        "self", models.SET_NULL, null=True, blank=True, related_name="carried_to", editable=False
    )
    shared_with_manager = models.BooleanField(_("shared with my manager"), default=False)
    shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    manager_comment = models.TextField(_("comment from the manager"), max_length=TEXT_MAX_LENGTH, blank=True)
    manager_comment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    manager_comment_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "round"], name="one_plan_per_round")]

    def __str__(self):
        return f"{self.person} · {self.round}"

    def get_absolute_url(self):
        return reverse("learning:plan", args=[self.pk])


class Goal(models.Model):
    """A development goal: a competency, the level to reach and by when.

    `level_then` is the current level the person gave when the goal was set (in the plan's
    round, or for a carried goal in the round it first came from), so progress reads "then and now".
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="goals")
    competency = models.ForeignKey(Competency, models.PROTECT, related_name="+", verbose_name=_("competency"))
    level_then = models.PositiveSmallIntegerField(_("level when the goal was set"), null=True, validators=ON_SCALE)
    round_then = models.ForeignKey(Round, models.PROTECT, related_name="+", editable=False)
    target_level = models.PositiveSmallIntegerField(_("level I want to reach"), validators=ON_SCALE)
    due_on = models.DateField(_("by when"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "competency"], name="one_goal_per_competency"),
            models.CheckConstraint(
                condition=Q(target_level__gte=SCALE_MIN, target_level__lte=SCALE_MAX), name="goal_on_scale"
            ),
        ]

    def __str__(self):
        return f"{self.competency} → {self.target_level}"

    @property
    def anchor(self):
        return f"g{self.pk}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Action(models.Model):
    """What the person will do for a goal: a catalogue activity, a learning line or something of their own."""

    goal = models.ForeignKey(Goal, models.CASCADE, related_name="actions")
    activity = models.ForeignKey(Activity, models.PROTECT, null=True, blank=True, related_name="actions")
    line = models.ForeignKey(LearningLine, models.PROTECT, null=True, blank=True, related_name="actions")
    title = models.CharField(_("what I will do"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    due_on = models.DateField(_("done by"), null=True, blank=True)
    reflection = models.TextField(_("reflection"), max_length=TEXT_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["goal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, line__isnull=True)
                | Q(activity__isnull=True, line__isnull=False)
                | Q(activity__isnull=True, line__isnull=True) & ~Q(title=""),
                name="action_is_one_thing",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        if self.activity_id:
            return self.activity.title
        if self.line_id:
            return self.line.title
        return self.title

    @property
    def anchor(self):
        return f"a{self.pk}"


# Reminders -------------------------------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    ROUND_OPENED = "round_opened", _("A round has opened")
    DEADLINE_WEEK = "deadline_week", _("A week before the closing date")
    DEADLINE_DAY = "deadline_day", _("A day before the closing date")
    ACTION_DUE = "action_due", _("An action in my plan is due")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly participation summary (managers)")


class ReminderOptOut(models.Model):
    """The person does not want reminders of this kind."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="reminder_opt_outs")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_opt_out_per_kind")]

    def __str__(self):
        return f"{self.person_id}: {self.kind}"


class SentReminder(models.Model):
    """A reminder claimed for sending: the unique row makes sending idempotent, also across worker restarts.

    The row is written (committed) before the mail goes out and removed again only when the
    mail server refused it, so a reminder goes out at most once.
    """

    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    on_date = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "person", "object_id", "on_date"], name="reminder_sent_once")
        ]
        indexes = [models.Index(fields=["on_date"], name="sentreminder_on_date")]

    def __str__(self):
        return f"{self.kind} {self.person_id} {self.object_id} {self.on_date}"


def end_of_next_year(today=None):
    """The default 'by when' for a goal: the end of next year ("eind 2027")."""
    today = today or timezone.localdate()
    return datetime.date(today.year + 1, 12, 31)
