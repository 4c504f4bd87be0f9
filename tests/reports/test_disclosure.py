# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The disclosure layer: one regression test per attack in issue 11, and the rules behind them."""

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.answers import set_sharing
from assessments.models import Rating, Round
from reports import disclosure, team
from reports.disclosure import COMPLEMENT, NO_ANSWERS, PROTECTED, SMALL, WAITING
from reports.exports import Export, Filters, units_table
from tests.factories import PersonFactory, RoundFactory, UnitFactory
from tests.reports.conftest import add_people, make_framework, submit, submit_many

pytestmark = pytest.mark.django_db

LEVELS_A = [(2, 4), (3, 3), (4, 5), (1, 3), (3, 5)]


def open_round(frameworks):
    today = timezone.localdate()
    round_ = Round.objects.create(
        name="Najaar", opens_on=today - datetime.timedelta(10), closes_on=today + datetime.timedelta(20)
    )
    round_.frameworks.set(frameworks)
    return round_


def rows_by_code(report):
    return {row.competency.code: row for row in report.rows}


# Attack 1: sharers subtracted from the team mean


def test_sharers_cannot_be_subtracted_from_the_team_mean(org, framework, hr):
    """Team Werk en Inkomen: 5 of 5 submitted, 4 shared. The manager reads the four; the team mean would give
    the fifth, so the manager does not get it. HR, who knows none of them, does."""
    boss = PersonFactory(unit=org["social"], name="Chef")
    org["youth"].manager = boss
    org["youth"].save()
    spring = RoundFactory(frameworks=[framework])
    people = [PersonFactory(unit=org["youth"]) for _ in range(5)]
    for index, person in enumerate(people):
        submit(person, spring, LEVELS_A, shared=index < 4)
    heatmap = team.heatmap(boss, org["youth"], spring)
    assert {row.assessment.person for row in heatmap.rows} == set(people[:4])
    mine = team.team_report(boss, org["youth"], spring)
    assert {row.reason for row in mine.rows} == {PROTECTED}
    assert mine.shown_rows == []
    theirs = team.team_report(hr, org["youth"], spring)
    assert all(row.shown and row.respondents == 5 for row in theirs.rows)


def test_the_own_answer_of_a_manager_in_the_group_counts_as_known(org, framework, hr):
    """Five people including the team's own manager: the manager would subtract their own answers."""
    spring = RoundFactory(frameworks=[framework])
    people = [PersonFactory(unit=org["youth"]) for _ in range(5)]
    org["youth"].manager = people[0]
    org["youth"].save()
    for person in people:
        submit(person, spring, LEVELS_A)
    report = team.team_report(people[0], org["youth"], spring)
    # The step of five is not released at all: without the manager's answer it is a group of four.
    assert {row.reason for row in report.rows} == {WAITING}
    assert disclosure.latest_release(spring).people == 0


# Attack 2: two moments of an open round


def test_an_open_round_changes_only_in_steps_of_the_minimum(org, framework, hr):
    autumn = open_round([framework])
    people = add_people(org["youth"], 12)
    submit_many(people[:5], autumn, [(2, 4)])
    first = team.team_report(hr, org["youth"], autumn)
    assert first.release.number == 1 and first.rows[0].respondents == 5
    # The sixth submits: nothing moves, so nothing about them can be read from the difference.
    submit_many(people[5:6], autumn, [(5, 5)])
    second = team.team_report(hr, org["youth"], autumn)
    assert second.release.number == 1
    assert [row.mean_gap for row in second.rows] == [row.mean_gap for row in first.rows]
    # Four more make a step of five since the last release.
    submit_many(people[6:10], autumn, [(1, 5)])
    third = team.team_report(hr, org["youth"], autumn)
    assert third.release.number == 2 and third.rows[0].respondents == 10


def test_closing_makes_one_final_release_and_a_closed_round_never_changes(org, framework, hr):
    autumn = open_round([framework])
    people = add_people(org["youth"], 12)
    submit_many(people[:7], autumn, [(2, 4)])
    assert team.team_report(hr, org["youth"], autumn).release.people == 7
    autumn.closed_at = timezone.now()
    autumn.save()
    final = team.team_report(hr, org["youth"], autumn).release
    assert final.final and final.number == 2 and final.people == 7  # the 0 waiting are added; nothing else
    submit_many(people[7:12], autumn, [(5, 5)])  # a late submission (by the database) changes nothing
    assert team.team_report(hr, org["youth"], autumn).release == final


def test_the_page_says_which_release_it_shows(client, org, framework, hr):
    autumn = open_round([framework])
    submit_many(add_people(org["youth"], 6), autumn, [(2, 4)])
    client.force_login(hr)
    text = client.get(reverse("reports:unit", args=[org["youth"].pk]), {"round": autumn.pk}).content.decode()
    assert "Figures as of" in text and "6 people counted" in text
    assert "While the round is open, the figures change in steps of at least 5 people." in text


