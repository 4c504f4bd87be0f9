# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Data migrations of the released figures: stored sums are carried over, never recomputed from live answers."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from reports.disclosure import BAND_KEYS
from reports.models import ReleasedBandSum, ReleasedSum
from tests.factories import RoundFactory
from tests.reports.conftest import make_framework

BEFORE = ("reports", "0003_release_atom_indexes")


def bit(*keys):
    return sum(1 << BAND_KEYS.index(key) for key in keys)


@pytest.mark.django_db(transaction=True)
def test_band_sums_per_group_become_band_bits_on_the_unit_sums(org):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    try:
        executor.loader.build_graph()
        old = executor.loader.project_state([BEFORE]).apps
        round_ = RoundFactory(frameworks=[make_framework(2)])
        first, second = round_.frameworks.get().competencies.order_by("position")
        release = old.get_model("reports", "Release").objects.create(round_id=round_.pk, number=1, people=12)
        unit_sum = old.get_model("reports", "ReleasedSum").objects
        sums = {"respondents": 1, "sum_current": 2, "sum_desired": 3, "sum_gap_squared": 1, "big_gaps": 0}
        youth = unit_sum.create(release=release, unit_id=org["youth"].pk, atom="g1", competency_id=first.pk, **sums)
        wmo = unit_sum.create(release=release, unit_id=org["wmo"].pk, atom="g1", competency_id=first.pk, **sums)
        green = unit_sum.create(release=release, unit_id=org["green"].pk, atom="g2", competency_id=first.pk, **sums)
        other = unit_sum.create(release=release, unit_id=org["youth"].pk, atom="g1", competency_id=second.pk, **sums)
        band_sum = old.get_model("reports", "ReleasedBandSum").objects
        for atom, age, service, n, hr, gap in (
            ("g1", "age-under-30", "service-2-4", 3, 1, 4),
            ("g1", "age-40-49", "", 4, 0, 2),
            ("g2", "age-under-30", "service-2-4", 5, 0, 1),
        ):
            band_sum.create(
                release=release,
                atom=atom,
                competency_id=first.pk,
                age_band=age,
                service_band=service,
                respondents=n,
                viewers=hr,
                sum_gap=gap,
            )
        # A second step of the round: carried over on its own.
        later = old.get_model("reports", "Release").objects.create(round_id=round_.pk, number=2, people=18)
        step = unit_sum.create(release=later, unit_id=org["youth"].pk, atom="g1", competency_id=first.pk, **sums)
        band_sum.create(
            release=later,
            atom="g1",
            competency_id=first.pk,
            age_band="age-50-59",
            service_band="",
            respondents=6,
            viewers=0,
            sum_gap=3,
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    assert MigrationExecutor(connection).migration_plan(leaves) == []

    carried = {row.pk: (row.bands, row.viewers) for row in ReleasedSum.objects.all()}
    group_one = bit("age-under-30", "service-2-4", "age-40-49")
    # Every unit sum of a group holds the group's bands; the group's HR respondent is counted once.
    assert carried == {
        youth.pk: (group_one, 1),
        wmo.pk: (group_one, 0),
        green.pk: (bit("age-under-30", "service-2-4"), 0),
        other.pk: (0, 0),  # no band sums for this competency
        step.pk: (bit("age-50-59"), 0),
    }
    combined = {
        (row.release_id, row.age_band, row.service_band): (row.respondents, row.viewers, row.sum_gap)
        for row in ReleasedBandSum.objects.filter(competency=first)
    }
    assert combined == {
        (release.pk, "age-under-30", "service-2-4"): (8, 1, 5),
        (release.pk, "age-40-49", ""): (4, 0, 2),
        (later.pk, "age-50-59", ""): (6, 0, 3),
    }

    # Going back would lose the groups of these band sums: refused, and nothing changes.
    with pytest.raises(RuntimeError, match="Restore a backup"):
        MigrationExecutor(connection).migrate([BEFORE])
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    assert ReleasedBandSum.objects.count() == 3
