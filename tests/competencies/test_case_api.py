# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""All twelve endpoints of the CASE 1.1 provider, validated against 1EdTech's official OpenAPI definition; the
query parameters of getAllCFDocuments; errors as imsx_StatusInfo; the discovery document."""

import uuid

from django.urls import reverse
from django.utils import translation

import pytest

from competencies import case
from competencies.models import Framework
from tests.competencies.openapi import OPENAPI, openapi_errors
from tests.factories import FrameworkFactory

BASE = "/ims/case/v1p1"


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def frameworks(first_versions_loaded, db):
    """Version 1 of the five source frameworks: one version each keeps the paging figures simple.

    Loaded once per module (tests/conftest.py); what a test changes is rolled back with its savepoint.
    """
    return {f.slug: f for f in Framework.objects.all()}


@pytest.fixture
def reader(client, employee):
    client.force_login(employee)
    return client


def sample_paths(client, frameworks):
    """One real object for each of the twelve paths of the definition, found through the API itself."""
    framework = frameworks["vakmanschap-3-0"]
    package = client.get(f"{BASE}/CFPackages/{framework.identifier}").json()
    definitions = package["CFDefinitions"]
    related = next(a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo")
    return {
        "/CFDocuments": f"{BASE}/CFDocuments",
        "/CFDocuments/{sourcedId}": f"{BASE}/CFDocuments/{framework.identifier}",
        "/CFPackages/{sourcedId}": f"{BASE}/CFPackages/{framework.identifier}",
        "/CFItems/{sourcedId}": f"{BASE}/CFItems/{package['CFItems'][0]['identifier']}",
        "/CFItemAssociations/{sourcedId}": f"{BASE}/CFItemAssociations/{package['CFItems'][0]['identifier']}",
        "/CFAssociations/{sourcedId}": f"{BASE}/CFAssociations/{related['identifier']}",
        "/CFAssociationGroupings/{sourcedId}": (
            f"{BASE}/CFAssociationGroupings/{definitions['CFAssociationGroupings'][0]['identifier']}"
        ),
        "/CFConcepts/{sourcedId}": f"{BASE}/CFConcepts/{definitions['CFConcepts'][0]['identifier']}",
        "/CFSubjects/{sourcedId}": f"{BASE}/CFSubjects/{definitions['CFSubjects'][0]['identifier']}",
        "/CFItemTypes/{sourcedId}": f"{BASE}/CFItemTypes/{definitions['CFItemTypes'][0]['identifier']}",
        "/CFLicenses/{sourcedId}": f"{BASE}/CFLicenses/{definitions['CFLicenses'][0]['identifier']}",
        "/CFRubrics/{sourcedId}": f"{BASE}/CFRubrics/{package['CFRubrics'][0]['identifier']}",
    }


def test_the_definition_has_twelve_paths_and_we_serve_them_all(reader, frameworks):
    assert len(OPENAPI["paths"]) == 12
    assert set(sample_paths(reader, frameworks)) == set(OPENAPI["paths"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_endpoint_answers_what_the_definition_says(reader, frameworks, lang):
    for path, url in sample_paths(reader, frameworks).items():
        response = reader.get(url, {"lang": lang})
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"] == "application/json"
        assert openapi_errors(path, 200, response.json()) == [], path


def test_own_framework_answers_validate_too(reader, frameworks):
    own = FrameworkFactory(is_own=True)
    response = reader.get(f"{BASE}/CFPackages/{own.identifier}")
    assert openapi_errors("/CFPackages/{sourcedId}", 200, response.json()) == []


def test_definitions_are_filled(reader, frameworks):
    framework = frameworks["vakmanschap-3-0"]
    package = reader.get(f"{BASE}/CFPackages/{framework.identifier}", {"lang": "nl"}).json()
    definitions = package["CFDefinitions"]
    assert {key for key, value in definitions.items() if value} == {
        "CFConcepts",
        "CFSubjects",
        "CFLicenses",
        "CFItemTypes",
        "CFAssociationGroupings",
    }
    assert definitions["CFItemTypes"][0]["title"] == "Competentie"
    licence = definitions["CFLicenses"][0]
    assert package["CFDocument"]["licenseURI"]["identifier"] == licence["identifier"] == case.LICENSES["cc-by-4.0"]
    assert "https://creativecommons.org/licenses/by/4.0/" in licence["licenseText"]
    assert package["CFDocument"]["subjectURI"][0]["identifier"] == definitions["CFSubjects"][0]["identifier"]
    groupings = {g["identifier"] for g in definitions["CFAssociationGroupings"]}
    related = [a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"]
    assert related and all(a["CFAssociationGroupingURI"]["identifier"] in groupings for a in related)


def test_own_framework_has_its_own_licence(reader, frameworks, settings):
    settings.ORGANISATION_NAME = "Gemeente Voorbeeld"
    own = FrameworkFactory(is_own=True)
    document = reader.get(f"{BASE}/CFDocuments/{own.identifier}").json()
    licence = reader.get(document["licenseURI"]["uri"], {"lang": "en"}).json()
    assert licence["identifier"] == case.LICENSES["own"]
    assert licence["title"] == "Framework of Gemeente Voorbeeld: reuse only with permission"


def test_association_endpoint_equals_the_association_in_the_package(reader, frameworks):
    framework = frameworks["bewust-ambtelijk-vakmanschap"]
    package = reader.get(f"{BASE}/CFPackages/{framework.identifier}").json()
    for association in package["CFAssociations"][:3] + package["CFAssociations"][-3:]:
        answer = reader.get(association["uri"]).json()
        assert answer == {
            **association,
            "CFDocumentURI": {k: answer["CFDocumentURI"][k] for k in answer["CFDocumentURI"]},
        }
        assert answer["CFDocumentURI"]["identifier"] == str(framework.identifier)


def test_item_associations_are_those_of_the_item(reader, frameworks):
    framework = frameworks["vakmanschap-3-0"]
    package = reader.get(f"{BASE}/CFPackages/{framework.identifier}").json()
    item = package["CFItems"][0]["identifier"]
    answer = reader.get(f"{BASE}/CFItemAssociations/{item}").json()
    assert answer["CFItem"]["identifier"] == item
    expected = [
        a
        for a in package["CFAssociations"]
        if item in (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
    ]
    assert answer["CFAssociations"] == expected
    assert any(a["associationType"] == "isChildOf" for a in expected)


# getAllCFDocuments: limit, offset, sort, orderBy, filter, fields.


def titles(response):
    return [d["title"] for d in response.json()["CFDocuments"]]


def test_paging_with_total_and_links(reader, frameworks):
    response = reader.get(f"{BASE}/CFDocuments", {"limit": 2, "offset": 2, "sort": "title", "lang": "en"})
    assert response["X-Total-Count"] == "5"
    everything = sorted(f.title_en for f in frameworks.values())
    assert titles(response) == everything[2:4]
    links = {
        part.split('; rel="')[1].rstrip('"'): part.split(">;")[0].lstrip("<") for part in response["Link"].split(", ")
    }
    assert set(links) == {"first", "prev", "next", "last"}
    assert links["next"].endswith("limit=2&offset=4")
    assert links["last"].endswith("limit=2&offset=4")
    assert "sort=title" in links["first"] and links["first"].endswith("offset=0")
    assert titles(reader.get(links["next"])) == everything[4:]


def test_first_page_has_no_prev_and_last_no_next(reader, frameworks):
    first = reader.get(f"{BASE}/CFDocuments", {"limit": 5})
    assert 'rel="prev"' not in first["Link"] and 'rel="next"' not in first["Link"]


def test_sort_descending(reader, frameworks):
    response = reader.get(f"{BASE}/CFDocuments", {"sort": "title", "orderBy": "desc", "lang": "nl"})
    assert titles(response) == sorted((f.title_nl for f in frameworks.values()), reverse=True)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("title~'vakmanschap'", {"Bewust Ambtelijk Vakmanschap", "Vakmanschap 3.0"}),
        ("title='Vakmanschap 3.0'", {"Vakmanschap 3.0"}),
        ("title~'vakmanschap' AND title!='Vakmanschap 3.0'", {"Bewust Ambtelijk Vakmanschap"}),
        (
            "title='Vakmanschap 3.0' OR title~'disruptieve'",
            {"Vakmanschap 3.0", "Competenties bij disruptieve technologie"},
        ),
        ("adoptionStatus='Adopted' AND language='nl' AND version>='1'", None),
    ],
)
def test_filter(reader, frameworks, expression, expected):
    response = reader.get(f"{BASE}/CFDocuments", {"filter": expression, "lang": "nl"})
    assert response.status_code == 200
    assert set(titles(response)) == (expected or {f.title_nl for f in frameworks.values()})
    assert response["X-Total-Count"] == str(len(titles(response)))


def test_fields_keep_the_required_ones(reader, frameworks):
    response = reader.get(f"{BASE}/CFDocuments", {"fields": "description,version"})
    document = response.json()["CFDocuments"][0]
    assert set(document) == {"identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI"} | {
        "description",
        "version",
    }
    assert openapi_errors("/CFDocuments", 200, response.json()) == []
    exploded = reader.get(f"{BASE}/CFDocuments?fields=description&fields=version")
    assert exploded.json() == response.json()


@pytest.mark.parametrize(
    ("params", "code_minor", "message"),
    [
        ({"limit": "0"}, "invalid_selection_field", "limit must be a whole number from 1, not '0'."),
        ({"limit": "tien"}, "invalid_selection_field", "limit must be a whole number from 1"),
        ({"offset": "-1"}, "invalid_selection_field", "offset must be a whole number from 0"),
        ({"limit": str(2**31)}, "invalid_selection_field", "limit must be a whole number"),
        ({"sort": "colour"}, "invalid_sort_field", "Documents cannot be sorted by 'colour'."),
        ({"sort": "title", "orderBy": "up"}, "invalid_sort_field", "orderBy must be asc or desc, not 'up'."),
        ({"filter": "title"}, "invalid_selection_field", 'The filter part "title" is not of the form'),
        ({"filter": "colour='red'"}, "invalid_selection_field", "The filter uses the unknown field 'colour'."),
        ({"filter": "title='a' AND title='b' OR title='c'"}, "invalid_selection_field", "with AND or with OR"),
        ({"fields": "title,colour"}, "invalid_selection_field", "Unknown field(s) in fields: colour."),
        ({"lang": "de"}, "invalid_selection_field", "The language 'de' is not available"),
    ],
)
def test_bad_parameter_is_a_case_400(reader, frameworks, params, code_minor, message):
    response = reader.get(f"{BASE}/CFDocuments", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert openapi_errors("/CFDocuments", 400, body) == []
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == code_minor
    assert message in body["imsx_description"]


def test_nothing_on_the_page_is_a_case_404(reader, frameworks):
    response = reader.get(f"{BASE}/CFDocuments", {"offset": 99})
    assert response.status_code == 404
    assert openapi_errors("/CFDocuments", 404, response.json()) == []


# Every answer under /ims/case/v1p1/ is CASE JSON.


@pytest.mark.parametrize("path", [p for p in OPENAPI["paths"] if "{sourcedId}" in p])
def test_malformed_and_unknown_identifiers(reader, frameworks, path):
    malformed = reader.get(BASE + path.replace("{sourcedId}", "nope"))
    assert malformed.status_code == 400
    assert malformed.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "invalid_uuid"
    assert openapi_errors(path, 400, malformed.json()) == []
    unknown = reader.get(BASE + path.replace("{sourcedId}", str(uuid.uuid4())))
    assert unknown.status_code == 404
    assert unknown.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unknownobject"
    assert openapi_errors(path, 404, unknown.json()) == []


@pytest.mark.parametrize("url", [f"{BASE}/", f"{BASE}/CFNothing", f"{BASE}/CFDocuments/", f"{BASE}/CFItems/a/b"])
def test_unknown_paths_are_case_404s(reader, db, url):
    response = reader.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert openapi_errors("/CFDocuments", 404, response.json()) == []


def test_other_methods_are_case_405s(client, employee, frameworks):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(employee)
    response = client.post(f"{BASE}/CFDocuments")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["imsx_codeMajor"] == "unsupported"


def test_anonymous_gets_the_spec_code_minor(client, frameworks):
    response = client.get(f"{BASE}/CFDocuments")
    assert response.status_code == 401
    body = response.json()
    assert openapi_errors("/CFDocuments", 401, body) == []
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unauthorised_request"


def test_a_failure_is_a_case_500(reader, frameworks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(case, "package_for", broken)
    response = reader.get(f"{BASE}/CFPackages/{frameworks['vakmanschap-3-0'].identifier}")
    assert response.status_code == 500
    assert openapi_errors("/CFPackages/{sourcedId}", 500, response.json()) == []


def test_discovery_document_is_the_definition_with_our_server(reader, db):
    response = reader.get(reverse("case:discovery"))
    body = response.json()
    assert body["paths"] == OPENAPI["paths"]
    assert body["servers"][0]["url"] == "http://testserver/ims/case/v1p1"


def test_lookups_do_not_grow_with_the_frameworks(reader, frameworks, django_assert_max_num_queries):
    paths = sample_paths(reader, frameworks)
    for url in paths.values():
        with django_assert_max_num_queries(12):
            assert reader.get(url).status_code == 200