# Attack 3: two exports


def test_drafts_never_enter_the_unit_export(org, framework):
    spring = RoundFactory(frameworks=[framework])
    submit_many(add_people(org["youth"], 6), spring, [(2, 4)])
    for person in add_people(org["youth"], 3, prefix="d"):
        submit(person, spring, [(5, 5)], submitted=False)
    plain = b"".join(Export("units", Filters(round=spring)).chunks())
    drafts = b"".join(Export("units", Filters(round=spring, include_drafts=True)).chunks())
    assert plain == drafts


def test_pseudonymised_exports_coarsen_units_and_drop_what_reidentifies(org, framework):
    spring = RoundFactory(frameworks=[framework])
    small = UnitFactory(name="Klein", parent=org["social"])
    submit_many(add_people(org["youth"], 6), spring, [(2, 4)], shared=True)
    submit_many(add_people(small, 2, prefix="k"), spring, [(2, 4)], shared=True)
    content = b"".join(Export("ratings", Filters(round=spring, pseudonymise=True)).chunks()).decode("utf-8-sig")
    import csv

    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    units = {row[header.index("unit")] for row in body}
    assert units == {"Gemeente Test/Sociaal Domein/Team Jeugd", "Gemeente Test/Sociaal Domein"}
    assert {row[header.index("shared_with_manager")] for row in body} == {""}
    assert all(len(row[header.index("submitted_at")]) == 10 for row in body)  # 2026-03-01: the day only
    people = b"".join(Export("people", Filters(round=spring, pseudonymise=True)).chunks()).decode("utf-8-sig")
    assert "/Klein" not in people


# Attack 4: two outputs that disagree


def test_dashboard_and_unit_export_release_the_same_cells(org, framework, hr):
    spring = RoundFactory(frameworks=[framework])
    submit_many(add_people(org["youth"], 6), spring, [(2, 4), (3, 3)])
    submit_many(add_people(org["wmo"], 2, prefix="w"), spring, [(1, 5)])
    submit_many(add_people(org["green"], 7, prefix="g"), spring, [(4, 5), None])
    submit_many(add_people(org["social"], 5, prefix="s"), spring, [(3, 4)])
    _columns, rows = units_table(Filters(round=spring, viewer=hr))
    exported = {(row[1], row[4]): row[9] for row in rows}
    paths = {unit.pk: "/".join(u.name for u in unit.ancestors()) for unit in org.values()}
    dashboard = {}
    for unit in org.values():
        report = team.team_report(hr, unit, spring)
        for row in report.rows:
            key = (paths[unit.pk], row.competency.code)
            dashboard[key] = None if not row.shown else round(row.mean_gap, 2)
    assert dashboard.keys() == exported.keys()
    for key, value in dashboard.items():
        assert (None if exported[key] is None else float(exported[key])) == value, key


# Sharing means the own manager


def test_a_manager_higher_up_sees_no_individual_levels(org, framework, senior_manager, manager):
    spring = RoundFactory(frameworks=[framework])
    people = add_people(org["youth"], 6)
    submit_many(people, spring, LEVELS_A, shared=True)
    assert len(team.heatmap(manager, org["youth"], spring).rows) == 6
    assert team.heatmap(senior_manager, org["social"], spring).rows == []


def test_someone_who_starts_sharing_after_being_counted_is_held_back_when_that_reveals_others(org, framework, manager):
    """The manager may have noted the team figure over six; showing one more known person would leave four."""
    spring = RoundFactory(frameworks=[framework])
    people = add_people(org["youth"], 6)
    assessments = sorted(submit_many(people, spring, LEVELS_A, shared=False), key=lambda a: a.pk)
    assert team.team_report(manager, org["youth"], spring).rows[0].shown
    set_sharing(assessments[0], True)
    heatmap = team.heatmap(manager, org["youth"], spring)
    # Six counted, the manager knows one: five unknown, still safe, so the first late sharer is shown...
    assert len(heatmap.rows) == 1
    set_sharing(assessments[1], True)
    heatmap = team.heatmap(manager, org["youth"], spring)
    # ...the second would leave four: held back, and the team figures stay as they were.
    assert len(heatmap.rows) == 1 and heatmap.withheld == 1
    assert team.team_report(manager, org["youth"], spring).rows[0].shown


# The rules themselves


