# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The development plan saves as the self-assessment does: a stale tab overwrites nothing, and a change made after
the session ended is kept and stored after logging in again."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.e2e


def first_action(page):
    return page.locator("article.plan-goal .plan-action").first


def wait_saved(action):
    action.locator(".assess-status").filter(has_text=re.compile(r"Opgeslagen om \d\d:\d\d")).wait_for()


def test_a_stale_tab_does_not_overwrite_the_plan(new_page, demo):
    page = new_page()
    page.goto("/plans/me/")
    log_in(page, "medewerker")
    other = page.context.new_page()
    other.goto(page.url)

    newer = first_action(other)
    newer.get_by_label("Status").select_option("done")
    wait_saved(newer)

    stale = first_action(page)
    stale.get_by_label("Status").select_option("in_progress")
    page.get_by_text("Je hebt dit al in een ander venster of tabblad veranderd").wait_for()
    # The stored state is swapped in with the message; a change based on it goes through.
    expect(first_action(page).get_by_label("Status")).to_have_value("done")
    first_action(page).get_by_label("Status").select_option("in_progress")
    wait_saved(first_action(page))
    other.reload()
    expect(first_action(other).get_by_label("Status")).to_have_value("in_progress")


def test_a_change_after_the_session_ended_is_kept(new_page, demo):
    page = new_page()
    page.goto("/plans/me/")
    log_in(page, "medewerker")
    page.context.clear_cookies(name="sessionid")

    action = first_action(page)
    action.get_by_label("Status").select_option("done")
    action.get_by_text("We hebben deze wijziging bewaard.").wait_for()
    action.get_by_role("link", name="Log opnieuw in om verder te gaan").click()
    log_in(page, "medewerker")
    page.wait_for_url(re.compile(r"/plans/me/$"))
    assert page.get_by_text("We hebben de wijziging in je plan bewaard").is_visible()
    expect(first_action(page).get_by_label("Status")).to_have_value("done")
