# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The CASE 1.1 provider API and `manage.py import_case`: nesting, schema, round trip, bad imports, access."""

import copy
import io
import json
import re
import uuid

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import pytest
from jsonschema import Draft202012Validator

from competencies import case
from competencies.models import Competency, Framework, LevelDescription, Theme, level_name

SCHEMA = json.loads(case.SCHEMA_PATH.read_text(encoding="utf-8"))
UUID4ISH = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SLUGS = [
    "vakmanschap-3-0",
    "21e-eeuwse-vaardigheden-gemeenten",
    "soft-skills-ambtenaar-toekomst",
    "competenties-disruptieve-technologie",
    "bewust-ambtelijk-vakmanschap",
]


@pytest.fixture(autouse=True)
def english_messages():
    """Assert on the English message ids, whatever the Dutch catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def frameworks(first_versions_loaded, db):
    """Version 1 of the source frameworks (the tests change them; version 2 would freeze them).

    Loaded once per module (tests/conftest.py); what a test changes is rolled back with its savepoint.
    """
    return {f.slug: f for f in Framework.objects.all()}


@pytest.fixture
def reader(client, employee):
    client.force_login(employee)
    return client


def get_json(client, name, identifier=None, **params):
    url = reverse(f"case:{name}", kwargs={"identifier": identifier} if identifier else None)
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def get_package(client, framework, **params):
    response, data = get_json(client, "package", framework.identifier, **params)
    assert response.status_code == 200
    return data


def snapshot():
    """Everything an import could touch."""
    return (
        [case.framework_to_data(f) for f in Framework.objects.order_by("identifier")],
        list(Framework.objects.order_by("identifier").values_list("updated_at", "frozen_at")),
        list(Theme.objects.values_list("code", "name_nl", "name_en")),
        Competency.objects.count(),
        LevelDescription.objects.count(),
    )


def write(tmp_path, data, name="package.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def import_case(*paths):
    """Run the command; returns what it wrote."""
    out = io.StringIO()
    # A test request leaves its language active (LocaleMiddleware); the messages are asserted in English.
    with translation.override("en"):
        call_command("import_case", *paths, stdout=out)
    return out.getvalue()


# Field names and nesting of every endpoint.


def test_documents_lists_every_framework(reader, frameworks):
    response, data = get_json(reader, "documents")
    assert response.status_code == 200
    assert list(data) == ["CFDocuments"]
    documents = {d["identifier"]: d for d in data["CFDocuments"]}
    assert set(documents) == {str(f.identifier) for f in frameworks.values()}
    document = documents[str(frameworks["vakmanschap-3-0"].identifier)]
    assert {"identifier", "uri", "creator", "title", "lastChangeDateTime", "language", "version"} <= set(document)
    assert document["title"] == "Vakmanschap 3.0"
    assert document["language"] == "nl"
    assert document["caseVersion"] == "1.1"
    assert document["adoptionStatus"] == "Adopted"
    assert document["CFPackageURI"] == {
        "title": "Vakmanschap 3.0",
        "identifier": document["identifier"],
        "uri": f"http://testserver/ims/case/v1p1/CFPackages/{document['identifier']}",
    }


def test_document_endpoint(reader, frameworks):
    framework = frameworks["bewust-ambtelijk-vakmanschap"]
    response, data = get_json(reader, "document", framework.identifier)
    assert response.status_code == 200
    assert data["identifier"] == str(framework.identifier)
    assert data["uri"] == f"http://testserver/ims/case/v1p1/CFDocuments/{framework.identifier}"
    assert data["CFPackageURI"]["identifier"] == str(framework.identifier)


def test_package_nesting(reader, frameworks):
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework)
    assert set(package) == {"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}
    assert package["CFDocument"]["identifier"] == str(framework.identifier)
    assert "CFPackageURI" not in package["CFDocument"]  # not part of the package's document type

    competencies = list(framework.competencies.order_by("position"))
    items = package["CFItems"]
    assert [i["identifier"] for i in items] == [str(c.identifier) for c in competencies]
    first = items[0]
    assert first["humanCodingScheme"] == competencies[0].code
    assert first["abbreviatedStatement"] == competencies[0].name_nl
    assert first["fullStatement"] == competencies[0].definition_nl
    assert first["language"] == "nl"
    assert first["conceptKeywords"] == [competencies[0].theme.name_nl]

    concepts = {c["identifier"]: c for c in package["CFDefinitions"]["CFConcepts"]}
    assert concepts[first["conceptKeywordsURI"]["identifier"]]["hierarchyCode"] == competencies[0].theme.code

    [rubric] = package["CFRubrics"]
    assert rubric["identifier"] == case.rubric_identifier(framework.identifier)
    criteria = rubric["CFRubricCriteria"]
    assert [c["CFItemURI"]["identifier"] for c in criteria] == [str(c.identifier) for c in competencies]
    for criterion, competency in zip(criteria, competencies, strict=True):
        assert criterion["rubricId"] == rubric["identifier"]
        assert criterion["CFItemURI"]["uri"] == f"http://testserver/ims/case/v1p1/CFItems/{competency.identifier}"
        levels = criterion["CFRubricCriterionLevels"]
        assert [(lv["score"], lv["position"]) for lv in levels] == [(n, n) for n in range(1, 6)]
        stored = list(competency.levels.order_by("level"))
        assert [lv["identifier"] for lv in levels] == [str(s.identifier) for s in stored]
        assert [lv["description"] for lv in levels] == [s.description_nl for s in stored]
        assert all(lv["rubricCriterionId"] == criterion["identifier"] for lv in levels)
    with translation.override("nl"):
        assert criteria[0]["CFRubricCriterionLevels"][2]["quality"] == str(level_name(3))  # the scale name, in Dutch


def test_associations_child_of_document_and_related_by_theme(reader, frameworks):
    framework = frameworks["soft-skills-ambtenaar-toekomst"]
    package = get_package(reader, framework)
    associations = package["CFAssociations"]
    children = [a for a in associations if a["associationType"] == "isChildOf"]
    competencies = list(framework.competencies.order_by("position"))
    assert [(a["originNodeURI"]["identifier"], a["sequenceNumber"]) for a in children] == [
        (str(c.identifier), c.position) for c in competencies
    ]
    assert {a["destinationNodeURI"]["identifier"] for a in children} == {str(framework.identifier)}

    related = {
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in associations
        if a["associationType"] == "isRelatedTo"
    }
    expected = {
        (str(c.identifier), str(o.identifier))
        for c in competencies
        for o in Competency.objects.filter(theme=c.theme).exclude(pk=c.pk)
    }
    assert related == expected
    # Across frameworks: flexibility appears in more than one framework.
    assert any(
        Competency.objects.get(identifier=destination).framework_id != framework.pk for _origin, destination in related
    )


def test_item_endpoint(reader, frameworks):
    competency = frameworks["vakmanschap-3-0"].competencies.order_by("position").first()
    response, data = get_json(reader, "item", competency.identifier)
    assert response.status_code == 200
    assert data["identifier"] == str(competency.identifier)
    assert data["humanCodingScheme"] == competency.code
    assert data["CFDocumentURI"]["identifier"] == str(competency.framework.identifier)
    assert {"identifier", "fullStatement", "uri", "lastChangeDateTime"} <= set(data)


def test_rubric_endpoint_equals_the_rubric_in_the_package(reader, frameworks):
    framework = frameworks["competenties-disruptieve-technologie"]
    package = get_package(reader, framework)
    response, data = get_json(reader, "rubric", case.rubric_identifier(framework.identifier))
    assert response.status_code == 200
    assert data == package["CFRubrics"][0]
    assert len(data["CFRubricCriteria"]) == framework.competencies.count()


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_served_package_validates_against_the_case_schema(reader, frameworks, slug, lang):
    package = get_package(reader, frameworks[slug], lang=lang)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(package)]
    assert errors == []


def every_identifier(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("identifier", "rubricId", "rubricCriterionId"):
                yield inner
            yield from every_identifier(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from every_identifier(inner)


def test_identifiers_are_stable_lowercase_uuids(reader, frameworks):
    framework = frameworks["bewust-ambtelijk-vakmanschap"]
    first = get_package(reader, framework)
    assert get_package(reader, framework) == first
    identifiers = list(every_identifier(first))
    assert len(identifiers) > 100
    assert all(UUID4ISH.match(i) for i in identifiers), [i for i in identifiers if not UUID4ISH.match(i)]
    assert case.criterion_identifier(uuid.UUID(int=1)) == case.criterion_identifier(
        "00000000-0000-0000-0000-000000000001"
    )


# Languages.


def test_language_from_query_parameter(reader, frameworks):
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework, lang="en")
    assert package["CFDocument"]["language"] == "en"
    assert package["CFDocument"]["title"] == framework.title_en
    assert package["CFItems"][0]["language"] == "en"
    assert package["CFDocument"]["extensions"]["vakmanschap"]["translations"]["nl"]["title"] == framework.title_nl
    level = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]
    assert level["description"] == framework.competencies.order_by("position")[0].levels.get(level=1).description_en


def test_language_from_the_active_language(reader, frameworks):
    framework = frameworks["vakmanschap-3-0"]
    reader.post(reverse("set_language"), {"language": "en"})
    assert get_package(reader, framework)["CFDocument"]["language"] == "en"
    response, data = get_json(reader, "documents", HTTP_ACCEPT_LANGUAGE="en")
    assert {d["language"] for d in data["CFDocuments"]} == {"en"}


def test_unknown_language_is_a_case_error(reader, frameworks):
    response, data = get_json(reader, "package", frameworks["vakmanschap-3-0"].identifier, lang="de")
    assert response.status_code == 400
    assert data["imsx_codeMajor"] == "failure"
    assert data["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "invalid_selection_field"


# Access and errors.


def endpoints(frameworks):
    framework = frameworks["vakmanschap-3-0"]
    competency = framework.competencies.first()
    return [
        ("documents", None),
        ("document", framework.identifier),
        ("package", framework.identifier),
        ("item", competency.identifier),
        ("rubric", case.rubric_identifier(framework.identifier)),
    ]


def test_anonymous_gets_401_with_a_case_status(client, frameworks, settings):
    settings.CASE_API_PUBLIC = False
    for name, identifier in endpoints(frameworks):
        response, data = get_json(client, name, identifier)
        assert response.status_code == 401, name
        assert response["WWW-Authenticate"].startswith("Cookie")
        assert data["imsx_codeMajor"] == "failure"
        assert data["imsx_severity"] == "error"
        assert (
            data["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unauthorised_request"
        )  # the value in the definition's enumeration
        assert "CFDocuments" not in data and "CFDocument" not in data


def test_anonymous_may_read_when_the_api_is_public(client, frameworks, settings):
    settings.CASE_API_PUBLIC = True
    for name, identifier in endpoints(frameworks):
        response, _data = get_json(client, name, identifier)
        assert response.status_code == 200, name


def test_every_logged_in_user_may_read(reader, frameworks):
    for name, identifier in endpoints(frameworks):
        response, _data = get_json(reader, name, identifier)
        assert response.status_code == 200, name


@pytest.mark.parametrize("name", ["document", "package", "item", "rubric"])
def test_unknown_identifier_is_a_json_404(reader, frameworks, name):
    framework = frameworks["vakmanschap-3-0"]
    # A real identifier of the wrong kind is unknown too (a framework's identifier is no rubric's).
    identifier = framework.identifier if name in ("item", "rubric") else uuid.uuid4()
    response, data = get_json(reader, name, identifier)
    assert response.status_code == 404
    assert data["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unknownobject"
    assert str(identifier) in data["imsx_description"]


def test_only_get(reader, frameworks):
    response = reader.post(reverse("case:package", kwargs={"identifier": frameworks["vakmanschap-3-0"].identifier}))
    assert response.status_code == 405


# Query counts do not grow with the data.


def count_queries(client, name, identifier=None):
    with CaptureQueriesContext(connection) as queries:
        response, _data = get_json(client, name, identifier)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_are_constant(reader, frameworks, django_assert_max_num_queries):
    get_json(reader, "documents")  # the first request writes the session
    small, large = frameworks["soft-skills-ambtenaar-toekomst"], frameworks["competenties-disruptieve-technologie"]
    assert small.competencies.count() < large.competencies.count()
    for name, ident in [("package", "identifier"), ("rubric", "rubric"), ("document", "identifier")]:
        counts = {
            count_queries(reader, name, case.rubric_identifier(f.identifier) if ident == "rubric" else f.identifier)
            for f in (small, large)
        }
        assert len(counts) == 1, (name, counts)
    items = [c.identifier for c in (small.competencies.first(), large.competencies.last())]
    assert len({count_queries(reader, "item", i) for i in items}) == 1
    # Session and user, then: framework, competencies, levels, related competencies.
    with django_assert_max_num_queries(6):
        get_json(reader, "package", large.identifier)
    with django_assert_max_num_queries(3):
        get_json(reader, "documents")
    # Framework identifiers (to find the rubric), framework, competencies, levels.
    with django_assert_max_num_queries(6):
        get_json(reader, "rubric", case.rubric_identifier(large.identifier))
    with django_assert_max_num_queries(3):
        get_json(reader, "item", items[1])


def test_document_list_queries_do_not_grow_with_frameworks(reader, frameworks):
    get_json(reader, "documents")
    before = count_queries(reader, "documents")
    Framework.objects.create(slug="extra", title_nl="Extra", title_en="Extra", description_nl="x", description_en="x")
    assert count_queries(reader, "documents") == before


# Round trip: export -> delete -> import gives the same framework.


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_round_trip_of_one_package(reader, frameworks, tmp_path, lang):
    framework = frameworks["vakmanschap-3-0"]
    before = case.framework_to_data(framework)
    assert all(level["identifier"] for c in before["competencies"] for level in c["levels"])
    path = write(tmp_path, get_package(reader, framework, lang=lang))
    framework.delete()
    assert not Competency.objects.filter(identifier=before["competencies"][0]["identifier"]).exists()
    import_case(path)
    after = case.framework_to_data(Framework.objects.get(identifier=before["identifier"]))
    assert after == before


@pytest.mark.parametrize("slug", SLUGS)
def test_round_trip_of_every_fixture_framework(reader, frameworks, tmp_path, slug):
    framework = frameworks[slug]
    before = case.framework_to_data(framework)
    path = write(tmp_path, get_package(reader, framework))
    framework.delete()
    import_case(path)
    assert case.framework_to_data(Framework.objects.get(identifier=before["identifier"])) == before


def strip_extensions(value):
    if isinstance(value, dict):
        return {k: strip_extensions(v) for k, v in value.items() if k != "extensions"}
    if isinstance(value, list):
        return [strip_extensions(v) for v in value]
    return value


def test_round_trip_of_two_plain_packages_one_per_language(reader, frameworks, tmp_path):
    """A provider without our extension: one package per language gives both languages back."""
    framework = frameworks["21e-eeuwse-vaardigheden-gemeenten"]
    before = case.framework_to_data(framework)
    nl = write(tmp_path, strip_extensions(get_package(reader, framework, lang="nl")), "nl.json")
    en = write(tmp_path, strip_extensions(get_package(reader, framework, lang="en")), "en.json")
    framework.delete()
    import_case(nl, en)
    after = case.framework_to_data(Framework.objects.get(identifier=before["identifier"]))
    # Slug and source detail live in our extension only; everything CASE itself carries comes back.
    for key in ("identifier", "version", "title", "description", "competencies", "is_own"):
        assert after[key] == before[key], key
    assert after["source"]["author"] == before["source"]["author"]


def test_second_package_may_come_first_in_english(reader, frameworks, tmp_path):
    framework = frameworks["soft-skills-ambtenaar-toekomst"]
    before = case.framework_to_data(framework)
    en = write(tmp_path, strip_extensions(get_package(reader, framework, lang="en")), "en.json")
    nl = write(tmp_path, strip_extensions(get_package(reader, framework, lang="nl")), "nl.json")
    framework.delete()
    import_case(en, nl)
    after = case.framework_to_data(Framework.objects.get(identifier=before["identifier"]))
    assert after["competencies"] == before["competencies"]
    assert after["title"] == before["title"]


def test_reimport_of_an_unchanged_package_changes_nothing(reader, frameworks, tmp_path):
    framework = frameworks["vakmanschap-3-0"]
    path = write(tmp_path, get_package(reader, framework))
    state = snapshot()
    assert "Unchanged: Craftsmanship 3.0 (v1)" in import_case(path)
    assert snapshot() == state


def test_import_updates_an_unfrozen_framework(reader, frameworks, tmp_path):
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework, lang="en")
    package["CFItems"][0]["abbreviatedStatement"] = "Results first"
    assert "Updated: Craftsmanship 3.0 (v1)" in import_case(write(tmp_path, package))
    competency = Competency.objects.get(identifier=package["CFItems"][0]["identifier"])
    assert (competency.name_en, competency.name_nl) == ("Results first", "Resultaatgericht")


def test_unknown_theme_becomes_a_new_theme(reader, frameworks, tmp_path):
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework)
    concept = package["CFDefinitions"]["CFConcepts"][0]
    concept["hierarchyCode"] = "curiosity"
    concept["title"] = "Nieuwsgierigheid"
    concept["extensions"]["vakmanschap"]["translations"]["en"]["title"] = "Curiosity"
    assert "New theme: curiosity" in import_case(write(tmp_path, package))
    theme = Theme.objects.get(code="curiosity")
    assert (theme.name_nl, theme.name_en) == ("Nieuwsgierigheid", "Curiosity")
    using = [
        i["identifier"] for i in package["CFItems"] if i["conceptKeywordsURI"]["identifier"] == concept["identifier"]
    ]
    assert using
    assert set(Competency.objects.filter(identifier__in=using).values_list("theme__code", flat=True)) == {"curiosity"}


def test_known_theme_keeps_its_names(reader, frameworks, tmp_path):
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework)
    concept = package["CFDefinitions"]["CFConcepts"][0]
    names = Theme.objects.get(code=concept["hierarchyCode"]).name_nl
    concept["title"] = "Iets anders"
    package["CFItems"][0]["abbreviatedStatement"] = "Nieuwe naam"  # something to update
    import_case(write(tmp_path, package))
    assert Theme.objects.get(code=concept["hierarchyCode"]).name_nl == names


def test_frozen_framework_is_never_overwritten(reader, frameworks, tmp_path):
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework)
    framework.freeze()
    import_case(write(tmp_path, package, "same.json"))  # the same content: nothing to refuse
    package["CFItems"][0]["fullStatement"] = "Iets heel anders."
    state = snapshot()
    with pytest.raises(CommandError) as error:
        import_case(write(tmp_path, package))
    assert "Craftsmanship 3.0 (v1) is frozen" in str(error.value)
    assert "Nothing was changed." in str(error.value)
    assert snapshot() == state


# Bad imports: each says exactly what is wrong and changes nothing.


def first_criterion(package):
    return package["CFRubrics"][0]["CFRubricCriteria"][0]


def duplicate_code(p):
    p["CFItems"][1]["humanCodingScheme"] = p["CFItems"][0]["humanCodingScheme"]


def missing_level(p):
    del first_criterion(p)["CFRubricCriterionLevels"][2]


def unknown_scale(p):
    for level in first_criterion(p)["CFRubricCriterionLevels"]:
        level["score"] -= 1  # 0..4


def half_score(p):
    first_criterion(p)["CFRubricCriterionLevels"][1]["score"] = 2.5


def duplicate_score(p):
    first_criterion(p)["CFRubricCriterionLevels"][4]["score"] = 4


def score_missing(p):
    del first_criterion(p)["CFRubricCriterionLevels"][0]["score"]


def no_criterion(p):
    del p["CFRubrics"][0]["CFRubricCriteria"][0]


def two_criteria(p):
    p["CFRubrics"][0]["CFRubricCriteria"].append(copy.deepcopy(first_criterion(p)))


def criterion_for_unknown_item(p):
    extra = copy.deepcopy(first_criterion(p))
    extra["CFItemURI"]["identifier"] = "2d1b5a43-7b0e-4d2c-9a53-3e0f5b8c1d11"
    p["CFRubrics"][0]["CFRubricCriteria"].append(extra)


def no_theme(p):
    del p["CFItems"][0]["conceptKeywordsURI"]


def undefined_concept(p):
    p["CFItems"][0]["conceptKeywordsURI"]["identifier"] = "5e0c4f0b-1a7d-4c61-8f3e-2b9d6a7c8e90"


def bad_theme_code(p):
    for concept in p["CFDefinitions"]["CFConcepts"]:
        concept["hierarchyCode"] = "geen code!"


def new_theme_without_english_name(p):
    concept = p["CFDefinitions"]["CFConcepts"][0]
    concept["hierarchyCode"] = "curiosity"
    del concept["extensions"]


def empty_text(p):
    first_criterion(p)["CFRubricCriterionLevels"][3]["description"] = "  "


def empty_english_definition(p):
    p["CFItems"][0]["extensions"]["vakmanschap"]["translations"]["en"]["fullStatement"] = ""


def no_code(p):
    del p["CFItems"][0]["humanCodingScheme"]


def no_english(p):
    p.update(strip_extensions(p))


def other_language(p):
    p["CFDocument"]["language"] = "de"


def extra_field(p):
    p["CFItems"][0]["colour"] = "red"


def bad_identifier_pattern(p):
    p["CFItems"][0]["identifier"] = "not-a-uuid"


def missing_document(p):
    del p["CFDocument"]


def duplicate_item_identifier(p):
    p["CFItems"][1]["identifier"] = p["CFItems"][0]["identifier"]


def bad_source_date(p):
    p["CFDocument"]["extensions"]["vakmanschap"]["source"]["date"] = "3 mei 2016"


def bad_slug(p):
    p["CFDocument"]["extensions"]["vakmanschap"]["slug"] = "geen slug"


BAD_PACKAGES = {
    "duplicate code": (duplicate_code, "The code VK3-RESULT is used more than once."),
    "missing level": (missing_level, "Item VK3-RESULT: level 3 (Proficient) is missing."),
    "unknown scale": (unknown_scale, "Item VK3-RESULT has a level with score 0, which is not on our scale"),
    "half score": (half_score, "Item VK3-RESULT has a level with score 2.5, which is not on our scale"),
    "duplicate score": (duplicate_score, "Item VK3-RESULT has more than one level with score 4."),
    "score missing": (score_missing, "Item VK3-RESULT has a level without a score."),
    "no criterion": (no_criterion, "Item VK3-RESULT has no rubric criterion"),
    "two criteria": (two_criteria, "Item VK3-RESULT has 2 rubric criteria; it needs exactly one."),
    "criterion for unknown item": (criterion_for_unknown_item, "points at item 2d1b5a43-7b0e-4d2c-9a53-3e0f5b8c1d11"),
    "no theme": (no_theme, "Item VK3-RESULT has no theme"),
    "undefined concept": (undefined_concept, "which is not in CFDefinitions/CFConcepts"),
    "bad theme code": (bad_theme_code, "which cannot be a theme code"),
    "new theme without English name": (new_theme_without_english_name, "The theme 'curiosity' has no English name"),
    "empty text": (
        empty_text,
        "Vakmanschap 3.0, competency VK3-RESULT level 4: the text in Dutch and English must not be empty.",
    ),
    "empty English": (
        empty_english_definition,
        "Vakmanschap 3.0, competency VK3-RESULT definition: the text in Dutch and English",
    ),
    "no code": (no_code, "Vakmanschap 3.0: competency 1 has no code."),
    "no English": (no_english, "The package has no English texts. Give the English package as a second file."),
    "other language": (other_language, "A package is in the language 'de'"),
    "extra field": (extra_field, "CFItems/0: Additional properties are not allowed ('colour' was unexpected)"),
    "bad identifier": (bad_identifier_pattern, "CFItems/0/identifier: 'not-a-uuid' does not match"),
    "missing document": (missing_document, "'CFDocument' is a required property"),
    "duplicate item identifier": (duplicate_item_identifier, "is used more than once"),
    "bad source date": (bad_source_date, "The source date '3 mei 2016' is not a date like 2026-05-01."),
    "bad slug": (bad_slug, "The slug 'geen slug' may only hold letters"),
}


@pytest.mark.parametrize("case_name", list(BAD_PACKAGES))
def test_bad_package_changes_nothing(reader, frameworks, tmp_path, case_name):
    change, message = BAD_PACKAGES[case_name]
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework)
    package["CFItems"][0]["abbreviatedStatement"] = "Zou anders wijzigen"  # the rest would be a real change
    change(package)
    state = snapshot()
    with pytest.raises(CommandError) as error:
        import_case(write(tmp_path, package))
    assert message in str(error.value)
    assert str(error.value).endswith("Nothing was changed.")
    assert snapshot() == state


@pytest.mark.parametrize("case_name", ["missing level", "duplicate code", "unknown scale"])
def test_bad_package_for_a_new_framework_creates_nothing(reader, frameworks, tmp_path, case_name):
    change, message = BAD_PACKAGES[case_name]
    framework = frameworks["vakmanschap-3-0"]
    package = get_package(reader, framework)
    framework.delete()
    change(package)
    state = snapshot()
    with pytest.raises(CommandError) as error:
        import_case(write(tmp_path, package))
    assert message in str(error.value)
    assert snapshot() == state
    assert not Framework.objects.filter(identifier=package["CFDocument"]["identifier"]).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"CFDocument": {',
            "package.json is not valid JSON: Expecting property name enclosed in double quotes at line 1",
        ),
        ("", "package.json is not valid JSON: Expecting value at line 1, column 1."),
        ("[1, 2]", "package.json is not a CASE package: it is not a JSON object."),
        (b"\xff\xfe{", "package.json is not UTF-8 text."),
    ],
    ids=["truncated", "empty", "array", "not utf-8"],
)
def test_malformed_file_changes_nothing(frameworks, tmp_path, content, message):
    path = tmp_path / "package.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    state = snapshot()
    with pytest.raises(CommandError) as error:
        import_case(str(path))
    assert message in str(error.value)
    assert snapshot() == state


def test_missing_file(frameworks, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.json cannot be read: No such file or directory"):
        import_case(str(tmp_path / "missing.json"))


def test_too_large_file(reader, frameworks, tmp_path, settings):
    settings.MAX_IMPORT_BYTES = 1024 * 1024
    path = write(tmp_path, " " * (1024 * 1024 + 1))
    with pytest.raises(CommandError, match=r"package\.json is larger than 1 MB\."):
        import_case(path)


def test_schema_errors_are_listed_each_with_its_place(reader, frameworks, tmp_path):
    package = get_package(reader, frameworks["vakmanschap-3-0"])
    package["CFItems"][0]["colour"] = "red"
    package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0]["score"] = "three"
    with pytest.raises(CommandError) as error:
        import_case(write(tmp_path, package))
    lines = str(error.value).splitlines()
    assert any(line.startswith(f"{tmp_path}/package.json: CFItems/0: Additional properties") for line in lines)
    assert any(
        "CFRubrics/0/CFRubricCriteria/0/CFRubricCriterionLevels/0/score: 'three' is not of type" in line
        for line in lines
    )


def test_all_problems_are_reported_at_once(reader, frameworks, tmp_path):
    package = get_package(reader, frameworks["vakmanschap-3-0"])
    duplicate_code(package)
    missing_level(package)
    with pytest.raises(CommandError) as error:
        import_case(write(tmp_path, package))
    assert "The code VK3-RESULT is used more than once." in str(error.value)
    assert "level 3 (Proficient) is missing" in str(error.value)


def test_second_package_must_match(reader, frameworks, tmp_path):
    framework = frameworks["vakmanschap-3-0"]
    nl = strip_extensions(get_package(reader, framework, lang="nl"))
    en = strip_extensions(get_package(reader, framework, lang="en"))
    state = snapshot()

    same_language = write(tmp_path, nl, "nl2.json")
    with pytest.raises(CommandError, match="Both packages are in Dutch; the second must be in the other language."):
        import_case(write(tmp_path, nl, "nl.json"), same_language)

    other = copy.deepcopy(en)
    other["CFDocument"]["identifier"] = str(frameworks["bewust-ambtelijk-vakmanschap"].identifier)
    with pytest.raises(CommandError, match="The second package describes another framework"):
        import_case(write(tmp_path, nl, "nl.json"), write(tmp_path, other, "other.json"))

    fewer = copy.deepcopy(en)
    dropped = fewer["CFItems"].pop()
    with pytest.raises(CommandError, match=f"Item {dropped['identifier']} is in only one of the two packages"):
        import_case(write(tmp_path, nl, "nl.json"), write(tmp_path, fewer, "fewer.json"))

    broken = copy.deepcopy(en)
    broken["CFItems"][0]["colour"] = "red"
    with pytest.raises(CommandError, match=r"en\.json: CFItems/0: Additional properties"):
        import_case(write(tmp_path, nl, "nl.json"), write(tmp_path, broken, "en.json"))
    assert snapshot() == state


def test_identifiers_of_another_framework_are_refused(reader, frameworks, tmp_path):
    """An item identifier that belongs to another framework would move that competency: refused."""
    package = get_package(reader, frameworks["vakmanschap-3-0"])
    stranger = frameworks["bewust-ambtelijk-vakmanschap"].competencies.first()
    old = package["CFItems"][0]["identifier"]
    package["CFItems"][0]["identifier"] = str(stranger.identifier)
    for association in package["CFAssociations"]:
        if association["originNodeURI"]["identifier"] == old:
            association["originNodeURI"]["identifier"] = str(stranger.identifier)
    first_criterion(package)["CFItemURI"]["identifier"] = str(stranger.identifier)
    state = snapshot()
    with pytest.raises(CommandError, match=f"Item VK3-RESULT: its identifier belongs to competency {stranger.code}"):
        import_case(write(tmp_path, package))
    assert snapshot() == state


def test_level_identifier_of_another_level_is_refused(reader, frameworks, tmp_path):
    package = get_package(reader, frameworks["vakmanschap-3-0"])
    levels = first_criterion(package)["CFRubricCriterionLevels"]
    levels[0]["identifier"], levels[1]["identifier"] = levels[1]["identifier"], levels[0]["identifier"]
    state = snapshot()
    with pytest.raises(CommandError, match="already belongs to level 2 of competency VK3-RESULT"):
        import_case(write(tmp_path, package))
    assert snapshot() == state


def test_slug_and_version_of_another_framework_are_refused(reader, frameworks, tmp_path):
    package = get_package(reader, frameworks["vakmanschap-3-0"])
    framework = frameworks["vakmanschap-3-0"]
    framework.delete()
    package["CFDocument"]["extensions"]["vakmanschap"]["slug"] = "bewust-ambtelijk-vakmanschap"
    state = snapshot()
    with pytest.raises(CommandError, match="already has the slug 'bewust-ambtelijk-vakmanschap' and version 1"):
        import_case(write(tmp_path, package))
    assert snapshot() == state
