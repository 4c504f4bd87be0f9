# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Demo rounds for `seed_demo`: a closed "Voorjaar 2026" and an open "Najaar 2026".

Connected to organisation.demo.demo_seeded (organisation does not know this app).
Safe to run again: an existing round is left as it is, except that people added
since then join the open round. Bulk inserts keep 25,000 people in minutes.
"""

import datetime
import random
import time
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from competencies.models import Competency, Framework
from competencies.versions import freeze_for_round
from organisation.demo import ROOT
from organisation.models import Person, Unit
from vakmanschap.lib.copy_rows import copy_rows

from . import rounds
from .models import Assessment, Rating, Round

SPRING = "Voorjaar 2026"
AUTUMN = "Najaar 2026"
SPRING_OPENS, SPRING_CLOSES = datetime.date(2026, 3, 2), datetime.date(2026, 4, 10)
EMPLOYEE = "medewerker"
BATCH_SIZE = 5000
NOTES = [
    "Hier wil ik dit jaar echt mee aan de slag.",
    "Vraag mijn leidinggevende om een cursus.",
    "Gaat goed in het team, minder bij externe partners.",
    "Meer oefenen met data en dashboards.",
    "Bespreken in het volgende gesprek.",
]


# The open round's competency profile, from the current versions: Vakmanschap 3.0 whole plus single competencies
# of the other frameworks, no two of one theme with nearly the same name (16 competencies with all five loaded).
AUTUMN_WHOLE = ["vakmanschap-3-0"]
AUTUMN_PICKED = {
    "21e-eeuwse-vaardigheden-gemeenten": ["C21-DATA", "C21-DIGITAAL", "C21-EXPERIMENT", "C21-FLEXIBEL"],
    "bewust-ambtelijk-vakmanschap": ["BAV-INCLUSIVE", "BAV-GROWTH", "BAV-SLOWDOWN"],
    "competenties-disruptieve-technologie": ["DIS-EIGENAARSCHAP", "DIS-FEEDBACK"],
}


def autumn_profile():
    """(whole frameworks, single competencies) of the open demo round, from the current versions."""
    current = Framework.objects.current()
    whole = list(current.filter(slug__in=AUTUMN_WHOLE))
    picked = [
        competency
        for competency in Competency.objects.filter(framework__in=current).select_related("framework")
        if competency.code in AUTUMN_PICKED.get(competency.framework.slug, ())
    ]
    return whole, picked


def seed_rounds(sender=None, *, seed=2026, log=print, **kwargs):
    """`demo_seeded` receiver: add the two demo rounds (idempotent).

    The closed round was rated against the first version of every source framework; the open one asks a profile
    of single competencies from the current versions.
    """
    first_versions = list(Framework.objects.filter(is_own=False, predecessor__isnull=True))
    root = Unit.objects.filter(name=ROOT, parent=None).first()
    if not first_versions or root is None:
        log("No frameworks loaded (run manage.py load_frameworks first): demo rounds skipped")
        return
    started = time.monotonic()
    rng = random.Random(seed)
    whole, picked = autumn_profile()
    # The levels come from a generator of their own, so the answers do not shift with the number of competencies.
    model = _Model(random.Random(seed + 1), [*first_versions, *whole, *(c.framework for c in picked)])
    with transaction.atomic():
        _spring(rng, model, first_versions, root, log)
        _autumn(rng, model, whole, picked, root, log)
    log(f"Demo rounds ready in {time.monotonic() - started:.1f} s")


class _Model:
    """Levels that differ by team and show real gaps for some competencies."""

    def __init__(self, rng, frameworks):
        self.rng = rng
        self.competencies = list(
            Competency.objects.filter(framework__in=frameworks)
            .order_by("framework_id", "position")
            .values_list("pk", flat=True)
        )
        # About one competency in four has a real gap between current and desired level.
        self.base = {pk: rng.uniform(2.2, 3.6) for pk in self.competencies}
        self.gap = {
            pk: rng.uniform(1.2, 2.0) if rng.random() < 0.25 else rng.uniform(0.1, 0.7) for pk in self.competencies
        }
        self.team = {}

    def team_effect(self, unit_id):
        if unit_id not in self.team:
            self.team[unit_id] = self.rng.gauss(0, 0.5), self.rng.choice(self.competencies)
        return self.team[unit_id]

    def ratings(self, assessment_id, unit_id, competencies, when):
        """Rows in RATING_COLUMNS order (plain tuples: a million model instances would cost more than the insert)."""
        rng = self.rng
        team, weak_spot = self.team_effect(unit_id)
        person = rng.gauss(0, 0.4)
        for pk in competencies:
            if rng.random() < 0.03:
                yield (assessment_id, pk, None, None, True, "", when, 1)
                continue
            level = self.base[pk] + team + person + rng.gauss(0, 0.6) - (1.0 if pk == weak_spot else 0)
            current = min(5, max(1, round(level)))
            desired = min(5, max(current, round(current + self.gap[pk] + rng.gauss(0, 0.5))))
            note = rng.choice(NOTES) if rng.random() < 0.04 else ""
            yield (assessment_id, pk, current, desired, False, note, when, 1)


RATING_COLUMNS = [
    "assessment_id",
    "competency_id",
    "current_level",
    "desired_level",
    "not_applicable",
    "note",
    "updated_at",
    "version",
]


def _insert_ratings(rows):
    """Insert rating rows as plain values (far faster than building model instances for bulk_create)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        moments = {}  # a few hundred distinct times: adapt each once
        adapt = connection.ops.adapt_datetimefield_value
        rows = [(*row[:6], moments.get(row[6]) or moments.setdefault(row[6], adapt(row[6])), row[7]) for row in rows]
    copy_rows(Rating._meta.db_table, RATING_COLUMNS, rows)


