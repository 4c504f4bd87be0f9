# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Browsing the frameworks, and HR adding the organisation's own framework, in a real browser with axe checks."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_browse_frameworks_in_dutch_and_english(page, login, axe_check, demo):
    login("medewerker")
    page.goto("/frameworks/")
    axe_check()
    page.get_by_role("link", name="Vakmanschap 3.0").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vakmanschap 3.0")
    assert page.get_by_role("navigation", name=re.compile("^(Inhoud|Contents)$")).locator("a").count() == 7
    axe_check()
    page.locator("nav.toc a").first.click()
    page.get_by_role("link", name=re.compile("related competencies|verwante competenties", re.I)).first.click()
    assert page.locator("dl.level-list dt").count() == 5
    axe_check()
    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="The five levels").count() == 1
    axe_check()


def test_hr_adds_an_own_framework_and_fixes_an_error(page, login, axe_check, demo):
    login("hr")
    page.goto("/frameworks/")
    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add your own framework").click()
    axe_check()
    page.get_by_label("Title (Dutch)").fill("Kernwaarden Demodorp")
    page.get_by_label("Title (English)").fill("Core values Demodorp")
    page.get_by_label("Description (Dutch)").fill("Waar wij voor staan.")
    page.get_by_label("Description (English)").fill("What we stand for.")
    first = page.locator("#competencies-0")
    first.get_by_label("Code").fill("KW-SAMEN")
    first.get_by_label("Theme").select_option(index=1)
    first.get_by_label("Name (Dutch)").fill("Samenwerken")
    first.get_by_label("Name (English)").fill("Working together")
    first.get_by_label("Definition (Dutch)").fill("Je werkt samen met anderen.")
    first.get_by_label("Definition (English)").fill("You work together with others.")
    for level in range(1, 5):  # level 5 is left out on purpose
        first.locator(f"#id_competencies-0-level_{level}_nl").fill(f"Samen op niveau {level}.")
        first.locator(f"#id_competencies-0-level_{level}_en").fill(f"Together at level {level}.")
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_role("alert")
    assert "Nothing was saved." in summary.inner_text()
    axe_check()
    summary.get_by_role("link", name=re.compile("Level 5")).first.click()
    page.locator("#id_competencies-0-level_5_nl").fill("Samen op niveau 5.")
    page.locator("#id_competencies-0-level_5_en").fill("Together at level 5.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Core values Demodorp")
    assert "Own framework" in page.locator(".framework-meta").inner_text()
    axe_check()
