# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""From gap to growth: the employee makes a development plan from the report and shares it; their manager comments.

axe checks every page in Dutch and in English. The demo's own plan for `medewerker` is removed first, so the
plan is made here from the report, as a person would.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import axe_both_languages, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def journey(demo):
    from django.contrib.auth.hashers import make_password

    from learning.models import Plan
    from organisation.models import Person

    employee = Person.objects.get(username="medewerker")
    Plan.objects.filter(person=employee).delete()
    manager = employee.effective_manager()
    manager.password = make_password("demo")
    manager.save(update_fields=["password"])
    return employee, manager


def test_plan_from_the_report_shared_and_commented(new_page, journey):
    employee, manager = journey
    page = new_page()
    page.goto("/reports/me/")
    log_in(page, "medewerker")
    assert page.get_by_role("heading", name="Streefniveaus").is_visible()
    axe_both_languages(page)

    page.get_by_role("link", name="Een ontwikkelplan maken").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Mijn plan beginnen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Je ontwikkelplan"
    axe_both_languages(page)

    first_point = page.locator("#gaps-title ~ ul li strong").first.inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Maak dit een doel")).first.click()
    goal = page.locator("article.plan-goal").first
    assert first_point in goal.locator("h3").inner_text()
    goal.get_by_label("Iets van jezelf").fill("Meelopen met een collega die dit goed kan")
    with page.expect_navigation():
        goal.get_by_role("button", name="Toevoegen", exact=True).click()
    action = page.locator("article.plan-goal").first.locator(".plan-action").first
    expect(action.get_by_label("Wat ik ga doen")).to_have_value("Meelopen met een collega die dit goed kan")

    # Autosave: the status is saved as soon as it changes.
    action.get_by_label("Status").select_option("in_progress")
    action.locator(".assess-status").filter(has_text=re.compile(r"Opgeslagen om \d\d:\d\d")).wait_for()
    with page.expect_response(lambda r: "/actions/" in r.url and r.request.method == "POST" and r.ok):
        action.get_by_label(re.compile("^Reflectie")).fill("Ik zag hoe zij doorvraagt.")
    axe_both_languages(page)

    page.get_by_label("Mijn plan delen met mijn leidinggevende").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Deze keuze opslaan").click()
    assert f"{manager.name}, je leidinggevende, kan dit plan lezen" in page.locator("#sharing").inner_text()
    plan_url = page.url.split("#")[0]

    boss = new_page(locale="en-GB")
    boss.goto(plan_url)
    log_in(boss, manager.username)
    assert boss.get_by_role("heading", level=1).inner_text() == f"Development plan of {employee.name}"
    assert "Ik zag hoe zij doorvraagt." in boss.locator("article.plan-goal").first.inner_text()
    axe_both_languages(boss)
    boss.get_by_label("Your comment").fill("Mooi plan. Zullen we dit in ons gesprek bespreken?")
    with boss.expect_navigation():
        boss.get_by_role("button", name="Save comment").click()
    assert "Mooi plan." in boss.locator("#comment").inner_text()

    page.reload()
    assert "Mooi plan." in page.locator("#comment").inner_text()
    assert manager.name in page.locator("#sharing").inner_text()  # who read it
    with page.expect_navigation():
        page.get_by_role("link", name="Voorbereiding op je gesprek (printen)").click()
    main = page.locator("main").inner_text()
    assert first_point in main and "Meelopen met een collega" in main
    assert not re.search(r"\b[Nn]iveau\b", main)
    axe_both_languages(page)
