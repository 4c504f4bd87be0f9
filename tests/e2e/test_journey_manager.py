# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The manager's journey: the team dashboard, another round, one framework, and the cells hidden for small groups.

This person reads English: they switch the language on the login page, and every page is checked by axe in
English and in Dutch.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_both_languages, log_in, switch_language

pytestmark = pytest.mark.e2e

TOO_FEW = "Hidden: this group has fewer than 5 people."


def breakdown(page):
    """The per-sub-unit table: {unit: mean gap cell}."""
    rows = page.get_by_role("table", name=re.compile("^Participation and mean gap per sub-unit")).locator("tbody tr")
    return dict(
        rows.evaluate_all("rows => rows.map(row => [row.querySelector('th').innerText, row.cells[4].innerText])")
    )


def competency_rows(page):
    """The gaps table: [(competency, framework, first figure or the reason it is hidden)]."""
    table = page.get_by_role("table", name=re.compile("^Gaps per competency in"))
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map(row => [row.cells[0].innerText, row.cells[1].innerText, row.cells[2].innerText])"
    )


def show(page, **choices):
    for label, option in choices.items():
        page.get_by_label(label, exact=False).select_option(label=option)
    with page.expect_navigation():
        page.get_by_role("button", name="Show", exact=True).click()


def test_team_dashboard_rounds_frameworks_and_small_groups(page, demo):
    page.goto("/accounts/login/")
    switch_language(page, "en")
    log_in(page, "leidinggevende")
    assert page.get_by_role("heading", name="Your teams").is_visible()
    axe_both_languages(page)
    page.get_by_role("link", name="Team dashboard of Sociaal Domein").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team dashboard: Sociaal Domein")
    # Without a choice: the latest closed round, whose figures are final.
    assert page.get_by_label("Round").locator("option:checked").inner_text() == "Voorjaar 2026"
    spring = breakdown(page)
    # Three people: never a figure of their own. The cell has a mark; screen readers hear the reason with it.
    assert spring["Team Schuldhulp"].split()[0] == "k" and TOO_FEW in spring["Team Schuldhulp"]
    assert TOO_FEW in spring["Directly in Sociaal Domein"]
    legend = page.get_by_label("Why some figures are not shown").first.inner_text()
    assert TOO_FEW in legend
    shown = [unit for unit, cell in spring.items() if re.fullmatch(r"-?\d+\.\d", cell)]
    assert len(shown) >= 2
    rows = competency_rows(page)
    assert len(rows) == 35 and all(re.fullmatch(r"\d\.\d", figure) for _name, _framework, figure in rows)
    assert page.locator("figure.report-chart img").count() == 5
    axe_both_languages(page)

    show(page, Round="Najaar 2026")
    assert re.search(r"/reports/units/\d+/\?round=\d+", page.url)
    assert "for Najaar 2026" in page.get_by_role("region", name="Participation").inner_text()
    autumn = breakdown(page)
    assert TOO_FEW in autumn["Team Schuldhulp"]
    assert "Figures as of" in page.get_by_role("region", name="Participation").inner_text()
    assert autumn != spring
    axe_both_languages(page)

    show(page, Round="Voorjaar 2026", Framework="Craftsmanship 3.0 (v1)")
    rows = competency_rows(page)
    assert len(rows) == 7 and {framework for _name, framework, _figure in rows} == {"Craftsmanship 3.0"}
    assert page.locator("figure.report-chart img").count() == 1
    assert page.get_by_label("Framework").locator("option:checked").inner_text() == "Craftsmanship 3.0 (v1)"
    axe_both_languages(page)

    page.get_by_role("link", name="Team Schuldhulp", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team dashboard: Team Schuldhulp")
    hidden = page.locator(".report-hidden-note").inner_text()
    assert hidden == f"The figures per competency are not shown. {TOO_FEW}"
    assert page.get_by_role("table", name=re.compile("^Gaps per competency")).count() == 0
    axe_both_languages(page)
