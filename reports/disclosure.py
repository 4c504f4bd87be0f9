# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The disclosure layer: what a viewer may see of the figures about people.

Every figure over a group of people that leaves the database for a viewer (team
dashboard, its charts, heatmap and breakdown, the organisation view and its bands,
change since the last round, the unit export) is read from a *release* made here,
and every individual level a manager reads is let through `visible_shared`. The
rule (docs/privacy.md): for any combination of figures one viewer can obtain,
every group whose values can be worked out is empty or has at least
REPORT_MIN_GROUP_SIZE people the viewer does not already know.

How the rule is kept:

1. Structure. When a round's first release is made, the unit figures that may
   ever be shown are fixed from the number of people *invited* per unit with the
   nested-groups rule (`_suppress_nested`): every shown figure minus the shown
   figures below it covers 0 or at least the minimum. The leftovers are *atoms*;
   every shown figure is a union of atoms. Filters (with or without sub-units,
   one framework) only choose among these figures.
2. Releases. A release adds the submitted self-assessments of an atom only when,
   for every competency, the new answers number 0 or at least the minimum, also
   without the own answer of anyone in the step who can open figures (managers,
   HR). So every released figure, at every moment, is a sum of atom-steps (cells)
   of that size: subtracting two figures, two moments or two exports gives only
   such sums. Drafts are never counted; released sums are stored and never change.
3. Known people. A manager reads the levels of the people who share with them
   (their own manager only, `visible_shared`). For each viewer, a cell whose
   people minus those the viewer knows (their own answers, their sharers, what
   they were shown) number 1 to minimum - 1 is *protected*: every figure that
   contains it is withheld from that viewer (PROTECTED), while others still see
   it. The sharing choice comes first; only someone who switched sharing on after
   being counted (the viewer may have noted the figure before) is held back when
   showing them would make their cell small.
4. Bands (age, years in service) are released for closed rounds only and only
   where no set of bands can be subtracted from the atom-steps it touches to leave
   a small group (`_band_reasons`).

5. Counts of people that are not sums of released answers (demand for learning:
   who has a matching gap, chose or finished an activity) are shown in steps of
   the minimum, rounded down, and withheld under it (`release_count`).

The API: `current_release`, `team_figures`, `unit_figures`, `band_figures`,
`visible_shared`, `release_count`, `REASONS` (the legend), `withheld_reason`.
"""

import contextvars
import hashlib
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Rating, Round
from organisation.models import PATH_SEPARATOR, Person, Unit
from vakmanschap.lib.copy_rows import copy_rows

from .models import Release, ReleasedBandSum, ReleasedSum, ReleaseEntry, RoundStructure, SharedLevelsSeen

BIG_GAP = 2  # "how many people have a gap of 2 or more"

# Why a figure is withheld: (short mark shown in the cell, the sentence in the legend).
NO_ANSWERS, WAITING, SMALL, COMPLEMENT, PROTECTED, BANDS_AFTER_CLOSING = (
    "none",
    "waiting",
    "small",
    "complement",
    "protected",
    "closed",
)
REASONS = {
    NO_ANSWERS: ("–", _("No answers counted yet.")),
    WAITING: (
        "w",
        _(
            "Waiting: figures change in steps of at least %(minimum)s people, so that nobody's answers can be "
            "worked out by comparing two moments."
        ),
    ),
    SMALL: ("k", _("Hidden: this group has fewer than %(minimum)s people.")),
    COMPLEMENT: (
        "c",
        _("Hidden: together with another figure it would show a group of fewer than %(minimum)s people."),
    ),
    PROTECTED: (
        "p",
        _("Hidden: showing it would reveal the answers of colleagues who did not share theirs."),
    ),
    BANDS_AFTER_CLOSING: ("s", _("Shown when the round has closed.")),
}


def min_group_size():
    return settings.REPORT_MIN_GROUP_SIZE


def withheld_reason(code):
    """The legend sentence for a reason code."""
    return str(REASONS[code][1]) % {"minimum": min_group_size()}


def legend(codes):
    """[(mark, sentence)] for the reason codes used on a page, in a fixed order."""
    used = set(codes)
    return [(REASONS[code][0], withheld_reason(code)) for code in REASONS if code in used]


@dataclass(frozen=True, slots=True)
class ReleasedCount:
    """A count of people as it may be shown: `value` (0 or a multiple of the minimum) or None when withheld,
    with the `reason`."""

    value: int | None
    reason: str | None
    exact: bool = True  # False when rounded down to a step (never shown: it would tell the remainder)


def release_count(count, minimum=None):
    """A count of people that is not a sum of released answers (e.g. demand for learning), as it may be shown.

    Shown in steps of the minimum group size, rounded down (0, k, 2k, ...), and 1 to k - 1 withheld (SMALL):
    any two shown counts (two items, two moments, the page and the CSV) differ by 0 or at least k, and what a
    shown count says about the people behind it is a range of k values, never one small group.
    """
    minimum = min_group_size() if minimum is None else minimum
    if count == 0:
        return ReleasedCount(0, None)
    if count < minimum:
        return ReleasedCount(None, withheld_reason(SMALL))
    value = count - count % minimum
    return ReleasedCount(value, None, exact=value == count)


def _valid(n, minimum):
    """A group of `n` people the viewer does not know may be described: none, or enough."""
    return n == 0 or n >= minimum


# The unit tree ----------------------------------------------------------------------------------------------


def load_units():
    """{unit id: (parent id, tree path, name)} for every unit (one query), in no particular order.

    Unsorted: sorting thousands of paths by the database's collation took longer than reading them. Whoever
    shows units in tree order sorts them (`reports.organisation`).
    """
    return {
        pk: (parent_id, path, name)
        for pk, parent_id, path, name in Unit.objects.values_list("pk", "parent_id", "tree_path", "name").order_by()
    }


def ancestor_ids(path):
    """Unit ids from the root down to the unit whose tree path this is."""
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def _suppress_nested(counts, parents, minimum):
    """Reason codes for figures over nested groups ({node: code or None}).

    `counts` gives the people of each node (itself and everything below it);
    `parents` each node's parent. Bottom-up: a figure under the minimum is hidden
    (SMALL); a shown figure whose people not covered by the nearest shown figures
    below it number 1 to minimum - 1 hides the smallest shown figure below it that
    closes the gap, or else itself (COMPLEMENT). Afterwards every shown figure minus
    the shown figures below it covers 0 or at least `minimum` people.
    """
    children = {node: [] for node in counts}
    for node, parent in parents.items():
        if node in counts and parent in children:
            children[parent].append(node)
    depth = {}

    def depth_of(node):
        if node not in depth:
            parent = parents.get(node)
            depth[node] = 0 if parent not in counts else depth_of(parent) + 1
        return depth[node]

    reasons = {node: (NO_ANSWERS if n <= 0 else SMALL if n < minimum else None) for node, n in counts.items()}
    nearest, rest = {}, {}
    for node in sorted(counts, key=lambda node: (-depth_of(node), str(node))):
        below = []
        for child in children[node]:
            below += [child] if reasons[child] is None else nearest[child]
        left = counts[node] - sum(counts[child] for child in below)
        if reasons[node] is None and 0 < left < minimum:
            for child in sorted(below, key=lambda child: (counts[child], str(child))):
                if left + rest[child] >= minimum:
                    reasons[child] = COMPLEMENT
                    below = [other for other in below if other != child] + nearest[child]
                    left += rest[child]
                    break
            else:
                reasons[node] = COMPLEMENT
        nearest[node], rest[node] = below, left
    return reasons


@dataclass
class Structure:
    """A round's fixed disclosure structure (see `RoundStructure`), ready to look things up in."""

    subtree: set
    direct: set
    hidden: dict

    def atom_of(self, path):
        """The atom of a person directly in the unit with this tree path ("" when no figure can cover them)."""
        lineage = ancestor_ids(path)
        if lineage and lineage[-1] in self.direct:
            return f"direct:{lineage[-1]}"
        for unit_id in reversed(lineage):
            if unit_id in self.subtree:
                return f"unit:{unit_id}"
        return ""

    def reason(self, unit_id, include_subunits, has_children):
        """The structural reason code of a unit figure, or None when it may be shown."""
        if include_subunits or not has_children:
            return None if unit_id in self.subtree else self.hidden.get(f"unit:{unit_id}", NO_ANSWERS)
        return None if unit_id in self.direct else self.hidden.get(f"direct:{unit_id}", NO_ANSWERS)


