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


def test_tree_hidden_unit_cannot_be_added_up_from_its_parts(settings):
    settings.REPORT_MIN_GROUP_SIZE = 5
    # Department 2 (6 people, all in Team A) sits next to Other (3): root 9 - Other... Other is too small,
    # so Department is hidden to protect it; then Team A (= Department) must be hidden as well.
    units = {1: (None, "/1/", "Root"), 2: (1, "/1/2/", "Dep"), 3: (2, "/1/2/3/", "Team A"), 5: (1, "/1/5/", "Other")}
    _subtree, with_subunits, _without = suppress_tree(units, {3: 6, 5: 3})
    assert with_subunits[5] == TOO_FEW
    assert with_subunits[2] == privacy.complement_reason()
    assert with_subunits[3] == privacy.complement_reason()
