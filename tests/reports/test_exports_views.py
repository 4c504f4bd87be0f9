# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The export page and the downloads: HR only, bad filters change nothing, every download is logged."""

import io
import re

from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone, translation

import openpyxl
import pytest

from assessments.models import Round
from reports import export_views, exports
from reports.models import ExportLog, ExportSource
from tests.reports.exports_data import build_round, bulk_round
from tests.reports.test_exports import CSV_RATINGS, EXCEL_PEOPLE, EXCEL_RATINGS

DOWNLOADS = ["exports:ratings", "exports:people", "exports:units"]
PAGES = ["exports:index", *DOWNLOADS]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def data(org):
    return build_round(org)


@pytest.fixture
def hr_client(client_for, hr):
    return client_for(hr)


def download(client, name, **query):
    response = client.get(reverse(name), query)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


# Access


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_goes_to_login(client, data, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("persona", ["employee", "manager", "senior_manager"])
def test_others_than_hr_get_404(client_for, data, request, name, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse(name), {"round": data.round.pk})
    assert response.status_code == 404
    assert not ExportLog.objects.exists()


# The page


def test_page_shows_filters_counts_columns_and_links(hr_client, data):
    response = hr_client.get(reverse("exports:index"))
    assert response.status_code == 200
    page = response.content.decode()
    for field in ("round", "unit", "framework", "include", "pseudonymise", "format", "dialect"):
        assert f'name="{field}"' in page
    assert re.search(r'name="format" value="csv"[^>]*checked', page)
    assert re.search(r'name="dialect" value="excel"[^>]*checked', page)
    assert "The file will have 4 rows." in page  # ratings
    assert "The file will have 3 rows." in page  # people
    assert "The file will have 12 rows." in page  # units
    assert f'href="{reverse("exports:ratings")}?round={data.round.pk}"' in page
    assert "<code>submitted_at</code>" in page
    assert str(exports.RATINGS_COLUMNS[10].help) in page
    assert "<code>suppressed_reason</code>" in page


def test_page_counts_follow_the_filters(hr_client, data, org):
    response = hr_client.get(reverse("exports:index"), {"unit": org["youth"].pk, "include": "drafts"})
    page = response.content.decode()
    assert "The file will have 2 rows." in page  # Jansen's two ratings
    assert "The file will have 1 row." in page  # Jansen in people
    assert f"?round={data.round.pk}&amp;unit={org['youth'].pk}&amp;include=drafts" in page


def test_page_says_when_there_is_no_round_yet(hr_client, org):
    response = hr_client.get(reverse("exports:index"))
    assert response.status_code == 200
    assert "There is no round with submitted self-assessments yet." in response.content.decode()
    assert reverse("exports:ratings") + "?" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"round": "abc"},
        {"round": "999999"},
        {"unit": "999999"},
        {"framework": "999999"},
        {"dialect": "semicolon"},
        {"format": "pdf"},
        {"include": "everything"},
    ],
)
def test_bad_filters_get_a_clear_error_and_no_file(hr_client, data, query):
    for name in PAGES:
        response = hr_client.get(reverse(name), query)
        assert response.status_code == (200 if name == "exports:index" else 400)
        assert not response.streaming
        assert "Please correct the following:" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_framework_outside_the_round_is_refused(hr_client, data):
    from tests.factories import FrameworkFactory

    other = FrameworkFactory()
    Round.objects.create(name="Ander", opens_on=data.round.opens_on, closes_on=data.round.closes_on).frameworks.add(
        other
    )
    response = hr_client.get(reverse("exports:ratings"), {"round": data.round.pk, "framework": other.pk})
    assert response.status_code == 400
    assert "This framework is not part of the chosen round." in response.content.decode()


def test_page_queries_do_not_grow_with_the_data(hr_client, data, org, django_assert_max_num_queries):
    big = bulk_round({org["youth"]: 40, org["green"]: 20}, competencies=6, name="Groot")
    for _ in range(30):
        ExportLog.objects.create(source=ExportSource.COMMAND, export="ratings", file_type="excel")
    hr_client.get(reverse("exports:index"), {"round": big.pk})  # the first look makes the round's release
    with django_assert_max_num_queries(30):
        response = hr_client.get(reverse("exports:index"), {"round": big.pk})
    assert "The file will have 360 rows." in response.content.decode()


# Downloads


def test_ratings_download_streams_dutch_excel_csv(hr_client, hr, data):
    response, content = download(hr_client, "exports:ratings")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ratings-najaar-2026-{timezone.localdate().isoformat()}.csv"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert content == EXCEL_RATINGS


