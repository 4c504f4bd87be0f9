# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies.models import SCALE_MAX, SCALE_MIN, Competency, Framework
from organisation.models import Unit

NOTE_MAX_LENGTH = 2000


class RoundStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RoundQuerySet(models.QuerySet):
    def not_closed(self, today=None):
        """Rounds that are open or will open: people who join a participating unit still get an assessment."""
        today = today or timezone.localdate()
        return self.filter(closed_at__isnull=True, closes_on__gte=today)

    def open(self, today=None):
        today = today or timezone.localdate()
        return self.not_closed(today).filter(opens_on__lte=today)

    def with_participation(self):
        """Annotate total / started / submitted assessment counts (one aggregate query)."""
        return self.annotate(
            total=Count("assessments"),
            submitted=Count("assessments", filter=Q(assessments__submitted_at__isnull=False)),
            started=Count(
                "assessments",
                filter=Q(assessments__submitted_at__isnull=True, assessments__started_at__isnull=False),
            ),
        )


class Round(models.Model):
    """An assessment round: who rates which framework versions, and when.

    The status follows from the dates; HR can close a round early (`closed_at`).
    """

    name = models.CharField(_("name"), max_length=200)
    frameworks = models.ManyToManyField(Framework, related_name="rounds", verbose_name=_("frameworks"))
    # Single competencies HR chose without their whole framework; see CompetencyQuerySet.for_round.
    picked_competencies = models.ManyToManyField(
        Competency, related_name="picked_in_rounds", blank=True, verbose_name=_("single competencies")
    )
    units = models.ManyToManyField(Unit, through="RoundUnit", related_name="rounds", verbose_name=_("units"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("The last day on which people can fill in."))
    share_default = models.BooleanField(
        _("sharing with the manager starts ticked"),
        default=False,
        help_text=_("Each person decides when submitting. Unticked is the privacy-friendly default."),
    )
    closed_at = models.DateTimeField(_("closed early at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="round_closes_after_opening")
        ]

    def __str__(self):
        return self.name

    def status(self, today=None):
        today = today or timezone.localdate()
        if self.closed_at is not None or today > self.closes_on:
            return RoundStatus.CLOSED
        if today < self.opens_on:
            return RoundStatus.SCHEDULED
        return RoundStatus.OPEN

    def get_status_display(self):
        return RoundStatus(self.status()).label

    @property
    def is_open(self):
        return self.status() == RoundStatus.OPEN

    @property
    def is_closed(self):
        return self.status() == RoundStatus.CLOSED

    def participant_units(self):
        """Every unit whose members take part: chosen units, plus everything below those with sub-units."""
        links = list(self.round_units.select_related("unit"))
        with_subunits = [link.unit for link in links if link.include_subunits]
        only = [link.unit_id for link in links if not link.include_subunits]
        return Unit.objects.filter(Q(pk__in=only) | Q(pk__in=Unit.objects.subtrees(with_subunits).values("pk")))

    def competencies(self):
        """The competencies asked in this round, in form order (`Competency.objects.for_round`)."""
        return Competency.objects.for_round(self)


class RoundUnit(models.Model):
    round = models.ForeignKey(Round, models.CASCADE, related_name="round_units")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    include_subunits = models.BooleanField(_("with sub-units"), default=True)

    class Meta:
        verbose_name = _("participating unit")
        verbose_name_plural = _("participating units")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="unique_round_unit")]

    def __str__(self):
        return str(self.unit)


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class AssessmentQuerySet(models.QuerySet):
    def for_round(self, round_):
        return self.filter(round=round_)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def in_progress(self):
        return self.filter(submitted_at__isnull=True, started_at__isnull=False)

    def not_started(self):
        return self.filter(submitted_at__isnull=True, started_at__isnull=True)

    def with_answered_count(self):
        """Annotate `answered`: competencies with both levels chosen or marked not applicable."""
        return self.annotate(answered=Count("ratings", filter=Rating.COMPLETE))

    def participation(self):
        """{'total', 'not_started', 'in_progress', 'submitted'} in one aggregate query."""
        return self.aggregate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            in_progress=Count("pk", filter=Q(submitted_at__isnull=True, started_at__isnull=False)),
            not_started=Count("pk", filter=Q(submitted_at__isnull=True, started_at__isnull=True)),
        )


