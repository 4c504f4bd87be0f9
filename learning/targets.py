# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Which target level (streefniveau) applies to whom: the most specific wins.

Precedence: a target for the person > for their job title > for their unit (the nearest
unit up the tree; a unit target "without sub-units" applies to its own members only) >
for the whole organisation. Among targets of one scope the newest that has started on
the given date applies, so a report of an older round keeps the target it had.

Targets match a competency across framework versions (same framework slug and code).
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from competencies.models import Competency
from organisation.models import Person, Unit

from .models import Target, TargetScope, job_title_key

PRECEDENCE = [TargetScope.PERSON, TargetScope.JOB_TITLE, TargetScope.UNIT, TargetScope.ORGANISATION]


def _competency_keys(competency_ids):
    """{competency id: (framework slug, code)} in one query."""
    rows = Competency.objects.filter(pk__in=competency_ids).values_list("pk", "framework__slug", "code")
    return {pk: (slug, code) for pk, slug, code in rows}


def targets_for(people_ids, competency_ids, on_date=None):
    """{(person id, competency id): Target} for every pair that has a target on `on_date` (default today).

    Three queries whatever the number of people and competencies: the competencies, the
    people, the candidate targets. Pairs without any target are left out.
    """
    keys = _competency_keys(set(competency_ids))
    if not keys or not people_ids:
        return {}
    people = list(Person.objects.filter(pk__in=set(people_ids)).values_list("pk", "job_title", "unit__tree_path"))
    return resolve(people, keys, on_date)


def for_person(person, keys, on_date=None):
    """{competency id: Target} for one loaded `person` and `keys` {competency id: (slug, code)}: one query.

    The person's units above come from the candidate targets themselves (a unit target applies
    when the person's unit lies in its subtree), so the person's unit need not be loaded.
    """
    on_date = on_date or timezone.localdate()
    if not keys:
        return {}
    in_subtree = Unit.objects.filter(pk=person.unit_id, tree_path__startswith=OuterRef("unit__tree_path"))
    candidates = list(
        _candidates(keys, on_date).filter(
            Q(scope=TargetScope.ORGANISATION)
            | Q(scope=TargetScope.UNIT, unit__isnull=False) & Exists(in_subtree)
            | Q(scope=TargetScope.JOB_TITLE, job_title_key=job_title_key(person.job_title) or None)
            | Q(scope=TargetScope.PERSON, person_id=person.pk)
        )
    )
    # The units that matter, root first, the person's own unit last: enough of the tree for the precedence.
    above = sorted(
        {t.unit for t in candidates if t.scope == TargetScope.UNIT and t.unit_id != person.unit_id},
        key=lambda unit: len(unit.tree_path),
    )
    path = "/" + "".join(f"{unit.pk}/" for unit in above) + (f"{person.unit_id}/" if person.unit_id else "")
    found = _pick([(person.pk, person.job_title, path)], keys, candidates)
    return {competency_id: target for (_person_id, competency_id), target in found.items()}


def _candidates(keys, on_date):
    slugs = {slug for slug, _code in keys.values()}
    codes = {code for _slug, code in keys.values()}
    return (
        Target.objects.filter(
            competency__framework__slug__in=slugs, competency__code__in=codes, valid_from__lte=on_date
        )
        .select_related("competency__framework", "unit")
        .order_by("valid_from", "pk")
    )


def resolve(people, keys, on_date=None):
    """The targets for `people` [(id, job title, unit tree path)] and `keys` {competency id: (slug, code)}.

    One query: for callers that have the people and competencies loaded already.
    """
    on_date = on_date or timezone.localdate()
    if not people or not keys:
        return {}
    unit_ids = {int(part) for _pk, _title, path in people for part in (path or "").strip("/").split("/") if part}
    titles = {job_title_key(title) for _pk, title, _path in people if title}
    candidates = _candidates(keys, on_date).filter(
        Q(scope=TargetScope.ORGANISATION)
        | Q(scope=TargetScope.UNIT, unit_id__in=unit_ids)
        | Q(scope=TargetScope.JOB_TITLE, job_title_key__in=titles)
        | Q(scope=TargetScope.PERSON, person_id__in=[pk for pk, _title, _path in people])
    )
    return _pick(people, keys, candidates)


