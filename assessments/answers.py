# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Filling in: the form's content, saving one answer safely, submitting and sharing."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.models import LEVELS, SCALE_NAMES, Competency, LevelDescription
from vakmanschap.lib.concurrency import update_if_current

from . import asked
from .models import Assessment, Rating, Round

# The one scale, as (level, name) pairs for the radio buttons.
SCALE = [(level, SCALE_NAMES[level][0]) for level in LEVELS]


class AnswerError(Exception):
    """The answer cannot be stored; `message` tells the person why (translated)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class NotEditableError(AnswerError):
    pass


class StaleAnswerError(AnswerError):
    """The answer was based on an older version; `rating` is what is stored now (or None)."""

    def __init__(self, rating):
        self.rating = rating
        super().__init__(
            _(
                "You already changed this answer in another window or tab. Nothing was overwritten: "
                "below is the answer that is saved now. Change it again if you want."
            )
        )


class IncompleteError(AnswerError):
    def __init__(self, missing):
        self.missing = missing
        super().__init__(_("Not every competency has an answer yet."))


def why_not_editable(assessment):
    """A sentence saying why answers cannot change now, or None when they can."""
    round_ = assessment.round
    if round_.is_closed:
        return _("This round is closed. You can read your answers, but no longer change them.")
    if not round_.is_open:
        return _("This round opens on %(date)s. You can fill in from that day.") % {
            "date": round_.opens_on.strftime("%d-%m-%Y")
        }
    if assessment.is_submitted:
        return _("You have submitted this self-assessment. Your answers can no longer change.")
    return None


@dataclass(frozen=True, slots=True)
class RadioColumn:
    key: str  # in element ids
    field: str  # the RatingForm field
    legend: str  # names the group and the competency, unique on the page
    short: str  # the column heading, added to every radio's name
    value: int | None


def prefix(competency_id):
    """The form prefix of one competency's answer: its names are unique across the page's forms."""
    return f"c{competency_id}"


@dataclass
class Item:
    """One competency on the form, with the answer to show and anything to say about it."""

    competency: Competency
    rating: Rating | None = None
    errors: list = field(default_factory=list)
    notice: str = ""
    posted: dict | None = None  # what was sent, shown again when it could not be stored
    label: str = ""  # the competency's name, with its framework when another competency in the round has that name

    def _value(self, name):
        if self.posted is not None:
            return self.posted.get(f"{self.anchor}-{name}")
        return getattr(self.rating, name) if self.rating else None

    def __post_init__(self):
        self.label = self.label or self.competency.name

    @property
    def levels(self):
        return self.competency.levels.all()

    @property
    def columns(self):
        """The two radio groups of the form: where I stand now, and where I want to be in about a year."""
        return [
            RadioColumn(
                "current", "current_level", _("Current level: %(name)s") % {"name": self.label}, _("now"), self.current
            ),
            RadioColumn(
                "desired",
                "desired_level",
                _("Desired level in about a year: %(name)s") % {"name": self.label},
                _("in a year"),
                self.desired,
            ),
        ]

    @property
    def current(self):
        return _level(self._value("current_level"))

    @property
    def desired(self):
        return _level(self._value("desired_level"))

    @property
    def scale(self):
        return SCALE

    @property
    def current_name(self):
        return SCALE_NAMES[self.current][0] if self.current else ""

    @property
    def desired_name(self):
        return SCALE_NAMES[self.desired][0] if self.desired else ""

    @property
    def not_applicable(self):
        value = self._value("not_applicable")
        return value in (True, "on", "true", "1")

    @property
    def note(self):
        return self._value("note") or ""

    @property
    def version(self):
        return self.rating.version if self.rating else 0

    @property
    def is_complete(self):
        return bool(self.rating and self.rating.is_complete)

    @property
    def anchor(self):
        return prefix(self.competency.pk)


def _level(value):
    try:
        level = int(value)
    except (TypeError, ValueError):
        return None
    return level if level in LEVELS else None


@dataclass
class Section:
    framework: object
    items: list


def form_sections(assessment):
    """The form, framework by framework, with the stored answers: a fixed number of queries."""
    competencies = (
        Competency.objects.for_round(assessment.round_id)
        .select_related("framework")
        .prefetch_related(Prefetch("levels", queryset=LevelDescription.objects.order_by("level")))
    )
    ratings = {rating.competency_id: rating for rating in assessment.ratings.all()}
    competencies = list(competencies)
    names = Counter(competency.name for competency in competencies)
    sections = {}
    for competency in competencies:
        section = sections.setdefault(competency.framework_id, Section(competency.framework, []))
        label = competency.name
        if names[label] > 1:
            label = f"{label} ({competency.framework.title})"
        section.items.append(Item(competency, ratings.get(competency.pk), label=label))
    return list(sections.values())


def progress(sections):
    items = [item for section in sections for item in section.items]
    return {"answered": sum(item.is_complete for item in items), "total": len(items)}


def count_progress(assessment, competency):
    """Answered and total competencies after a save; `competency` comes from round_competency (one count)."""
    return {"answered": assessment.ratings.complete().count(), "total": competency.round_total}


def competency_counts(round_ids):
    """{round id: number of competencies} for several rounds in one query."""
    if not round_ids:
        return {}
    total = (
        Competency.objects.for_round(OuterRef("pk"))
        .order_by()
        .values("framework__rounds")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = Round.objects.filter(pk__in=round_ids).annotate(count=Coalesce(Subquery(total), 0))
    return dict(rows.values_list("pk", "count"))


def round_competency(assessment, competency_id):
    """The competency if it belongs to the round, else None; it carries `round_total`, the number of
    competencies in the round. Read from the per-process cache of what a round asks (`asked`)."""
    return asked.round_competency(assessment, competency_id)


def save_answer(assessment, competency, answer, base_version, now=None):
    """Store one answer if it is based on the stored version (0: none stored yet); return the new rating.

    Raises NotEditableError when the round or the assessment no longer takes answers,
    StaleAnswerError when another window saved a newer answer first.

    The usual case, changing a stored answer, is one guarded UPDATE (no lock, no
    transaction round trips): it only hits a row that still has the version the page
    showed and whose assessment is not submitted.
    """
    reason = why_not_editable(assessment)
    if reason:
        raise NotEditableError(reason)
    now = now or timezone.now()
    lookup = {"assessment": assessment, "competency": competency}
    if base_version == 0:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(**lookup, **answer, version=1, updated_at=now)
        except IntegrityError:
            stored = Rating.objects.filter(**lookup).first()
            if stored is None:
                raise
            raise StaleAnswerError(stored) from None
    else:
        editable = Rating.objects.filter(**lookup, assessment__submitted_at__isnull=True)
        if not update_if_current(editable, base_version, now, **answer):
            if Assessment.objects.filter(pk=assessment.pk, submitted_at__isnull=False).exists():
                raise NotEditableError(
                    _("You have submitted this self-assessment. Your answers can no longer change.")
                )
            raise StaleAnswerError(Rating.objects.filter(**lookup).first())
        rating = Rating(**lookup, **answer, version=base_version + 1, updated_at=now)
    if assessment.started_at is None:
        Assessment.objects.filter(pk=assessment.pk, started_at__isnull=True).update(started_at=now)
        assessment.started_at = now
    return rating


def missing_items(sections):
    return [item for section in sections for item in section.items if not item.is_complete]


def submit(assessment, share_with_manager, now=None):
    """Submit once every competency is answered. Returns False when it was already submitted (harmless)."""
    if assessment.is_submitted:
        return False
    reason = why_not_editable(assessment)
    if reason:
        raise NotEditableError(reason)
    with transaction.atomic():
        state = Assessment.objects.select_for_update().filter(pk=assessment.pk).values("submitted_at").first()
        if state["submitted_at"] is not None:
            return False
        missing = missing_items(form_sections(assessment))
        if missing:
            raise IncompleteError(missing)
        assessment.submitted_at = now or timezone.now()
        assessment.shared_with_manager = share_with_manager
        assessment.shared_at = assessment.submitted_at if share_with_manager else None
        assessment.save(update_fields=["submitted_at", "shared_with_manager", "shared_at"])
    return True


def set_sharing(assessment, share_with_manager):
    """The employee may change the sharing choice any time after submitting."""
    if not assessment.is_submitted:
        raise NotEditableError(_("You choose whether to share when you submit."))
    if share_with_manager and not assessment.shared_with_manager:
        assessment.shared_at = timezone.now()
    elif not share_with_manager:
        assessment.shared_at = None
    assessment.shared_with_manager = share_with_manager
    assessment.save(update_fields=["shared_with_manager", "shared_at"])