def _make_structure(round_, units):
    invited = dict(
        Assessment.objects.filter(round=round_, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "n")
    )
    subtree = dict.fromkeys(units, 0)
    for pk, count in invited.items():
        for ancestor in ancestor_ids(units[pk][1]) if pk in units else []:
            if ancestor in subtree:
                subtree[ancestor] += count
    has_children = {parent_id for parent_id, _path, _name in units.values() if parent_id}
    counts = {f"unit:{pk}": n for pk, n in subtree.items() if n}
    parents = {f"unit:{pk}": f"unit:{parent_id}" for pk, (parent_id, _path, _name) in units.items()}
    for pk in has_children:
        if invited.get(pk):
            counts[f"direct:{pk}"] = invited[pk]
            parents[f"direct:{pk}"] = f"unit:{pk}"
    reasons = _suppress_nested(counts, parents, min_group_size())
    return RoundStructure.objects.create(
        round=round_,
        subtree=sorted(int(node[5:]) for node, code in reasons.items() if node.startswith("unit:") and code is None),
        direct=sorted(int(node[7:]) for node, code in reasons.items() if node.startswith("direct:") and code is None),
        hidden={node: code for node, code in reasons.items() if code is not None},
    )


def structure(round_, units=None):
    """The round's disclosure structure, made from the invited people when first asked for."""
    found = RoundStructure.objects.using(PRIMARY).filter(round=round_).first()
    if found is None:
        with transaction.atomic(using=PRIMARY):
            Round.objects.using(PRIMARY).select_for_update().filter(pk=round_.pk).first()
            found = RoundStructure.objects.using(PRIMARY).filter(round=round_).first() or _make_structure(
                round_, load_units() if units is None else units
            )
    return Structure(set(found.subtree), set(found.direct), dict(found.hidden))


# Releases ---------------------------------------------------------------------------------------------------


AGE_BANDS = [  # (key, label, upper age, exclusive)
    ("age-under-30", _("under 30"), 30),
    ("age-30-39", _("30 to 39"), 40),
    ("age-40-49", _("40 to 49"), 50),
    ("age-50-59", _("50 to 59"), 60),
    ("age-60-plus", _("60 and over"), None),
]
SERVICE_BANDS = [  # (key, label, upper number of years, exclusive)
    ("service-under-2", _("less than 2 years"), 2),
    ("service-2-4", _("2 to 4 years"), 5),
    ("service-5-9", _("5 to 9 years"), 10),
    ("service-10-19", _("10 to 19 years"), 20),
    ("service-20-plus", _("20 years or more"), None),
]
# Bit i of `ReleasedSum.bands` stands for BAND_KEYS[i]. Stored sums of open rounds carry these bits, so a
# changed list of bands needs a data migration of those sums.
BAND_KEYS = [key for key, _label, _upper in AGE_BANDS + SERVICE_BANDS]


def band_of(years, bands):
    """The key of the band `years` (an age, a number of years in service) falls in; "" when unknown."""
    if years is None:
        return ""
    return next(key for key, _label, upper in bands if upper is None or years < upper)


# Releases are made on the primary and read from it: a replica that lags a moment behind would offer
# the same people for a second release (vakmanschap/db_router.py sends other report reads to a replica).
PRIMARY = DEFAULT_DB_ALIAS


def latest_release(round_):
    return Release.objects.using(PRIMARY).filter(round=round_).order_by("-number").first()