def _spring(rng, model, frameworks, root, log):
    if Round.objects.filter(name=SPRING).exists():
        log(f"{SPRING}: already there")
        return
    round_ = Round.objects.create(name=SPRING, opens_on=SPRING_OPENS, closes_on=SPRING_CLOSES, share_default=False)
    round_.frameworks.set(frameworks)
    round_.round_units.create(unit=root, include_subunits=True)
    freeze_for_round(frameworks)
    # The round is closed, so rounds.enrol_participants would (rightly) add nobody: enrol directly.
    people = rounds.participants(round_).values_list("pk", "unit_id", "username")
    Assessment.objects.bulk_create(
        [Assessment(round=round_, person_id=pk, unit_id=unit_id) for pk, unit_id, _username in people],
        batch_size=BATCH_SIZE,
    )
    employee_id = Person.objects.filter(username=EMPLOYEE).values_list("pk", flat=True).first()
    submitted, in_progress = _fill(
        rng,
        model,
        round_,
        employee_id,
        shares=True,
        submit_share=0.85,
        progress_share=0.08,
        day0=SPRING_OPENS,
        days=35,
    )
    log(f"{SPRING}: closed round, {submitted} submitted, {in_progress} in progress")


def _autumn(rng, model, whole, picked, root, log):
    existing = Round.objects.filter(name=AUTUMN).first()
    if existing is not None:
        added = rounds.enrol_participants(existing)
        log(f"{AUTUMN}: already there, {added} new people added")
        return
    today = timezone.localdate()
    opens_on = today - datetime.timedelta(days=10)
    round_ = rounds.create_round(
        name=AUTUMN,
        frameworks=whole,
        competencies=picked,
        opens_on=opens_on,
        closes_on=today + datetime.timedelta(days=25),
        units_with_subunits=[root],
    )
    employee_id = Person.objects.filter(username=EMPLOYEE).values_list("pk", flat=True).first()
    submitted, in_progress = _fill(
        rng, model, round_, employee_id, shares=None, submit_share=0.5, progress_share=0.25, day0=opens_on, days=10
    )
    log(f"{AUTUMN}: open round, {submitted} submitted, {in_progress} in progress, the rest not started")


def _fill(rng, model, round_, employee_id, *, shares, submit_share, progress_share, day0, days):
    """Give a share of the participants complete (submitted) and partial answers, in bulk.

    Answers fall on working hours of the first `days` days of the round. In the closed
    round the demo employee submitted and shared; in the open one they have not started.
    """
    competencies = list(round_.competencies().values_list("pk", flat=True))
    slots = [
        timezone.make_aware(datetime.datetime.combine(day0 + datetime.timedelta(days=day), datetime.time(hour)))
        for day in range(days)
        for hour in range(8, 18)
    ]
    batch = []
    groups = defaultdict(list)  # (moment, submitted, shared) -> assessment ids: a few hundred UPDATEs in all
    assessments = list(
        Assessment.objects.filter(round=round_).values_list("pk", "unit_id", "person_id").order_by("pk")
    )
    for pk, unit_id, person_id in assessments:
        draw = rng.random()
        if person_id == employee_id:
            draw = 0.0 if shares else 1.0
        when = rng.choice(slots)
        if draw < submit_share:
            batch.extend(model.ratings(pk, unit_id, competencies, when))
            share = True if person_id == employee_id else rng.random() < 0.5
            groups[when, True, share].append(pk)
        elif draw < submit_share + progress_share:
            part = rng.sample(competencies, rng.randint(1, max(1, len(competencies) * 2 // 3)))
            batch.extend(model.ratings(pk, unit_id, sorted(part), when))
            groups[when, False, False].append(pk)
        if len(batch) >= 10 * BATCH_SIZE:
            _insert_ratings(batch)
            batch = []
    _insert_ratings(batch)
    for (when, submitted, share), ids in groups.items():
        Assessment.objects.filter(pk__in=ids).update(
            started_at=when,
            submitted_at=when if submitted else None,
            shared_with_manager=share,
            shared_at=when if submitted and share else None,
        )
    submitted = sum(len(ids) for (_when, is_submitted, _share), ids in groups.items() if is_submitted)
    return submitted, sum(len(ids) for ids in groups.values()) - submitted
