# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import pytest

pytestmark = pytest.mark.e2e


def test_login_home_language_switch_and_frameworks(page, login, axe_check, demo):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "nl"
    axe_check()
    login("medewerker")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    axe_check()
    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    axe_check()


def test_narrow_screen_has_no_horizontal_scroll(page, login, demo):
    page.set_viewport_size({"width": 320, "height": 800})
    login("hr")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