def _pick(people, keys, candidates):
    """The most specific candidate per (person, competency); later rows (newer starts) overwrite earlier ones."""
    index = defaultdict(dict)
    for target in candidates:
        key = (target.competency.framework.slug, target.competency.code)
        index[key][_scope_key(target)] = target
    found = {}
    for person_id, title, path in people:
        chain = _chain(person_id, job_title_key(title), path or "")
        for competency_id, key in keys.items():
            scoped = index.get(key)
            if not scoped:
                continue
            target = next((scoped[k] for k in chain if k in scoped), None)
            if target is not None:
                found[person_id, competency_id] = target
    return found


def _scope_key(target):
    if target.scope == TargetScope.PERSON:
        return ("person", target.person_id)
    if target.scope == TargetScope.JOB_TITLE:
        return ("job", target.job_title_key)
    if target.scope == TargetScope.UNIT:
        return ("unit", target.unit_id, target.include_subunits)
    return ("org",)


def _chain(person_id, title_key, tree_path):
    """The scope keys that could apply to one person, most specific first."""
    chain = [("person", person_id)]
    if title_key:
        chain.append(("job", title_key))
    unit_ids = [int(part) for part in tree_path.strip("/").split("/") if part]
    if unit_ids:
        # Own unit: both kinds of unit target; units above: only those that include sub-units.
        chain += [("unit", unit_ids[-1], False), ("unit", unit_ids[-1], True)]
        chain += [("unit", unit_id, True) for unit_id in reversed(unit_ids[:-1])]
    chain.append(("org",))
    return chain


def for_unit(unit, include_subunits, keys, on_date=None):
    """{competency id: Target} that applies to `unit` as a group, for `keys` {competency id: (slug, code)}.

    For figures about a group of people (the team dashboard, the organisation view): the nearest unit target
    up the tree, else the organisation's. A target "without sub-units" applies to a figure of the unit's own
    members only (`include_subunits=False`). Person and job-title targets are about individuals and are left
    out. One query.
    """
    on_date = on_date or timezone.localdate()
    if not keys:
        return {}
    unit_ids = [int(part) for part in unit.tree_path.strip("/").split("/") if part]
    candidates = _candidates(keys, on_date).filter(
        Q(scope=TargetScope.ORGANISATION) | Q(scope=TargetScope.UNIT, unit_id__in=unit_ids)
    )
    index = defaultdict(dict)
    for target in candidates:  # newer starts come later and overwrite older ones
        index[target.competency.framework.slug, target.competency.code][_scope_key(target)] = target
    chain = [] if include_subunits else [("unit", unit.pk, False)]
    chain += [("unit", unit_id, True) for unit_id in reversed(unit_ids)] + [("org",)]
    found = {}
    for competency_id, key in keys.items():
        scoped = index.get(key, {})
        target = next((scoped[k] for k in chain if k in scoped), None)
        if target is not None:
            found[competency_id] = target
    return found


def targets_for_person(person, competency_ids, on_date=None):
    """{competency id: Target} for one person."""
    found = targets_for([person.pk], competency_ids, on_date)
    return {competency_id: target for (_person_id, competency_id), target in found.items()}


def duplicate_of(target):
    """An existing target (not `target` itself) with the same competency, scope and start date, or None."""
    candidates = Target.objects.filter(
        competency_id=target.competency_id, scope=target.scope, valid_from=target.valid_from
    ).exclude(pk=target.pk)
    key = _scope_key(target) if target.scope != TargetScope.JOB_TITLE else ("job", job_title_key(target.job_title))
    return next((other for other in candidates if _scope_key(other) == key), None)
