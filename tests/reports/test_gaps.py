# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Gap arithmetic against hand-computed examples (reports.gaps)."""

import math

import pytest

from reports import gaps
from tests.factories import PersonFactory
from tests.reports.conftest import (
    SPRING_2025,
    add_people,
    invite,
    make_framework,
    make_round,
    submit,
    submit_many,
)

pytestmark = pytest.mark.django_db

# Eight competencies: current, desired (None: not applicable). Gaps: 2, 0, 1, 4, -, -1, 3, 0.
PERSONAL = [(2, 4), (3, 3), (4, 5), (1, 5), None, (5, 4), (2, 5), (4, 4)]


@pytest.fixture
def eight():
    return make_framework(8, slug="vakmanschap")


def test_personal_gaps(employee, eight):
    round_ = make_round([eight])
    report = gaps.personal_report(submit(employee, round_, PERSONAL))
    rows = report.rows
    assert [row.competency.code for row in rows] == [f"C{i}" for i in range(1, 9)]
    assert [row.gap for row in rows] == [2, 0, 1, 4, None, -1, 3, 0]
    assert rows[4].not_applicable and rows[4].current is None
    assert [section.framework for section in report.sections] == [eight]
    assert report.previous is None


def test_development_points_are_the_three_biggest_gaps_with_the_next_level(employee, eight):
    report = gaps.personal_report(submit(employee, make_round([eight]), PERSONAL))
    assert [row.competency.code for row in report.development_points] == ["C4", "C7", "C1"]
    # C4 is at level 1: the next level up is 2, with its description.
    assert report.development_points[0].next_level.level == 2
    assert report.development_points[0].next_level.competency.code == "C4"
    assert report.development_points[2].next_level.level == 3


def test_development_points_grow_to_five_on_a_tie(employee, eight):
    levels = [(1, 3), (1, 3), (1, 3), (1, 3), (1, 3), (1, 3), (1, 4), (3, 3)]
    report = gaps.personal_report(submit(employee, make_round([eight]), levels))
    points = [row.competency.code for row in report.development_points]
    # C7 has the biggest gap; then four more tie at 2 after the third place: up to five in all.
    assert len(points) == 5
    assert points[0] == "C7"


def test_development_points_only_where_there_is_a_gap(employee, eight):
    levels = [(3, 3), (3, 4), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3), (3, 3)]
    report = gaps.personal_report(submit(employee, make_round([eight]), levels))
    assert [row.competency.code for row in report.development_points] == ["C2"]


def test_strengths_high_level_small_or_no_gap(employee, eight):
    report = gaps.personal_report(submit(employee, make_round([eight]), PERSONAL))
    # Level 4 or 5 with a gap of 1 at most: C6 (5), then C8 (4, gap 0), then C3 (4, gap 1).
    assert [row.competency.code for row in report.strengths] == ["C6", "C8", "C3"]


def test_change_since_previous_round_matches_code_across_versions(employee, colleague, eight):
    old_version = make_framework(8, slug="vakmanschap-oud")
    old_version.slug = "vakmanschap"
    old_version.version = 0
    old_version.save()
    earlier = make_round([old_version], SPRING_2025)
    submit(employee, earlier, [(1, 4), (3, 3), (4, 5), (2, 5), (2, 2), (5, 5), (3, 5), (4, 4)])
    submit(colleague, earlier, [(5, 5)])  # someone else's round is never compared with
    current = submit(employee, make_round([eight]), PERSONAL)
    report = gaps.personal_report(current, earlier=current.person.assessments.all())
    assert report.previous.round == earlier
    assert [row.change for row in report.rows] == [1, 0, 0, -1, None, 0, -1, 0]


def test_no_change_when_the_earlier_assessment_is_not_allowed(employee, eight):
    earlier = make_round([eight], SPRING_2025)
    submit(employee, earlier, [(1, 4)])
    current = submit(employee, make_round([eight]), PERSONAL)
    report = gaps.personal_report(current, earlier=current.person.assessments.exclude(round=earlier))
    assert report.previous is None
    assert all(row.change is None for row in report.rows)


