# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import csv
import io
import json

from django.urls import reverse

import pytest

from organisation.audit import Action, log_access
from organisation.models import AccessLog
from tests.factories import PersonFactory, RoundFactory
from tests.privacy.conftest import days_ago

PAGE = "/me/data/"
JSON_URL = "/me/data/download.json"
CSV_URL = "/me/data/download.csv"


@pytest.fixture
def data(org, employee, colleague, manager, rf):
    employee.birth_year = 1980
    employee.save()
    RoundFactory(
        units=[org["youth"]],
        people=[employee, colleague],
        name="Voorjaar",
        opens_on=days_ago(30),
        closes_on=days_ago(1),
        competencies=2,
        people__note='=HYPERLINK("http://x")',
    )
    request = rf.get("/")
    request.user = manager
    log_access(request, Action.VIEWED_REPORT, employee)
    log_access(request, Action.VIEWED_REPORT, colleague)
    return employee


@pytest.mark.parametrize("url", [PAGE, JSON_URL, CSV_URL])
def test_anonymous_goes_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_page_explains_and_offers_both_downloads(client_for, data):
    content = client_for(data).get(PAGE).content.decode()
    assert JSON_URL in content and CSV_URL in content
    assert "1 self-assessment" in content and "2 ratings" in content


def test_json_holds_everything_about_me_and_nothing_about_others(client_for, data, colleague):
    response = client_for(data).get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["profile"]["name"] == "Alice Jansen"
    assert document["profile"]["birth_year"] == 1980
    assert document["profile"]["unit"] == "Gemeente Test/Sociaal Domein/Team Jeugd"
    assert document["profile"]["manager"] == "Bob Bakker"
    [assessment] = document["assessments"]
    assert assessment["round"] == "Voorjaar" and assessment["shared_with_manager"] is True
    assert [r["current_level"] for r in assessment["ratings"]] == [2, 3]
    assert assessment["ratings"][0]["note"].startswith("=HYPERLINK")
    assert [e["who"] for e in document["access_log"]] == ["Bob Bakker"]
    assert [row["successful"] for row in document["logins"]] == [True]  # the test client's login
    assert "Carla" not in response.content.decode()


def test_csv_is_dutch_excel_and_guards_formulas(client_for, data):
    response = client_for(data).get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Section", "Item", "Field", "Value"]
    assert ["Profile", "", "Name", "Alice Jansen"] in rows
    assert ["Profile", "", "Birth year", "1980"] in rows
    assert ["Self-assessment", "Voorjaar", "Shared with the manager", "yes"] in rows
    notes = [row[3] for row in rows if row[2] == "Note"]
    assert notes and all(note.startswith("'=HYPERLINK") for note in notes)
    assert ["Who looked at your data", "1", "Who", "Bob Bakker"] in rows
    assert not any("Carla" in cell for row in rows for cell in row)


def test_download_is_logged(client_for, data):
    client_for(data).get(CSV_URL)
    entry = AccessLog.objects.filter(action=Action.DOWNLOADED_OWN_DATA).get()
    assert entry.actor == data and entry.person == data and entry.detail == "csv"


def test_logins_are_included(client, employee):
    client.post(reverse("login"), {"username": "alice", "password": "geheim-wachtwoord"})
    document = json.loads(client.get(JSON_URL).content)
    assert [row["successful"] for row in document["logins"]] == [True]


def test_failed_logins_are_included(client_for, employee):
    from django.test import Client

    logged_in = client_for(employee)
    Client().post(reverse("login"), {"username": "alice", "password": "wrong-password"})
    document = json.loads(logged_in.get(JSON_URL).content)
    assert [row["successful"] for row in document["logins"]] == [True, False]


def test_download_only_by_get(client_for, employee):
    assert client_for(employee).post(JSON_URL).status_code == 405


def test_query_count_does_not_grow_with_data(client_for, org, employee, django_assert_max_num_queries):
    RoundFactory(
        units=[org["youth"]],
        people=[employee],
        opens_on=days_ago(30),
        closes_on=days_ago(1),
        competencies=2,
    )
    client = client_for(employee)
    client.get(JSON_URL)
    with django_assert_max_num_queries(20) as small:
        client.get(JSON_URL)
    for n in range(3):
        RoundFactory(
            units=[org["youth"]],
            people=[employee],
            name=f"R{n}",
            opens_on=days_ago(30),
            closes_on=days_ago(1),
            competencies=6,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(JSON_URL)


def test_person_without_anything_gets_an_empty_but_valid_file(client_for, db):
    person = PersonFactory(unit=None)
    document = json.loads(client_for(person).get(JSON_URL).content)
    assert document["assessments"] == [] and document["profile"]["unit"] is None