def current_release(round_, *, in_request=True):
    """The release a viewer sees now: the latest, after making the one that is due (None before any answer).

    An open round gets a new release as soon as some atom can take a step; a
    closed round gets one final release. Reading a report is what triggers it, so
    no scheduler is needed and the figures are never older than the last look.
    In a request, a release of more than RELEASE_IN_REQUEST_MAX self-assessments is
    left to the task worker (`reports.tasks.make_due_release`, about a minute for a
    ministry): until it is made the latest release is shown and new figures wait.
    """
    latest = latest_release(round_)
    closed = round_.is_closed
    if latest is not None and latest.final:
        return latest
    pending = Assessment.objects.using(PRIMARY).filter(
        round=round_, submitted_at__isnull=False, unit__isnull=False, release_entry__isnull=True
    )
    if not (closed or pending.exists()):
        return latest
    limit = settings.RELEASE_IN_REQUEST_MAX
    if in_request and pending.values("pk")[: limit + 1].count() > limit:
        _hand_to_worker(round_)
        return latest
    return make_release(round_, final=closed) or latest


def _hand_to_worker(round_):
    """Queue the round's release for the task worker, once per ten minutes however many people look meanwhile."""
    from .tasks import make_due_release

    if cache.add(f"release-queued:{round_.pk}", True, timeout=600):
        make_due_release.enqueue(round_.pk)


def _hr_ids():
    return set(
        Person.objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="act_as_hr")
            | Q(user_permissions__codename="act_as_hr")
        ).values_list("pk", flat=True)
    )


def make_release(round_, final=False, now=None):
    """Make the next release of `round_` if any atom can take a step (or `final`); returns it, else None.

    Serialised per round (a row lock on the round), so two requests never release
    the same people twice.
    """
    minimum = min_group_size()
    units = load_units()
    shape = structure(round_, units)
    with transaction.atomic(using=PRIMARY):
        Round.objects.using(PRIMARY).select_for_update().filter(pk=round_.pk).first()
        latest = latest_release(round_)
        if latest is not None and latest.final:
            return None
        waiting = Assessment.objects.using(PRIMARY).filter(
            round=round_, submitted_at__isnull=False, unit__isnull=False, release_entry__isnull=True
        )
        pending = list(waiting.values_list("pk", "person_id", "unit_id", "unit__tree_path"))
        atom_of = {pk: shape.atom_of(path) for pk, _person, _unit, path in pending}
        chosen = _steps(round_.pk, pending, atom_of, minimum)
        if not chosen and not final:
            return None
        release = Release.objects.create(
            round=round_,
            number=(latest.number + 1) if latest else 1,
            made_at=now or timezone.now(),
            final=final,
            people=(latest.people if latest else 0) + len(chosen),
        )
        _store_entries(release, chosen, atom_of)
        _store_sums(release, round_, chosen)
        if final:
            _store_bands(release)
    return release


def _store_entries(release, chosen, atom_of):
    """One entry per released self-assessment, as plain rows (85,000 in under a second with COPY, where making
    that many model objects took five)."""
    rows = ((release.pk, pk, atom_of[pk]) for pk in chosen)
    copy_rows(ReleaseEntry._meta.db_table, ["release_id", "assessment_id", "atom"], rows)


def _answered(assessment_ids):
    """{assessment id: set of competency ids answered with two levels}."""
    found = defaultdict(set)
    for assessment_id, competency_id in (
        Rating.objects.filter(assessment_id__in=list(assessment_ids))
        .rated()
        .order_by()  # Rating's default order joins the assessment and the competency's framework
        .values_list("assessment_id", "competency_id")
    ):
        found[assessment_id].add(competency_id)
    return found


def _viewer_ids():
    """People who can open figures about groups: unit managers and HR. They know their own answers."""
    return set(Unit.objects.exclude(manager=None).values_list("manager_id", flat=True)) | _hr_ids()