# A team of five with hand-computed figures for the first competency:
# current 1 2 3 4 5, desired 3 3 3 5 5, gaps 2 1 0 1 0.
# mean current 3, mean desired 3.8, mean gap 0.8; E[gap^2] = 6/5 = 1.2, spread sqrt(1.2 - 0.64) = 0.748.
TEAM_LEVELS = [
    [(1, 3), (2, 2), (3, 5)],
    [(2, 3), (2, 2), (3, 5)],
    [(3, 3), (2, 2), None],
    [(4, 5), (2, 2), (3, 5)],
    [(5, 5), (2, 2), (3, 5)],
]


@pytest.fixture
def three():
    return make_framework(3, slug="drie")


@pytest.fixture
def team_round(org, team, three):
    round_ = make_round([three])
    for person, levels in zip(team, TEAM_LEVELS, strict=True):
        submit(person, round_, levels)
    return round_


def test_team_figures(org, team_round, manager):
    invite(manager, team_round)
    report = gaps.team_report(org["youth"], team_round)
    assert (report.participation.invited, report.participation.submitted) == (6, 5)
    assert report.participation.percent == 83
    assert report.reason is None
    first = next(row for row in report.rows if row.competency.code == "C1")
    assert first.respondents == 5
    assert first.mean_current == pytest.approx(3.0)
    assert first.mean_desired == pytest.approx(3.8)
    assert first.mean_gap == pytest.approx(0.8)
    assert first.spread == pytest.approx(math.sqrt(0.56))
    assert (first.min_gap, first.max_gap, first.big_gaps) == (0, 2, 1)


def test_team_rows_sorted_by_mean_gap_and_small_rows_hidden(org, team_round):
    report = gaps.team_report(org["youth"], team_round)
    # C3: one person marked it not applicable, so only 4 answers: hidden. C1 (0.8) before C2 (0).
    assert [row.competency.code for row in report.rows] == ["C1", "C2", "C3"]
    third = report.rows[2]
    assert third.respondents == 4 and not third.shown
    assert third.reason == "too few respondents (fewer than 5)"
    assert third.mean_gap is None
    assert report.rows[1].mean_gap == 0 and report.rows[1].spread == 0


def test_team_of_four_shows_nothing(org, employee, colleague, manager, three):
    round_ = make_round([three])
    for person in (employee, colleague, manager):
        submit(person, round_, [(2, 4)])
    report = gaps.team_report(org["youth"], round_)
    assert report.reason == "too few respondents (fewer than 5)"
    assert all(not row.shown and row.mean_gap is None for row in report.rows)


def test_team_in_progress_assessments_do_not_count(org, team, three):
    round_ = make_round([three])
    for person in team[:4]:
        submit(person, round_, [(2, 4)])
    submit(team[4], round_, [(1, 5)], submitted=False)
    report = gaps.team_report(org["youth"], round_)
    assert report.participation.submitted == 4
    assert report.reason is not None


def test_team_change_since_previous_round(org, team, three):
    earlier = make_round([three], SPRING_2025)
    for person in team:
        submit(person, earlier, [(1, 4)])  # gap 3 everywhere
    current = make_round([three])
    for person, levels in zip(team, TEAM_LEVELS, strict=True):
        submit(person, current, levels)
    report = gaps.team_report(org["youth"], current)
    assert report.previous == earlier
    first = next(row for row in report.rows if row.competency.code == "C1")
    assert first.previous_mean_gap == pytest.approx(3.0)
    assert first.change == pytest.approx(-2.2)
    assert first.current_change == pytest.approx(2.0)


def test_team_with_and_without_sub_units(org, three, senior_manager):
    round_ = make_round([three])
    submit_many(add_people(org["youth"], 6), round_, [(2, 4)])  # gap 2
    submit_many(add_people(org["wmo"], 5), round_, [(3, 3)])  # gap 0
    social = org["social"]
    whole = gaps.team_report(social, round_)
    assert whole.respondents == 11
    first = next(row for row in whole.rows if row.competency.code == "C1")
    assert first.mean_gap == pytest.approx(12 / 11)
    assert [(row.label, row.participation.submitted, row.reason) for row in whole.breakdown] == [
        ("Team Jeugd", 6, None),
        ("Team Wmo", 5, None),
    ]
    assert whole.breakdown[0].mean_gap == pytest.approx(2.0)
    only = gaps.team_report(social, round_, include_subunits=False)
    assert only.respondents == 0 and only.reason == "no respondents yet"


