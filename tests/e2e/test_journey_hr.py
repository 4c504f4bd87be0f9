# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""HR's journey: import a CSV with a bad row (nothing imported), fix it, import, open a round, and download the
ratings export, whose rows match what the employee submitted. axe in Dutch and English on every page."""

import csv
import io
import re

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from organisation.models import Person, Unit

from .conftest import axe_both_languages, log_in, run_axe, switch_language
from .test_journeys import autosave, give

pytestmark = pytest.mark.e2e

HEADER = "personnel_number;name;email;unit;manager_personnel_number;job_title;birth_year;in_service_since"
JEUGD = "Gemeente Voorbeeld/Sociaal Domein/Team Jeugd"
NEW_TEAM = "Gemeente Voorbeeld/Sociaal Domein/Team Inburgering"
BAD_EMAIL = "ruud.hoekstra-at-voorbeeld.nl"


def people_file(email):
    lines = [
        HEADER,
        f"E2E001;Ayla Bakker;ayla.bakker@voorbeeld.nl;{JEUGD};;Jeugdconsulent;1990;2019",
        f"E2E002;Ruud Hoekstra;{email};{JEUGD};;Jeugdconsulent;1985;2015",
        f"E2E003;Sara Vermeulen;sara.vermeulen@voorbeeld.nl;{NEW_TEAM};;Consulent inburgering;1995;2024",
    ]
    return {"name": "medewerkers.csv", "mimeType": "text/csv", "buffer": ("\r\n".join(lines) + "\r\n").encode()}


def upload(page, file, check_button):
    """Upload on the import page; the check runs as a task and the job page shows its outcome."""
    if "/hr/import/" not in page.url or page.url.rstrip("/").split("/")[-1].isdigit():
        page.goto("/hr/import/")
    page.get_by_label(re.compile("CSV-bestand met medewerkers|CSV file with people")).set_input_files(file)
    with page.expect_navigation():
        page.get_by_role("button", name=check_button).click()


def nav(page, name):
    page.get_by_role("navigation", name=re.compile("^(Hoofdmenu|Main menu)$")).get_by_role("link", name=name).click()
    page.wait_for_load_state()


def imported_people():
    return Person.objects.filter(personnel_number__startswith="E2E").count()


def employee_submits(new_page, round_name):
    """The employee fills in the new round in their own browser; returns {competency: (current, desired)}."""
    employee = new_page()
    employee.goto("/accounts/login/")
    log_in(employee, "medewerker")
    employee.get_by_role("link", name=f"Beginnen: {round_name}").click()
    articles = employee.locator("article.assess-competency")
    answers = {}
    for number in range(articles.count()):
        article = articles.nth(number)
        answer = (1 + number % 4, 2 + number % 4)
        assert set(give(article, answer)) == {200}
        answers[article.locator("h3").inner_text()] = answer
    with autosave(employee):
        articles.first.get_by_label(re.compile("Notitie voor jezelf")).fill("Niet voor HR: noteer dit nergens")
    employee.get_by_role("link", name="Controleren en insturen").click()
    employee.get_by_label("Mijn antwoorden delen met mijn eigen leidinggevende").check()
    employee.get_by_role("button", name="Ja, stuur mijn zelfbeoordeling in").click()
    employee.get_by_text("Je hebt deze zelfbeoordeling ingestuurd op").wait_for()
    return answers


def test_import_fix_open_a_round_and_export_the_ratings(page, new_page, demo, settings):
    # The import runs as a background task; here it runs at once, as the worker would.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    people_before, units_before = Person.objects.count(), Unit.objects.count()
    page.goto("/accounts/login/")
    log_in(page, "hr")
    assert page.get_by_role("heading", name="HR", exact=True).is_visible()
    axe_both_languages(page)
    page.get_by_role("link", name="Medewerkers importeren").first.click()
    axe_both_languages(page)

    # A bad e-mail address on line 3: every error is listed and nothing is imported. In Dutch, then in English.
    upload(page, people_file(BAD_EMAIL), "Bestand controleren")
    alert = page.get_by_role("alert")
    assert alert.get_by_role("heading").inner_text() == "Het bestand heeft 1 fout. Er is niets geïmporteerd."
    errors = page.locator("table.error-table tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").all_inner_texts() == [
        "3",
        "E2E002",
        f"'{BAD_EMAIL}' is geen geldig e-mailadres.",
    ]
    assert page.get_by_role("button", name="Nu importeren").count() == 0
    run_axe(page)
    switch_language(page, "en")
    upload(page, people_file(BAD_EMAIL), "Check the file")
    assert "The file has 1 error. Nothing was imported." in page.get_by_role("alert").inner_text()
    run_axe(page)
    assert (Person.objects.count(), Unit.objects.count(), imported_people()) == (people_before, units_before, 0)

    # Fixed: first a preview (checked in both languages), then the import.
    upload(page, people_file("ruud.hoekstra@voorbeeld.nl"), "Check the file")
    preview = page.get_by_role("region", name="Check before you import")
    assert preview.get_by_role("listitem").all_inner_texts()[:4] == [
        "3 people will be added",
        "0 people will be changed",
        "0 people stay the same",
        "1 new unit",
    ]
    run_axe(page)
    switch_language(page, "nl")
    upload(page, people_file("ruud.hoekstra@voorbeeld.nl"), "Bestand controleren")
    run_axe(page)
    assert imported_people() == 0
    page.get_by_role("button", name="Nu importeren").click()
    expect(
        page.get_by_text("Importeren klaar: 3 toegevoegd, 0 gewijzigd, 0 ongewijzigd, 1 nieuwe eenheden.")
    ).to_be_visible()
    run_axe(page)  # the message shows once; the import page itself was checked in both languages
    assert (imported_people(), Unit.objects.count()) == (3, units_before + 1)

    # A round for Team Jeugd, with its new people in it.
    nav(page, "Rondes")
    axe_both_languages(page)
    page.get_by_role("link", name="Nieuwe ronde").click()
    axe_both_languages(page)
    page.get_by_role("textbox", name=re.compile("^Naam")).fill("Winter 2026")
    # The date pickers show the proposed dates (today, four weeks from now) in Dutch too.
    assert page.get_by_label("Gaat open op").input_value() == timezone.localdate().isoformat()
    page.get_by_role("group", name=re.compile("^Competenties in deze ronde")).get_by_role(
        "checkbox", name=re.compile("^Het hele kader Soft skills van de ambtenaar van de toekomst")
    ).check()
    page.get_by_role("group", name=re.compile("^Eenheden, met alle eenheden eronder")).get_by_role(
        "checkbox", name="Sociaal Domein › Team Jeugd", exact=True
    ).check()
    page.get_by_role("button", name="De ronde maken en openen").click()
    page.get_by_role("heading", level=1, name="Winter 2026").wait_for()
    participants = Person.objects.filter(unit__name="Team Jeugd", is_active=True).count()
    assert page.get_by_text(f"Ronde gemaakt met {participants} deelnemers.").is_visible()
    run_axe(page)
    page.reload()
    axe_both_languages(page)
    page.get_by_role("link", name=re.compile("^Zoek een deelnemer")).click()
    page.get_by_role("searchbox").fill("Ayla")
    with page.expect_navigation():
        page.get_by_role("button", name="Zoeken").click()
    # expect() waits: right after the navigation commits, the table may not be parsed yet (seen once in CI).
    found = page.get_by_role("table").locator("tbody tr")
    expect(found).to_have_count(1)
    expect(found.first.locator("th")).to_have_text("Ayla Bakker")
    axe_both_languages(page)

    answers = employee_submits(new_page, "Winter 2026")

    nav(page, "Exports")
    axe_both_languages(page)
    page.get_by_label("Ronde").select_option(label="Winter 2026")
    page.get_by_role("button", name="Aantal regels tonen").click()
    ratings = page.get_by_role("region", name="Beoordelingen")
    expect(ratings.get_by_text(f"Het bestand krijgt {len(answers)} regels.")).to_be_visible()
    axe_both_languages(page)
    with page.expect_download() as download:
        ratings.get_by_role("link", name="Beoordelingen downloaden").click()
    assert re.fullmatch(r"ratings-winter-2026-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)
    data = download.value.path().read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data  # Dutch Excel: byte-order mark, CRLF
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    employee = Person.objects.get(username="medewerker")
    assert {row["competency"]: (int(row["current_level"]), int(row["desired_level"])) for row in rows} == answers
    for row in rows:
        assert (row["round"], row["personnel_number"], row["name"]) == (
            "Winter 2026",
            employee.personnel_number,
            employee.name,
        )
        assert row["unit"].endswith("Team Jeugd")
        assert int(row["gap"]) == int(row["desired_level"]) - int(row["current_level"])
        assert (row["not_applicable"], row["shared_with_manager"]) == ("0", "1")
        assert row["submitted_at"]
    assert "Niet voor HR" not in data.decode("utf-8-sig")  # personal notes are never exported
    page.reload()
    assert page.get_by_role("table", name=re.compile("geëxporteerd")).locator("tbody tr").count() == 1