def test_structure_is_fixed_from_the_invited_people(org, framework):
    spring = RoundFactory(frameworks=[framework])
    submit_many(add_people(org["youth"], 6), spring, [(2, 4)])
    submit_many(add_people(org["wmo"], 3, prefix="w"), spring, [(2, 4)])
    shape = disclosure.structure(spring)
    assert org["social"].pk in shape.subtree
    assert shape.hidden[f"unit:{org['wmo'].pk}"] == SMALL
    # Sociaal Domein (9) minus Team Jeugd (6) would be Team Wmo's three: Team Jeugd goes too.
    assert shape.reason(org["youth"].pk, True, False) == COMPLEMENT
    assert shape.atom_of(org["wmo"].tree_path) == shape.atom_of(org["youth"].tree_path) == f"unit:{org['social'].pk}"
    # People joining later do not change it.
    submit_many(add_people(org["wmo"], 9, prefix="x"), spring, [(2, 4)])
    assert disclosure.structure(spring) == shape


def test_a_step_with_someone_who_can_open_figures_needs_one_more(org, framework):
    people = add_people(org["youth"], 6)
    org["youth"].manager = people[0]
    org["youth"].save()
    answered = {pk: {1} for pk in range(6)}
    assert disclosure._step_is_safe(set(range(6)), answered, [set(), {0}], 5)
    assert not disclosure._step_is_safe(set(range(5)), answered, [set(), {0}], 5)


def test_bands_a_band_inside_one_group_is_withheld():
    """Cell A: 7 people in band X and 3 in band Y; cell B: 10 in band Y. A minus X would give A's three in Y."""
    cells = {
        (("unit:1", 1), "age-under-30", ""): [7, 0, 7],
        (("unit:1", 1), "age-30-39", ""): [3, 0, 3],
        (("unit:2", 1), "age-30-39", ""): [10, 0, 10],
    }
    reasons = disclosure._band_reasons(cells, 5)
    assert reasons["age-under-30"] == COMPLEMENT
    spread = {
        (("unit:1", 1), "age-under-30", ""): [5, 0, 5],
        (("unit:1", 1), "age-30-39", ""): [5, 0, 5],
        (("unit:2", 1), "age-under-30", ""): [6, 0, 6],
        (("unit:2", 1), "age-30-39", ""): [6, 0, 6],
    }
    assert disclosure._band_reasons(spread, 5) == {"age-under-30": None, "age-30-39": None}


def test_stored_bands_are_those_worked_out_from_the_people_themselves(org, hr):
    """The final release keeps only each unit sum's band bits and HR count, and one band sum per combination of
    bands: its bands (figures and reasons) equal `_band_reasons` over every person's own tree cell and bands."""
    framework = make_framework(3)
    spring = RoundFactory(frameworks=[framework])
    year = spring.opens_on.year
    hr.birth_year, hr.in_service_since = year - 45, year - 12
    hr.save()
    youth, wmo, green = (org[key] for key in ("youth", "wmo", "green"))
    people = add_people(youth, 7) + add_people(wmo, 9, prefix="w") + add_people(green, 8, prefix="g")
    for index, person in enumerate(people):
        # Ages 25 to 61 and 0 to 24 years in service, a few unknown; bands land unevenly in the teams.
        person.birth_year = None if index % 11 == 5 else year - 25 - (index * 7) % 37
        person.in_service_since = None if index % 13 == 4 else year - (index * 5) % 25
    type(people[0]).objects.bulk_update(people, ["birth_year", "in_service_since"])
    levels = [[(2, 4), None, (3, 3)], [(1, 5), (2, 3), None], [(4, 4), (3, 5), (2, 2)]]
    for index, person in enumerate([*people, hr]):
        submit(person, spring, levels[index % 3], unit=youth if person == hr else None)
    release = disclosure.current_release(spring, in_request=False)
    assert release.final
    entries = {entry.assessment_id: (entry.atom, entry.release.number) for entry in release.entries.all()}
    cells = {}
    assert len(entries) >= 17  # the youth and green teams are released; Team Wmo may be too small on its own
    for rating in Rating.objects.filter(assessment__in=entries).rated().select_related("assessment__person"):
        person = rating.assessment.person
        age = disclosure.band_of(year - person.birth_year, disclosure.AGE_BANDS) if person.birth_year else ""
        service = (
            disclosure.band_of(year - person.in_service_since, disclosure.SERVICE_BANDS)
            if person.in_service_since
            else ""
        )
        per = cells.setdefault(rating.competency_id, {})
        cell = per.setdefault((entries[rating.assessment_id], age, service), [0, 0, 0])
        cell[0] += 1
        cell[1] += person == hr
        cell[2] += rating.desired_level - rating.current_level
    assert len(cells) == 3
    for competency_id, per in cells.items():
        reasons = disclosure._band_reasons(per, disclosure.min_group_size())
        expected = {}
        for (_cell, age, service), (n, _hr, gap) in per.items():
            for band in (age, service):
                if band:
                    expected.setdefault(band, [0, 0])
                    expected[band][0] += n
                    expected[band][1] += gap
        stored = release.bands[str(competency_id)]
        assert stored == {band: [n, gap, reasons.get(band)] for band, (n, gap) in expected.items()}
    # Some bands are shown and some withheld, so the comparison is not between two empty tables.
    codes = {code for per in release.bands.values() for _n, _gap, code in per.values()}
    assert None in codes and codes - {None}