def test_complement_suppression_unit_and_its_sub_unit(org, three):
    """Sociaal Domein = Team Jeugd (6) + 2 people directly in it: Team Jeugd alone would reveal those 2."""
    round_ = make_round([three])
    submit_many(add_people(org["youth"], 6), round_, [(2, 4)])
    submit_many(add_people(org["social"], 2), round_, [(1, 5)])
    submit_many(add_people(org["green"], 5), round_, [(3, 3)])
    social = gaps.team_report(org["social"], round_)
    assert social.reason is None
    youth = gaps.team_report(org["youth"], round_)
    assert youth.reason.startswith("not shown: together with the figure for the whole group")
    assert all(not row.shown for row in youth.rows)
    assert [row.reason is None for row in social.breakdown] == [False, False]


def test_heatmap_only_people_who_shared(org, team, three):
    round_ = make_round([three])
    for index, (person, levels) in enumerate(zip(team, TEAM_LEVELS, strict=True)):
        submit(person, round_, levels, shared=index < 2)
    heatmap = gaps.heatmap(org["youth"], round_)
    assert heatmap.shared == 2 and heatmap.not_shared == 3
    names = {row.assessment.person for row in heatmap.rows}
    assert names == set(team[:2])
    assert [c.code for c in heatmap.columns] == ["C1", "C2", "C3"]
    by_person = {row.assessment.person: row.cells for row in heatmap.rows}
    assert by_person[team[0]] == [2, 0, 2]
    assert by_person[team[1]] == [1, 0, 2]


def test_heatmap_not_applicable_cell(org, team, three):
    round_ = make_round([three])
    submit(team[2], round_, TEAM_LEVELS[2], shared=True)
    assert gaps.heatmap(org["youth"], round_).rows[0].cells == [0, 0, None]


def test_organisation_per_unit_and_theme(org, three):
    round_ = make_round([three])  # themes: C1, C3 theme-a; C2 theme-b
    submit_many(add_people(org["youth"], 5), round_, [(2, 4), (3, 3), (1, 2)])
    submit_many(add_people(org["wmo"], 5), round_, [(3, 3), (2, 4), (3, 3)])
    invite(PersonFactory(unit=org["wmo"]), round_)
    report = gaps.organisation_report(round_)
    rows = {row.label: row for row in report.units}
    assert [theme.code for theme in report.themes] == ["theme-a", "theme-b"]
    youth, wmo, social = rows["Team Jeugd"], rows["Team Wmo"], rows["Sociaal Domein"]
    assert (wmo.participation.invited, wmo.participation.submitted) == (6, 5)
    assert youth.overall.mean_gap == pytest.approx(1.0)  # (2 + 0 + 1) / 3
    assert [figure.mean_gap for figure in youth.themes] == [pytest.approx(1.5), pytest.approx(0.0)]
    assert [figure.mean_gap for figure in wmo.themes] == [pytest.approx(0.0), pytest.approx(2.0)]
    assert social.overall.mean_gap == pytest.approx((3 + 2) / 6)
    assert social.overall.respondents == 10
    assert "Team Groen" not in rows  # nobody invited there
    assert rows["Gemeente Test"].depth == 0 and youth.depth == 2


def test_organisation_hides_small_units_and_sorts(org, three):
    round_ = make_round([three])
    submit_many(add_people(org["youth"], 5), round_, [(2, 4)])
    submit_many(add_people(org["wmo"], 6), round_, [(1, 4)])
    submit_many(add_people(org["green"], 2), round_, [(3, 3)])
    report = gaps.organisation_report(round_, sort="gap", descending=True)
    labels = [row.label for row in report.units]
    rows = {row.label: row for row in report.units}
    assert rows["Team Groen"].overall.reason == "too few respondents (fewer than 5)"
    assert rows["Ruimte"].overall.reason == "too few respondents (fewer than 5)"
    # The root minus Sociaal Domein would show Ruimte's 2 people, and nothing below closes that gap.
    assert rows["Gemeente Test"].overall.reason.startswith("not shown: together with")
    assert rows["Sociaal Domein"].overall.mean_gap == pytest.approx(28 / 11)
    assert labels[:3] == ["Team Wmo", "Sociaal Domein", "Team Jeugd"]  # gap 3, 2.5, 2; hidden figures last
    assert labels[3:] == ["Gemeente Test", "Ruimte", "Team Groen"]
    by_theme = gaps.organisation_report(round_, sort="theme-theme-a").units
    shown = [row.label for row in by_theme if row.themes[0].mean_gap is not None]
    assert shown == ["Team Jeugd", "Sociaal Domein", "Team Wmo"]


