# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Running rounds: create and open one, add people who join later, extend, close early, reopen one assessment.

People who join a participating unit while a round is not closed get their
assessment in two ways: on the fly when they open /assessments/ (`enrol_person`),
and in bulk through `enrol_late_joiners()`, which HR starts from the round page
and a scheduled job or an import can run as `manage.py enrol_late_joiners`.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.versions import freeze_for_round
from organisation.models import PATH_SEPARATOR, Person, Unit

from .models import Assessment, Round, RoundUnit

BATCH_SIZE = 2000


class RoundError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def participants(round_):
    """Active people who currently work in one of the round's units."""
    return Person.objects.filter(is_active=True, unit__in=round_.participant_units())


def composition(frameworks=(), competencies=()):
    """The framework versions a round draws on, and the single competencies picked from frameworks not chosen whole."""
    whole = {framework.pk: framework for framework in frameworks}
    picked = [competency for competency in competencies if competency.framework_id not in whole]
    used = dict(whole)
    for competency in picked:
        used.setdefault(competency.framework_id, competency.framework)
    return list(used.values()), picked


@transaction.atomic
def create_round(
    *,
    name,
    opens_on,
    closes_on,
    frameworks=(),
    competencies=(),
    units_with_subunits=(),
    units_only=(),
    share_default=False,
    by=None,
):
    """Create a round from whole frameworks and single competencies, freeze the versions it uses and give every
    participant an assessment. The round then asks `Competency.objects.for_round(round_)`."""
    round_ = Round.objects.create(
        name=name, opens_on=opens_on, closes_on=closes_on, share_default=share_default, created_by=by
    )
    used, picked = composition(frameworks, competencies)
    round_.frameworks.set(used)
    round_.picked_competencies.set(picked)
    RoundUnit.objects.bulk_create(
        [RoundUnit(round=round_, unit=unit, include_subunits=True) for unit in units_with_subunits]
        + [RoundUnit(round=round_, unit=unit, include_subunits=False) for unit in units_only]
    )
    # From now on an edit of these frameworks makes a new version; this round keeps the texts it was rated on.
    freeze_for_round(used)
    enrol_participants(round_)
    return round_


def enrol_participants(round_):
    """Give every participant without an assessment one. Bulk and safe to repeat; returns how many were added."""
    if round_.is_closed:
        return 0
    missing = participants(round_).exclude(pk__in=Assessment.objects.filter(round=round_).values("person_id"))
    now = timezone.now()
    new = [
        Assessment(round=round_, person_id=person_id, unit_id=unit_id, created_at=now)
        for person_id, unit_id in missing.values_list("pk", "unit_id").iterator(chunk_size=BATCH_SIZE)
    ]
    Assessment.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(new)


def enrol_late_joiners(rounds=None):
    """Run `enrol_participants` for every round that is not closed; returns {round: number added}."""
    rounds = Round.objects.not_closed() if rounds is None else rounds
    return {round_: enrol_participants(round_) for round_ in rounds}


def enrol_person(person):
    """Give `person` an assessment in every not-closed round whose units include theirs (a few small queries)."""
    if not person.is_active or person.unit_id is None:
        return []
    unit_path = Unit.objects.filter(pk=person.unit_id).values_list("tree_path", flat=True).first() or ""
    rounds = (
        Round.objects.not_closed()
        .exclude(pk__in=Assessment.objects.filter(person=person).values("round_id"))
        .prefetch_related("round_units__unit")
    )
    joined = []
    for round_ in rounds:
        for link in round_.round_units.all():
            if link.unit_id == person.unit_id or (link.include_subunits and unit_path.startswith(link.unit.tree_path)):
                joined.append(Assessment(round=round_, person=person, unit_id=person.unit_id))
                break
    Assessment.objects.bulk_create(joined, ignore_conflicts=True)
    return [assessment.round for assessment in joined]


def extend(round_, closes_on):
    round_.closes_on = closes_on
    round_.save(update_fields=["closes_on"])


def close_early(round_, now=None):
    """Close now: from this moment answers cannot change. Closing twice keeps the first time."""
    if round_.closed_at is None:
        round_.closed_at = now or timezone.now()
        round_.save(update_fields=["closed_at"])


def reopen(assessment, reason, now=None):
    """Let the employee change a submitted assessment again; they see `reason` above the form."""
    if not assessment.is_submitted:
        raise RoundError(_("This self-assessment is not submitted, so it is already open for changes."))
    if not assessment.round.is_open:
        raise RoundError(_("The round is not open. Extend the closing date first."))
    assessment.submitted_at = None
    assessment.reopened_at = now or timezone.now()
    assessment.reopen_reason = reason
    assessment.save(update_fields=["submitted_at", "reopened_at", "reopen_reason"])


@dataclass
class Participation:
    """Counts for one unit and everything below it."""

    unit: Unit
    depth: int
    total: int = 0
    in_progress: int = 0
    submitted: int = 0

    @property
    def not_started(self):
        return self.total - self.in_progress - self.submitted

    def _percent(self, part):
        return round(100 * part / self.total) if self.total else 0

    @property
    def not_started_percent(self):
        return self._percent(self.not_started)

    @property
    def in_progress_percent(self):
        return self._percent(self.in_progress)

    @property
    def submitted_percent(self):
        return self._percent(self.submitted)


def participation_by_unit(round_):
    """Participation per unit, each unit counting itself and all units below it, in tree order (two queries).

    People are counted in the unit they were in when they joined the round.
    """
    rows = (
        Assessment.objects.filter(round=round_)
        .values("unit_id", "unit__tree_path")
        .annotate(
            total=Count("pk"),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            in_progress=Count("pk", filter=Q(submitted_at__isnull=True, started_at__isnull=False)),
        )
    )
    totals = {}
    for row in rows:
        path = row["unit__tree_path"] or ""
        for unit_id in [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]:
            counts = totals.setdefault(unit_id, [0, 0, 0])
            counts[0] += row["total"]
            counts[1] += row["in_progress"]
            counts[2] += row["submitted"]
    units = Unit.objects.filter(pk__in=totals).order_by("tree_path")
    return [Participation(unit, unit.depth, *totals[unit.pk]) for unit in units]
