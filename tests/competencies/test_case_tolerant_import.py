# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""`manage.py import_case` reads packages as other CASE providers write them (nulls for optional fields, a
CFPackage wrapper, single objects for lists, one language per package), bounds nesting and text sizes, and still
refuses what is really wrong with the exact place and reason, changing nothing."""

import io
import json
import uuid

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from competencies import case_reading
from competencies.models import Framework, Theme

STAMP = "2025-03-14T09:26:53+00:00"


def uid():
    return str(uuid.uuid4())


def foreign_package(lang, ids):
    """A framework of two competencies as a provider without our extension writes it: one language, nulls."""
    words = {
        "nl": ("Samenwerken in de wijk", "Samenwerken", "Je werkt samen met bewoners.", "Niveau", "Thema wijk"),
        "en": ("Working in the neighbourhood", "Cooperation", "You work with residents.", "Level", "Theme area"),
    }[lang]
    title, name, definition, level, concept = words
    doc = ids["document"]
    base = "https://case.provider.example/ims/case/v1p1"
    items = [
        {
            "identifier": ids[f"item{n}"],
            "uri": f"{base}/CFItems/{ids[f'item{n}']}",
            "fullStatement": f"{definition} ({n})",
            "abbreviatedStatement": f"{name} {n}",
            "humanCodingScheme": f"WIJK-{n}",
            "CFItemType": None,
            "CFItemTypeURI": None,
            "conceptKeywordsURI": {
                "title": concept,
                "identifier": ids["concept"],
                "uri": f"{base}/CFConcepts/{ids['concept']}",
            },
            "notes": None,
            "educationLevel": None,
            "language": lang,
            "statusStartDate": None,
            "lastChangeDateTime": STAMP,
            "extensions": None,
        }
        for n in (1, 2)
    ]
    criteria = [
        {
            "identifier": ids[f"criterion{n}"],
            "uri": f"{base}/CFRubricCriteria/{ids[f'criterion{n}']}",
            "CFItemURI": {"title": f"{name} {n}", "identifier": ids[f"item{n}"], "uri": items[n - 1]["uri"]},
            "weight": None,
            "lastChangeDateTime": STAMP,
            "CFRubricCriterionLevels": [
                {
                    "identifier": ids[f"level{n}-{score}"],
                    "uri": f"{base}/CFRubricCriterionLevels/{ids[f'level{n}-{score}']}",
                    "description": f"{level} {score}: {name} {n}",
                    "score": score,
                    "feedback": None,
                    "lastChangeDateTime": STAMP,
                }
                for score in range(1, 6)
            ],
        }
        for n in (1, 2)
    ]
    return {
        "CFPackage": {
            "CFDocument": {
                "identifier": doc,
                "uri": f"{base}/CFDocuments/{doc}",
                "creator": "Provincie Voorbeeld",
                "title": title,
                "description": f"{title}: {definition}",
                "lastChangeDateTime": STAMP,
                "language": lang,
                "version": "2.0",
                "publisher": None,
                "licenseURI": None,
                "notes": None,
                "subject": None,
                "adoptionStatus": "Adopted",
            },
            "CFItems": items,
            "CFAssociations": [
                {
                    "identifier": ids[f"assoc{n}"],
                    "associationType": "isChildOf",
                    "uri": f"{base}/CFAssociations/{ids[f'assoc{n}']}",
                    "originNodeURI": {
                        "title": f"{name} {n}",
                        "identifier": ids[f"item{n}"],
                        "uri": items[n - 1]["uri"],
                    },
                    "destinationNodeURI": {"title": title, "identifier": doc, "uri": f"{base}/CFDocuments/{doc}"},
                    "sequenceNumber": n,
                    "CFAssociationGroupingURI": None,
                    "lastChangeDateTime": STAMP,
                }
                for n in (2, 1)
            ],
            "CFDefinitions": {
                "CFConcepts": {
                    "identifier": ids["concept"],
                    "uri": f"{base}/CFConcepts/{ids['concept']}",
                    "title": concept,
                    "hierarchyCode": "neighbourhood",
                    "keywords": None,
                    "lastChangeDateTime": STAMP,
                },
                "CFSubjects": None,
                "CFLicenses": [],
            },
            # A single rubric written as an object, not a list of one.
            "CFRubrics": {
                "identifier": ids["rubric"],
                "uri": f"{base}/CFRubrics/{ids['rubric']}",
                "title": None,
                "lastChangeDateTime": STAMP,
                "CFRubricCriteria": criteria,
            },
        }
    }


@pytest.fixture
def ids():
    names = ["document", "concept", "rubric", "item1", "item2", "criterion1", "criterion2", "assoc1", "assoc2"]
    names += [f"level{n}-{score}" for n in (1, 2) for score in range(1, 6)]
    return {name: uid() for name in names}


def write(tmp_path, data, name):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def import_case(*paths):
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_case", *paths, stdout=out)
    return out.getvalue()


def refused(*paths):
    with pytest.raises(CommandError) as error, translation.override("en"):
        call_command("import_case", *paths, stdout=io.StringIO())
    assert str(error.value).endswith("Nothing was changed.")
    return str(error.value)


def test_a_foreign_provider_package_pair_imports_with_warnings(db, tmp_path, ids):
    nl = write(tmp_path, foreign_package("nl", ids), "nl.json")
    en = write(tmp_path, foreign_package("en", ids), "en.json")
    out = import_case(nl, en)
    assert "Created: Working in the neighbourhood (v2)" in out
    assert "New theme: neighbourhood" in out
    assert f"Warning: {nl}: CFPackage" not in out  # the wrapper is no warning; paths start inside it
    assert f"Warning: {nl}: CFDocument/publisher is null; read as absent." in out
    assert f"Warning: {en}: CFItems/0/notes is null; read as absent." in out
    framework = Framework.objects.get(identifier=ids["document"])
    assert framework.title_en == "Working in the neighbourhood"
    assert [c.code for c in framework.competencies.order_by("position")] == ["WIJK-1", "WIJK-2"]
    first = framework.competencies.get(code="WIJK-1")
    assert first.name_nl == "Samenwerken 1" and first.definition_en == "You work with residents. (1)"
    assert list(first.levels.order_by("level").values_list("description_en", flat=True))[2] == "Level 3: Cooperation 1"
    assert Theme.objects.get(code="neighbourhood").name_nl == "Thema wijk"


def test_the_bare_package_without_wrapper_imports_too(db, tmp_path, ids):
    nl, en = (foreign_package(lang, ids)["CFPackage"] for lang in ("nl", "en"))
    nl["CFItems"].append(None)  # a stray null in a list is left out, with a warning
    out = import_case(write(tmp_path, nl, "nl.json"), write(tmp_path, en, "en.json"))
    assert "CFItems/2 is null; left out." in out
    assert Framework.objects.filter(identifier=ids["document"]).exists()


def test_many_nulls_are_summarised(db, tmp_path, ids):
    out = import_case(
        write(tmp_path, foreign_package("nl", ids), "nl.json"), write(tmp_path, foreign_package("en", ids), "en.json")
    )
    warnings = [line for line in out.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 2 * (case_reading.MAX_WARNINGS + 1)
    assert warnings[-1].endswith("more nulls.")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["CFDocument"].update(title=None), "nl.json: CFDocument: 'title' is a required property"),
        (lambda p: p["CFItems"][1].update(fullStatement=None), "nl.json: CFItems/1: 'fullStatement' is a required"),
        (
            lambda p: p["CFItems"][0].update(identifier="WIJK-1"),
            "nl.json: CFItems/0/identifier: 'WIJK-1' does not match",
        ),
        (
            lambda p: p["CFDocument"].update(title="x" * 201),
            "nl.json: CFDocument/title: the text is 201 characters long; at most 200 fit here.",
        ),
        (
            lambda p: p["CFItems"][0].update(humanCodingScheme="C" * 41),
            "CFItems/0/humanCodingScheme: the text is 41 characters",
        ),
        (
            lambda p: p["CFRubrics"]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0].update(
                description="y" * 10_001
            ),
            "CFRubrics/0/CFRubricCriteria/0/CFRubricCriterionLevels/0/description: the text is 10,001 characters long",
        ),
    ],
    ids=["null title", "null statement", "bad identifier", "long title", "long code", "long level"],
)
def test_what_is_really_wrong_is_refused_with_place_and_reason(db, tmp_path, ids, change, message):
    package = foreign_package("nl", ids)["CFPackage"]
    change(package)
    error = refused(write(tmp_path, package, "nl.json"), write(tmp_path, foreign_package("en", ids), "en.json"))
    assert message in error
    assert not Framework.objects.exists()


def test_a_huge_title_is_refused_and_changes_nothing(db, tmp_path, ids):
    package = foreign_package("nl", ids)
    package["CFPackage"]["CFDocument"]["title"] = "T" * 4_500_000
    error = refused(write(tmp_path, package, "nl.json"), write(tmp_path, foreign_package("en", ids), "en.json"))
    assert "CFDocument/title: the text is 4,500,000 characters long; at most 200 fit here." in error
    assert not Framework.objects.exists()


def test_deep_nesting_is_refused_before_parsing(db, tmp_path, ids):
    package = foreign_package("nl", ids)["CFPackage"]
    text = json.dumps(package)[:-1] + ', "extensions": ' + "[" * 100_000 + "]" * 100_000 + "}"
    error = refused(write(tmp_path, text, "deep.json"))
    assert "deep.json nests 100001 levels deep; a CASE package needs far fewer, so at most 32 are read." in error
    assert not Framework.objects.exists()


def test_brackets_inside_texts_do_not_count_as_nesting():
    assert case_reading.nesting_depth('{"a": "[[[[{{{{\\"]]]]", "b": [[1]]}') == 3