class Assessment(models.Model):
    """One person's self-assessment in one round.

    `unit` is where the person worked when they joined the round, so reports and
    participation figures stay put when people move later. `started_at` is set
    by the first saved answer so the status needs no look at the ratings.
    """

    # No separate index on round: the unique (round, person) and the (round, unit) index lead with it.
    round = models.ForeignKey(
        Round, models.CASCADE, related_name="assessments", verbose_name=_("round"), db_index=False
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="assessments", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="assessments", verbose_name=_("unit")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    shared_with_manager = models.BooleanField(_("shared with the manager"), default=False)
    # When sharing was last switched on: the disclosure layer treats someone who started sharing after their
    # answers were counted in a released figure differently (reports.disclosure.visible_shared).
    shared_at = models.DateTimeField(_("shared since"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="one_assessment_per_round")]
        indexes = [
            # Participation and gap reports per unit subtree within a round.
            models.Index(fields=["round", "unit"], name="assessment_round_unit"),
            models.Index(fields=["round", "submitted_at"], name="assessment_round_submitted"),
        ]

    def __str__(self):
        return f"{self.round} · {self.person}"

    @property
    def status(self):
        if self.submitted_at is not None:
            return AssessmentStatus.SUBMITTED
        if self.started_at is not None:
            return AssessmentStatus.IN_PROGRESS
        return AssessmentStatus.NOT_STARTED

    def get_status_display(self):
        return AssessmentStatus(self.status).label

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def is_editable(self):
        """Answers can change only while the round is open and the assessment is not submitted."""
        return self.round.is_open and not self.is_submitted


class RatingQuerySet(models.QuerySet):
    def for_round(self, round_):
        return self.filter(assessment__round=round_)

    def submitted(self):
        return self.filter(assessment__submitted_at__isnull=False)

    def in_unit(self, unit, include_subunits=True):
        """Ratings of people who were in `unit` (and, by default, any unit below it) when they joined the round."""
        if include_subunits:
            return self.filter(assessment__unit__tree_path__startswith=unit.tree_path)
        return self.filter(assessment__unit=unit)

    def rated(self):
        """Ratings with both levels chosen (not marked not applicable): the ones averages are taken over."""
        return self.filter(not_applicable=False, current_level__isnull=False, desired_level__isnull=False)

    def complete(self):
        return self.filter(Rating.COMPLETE_Q)


class Rating(models.Model):
    """A person's current and desired level for one competency, with an optional private note.

    `version` goes up with every save; a page that shows an older version cannot
    overwrite a newer answer (see assessments.answers.save_answer).
    """

    COMPLETE_Q = Q(not_applicable=True) | Q(current_level__isnull=False, desired_level__isnull=False)
    COMPLETE = Q(ratings__not_applicable=True) | Q(
        ratings__current_level__isnull=False, ratings__desired_level__isnull=False
    )

    # No separate index on assessment: the unique (assessment, competency) leads with it (millions of rows).
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="ratings", db_index=False)
    competency = models.ForeignKey(Competency, models.PROTECT, related_name="ratings", verbose_name=_("competency"))
    current_level = models.PositiveSmallIntegerField(_("current level"), null=True, blank=True)
    desired_level = models.PositiveSmallIntegerField(_("desired level"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable to my work"), default=False)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["assessment", "competency"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="one_rating_per_competency"),
            models.CheckConstraint(
                condition=Q(current_level__isnull=True)
                | Q(current_level__gte=SCALE_MIN, current_level__lte=SCALE_MAX),
                name="current_level_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(desired_level__isnull=True)
                | Q(desired_level__gte=SCALE_MIN, desired_level__lte=SCALE_MAX),
                name="desired_level_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=False) | Q(current_level__isnull=True, desired_level__isnull=True),
                name="not_applicable_has_no_levels",
            ),
        ]

    def __str__(self):
        return f"{self.assessment} · {self.competency_id}"

    @property
    def is_complete(self):
        return self.not_applicable or (self.current_level is not None and self.desired_level is not None)

    @property
    def gap(self):
        if self.not_applicable or self.current_level is None or self.desired_level is None:
            return None
        return self.desired_level - self.current_level