def test_ratings_download_as_plain_csv(hr_client, data):
    _response, content = download(hr_client, "exports:ratings", round=data.round.pk, dialect="csv")
    assert content == CSV_RATINGS


def test_people_download(hr_client, data):
    _response, content = download(hr_client, "exports:people", round=data.round.pk)
    assert content == EXCEL_PEOPLE


def test_xlsx_download(hr_client, data):
    response, content = download(hr_client, "exports:units", round=data.round.pk, format="xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == [column.name for column in exports.UNITS_COLUMNS]
    assert sheet.max_row == 13


def test_xlsx_refused_above_excels_row_limit(hr_client, data, monkeypatch):
    monkeypatch.setattr("reports.export_views.XLSX_MAX_ROWS", 3)
    response = hr_client.get(reverse("exports:ratings"), {"format": "xlsx"})
    assert response.status_code == 400
    assert "Excel holds at most 3 rows." in response.content.decode()
    assert not ExportLog.objects.exists()


def test_pseudonymised_download(hr_client, data):
    _response, content = download(hr_client, "exports:ratings", pseudonymise="1")
    assert b"Jansen" not in content
    assert exports.pseudonym(data.people.jansen.pk).encode() in content


# The log


def test_every_download_is_logged(hr_client, hr, data, org):
    download(hr_client, "exports:ratings", unit=org["social"].pk, include="drafts", pseudonymise="1")
    download(hr_client, "exports:units", format="xlsx")
    units, ratings = ExportLog.objects.all()
    assert (ratings.user, ratings.user_name, ratings.source) == (hr, "Hanna HR", ExportSource.WEB)
    assert (ratings.export, ratings.file_type, ratings.row_count) == ("ratings", "excel", 4)
    assert ratings.finished_at is not None
    assert ratings.filters == {
        "round": {"id": data.round.pk, "name": "Najaar 2026"},
        "unit": {"id": org["social"].pk, "name": "Sociaal Domein"},
        "framework": None,
        "include_drafts": True,
        "pseudonymise": True,
    }
    assert ratings.filter_lines() == [
        "Round: Najaar 2026",
        "Unit: Sociaal Domein",
        "including drafts",
        "pseudonymised",
    ]
    assert (units.export, units.file_type, units.row_count) == ("units", "xlsx", 12)


def test_broken_off_download_is_logged_as_not_finished(rf, hr, org, monkeypatch):
    monkeypatch.setattr(exports, "PEOPLE_PER_FETCH", 1)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)
    bulk_round({org["youth"]: 10}, competencies=2)
    request = rf.get(reverse("exports:ratings"))
    request.user = hr
    response = export_views.download(request, kind="ratings")
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks), next(chunks)
    # What a WSGI server does when the client goes away; the test keeps its connection (Django's test client too).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    log = ExportLog.objects.get()
    assert log.finished_at is None
    assert 0 < log.row_count < 20
    # The connection is clean again: the server-side cursor and its transaction were closed.
    assert Round.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_page_shows_the_log_paginated(hr_client, hr, data):
    download(hr_client, "exports:people")
    for _ in range(30):
        ExportLog.objects.create(source=ExportSource.COMMAND, export="units", file_type="csv", row_count=7)
    page = hr_client.get(reverse("exports:index")).content.decode()
    assert "Page 1 of 2" in page
    assert "command line" in page
    older = hr_client.get(reverse("exports:index"), {"page": 2, "round": data.round.pk}).content.decode()
    assert "Page 2 of 2" in older
    assert "Hanna HR" in older
    assert "Round: Najaar 2026" in older


def test_admin_shows_the_log_read_only(client_for, hr, data, django_user_model):
    download(client_for(hr), "exports:ratings")
    log = ExportLog.objects.get()
    superuser = django_user_model.objects.create_superuser("root", "root@voorbeeld.nl", "geheim-wachtwoord-1")
    client = client_for(superuser)
    assert client.get(reverse("admin:reports_exportlog_changelist")).status_code == 200
    assert client.get(reverse("admin:reports_exportlog_add")).status_code == 403
    change = client.get(reverse("admin:reports_exportlog_change", args=[log.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.post(reverse("admin:reports_exportlog_change", args=[log.pk]), {"row_count": 1}).status_code == 403
    assert client.post(reverse("admin:reports_exportlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    assert ExportLog.objects.get().row_count == 4
