# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The idle-time-out warning in a real browser, with Playwright's fake clock."""

import re

import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def person(transactional_db):
    return PersonFactory(username="sanne", password="geheim-wachtwoord-123")


def test_warning_before_timeout_and_stay_logged_in(page, login, person, axe_check, settings):
    settings.SESSION_IDLE_TIMEOUT = 30
    page.clock.install()
    login("sanne", "geheim-wachtwoord-123")
    dialog = page.get_by_role("alertdialog")
    assert not dialog.is_visible()
    page.clock.fast_forward("27:50")
    assert not dialog.is_visible()
    page.clock.fast_forward("00:15")
    dialog.wait_for(state="visible")
    button = dialog.get_by_role("button", name=re.compile("Ingelogd blijven|Stay logged in"))
    assert button.evaluate("el => el === document.activeElement")
    axe_check()
    with page.expect_response("**/session/keep-alive/") as response:
        page.keyboard.press("Enter")
    assert response.value.status == 200
    dialog.wait_for(state="hidden")
    # The clock restarted: no warning again until nearly the whole time-out has passed anew.
    page.clock.fast_forward("20:00")
    assert not dialog.is_visible()


def test_escape_also_keeps_the_session(page, login, person, settings):
    settings.SESSION_IDLE_TIMEOUT = 30
    page.clock.install()
    login("sanne", "geheim-wachtwoord-123")
    page.clock.fast_forward("28:05")
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(state="visible")
    with page.expect_response("**/session/keep-alive/"):
        page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