def _steps(round_id, pending, atom_of, minimum):
    """The pending self-assessments that may be released now: whole atoms whose step is big enough.

    For every competency the step's answers must number 0 or at least `minimum`,
    also without the own answer of any one person in it who can open figures.
    The answers are counted per unit in the database (all pending people of a unit
    fall in one atom); only the few people who can open figures are read one by one.
    """
    by_atom = defaultdict(list)
    unit_atom = {}
    for pk, _person, unit_id, _path in pending:
        if atom_of[pk]:
            by_atom[atom_of[pk]].append(pk)
            unit_atom[unit_id] = atom_of[pk]
    if not by_atom:
        return []
    totals = defaultdict(lambda: defaultdict(int))  # atom -> {competency id: answers}
    for unit_id, competency_id, n in (
        # A join on the round's pending self-assessments, not `assessment IN (subquery)`: the database then
        # reads only their ratings by index (seconds at 100,000 people instead of over a minute).
        Rating.objects.using(PRIMARY)
        .filter(
            assessment__round_id=round_id,
            assessment__submitted_at__isnull=False,
            assessment__unit__isnull=False,
            assessment__release_entry__isnull=True,
        )
        .rated()
        .values("assessment__unit_id", "competency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("assessment__unit_id", "competency_id", "n")
    ):
        if unit_id in unit_atom:
            totals[unit_atom[unit_id]][competency_id] += n
    viewers = _viewer_ids()
    own = {pk for pk, person, _unit, _path in pending if person in viewers}
    answered = _answered(own)
    chosen = []
    for atom, pks in by_atom.items():
        members = set(pks)
        own_sets = [{pk} for pk in pks if pk in own]
        if len(pks) >= minimum and _step_is_safe(members, answered, [set(), *own_sets], minimum, totals[atom]):
            chosen += pks
    return chosen


def _step_is_safe(members, answered, known_sets, minimum, totals=None):
    """Whether `members` minus each known set number 0 or at least `minimum`, in all and per competency.

    `totals` ({competency id: answers} of all members) may come from the database;
    otherwise it is counted from `answered`, which must then hold every member.
    `answered` must hold every known person.
    """
    if totals is None:
        totals = defaultdict(int)
        for pk in members:
            for competency_id in answered.get(pk, ()):
                totals[competency_id] += 1
    for known in known_sets:
        if not _valid(len(members - known), minimum):
            return False
        for competency_id, n in totals.items():
            known_n = sum(1 for pk in known if competency_id in answered.get(pk, ()))
            if not _valid(n - known_n, minimum):
                return False
    return True


def _band_case(column, year, bands, as_bit=False):
    """SQL for `band_of(year - column, bands)`: the band key, "" when the year is unknown (constants only).

    With `as_bit`, the band's bit in `ReleasedSum.bands` instead of its key (0 when unknown).
    """

    def value(key):
        return str(1 << BAND_KEYS.index(key)) if as_bit else f"'{key}'"

    whens = " ".join(
        f"WHEN {year} - {column} < {int(upper)} THEN {value(key)}" for key, _label, upper in bands if upper is not None
    )
    unknown = "0" if as_bit else "''"
    return f"CASE WHEN {column} IS NULL THEN {unknown} {whens} ELSE {value(bands[-1][0])} END"


def _store_sums(release, round_, chosen):
    """Store what the release adds: per unit and competency, and per competency and combination of bands.

    Set-based: two INSERT ... SELECT statements over the release's entries, so a release
    of a whole ministry (tens of thousands of people, millions of answers) never passes
    through Python. The rated answers only (both levels, not "not applicable"). The unit
    sums also record how many respondents are HR and which bands they fall in (a bit
    per band, OR-ed as the sum of each bit's maximum): that is all the final release
    needs of the tree cells to work out the bands, without a row per cell and band.
    """
    if not chosen:
        return
    year = int(round_.opens_on.year)
    hr = sorted(_hr_ids())
    is_hr = f"CASE WHEN a.person_id IN ({', '.join(['%s'] * len(hr))}) THEN 1 ELSE 0 END" if hr else "0"
    tables = {
        "entry": ReleaseEntry._meta.db_table,
        "assessment": Assessment._meta.db_table,
        "rating": Rating._meta.db_table,
        "person": Person._meta.db_table,
    }
    answers = (
        f"FROM {tables['entry']} e JOIN {tables['assessment']} a ON a.id = e.assessment_id "
        f"JOIN {tables['rating']} r ON r.assessment_id = a.id JOIN {tables['person']} p ON p.id = a.person_id "
        "WHERE e.release_id = %s AND r.not_applicable = %s "
        "AND r.current_level IS NOT NULL AND r.desired_level IS NOT NULL"
    )
    bits = (
        f"{_band_case('p.birth_year', year, AGE_BANDS, as_bit=True)} + "
        f"{_band_case('p.in_service_since', year, SERVICE_BANDS, as_bit=True)}"
    )
    held = " + ".join(f"MAX(t.bits & {1 << index})" for index in range(len(BAND_KEYS)))
    # PostgreSQL would otherwise fold the subquery into the aggregate and work out the bits once per MAX.
    once = " OFFSET 0" if connections[PRIMARY].vendor == "postgresql" else ""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {ReleasedSum._meta.db_table} (release_id, unit_id, atom, competency_id, respondents,
                viewers, bands, sum_current, sum_desired, sum_gap_squared, big_gaps)
            SELECT t.release_id, t.unit_id, t.atom, t.competency_id, COUNT(*), SUM(t.hr), {held},
                SUM(t.current_level), SUM(t.desired_level), SUM(t.gap * t.gap),
                SUM(CASE WHEN t.gap >= {int(BIG_GAP)} THEN 1 ELSE 0 END)
            FROM (SELECT e.release_id, a.unit_id, e.atom, r.competency_id, r.current_level, r.desired_level,
                r.desired_level - r.current_level AS gap, {is_hr} AS hr, {bits} AS bits {answers}{once}) t
            GROUP BY t.release_id, t.unit_id, t.atom, t.competency_id""",  # noqa: S608 - names and constants only
            [*hr, release.pk, False],
        )
        cursor.execute(
            f"INSERT INTO {ReleasedBandSum._meta.db_table} (release_id, competency_id, age_band, service_band, "
            "respondents, viewers, sum_gap) "
            f"SELECT e.release_id, r.competency_id, {_band_case('p.birth_year', year, AGE_BANDS)}, "
            f"{_band_case('p.in_service_since', year, SERVICE_BANDS)}, COUNT(*), "
            f"SUM({is_hr}), SUM(r.desired_level - r.current_level) {answers} "
            "GROUP BY 1, 2, 3, 4",
            [*hr, release.pk, False],
        )


# Figures ----------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """Released figures of one group for one competency (or many, added up), or the reason they are withheld."""

    respondents: int = 0
    sum_current: int = 0
    sum_desired: int = 0
    sum_gap_squared: int = 0
    big_gaps: int = 0
    reason: str | None = None

    @property
    def shown(self):
        return self.reason is None

    def add(self, row):
        self.respondents += row["respondents"]
        self.sum_current += row["sum_current"]
        self.sum_desired += row["sum_desired"]
        self.sum_gap_squared += row["sum_gap_squared"]
        self.big_gaps += row["big_gaps"]

    @property
    def mean_current(self):
        return self.sum_current / self.respondents if self.shown and self.respondents else None

    @property
    def mean_desired(self):
        return self.sum_desired / self.respondents if self.shown and self.respondents else None

    @property
    def mean_gap(self):
        return (self.sum_desired - self.sum_current) / self.respondents if self.shown and self.respondents else None

    @property
    def spread(self):
        """Standard deviation of the gap, from the sums (portable: SQLite has no STDDEV)."""
        mean = self.mean_gap
        if mean is None:
            return None
        return max(0.0, self.sum_gap_squared / self.respondents - mean**2) ** 0.5

    @property
    def mark(self):
        return REASONS[self.reason][0] if self.reason else ""

    @property
    def reason_text(self):
        return withheld_reason(self.reason) if self.reason else ""


SUM_FIELDS = {
    "respondents": Sum("respondents"),
    "sum_current": Sum("sum_current"),
    "sum_desired": Sum("sum_desired"),
    "sum_gap_squared": Sum("sum_gap_squared"),
    "big_gaps": Sum("big_gaps"),
}


@dataclass
class UnitFigures:
    """What one viewer may see of one round's current release: read any unit's figures through it."""

    round: Round
    release: Release | None
    structure: Structure
    units: dict
    protected: set = field(default_factory=set)  # atoms with a cell this viewer could subtract known people from
    _empty_reasons: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.has_children = {parent_id for parent_id, _path, _name in self.units.values() if parent_id}

    @cached_property
    def waiting(self):
        """Atoms with submitted answers not released yet (one query, only when an empty figure asks why).

        Reads the distinct units (not their paths through a join, and without Assessment's default ordering,
        which would make every row distinct); the paths come from the units already loaded.
        """
        unit_ids = set(
            Assessment.objects.filter(
                round=self.round, submitted_at__isnull=False, unit__isnull=False, release_entry__isnull=True
            )
            .order_by()
            .values_list("unit_id", flat=True)
            .distinct()
        )
        paths = [self.units[unit_id][1] for unit_id in unit_ids if unit_id in self.units]
        if missing := unit_ids.difference(self.units):  # units made after `units` was read
            paths += Unit.objects.filter(pk__in=missing).values_list("tree_path", flat=True)
        return {atom for path in paths if (atom := self.structure.atom_of(path))}

    @cached_property
    def _waiting_paths(self):
        return [self._atom_path(atom) for atom in self.waiting]

    def _contains(self, atoms, unit_id, include_subunits, atom_paths=None):
        """Whether the figure of `unit_id` (with or without sub-units) covers any of these atoms."""
        if include_subunits or unit_id not in self.has_children:
            path = self.units[unit_id][1]
            if atom_paths is None:
                atom_paths = [self._atom_path(atom) for atom in atoms]
            return any(atom_path.startswith(path) for atom_path in atom_paths)
        return f"direct:{unit_id}" in atoms

    def _atom_path(self, atom):
        unit_id = int(atom.split(":", 1)[1])
        return self.units[unit_id][1] if unit_id in self.units else "\0"

    def reason(self, unit_id, include_subunits):
        """Why the figure of a unit is withheld from this viewer whatever its numbers, or None."""
        code = self.structure.reason(unit_id, include_subunits, unit_id in self.has_children)
        if code is None and self.protected and self._contains(self.protected, unit_id, include_subunits):
            return PROTECTED
        return code

    def empty_reason(self, unit_id, include_subunits):
        """Why a unit figure without released answers is empty: answers are waiting for a step, or there are none.

        Asked once per competency of a figure: the answer is kept per figure.
        """
        key = (unit_id, include_subunits)
        if key not in self._empty_reasons:
            waiting = self._contains(self.waiting, unit_id, include_subunits, self._waiting_paths)
            self._empty_reasons[key] = WAITING if waiting else NO_ANSWERS
        return self._empty_reasons[key]

    def per_competency(self, unit_id, include_subunits, competency_ids):
        """{competency id: Figure} for one unit figure (with or without sub-units) (one query)."""
        reason = self.reason(unit_id, include_subunits)
        found = {key: Figure() for key in competency_ids}
        if reason is None and self.release is not None:
            for competency_id, row in self._released_sums(unit_id, include_subunits, competency_ids).items():
                found[competency_id].add(row)
        for figure in found.values():
            if reason is not None:
                figure.reason = reason
            elif not figure.respondents:
                figure.reason = self.empty_reason(unit_id, include_subunits)
        return found

    def _released_sums(self, unit_id, include_subunits, competency_ids):
        """{competency id: summed row} of one unit figure in this release: the same for every viewer.

        Kept in the cache per release (a release never changes; the key carries the moment it was made and the
        units of the subtree as they are now, so a reused number or a moved unit never finds old sums).
        """
        subtree = include_subunits or unit_id not in self.has_children
        path = self.units[unit_id][1]
        shape = sorted(pk for pk, (_parent, unit_path, _name) in self.units.items() if unit_path.startswith(path))
        key = _release_key(
            "released-sums", self.release, unit_id, int(subtree), competency_ids, shape if subtree else [unit_id]
        )
        found = cache.get(key)
        if found is None:
            sums = ReleasedSum.objects.filter(
                release__round=self.round, release__number__lte=self.release.number, competency_id__in=competency_ids
            )
            sums = sums.filter(unit__tree_path__startswith=path) if subtree else sums.filter(unit_id=unit_id)
            found = {
                row.pop("competency_id"): row for row in sums.values("competency_id").annotate(**SUM_FIELDS).order_by()
            }
            cache.set(key, found, timeout=RELEASED_SUMS_SECONDS)
        return found


RELEASED_SUMS_SECONDS = 7 * 24 * 3600  # a release never changes; the timeout only frees memory


def _release_key(kind, release, unit_id, *parts):
    """A cache key for sums of one release: its moment of making and a digest of what else they depend on."""
    signature = hashlib.sha256(repr([sorted(part) if isinstance(part, list) else part for part in parts]).encode())
    return f"{kind}:{release.pk}:{release.made_at.timestamp()}:{unit_id}:{signature.hexdigest()[:16]}"


def part_of(unit, path):
    """Which part of `unit` a unit with this tree path (in the subtree of `unit`) belongs to: `unit.pk` for the
    unit itself, else the id of the sub-unit it is in or below."""
    below = path[len(unit.tree_path) :]
    return int(below.split(PATH_SEPARATOR, 1)[0]) if below else unit.pk


def unit_figures(round_, viewer, units=None):
    """The current release of `round_` as `viewer` may see it, for reading unit figures (a few queries)."""
    units = load_units() if units is None else units
    release = current_release(round_)
    shape = structure(round_, units)
    protected = _protected_atoms(round_, viewer, release) if release is not None else set()
    return UnitFigures(round_, release, shape, units, protected)


# What one request asks several times (who the viewer knows, who shared with them, where they lead), worked out
# once per request; everywhere else (tasks, tests calling the layer directly) it is worked out on every call.
_request_memo = contextvars.ContextVar("disclosure_request_memo", default=None)


@contextmanager
def one_request():
    """Remember, until the block ends, what the functions below work out per viewer (`DisclosureMemoMiddleware`).

    Nothing a request does changes the answers while it runs: sharing is switched by a request of its own.
    """
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def _once_per_request(key, work_out):
    memo = _request_memo.get()
    if memo is None:
        return work_out()
    if key not in memo:
        memo[key] = work_out()
    return memo[key]


def _known(viewer, round_):
    """The self-assessments of `round_` whose levels `viewer` knows or may read at any time.

    Their own; those they were shown (`SharedLevelsSeen`); and every sharer for whom
    the viewer is the own manager and who shared before being counted in a figure
    (they are always shown, see `visible_shared`).
    """
    if viewer is None or not viewer.is_authenticated:
        return set()
    # Asked several times while one page is made (this round's figures, the previous round's, the heatmap).
    return set(_once_per_request(("known", viewer.pk, round_.pk), lambda: _known_now(viewer, round_)))


def _known_now(viewer, round_):
    # One query; a UNION rather than OR, so both halves use their index (round and person, viewer).
    own = Assessment.objects.filter(round=round_, person=viewer).order_by().values_list("pk")
    seen = (
        SharedLevelsSeen.objects.filter(viewer=viewer, assessment__round=round_)
        .order_by()
        .values_list("assessment_id")
    )
    known = {pk for (pk,) in own.union(seen)}
    early, _late = _sharers_by_timing(round_sharers(viewer, round_))
    return known | {assessment.pk for assessment in early}


def _cell_members(cells):
    """{(release id, atom): set of assessment ids} for these released cells (one query)."""
    members = defaultdict(set)
    if not cells:
        return members
    release_ids = {release_id for release_id, _atom in cells}
    for release_id, atom, assessment_id in ReleaseEntry.objects.filter(
        release_id__in=release_ids, atom__in={atom for _release, atom in cells}
    ).values_list("release_id", "atom", "assessment_id"):
        if (release_id, atom) in cells:
            members[release_id, atom].add(assessment_id)
    return members


def _cell_totals(cells):
    """{(release id, atom): {competency id: answers}} of these released cells, from their stored sums (one query)."""
    totals = defaultdict(lambda: defaultdict(int))
    if not cells:
        return totals
    for release_id, atom, competency_id, n in (
        ReleasedSum.objects.using(PRIMARY)
        .filter(release_id__in={release for release, _atom in cells}, atom__in={atom for _release, atom in cells})
        .values("release_id", "atom", "competency_id")
        .annotate(n=Sum("respondents"))
        .order_by()
        .values_list("release_id", "atom", "competency_id", "n")
    ):
        if (release_id, atom) in cells:
            totals[release_id, atom][competency_id] += n
    return totals


def _protected_atoms(round_, viewer, release):
    """Atoms with a released cell in which the people `viewer` does not know number 1 to minimum - 1."""
    known = _known(viewer, round_)
    if not known:
        return set()
    cells = set(
        ReleaseEntry.objects.filter(
            assessment_id__in=known, release__round=round_, release__number__lte=release.number
        ).values_list("release_id", "atom")
    )
    members = _cell_members(cells)
    totals = _cell_totals(cells)
    answered = _answered(known)
    minimum = min_group_size()
    return {
        atom
        for (release_id, atom), pks in members.items()
        if not _step_is_safe(pks, answered, [known & pks], minimum, totals[release_id, atom])
    }


def team_figures(figures, unit_id, include_subunits, competencies):
    """{competency id: Figure} of one unit for the given competencies."""
    return figures.per_competency(unit_id, include_subunits, [competency.pk for competency in competencies])


def all_unit_sums(figures, competency_ids, within=None):
    """{(unit id, competency id): Figure} with the released sums of the people directly in each unit (one query).

    For pages and exports that show many units at once: add these up per subtree
    and apply `figures.reason` / `figures.empty_reason` per unit (see `reports.organisation`).
    `within` limits them to one unit's subtree.
    """
    found = {}
    if figures.release is None:
        return found
    sums = ReleasedSum.objects.filter(
        release__round=figures.round, release__number__lte=figures.release.number, competency_id__in=competency_ids
    )
    if within is not None:
        sums = sums.filter(unit__tree_path__startswith=within.tree_path)
    for row in sums.values("unit_id", "competency_id").annotate(**SUM_FIELDS).order_by():
        found.setdefault((row["unit_id"], row["competency_id"]), Figure()).add(row)
    return found


def sums_per_part(figures, competency_ids, unit):
    """{part: Figure} with the released sums over these competencies together, added up per part of `unit`:
    the people directly in it (part `unit.pk`) and each sub-unit with everything below it (part: its id).

    Only the sums: apply `figures.reason` / `figures.empty_reason` per part. The same for every viewer, so kept in
    the cache per release, like `_released_sums` (the key carries the units of the subtree with their paths, so
    a unit moved between sub-units never finds the old parts).
    """
    if figures.release is None:
        return {}
    shape = sorted(
        (pk, path) for pk, (_parent, path, _name) in figures.units.items() if path.startswith(unit.tree_path)
    )
    key = _release_key("released-parts", figures.release, unit.pk, competency_ids, shape)
    found = cache.get(key)
    if found is None:
        found = {}
        for (unit_id, _competency_id), sums in all_unit_sums(figures, competency_ids, unit).items():
            found.setdefault(part_of(unit, figures.units[unit_id][1]), Figure()).add(vars(sums))
        cache.set(key, found, timeout=RELEASED_SUMS_SECONDS)
    return found


# Bands ------------------------------------------------------------------------------------------------------


def band_figures(figures, competency_ids):
    """{band key: {competency id: Figure}} for the age and service bands of a closed round's final release.

    The bands are worked out once, when the final release is made (`_store_bands`);
    here they are only read. Bands of an open round are all withheld (BANDS_AFTER_CLOSING).
    """
    keys = BAND_KEYS
    result = {key: {competency_id: Figure() for competency_id in competency_ids} for key in keys}
    release = figures.release
    stored = release.bands if release is not None and release.final else None
    for key in keys:
        for competency_id, figure in result[key].items():
            if stored is None:
                figure.reason = BANDS_AFTER_CLOSING if release is not None else NO_ANSWERS
                continue
            n, gap_sum, reason = stored.get(str(competency_id), {}).get(key, (0, 0, NO_ANSWERS))
            figure.respondents = n
            figure.sum_desired = gap_sum  # a band keeps only the gap sum: desired - current
            figure.reason = reason or (None if n else NO_ANSWERS)
    return result


def _store_bands(release):
    """Work out the bands of a round's final release: figures and reasons per competency, stored on the release.

    Two aggregate queries over the round's stored sums, whatever its size: the people per
    age and service band (with their gap sums) from the band sums, and per tree cell (an
    atom's step) which bands it holds from the unit sums' band bits, added up per
    combination of bands (see `_band_reasons`).
    """
    sums = ReleasedBandSum.objects.using(PRIMARY).filter(release__round_id=release.round_id)
    cross = defaultdict(dict)  # competency -> {(age, service): [people, HR people, gap sum]}
    for competency_id, age, service, n, hr, gap_sum in (
        sums.values("competency_id", "age_band", "service_band")
        .annotate(n=Sum("respondents"), hr=Sum("viewers"), gap=Sum("sum_gap"))
        .order_by()
        .values_list("competency_id", "age_band", "service_band", "n", "hr", "gap")
    ):
        cross[competency_id][age, service] = [n, hr, gap_sum]
    holds = {f"has_{index}": Max(F("bands").bitand(1 << index)) for index in range(len(BAND_KEYS))}
    groups = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # competency -> {bands held: [people, HR people]}
    for row in (
        ReleasedSum.objects.using(PRIMARY)
        .filter(release__round_id=release.round_id)
        .values("competency_id", "release__number", "atom")
        .annotate(n=Sum("respondents"), hr=Sum("viewers"), **holds)
        .order_by()
    ):
        held = frozenset(key for index, key in enumerate(BAND_KEYS) if row[f"has_{index}"])
        group = groups[row["competency_id"]][held]
        group[0] += row["n"]
        group[1] += row["hr"]
    minimum = min_group_size()
    bands = {}
    for competency_id, mine in cross.items():
        reasons = _reasons_for_bands(_band_totals(mine, groups[competency_id]), minimum)
        found = defaultdict(lambda: [0, 0])
        for (age, service), (n, _hr, gap_sum) in mine.items():
            for band in (age, service):
                if band:
                    found[band][0] += n
                    found[band][1] += gap_sum
        bands[str(competency_id)] = {band: [n, gap, reasons.get(band)] for band, (n, gap) in found.items()}
    release.bands = bands
    release.save(update_fields=["bands"])


def _band_totals(cross, groups):
    """(totals, touches) for `_reasons_for_bands` from the age x service table and the tree cells' band sets.

    `cross` maps (age band, service band) to [people, HR people, ...]; `groups` maps the
    set of bands a tree cell holds to [people, HR people] of all cells holding exactly that
    set. Tree cells enter only as "the cells some bands touch", so cells holding the same
    bands can be taken together.
    """
    totals = defaultdict(lambda: [0, 0])  # (side, key) -> [people, HR people]; side 0 tree, 1 age, 2 service
    touches = defaultdict(set)  # (band side, band, other side) -> keys on the other side with people in the band
    for (age, service), (count, hr_count, *_rest) in cross.items():
        for side, value in ((1, age), (2, service)):
            totals[side, value][0] += count
            totals[side, value][1] += hr_count
        touches[1, age, 2].add(service)
        touches[2, service, 1].add(age)
    for held, (count, hr_count) in groups.items():
        totals[0, held][0] += count
        totals[0, held][1] += hr_count
        for band in held:
            touches[1 if band.startswith(_prefix(1)) else 2, band, 0].add(held)
    return totals, touches


def _band_reasons(cells, minimum):
    """Reason codes per band for one competency from its cells: {band key: code or None}.

    `cells` maps (tree cell, age band, service band) to [people, HR people, gap sum];
    see `_reasons_for_bands`.
    """
    cross = defaultdict(lambda: [0, 0])
    held = defaultdict(set)
    people = defaultdict(lambda: [0, 0])
    for (tree_cell, age, service), (count, hr_count, _gap) in cells.items():
        cross[age, service][0] += count
        cross[age, service][1] += hr_count
        held[tree_cell].update(band for band in (age, service) if band)
        people[tree_cell][0] += count
        people[tree_cell][1] += hr_count
    groups = defaultdict(lambda: [0, 0])
    for tree_cell, bands in held.items():
        groups[frozenset(bands)][0] += people[tree_cell][0]
        groups[frozenset(bands)][1] += people[tree_cell][1]
    return _reasons_for_bands(_band_totals(cross, groups), minimum)


def _reasons_for_bands(totals_and_touches, minimum):
    """Reason codes per band for one competency: {band key: code or None}.

    The tree cells (an atom's step) can be told apart from the unit figures; the
    bands are two more ways of adding people up. For each pairing (tree cells and
    age bands, tree cells and service bands, age and service bands) a set S of
    shown bands, subtracted from everything on the other side it touches, leaves a
    group that can be worked out: it must be 0 or at least the minimum (without
    one HR viewer's own answer). A band under the minimum, or the smallest band in
    a set that fails, is withheld, until every set passes.
    """

    def valid(n, hr):
        return n == 0 or n - min(hr, 1) >= minimum

    totals, touches = totals_and_touches
    reasons = {}
    for side in (1, 2):
        for (key_side, band), count in list(totals.items()):
            if key_side == side and band:
                reasons[band] = None if count[0] and valid(*count) else SMALL
    changed = True
    while changed:
        changed = False
        shown = {band for band, code in reasons.items() if code is None}
        for band_side, other_side in ((1, 0), (2, 0), (1, 2), (2, 1)):
            candidates = sorted(
                (band for band in shown if band.startswith(_prefix(band_side))),
                key=lambda band: (totals[band_side, band][0], band),
            )
            for size in range(1, len(candidates) + 1):
                for subset in combinations(candidates, size):
                    touched = set().union(*(touches[band_side, band, other_side] for band in subset))
                    if other_side != 0 and not touched <= shown:
                        continue  # a withheld (or unknown) band on the other side cannot be subtracted
                    n = sum(totals[other_side, key][0] for key in touched) - sum(
                        totals[band_side, band][0] for band in subset
                    )
                    hr = sum(totals[other_side, key][1] for key in touched) - sum(
                        totals[band_side, band][1] for band in subset
                    )
                    if not valid(n, hr):
                        reasons[subset[0]] = COMPLEMENT
                        changed = True
                        break
                if changed:
                    break
            if changed:
                break
    return reasons


def _prefix(side):
    return "age-" if side == 1 else "service-"


# Individual levels of people who share ----------------------------------------------------------------------


def own_sharers(viewer, assessments):
    """Shared, submitted assessments among `assessments` of people whose own manager is `viewer`."""
    return shared_with(viewer, assessments)  # shared_with narrows them to people `viewer` can be own manager of


def round_sharers(viewer, round_):
    """`own_sharers` among all of the round's self-assessments, each with its unit.

    Asked for this round's figures and again for its heatmap: worked out once per request (`one_request`).
    """
    everyone = Assessment.objects.filter(round=round_).select_related("unit")
    return list(_once_per_request(("sharers", viewer.pk, round_.pk), lambda: shared_with(viewer, everyone)))


def _sharers_by_timing(assessments):
    """(early, late): sharers who shared before their answers were counted in a release, and those who did later."""
    assessments = list(assessments)
    made = dict(
        ReleaseEntry.objects.filter(assessment_id__in=[a.pk for a in assessments]).values_list(
            "assessment_id", "release__made_at"
        )
    )
    early, late = [], []
    for assessment in assessments:
        released = made.get(assessment.pk)
        is_early = released is None or (assessment.shared_at is not None and assessment.shared_at <= released)
        (early if is_early else late).append(assessment)
    return early, late


def visible_shared(viewer, assessments):
    """Which of these assessments, shared with `viewer` as own manager, the viewer may read the levels of now.

    Returns (shown, withheld). Someone who shared before their answers were counted
    in a released figure is always shown: their choice comes first, and the figures
    that would then reveal colleagues are withheld from this viewer (PROTECTED,
    `_protected_atoms`). Someone who switched sharing on later, when the viewer may
    already have seen figures over their group, is shown only while the rest of
    that group minus everyone the viewer knows stays 0 or at least the minimum.
    Whatever is shown is recorded in `SharedLevelsSeen`.
    """
    assessments = list(assessments)
    if not assessments:
        return [], []
    minimum = min_group_size()
    early, late = _sharers_by_timing(assessments)
    shown, withheld = list(early), []
    entries = {
        assessment_id: (release_id, atom, round_id)
        for assessment_id, release_id, atom, round_id in ReleaseEntry.objects.filter(
            assessment_id__in=[a.pk for a in late]
        ).values_list("assessment_id", "release_id", "atom", "release__round_id")
    }
    cells = {(release_id, atom) for release_id, atom, _round in entries.values()}
    members = _cell_members(cells)
    totals = _cell_totals(cells)
    known_by_round = {}
    for assessment in late:
        round_id = entries[assessment.pk][2]
        if round_id not in known_by_round:
            known_by_round[round_id] = _known(viewer, assessment.round)
    # Answers of everyone who can count as known in these cells: the late sharers and the people already known.
    in_cells = set().union(*members.values()) if members else set()
    answered = _answered({a.pk for a in late} | (set().union(*known_by_round.values()) & in_cells))
    for assessment in sorted(late, key=lambda a: a.pk):
        release_id, atom, round_id = entries[assessment.pk]
        known = known_by_round[round_id]
        cell = members[release_id, atom]
        counted = (known & cell) | {assessment.pk}
        if assessment.pk in known or _step_is_safe(cell, answered, [counted], minimum, totals[release_id, atom]):
            known.add(assessment.pk)
            shown.append(assessment)
        else:
            withheld.append(assessment)
    recorded = set(
        SharedLevelsSeen.objects.filter(viewer=viewer, assessment__in=[a.pk for a in shown]).values_list(
            "assessment_id", flat=True
        )
    )
    SharedLevelsSeen.objects.bulk_create(
        [SharedLevelsSeen(viewer=viewer, assessment=a) for a in shown if a.pk not in recorded], ignore_conflicts=True
    )
    return shown, withheld


def _own_people(viewer):
    """Ids of the people whose own manager (`Person.effective_manager`) is `viewer`; two queries, once per request.

    The own manager is the explicit manager, else the manager of the nearest unit up the tree who is not the
    person. Worked out for everyone at once, not per person, and the same for every round.
    """
    return _once_per_request(("own people", viewer.pk), lambda: _own_people_now(viewer.pk))


def _own_people_now(viewer_id):
    # {unit: (parent, manager)} for the subtrees of the units the viewer manages. Walking up from a unit in one of
    # them ends at its top (managed by the viewer) at the latest; from anywhere else it never meets the viewer.
    managed_above = Unit.objects.filter(manager_id=viewer_id).filter(StartsWith(OuterRef("tree_path"), F("tree_path")))
    tree = {
        pk: (parent_id, manager_id)
        for pk, parent_id, manager_id in Unit.objects.filter(Exists(managed_above))
        .values_list("pk", "parent_id", "manager_id")
        .order_by()
    }

    def own_manager(unit_id, person_id):
        """The nearest manager from `unit_id` up who is not `person_id` (None once the walk leaves the tree)."""
        while unit_id is not None and unit_id in tree:
            parent_id, manager_id = tree[unit_id]
            if manager_id is not None and manager_id != person_id:
                return manager_id
            unit_id = parent_id
        return None

    # Who can have the viewer as own manager without an explicit one: the members of the units the viewer leads
    # (those managed by the viewer and the unmanaged ones below), and managers of units whose next manager up,
    # not counting themselves, is the viewer. Narrowed in the database; the exact check follows.
    led = [pk for pk in tree if own_manager(pk, None) == viewer_id]
    managers_led = {
        manager_id
        for parent_id, manager_id in tree.values()
        if manager_id is not None and manager_id != viewer_id and own_manager(parent_id, manager_id) == viewer_id
    }
    candidates = Person.objects.filter(
        Q(manager_id=viewer_id) | Q(manager__isnull=True) & (Q(unit__in=led) | Q(pk__in=managers_led))
    ).values_list("pk", "manager_id", "unit_id")
    return {pk for pk, manager_id, unit_id in candidates if (manager_id or own_manager(unit_id, pk)) == viewer_id}


def shared_with(viewer, assessments):
    """The shared, submitted assessments among `assessments` whose person has `viewer` as their own manager.

    One query once `_own_people` knows who they are.
    """
    return list(
        assessments.filter(
            person_id__in=_own_people(viewer), submitted_at__isnull=False, shared_with_manager=True
        ).select_related("person")
    )