def test_organisation_age_and_service_bands(org, three):
    round_ = make_round([three])  # opens in 2026
    young = add_people(org["youth"], 5, prefix="y")
    old = add_people(org["youth"], 6, prefix="o")
    unknown = add_people(org["youth"], 1, prefix="u")
    for person in young:
        person.birth_year, person.in_service_since = 2000, 2025
        person.save()
    for person in old:
        person.birth_year, person.in_service_since = 1966, 2001
        person.save()
    submit_many(young, round_, [(2, 4)])
    submit_many(old, round_, [(3, 3)])
    submit_many(unknown, round_, [(1, 5)])
    report = gaps.organisation_report(round_)
    ages = {row.key: row for row in report.age_bands}
    assert set(ages) == {"age-under-30", "age-60-plus"}
    # 12 respondents, shown bands 5 + 6: the 1 without a birth year would be revealed, so one band hides.
    assert ages["age-under-30"].overall.reason is not None
    assert ages["age-60-plus"].overall.reason is None
    assert ages["age-60-plus"].overall.mean_gap == pytest.approx(0.0)
    service = {row.key: row for row in report.service_bands}
    assert set(service) == {"service-under-2", "service-20-plus"}
    assert service["service-under-2"].participation.submitted == 5


def test_organisation_theme_counts_only_people_who_answered_it(org, three):
    """Five people submitted, but two marked every competency of theme A not applicable: 3 behind that figure."""
    round_ = make_round([three])  # theme A: C1, C3; theme B: C2
    people = add_people(org["youth"], 5)
    submit_many(people[:3], round_, [(2, 4), (3, 3), (2, 4)])
    submit_many(people[3:], round_, [None, (3, 4), None])
    submit_many(add_people(org["wmo"], 5), round_, [(3, 3)])
    rows = {row.label: row for row in gaps.organisation_report(round_).units}
    theme_a, theme_b = rows["Team Jeugd"].themes
    assert theme_a.respondents == 3 and theme_a.mean_gap is None
    assert theme_a.reason == "too few respondents (fewer than 5)"
    assert theme_b.respondents == 5 and theme_b.mean_gap == pytest.approx(0.4)
    # Sociaal Domein (8 for theme A) minus Team Wmo (5) would show those 3: Team Wmo's theme A is hidden too.
    assert rows["Team Wmo"].themes[0].reason is not None
    assert rows["Sociaal Domein"].themes[0].mean_gap == pytest.approx(12 / 16)
    # Overall: 3 people give 2 + 0 + 2, two people give 1 (theme B only): 14 over 11 answers.
    assert rows["Team Jeugd"].overall.mean_gap == pytest.approx(14 / 11)


def test_team_competency_hidden_when_not_applicable_answers_would_give_a_small_group_away(org, three):
    """Team Wmo: 5 submitted, 2 of them marked C1 not applicable. Sociaal Domein's C1 (9 answers) minus
    Team Jeugd's C1 (6) would describe the 3 in Team Wmo, so Sociaal Domein's C1 is hidden; C2 is not."""
    round_ = make_round([three])
    submit_many(add_people(org["youth"], 6), round_, [(2, 4)])
    wmo = add_people(org["wmo"], 5)
    submit_many(wmo[:3], round_, [(1, 5)])
    submit_many(wmo[3:], round_, [None, (3, 3)])
    social = {row.competency.code: row for row in gaps.team_report(org["social"], round_).rows}
    assert social["C1"].respondents == 9
    assert social["C1"].reason.startswith("not shown: together with")
    assert social["C2"].shown and social["C2"].respondents == 11
    youth = {row.competency.code: row for row in gaps.team_report(org["youth"], round_).rows}
    assert youth["C1"].shown and youth["C1"].mean_gap == pytest.approx(2.0)
    wmo_rows = {row.competency.code: row for row in gaps.team_report(org["wmo"], round_).rows}
    assert wmo_rows["C1"].reason == "too few respondents (fewer than 5)"
