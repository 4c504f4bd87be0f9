# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The minimum group size and the complement rule (reports.privacy, reports.gaps.suppress_tree)."""

import pytest

from reports import privacy
from reports.gaps import suppress_tree

TOO_FEW = "too few respondents (fewer than 5)"


def test_threshold(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    assert privacy.suppression_reason(5) is None
    assert privacy.suppression_reason(4) == TOO_FEW
    assert privacy.suppression_reason(1) == TOO_FEW
    assert privacy.suppression_reason(0) == "no respondents yet"


def test_threshold_follows_the_setting(settings):
    settings.REPORT_MIN_GROUP_SIZE = 10
    assert privacy.suppression_reason(9) == "too few respondents (fewer than 10)"
    assert privacy.suppression_reason(10) is None


@pytest.mark.parametrize(("complement", "hidden"), [(None, False), (0, False), (1, True), (4, True), (5, False)])
def test_complement(settings, complement, hidden):
    settings.REPORT_MIN_GROUP_SIZE = 5
    reason = privacy.suppression_reason(12, complement=complement)
    assert (reason is not None) == hidden
    if hidden:
        assert "fewer than 5" in reason


def test_breakdown_hides_small_groups_and_what_the_total_would_reveal(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    # Total 18: 1 + 2 are too small; 18 - (5 + 5 + 5) = 3 would reveal them, so one group of 5 goes too.
    reasons = privacy.suppress_breakdown(18, {"direct": 1, "a": 5, "b": 2, "c": 5, "d": 5})
    assert reasons["direct"] == TOO_FEW
    assert reasons["b"] == TOO_FEW
    assert reasons["a"] == privacy.complement_reason()
    assert reasons["c"] is None and reasons["d"] is None


def test_breakdown_unit_and_its_one_sub_unit(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    # A unit of 8 with one sub-unit of 6: showing both would describe the other 2.
    assert privacy.suppress_breakdown(8, {"sub": 6})["sub"] == privacy.complement_reason()
    assert privacy.suppress_breakdown(11, {"sub": 6})["sub"] is None
    assert privacy.suppress_breakdown(6, {"sub": 6})["sub"] is None


def _units():
    # 1 root > 2 department > 3 team (8 people), 4 team (2 people); 1 > 5 other department (9)
    return {
        1: (None, "/1/", "Root"),
        2: (1, "/1/2/", "Department"),
        3: (2, "/1/2/3/", "Team A"),
        4: (2, "/1/2/4/", "Team B"),
        5: (1, "/1/5/", "Other"),
    }


def test_tree_threshold_and_complement(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    subtree, with_subunits, without = suppress_tree(_units(), {3: 8, 4: 2, 5: 9})
    assert subtree == {1: 19, 2: 10, 3: 8, 4: 2, 5: 9}
    assert with_subunits[1] is None
    assert with_subunits[2] is None and with_subunits[5] is None
    assert with_subunits[4] == TOO_FEW
    # Department (10) minus Team A (8) would show Team B's 2 people.
    assert with_subunits[3] == privacy.complement_reason()
    assert without[2] == "no respondents yet"


def test_tree_top_hidden_when_nothing_below_closes_the_gap(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    # Root 9 = Department 6 (all in Team A) + Other 3. Other is too small; hiding the Department would
    # not help (Team A still shows the same 6), so the root's own figure goes.
    units = {1: (None, "/1/", "Root"), 2: (1, "/1/2/", "Dep"), 3: (2, "/1/2/3/", "Team A"), 5: (1, "/1/5/", "Other")}
    _subtree, with_subunits, _without = suppress_tree(units, {3: 6, 5: 3})
    assert with_subunits[5] == TOO_FEW
    assert with_subunits[1] == privacy.complement_reason()
    assert with_subunits[2] is None and with_subunits[3] is None


def test_tree_direct_members_are_a_group_of_their_own(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    # Department: 2 people directly in it and Team A (6). Without sub-units: 2, too few. With: Team A
    # must go, or the department minus Team A would show the 2.
    units = {1: (None, "/1/", "Dep"), 2: (1, "/1/2/", "Team A")}
    _subtree, with_subunits, without = suppress_tree(units, {1: 2, 2: 6})
    assert without[1] == TOO_FEW
    assert with_subunits[1] is None
    assert with_subunits[2] == privacy.complement_reason()
    assert without[2] == with_subunits[2]  # a unit without sub-units: the same people either way


def _differences_are_safe(counts, parents, reasons, minimum):
    """Every shown figure minus all shown figures below it: 0 or at least the minimum."""
    for node, n in counts.items():
        if reasons[node] is not None:
            continue
        below = [
            other for other in counts if other != node and reasons[other] is None and _under(other, node, parents)
        ]
        nearest = [b for b in below if not any(_under(b, c, parents) for c in below if c != b)]
        rest = n - sum(counts[b] for b in nearest)
        assert rest == 0 or rest >= minimum, (node, rest)


def _under(node, ancestor, parents):
    while node in parents and parents[node] is not None:
        node = parents[node]
        if node == ancestor:
            return True
    return False


def test_nested_closes_gaps_deeper_down(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    # P 10 = U 7 (a 6 + b 1) + V 3. P minus a would show b and V together: 4 people.
    counts = {"P": 10, "U": 7, "a": 6, "b": 1, "V": 3}
    parents = {"P": None, "U": "P", "a": "U", "b": "U", "V": "P"}
    reasons = privacy.suppress_nested(counts, parents)
    assert reasons["b"] == TOO_FEW and reasons["V"] == TOO_FEW
    _differences_are_safe(counts, parents, reasons, 5)
    assert reasons["P"] is not None or reasons["a"] is not None


@pytest.mark.parametrize("seed", range(20))
def test_nested_random_trees_leave_no_small_difference(settings, seed):
    import random

    settings.REPORT_MIN_GROUP_SIZE = 5
    rng = random.Random(seed)
    parents, direct = {0: None}, {0: rng.randint(0, 3)}
    for node in range(1, 25):
        parents[node] = rng.randrange(node)
        direct[node] = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12])
    counts = {}
    for node in parents:
        counts[node] = direct[node] + sum(
            direct[other] for other in parents if other != node and _under(other, node, parents)
        )
    reasons = privacy.suppress_nested(counts, parents)
    _differences_are_safe(counts, parents, reasons, 5)
    assert all(reasons[node] is not None for node, n in counts.items() if n < 5)
