# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The browser import of a CASE package (/frameworks/import/): HR and functional administrators only, all or
nothing, warnings for nulls, errors beside the file with the exact place and reason."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

import pytest

from competencies.models import Framework
from tests.competencies.test_case_tolerant_import import foreign_package, ids  # noqa: F401 (a fixture)

URL = reverse("competencies:case_import")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(data, name="package.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_anonymous_goes_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_employee_gets_404(client_for, employee):
    assert client_for(employee).get(URL).status_code == 404


def test_hr_sees_the_form(client_for, hr):
    response = client_for(hr).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert 'type="file" name="file"' in response.content.decode()


def test_hr_imports_a_foreign_pair_and_sees_the_warnings(client_for, hr, ids):  # noqa: F811
    client = client_for(hr)
    response = client.post(
        URL,
        {
            "file": upload(foreign_package("nl", ids), "nl.json"),
            "second_file": upload(foreign_package("en", ids), "en.json"),
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    framework = Framework.objects.get(identifier=ids["document"])
    assert response.redirect_chain[-1][0] == framework.get_absolute_url()
    page = response.content.decode()
    assert "Created: Working in the neighbourhood (v2)" in page
    assert "nl.json: CFDocument/publisher is null; read as absent." in page
    assert "New theme: neighbourhood" in page


def test_our_own_package_round_trips_unchanged(client_for, hr):
    call_command("load_frameworks", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = client_for(hr)
    framework = Framework.objects.current().get(slug="vakmanschap-3-0")  # version 2, with indicators and tips
    package = client.get(reverse("case:package", kwargs={"identifier": framework.identifier})).json()
    response = client.post(URL, {"file": upload(package)}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Unchanged: Craftsmanship 3.0 (v2)" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{" * 50 + b"}" * 50, "package.json nests 50 levels deep"),
        (b"\xff\xfe", "package.json is not UTF-8 text."),
        (b"[1]", "package.json is not a CASE package: it is not a JSON object."),
    ],
    ids=["deep", "not utf-8", "array"],
)
def test_a_bad_file_is_refused_beside_the_field(client_for, hr, content, message):
    response = client_for(hr).post(URL, {"file": upload(content)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Framework.objects.exists()


def test_a_bad_package_changes_nothing_and_says_where(client_for, hr, ids):  # noqa: F811
    nl = foreign_package("nl", ids)
    nl["CFPackage"]["CFDocument"]["title"] = "T" * 4_500_000
    response = client_for(hr).post(
        URL,
        {"file": upload(nl, "nl.json"), "second_file": upload(foreign_package("en", ids), "en.json")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert (
        "nl.json: CFDocument/title: the text is 4,500,000 characters long; at most 200 fit here."
        in response.content.decode()
    )
    assert not Framework.objects.exists()


def test_a_package_in_one_language_alone_is_refused(client_for, hr, ids):  # noqa: F811
    response = client_for(hr).post(
        URL, {"file": upload(foreign_package("nl", ids), "nl.json")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "The package has no English texts. Give the English package as a second file." in response.content.decode()
    assert not Framework.objects.exists()


def test_a_file_over_the_limit_is_refused(client_for, hr, settings):
    settings.MAX_IMPORT_BYTES = 1024 * 1024
    response = client_for(hr).post(URL, {"file": upload(b" " * (1024 * 1024 + 1))}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "package.json is larger than 1 MB." in response.content.decode()