def test_bands_wait_for_the_round_to_close(org, hr):
    framework = make_framework(1)
    autumn = open_round([framework])
    submit_many(add_people(org["youth"], 12), autumn, [(2, 4)])
    figures = disclosure.unit_figures(autumn, hr)
    bands = disclosure.band_figures(figures, [c.pk for c in framework.competencies.all()])
    assert {f.reason for per in bands.values() for f in per.values()} == {disclosure.BANDS_AFTER_CLOSING}


def test_a_url_that_asks_for_a_withheld_figure_gets_the_page_without_it(client, org, framework, manager):
    spring = RoundFactory(frameworks=[framework])
    submit_many(add_people(org["youth"], 3), spring, [(2, 4)])
    client.force_login(manager)
    response = client.get(reverse("reports:unit", args=[org["youth"].pk]), {"subunits": "0"})
    assert response.status_code == 200
    assert response.context["report"].reason == SMALL
    assert "Hidden: this group has fewer than 5 people." in response.content.decode()
    chart = client.get(reverse("reports:unit_chart", args=[org["youth"].pk, framework.pk]))
    assert chart.status_code == 404


def test_no_answers_yet(org, framework, hr):
    autumn = open_round([framework])
    add_people(org["youth"], 6)
    report = team.team_report(hr, org["youth"], autumn)
    assert report.release is None
    assert {row.reason for row in report.rows} <= {NO_ANSWERS, SMALL}


def test_waiting_answers_are_read_once_per_unit_not_once_per_person(org, framework, hr):
    """Why an empty figure is empty reads the units with answers waiting for a step in one query that returns
    a row per unit (Assessment's default ordering once made it a row per person: 12,000 rows per dashboard of a
    25,000-person organisation), and works it out once per figure, not once per competency."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    spring = RoundFactory(frameworks=[framework])
    people = [PersonFactory(unit=org["youth"]) for _ in range(5)]
    org["youth"].manager = people[0]  # a step of five with the manager's own answer in it waits (see above)
    org["youth"].save()
    for person in people:
        submit(person, spring, LEVELS_A)
    figures = disclosure.unit_figures(spring, hr)
    with CaptureQueriesContext(connection) as queries:
        reasons = {figures.empty_reason(org["youth"].pk, True) for _ in range(5)}
    assert reasons == {WAITING}
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"] and "DISTINCT" in queries[0]["sql"]
    assert figures.empty_reason(org["green"].pk, True) == NO_ANSWERS


# Worked out once per request


def test_a_page_asks_who_shared_once_and_a_direct_call_asks_again(org, framework, manager, client_for):
    """The dashboard's figures and its heatmap both need the sharers of the round: one query for both. Outside a
    request (a task, these tests) nothing is remembered, so a change in between is always seen."""
    spring = RoundFactory(frameworks=[framework])
    assessments = submit_many(add_people(org["youth"], 6), spring, LEVELS_A, shared=True)
    with CaptureQueriesContext(connection) as queries:
        response = client_for(manager).get(reverse("reports:unit", args=[org["youth"].pk]), {"round": spring.pk})
    assert response.status_code == 200 and len(response.context["heatmap"].rows) == 6
    sharers = [q["sql"] for q in queries.captured_queries if '"shared_with_manager"' in q["sql"]]
    assert len(sharers) == 1, sharers
    with disclosure.one_request():
        first = disclosure.round_sharers(manager, spring)
        with CaptureQueriesContext(connection) as queries:
            assert disclosure.round_sharers(manager, spring) == first
        assert len(queries) == 0
    set_sharing(assessments[0], False)
    assert len(disclosure.round_sharers(manager, spring)) == 5


def test_the_breakdown_follows_a_unit_moved_to_another_sub_unit(framework, hr):
    """The breakdown's sums per sub-unit are kept per release; the key holds the paths, so a move is followed."""
    top = UnitFactory(name="Dienst")
    north, south = UnitFactory(name="Noord", parent=top), UnitFactory(name="Zuid", parent=top)
    moved = UnitFactory(name="Team", parent=north)
    spring = RoundFactory(frameworks=[framework])
    submit_many(add_people(moved, 6, "m"), spring, [(2, 4)])
    submit_many(add_people(south, 6, "s"), spring, [(3, 3)])

    def gaps():
        return {row.label: row.figure.mean_gap for row in team.team_report(hr, top, spring).breakdown}

    assert gaps() == {"Noord": 2.0, "Zuid": 0.0}
    moved.parent = south
    moved.save()
    assert gaps() == {"Zuid": 1.0}
