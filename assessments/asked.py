# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Which competencies a round asks, kept in memory per process for the requests that run many times a minute.

Every autosave has to check that the competency belongs to the round and report the round's number of
competencies for the progress bar. Asking the database each time cost a quarter of a save's processor time
(`Competency.objects.for_round` with its nested subqueries, built by the ORM on every request). The report
pages (team dashboard, organisation view) list them too, with their frameworks, for this round and the one
before: `in_form_order` hands them copies.

A round's composition does not change once it exists: `rounds.create_round` sets it in the transaction that
creates the round and then freezes the framework versions, and an edit of a frozen framework makes a new
version. So the answer can be kept per process without expiry. It is keyed on the round's primary key and
creation moment (a test database reuses primary keys after a rollback), and every change through Django
(the round's frameworks or picked competencies, a competency or framework saved or deleted, a round deleted)
empties the whole cache in the process that made it. Code that changes a round's composition outside
Django's m2m API (raw SQL) must call `forget()`.
"""

import copy
from functools import lru_cache

from django.db.models.signals import m2m_changed, post_delete, post_save

from competencies.models import Competency, Framework

from .models import Round

ROUNDS_KEPT = 128  # distinct rounds per process; a round's entry is some 40 small model instances


@lru_cache(maxsize=ROUNDS_KEPT)
def _asked(round_pk, created_at):
    # created_at is part of the key only: a new round that got a reused primary key is not the old one.
    del created_at
    asked = Competency.objects.for_round(round_pk).select_related("framework")
    return {competency.pk: competency for competency in asked}


def competencies(round_):
    """{competency id: Competency} for the round, in form order. Shared between requests: do not change them."""
    return _asked(round_.pk, round_.created_at)


def in_form_order(round_, frameworks=None):
    """The round's competencies (or those of some of its `frameworks`) in form order, each with its framework.

    Copies, so a page may annotate them; the framework objects are shared (a round's framework versions are
    frozen, so they do not change either)."""
    wanted = {framework.pk for framework in frameworks} if frameworks else None
    return [
        copy.copy(competency)
        for competency in competencies(round_).values()
        if wanted is None or competency.framework_id in wanted
    ]


def round_competency(assessment, competency_id):
    """The competency if the assessment's round asks it, else None; it carries `round_total`, the number of
    competencies in the round. A copy: the caller may change it."""
    asked = competencies(assessment.round)
    found = asked.get(competency_id)
    if found is None:
        return None
    competency = copy.copy(found)
    competency.round_total = len(asked)
    return competency


def forget(**kwargs):
    """Empty the cache of this process (also a signal receiver)."""
    _asked.cache_clear()


def connect_signals():
    for through in (Round.frameworks.through, Round.picked_competencies.through):
        m2m_changed.connect(forget, sender=through, dispatch_uid=f"assessments.asked.{through.__name__}")
    for model in (Competency, Framework, Round):
        post_delete.connect(forget, sender=model, dispatch_uid=f"assessments.asked.delete.{model.__name__}")
    for model in (Competency, Framework):
        post_save.connect(forget, sender=model, dispatch_uid=f"assessments.asked.save.{model.__name__}")
