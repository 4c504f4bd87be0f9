# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Version 2 of the content: the loader's checks, version 2 made through versions.py, CASE with tips and indicators."""

import copy
import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

import pytest

from competencies import case
from competencies.loading import FIXTURES, first_version_files, load_themes, validate_framework_data
from competencies.models import Competency, Framework, LevelDescription
from competencies.versions import derived_identifier, save_framework_data, save_next_version

THEMES = {item["code"] for item in json.loads((FIXTURES / "themes.json").read_text(encoding="utf-8"))}
V1 = FIXTURES / "frameworks" / "v1" / "vakmanschap-3-0.json"


def version_two(data):
    """A small but complete version 2 of `data`: every level with three indicators and a tip (not on level 5)."""
    data = copy.deepcopy(data)
    data["version"] = "2.0"
    for item in data["competencies"][:2]:
        item["not_yet"] = {
            "nl": f"Je wacht bij {item['code']} af tot iemand anders de eerste stap zet.",
            "en": f"With {item['code']} you wait until someone else takes the first step.",
        }
        levels = []
        for number, text in enumerate(item["levels"], 1):
            level = {
                "text": {"nl": text["nl"], "en": text["en"]},
                "indicators": [
                    {
                        "nl": f"Je laat bij {item['code']} op niveau {number} stap {step} zien in je werk.",
                        "en": f"At level {number} of {item['code']} you show step {step} in your work.",
                    }
                    for step in (1, 2, 3)
                ],
            }
            if number < 5:
                level["tip"] = {
                    "nl": f"Oefen bij {item['code']} deze week de stap naar niveau {number + 1} in een overleg.",
                    "en": f"This week, practise the step to level {number + 1} of {item['code']} in a meeting.",
                }
            levels.append(level)
        item["levels"] = levels
    data["competencies"] = data["competencies"][:2]
    return data


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def themes(db):
    load_themes()


@pytest.fixture
def v1_data():
    return json.loads(V1.read_text(encoding="utf-8"))


@pytest.fixture
def v2_data(v1_data):
    return version_two(v1_data)


def test_a_complete_version_two_passes_the_content_standard(v2_data):
    assert validate_framework_data(v2_data, themes=THEMES, standard=True) == []


def test_version_one_data_is_still_read_but_does_not_meet_the_standard(v1_data):
    assert validate_framework_data(v1_data, themes=THEMES) == []
    errors = validate_framework_data(v1_data, themes=THEMES, standard=True)
    assert "Vakmanschap 3.0, competency VK3-RESULT level 1 has 0 indicators; it needs 3 or 4." in errors
    assert "Vakmanschap 3.0, competency VK3-RESULT level 1 has no development tip towards the next level." in errors


def break_it(data, change):
    data = copy.deepcopy(data)
    change(data)
    return data


def _level(data, number, competency=0):
    return data["competencies"][competency]["levels"][number - 1]


CHECKS = {
    "two indicators": (
        lambda d: _level(d, 2)["indicators"].pop(),
        "Vakmanschap 3.0, competency VK3-RESULT level 2 has 2 indicators; it needs 3 or 4.",
    ),
    "five indicators": (
        lambda d: _level(d, 2)["indicators"].extend([{"nl": "Je doet meer dan genoeg.", "en": "You do more."}] * 2),
        "Vakmanschap 3.0, competency VK3-RESULT level 2 has 5 indicators; it needs 3 or 4.",
    ),
    "tip on level 5": (
        lambda d: _level(d, 5).update(tip={"nl": "Oefen nog meer in je werk.", "en": "Practise even more at work."}),
        "Vakmanschap 3.0, competency VK3-RESULT level 5 has a development tip; level 5 is the top of the scale",
    ),
    "no tip on level 3": (
        lambda d: _level(d, 3).pop("tip"),
        "Vakmanschap 3.0, competency VK3-RESULT level 3 has no development tip towards the next level.",
    ),
    "English indicator missing": (
        lambda d: _level(d, 1)["indicators"][0].update(en=""),
        "Vakmanschap 3.0, competency VK3-RESULT level 1 indicator 1: the text in Dutch and English must not be empty.",
    ),
    "level text too long": (
        lambda d: _level(d, 4)["text"].update(nl=" ".join(["woord"] * 61)),
        "Vakmanschap 3.0, competency VK3-RESULT level 4 (nl) has 61 words; write 8 to 60.",
    ),
    "indicator too short": (
        lambda d: _level(d, 4)["indicators"][1].update(nl="Je luistert."),
        "Vakmanschap 3.0, competency VK3-RESULT level 4 indicator 2 (nl) has 2 words; write 3 to 30.",
    ),
    "text repeated in another competency": (
        lambda d: _level(d, 3, competency=1)["indicators"][0].update(nl=_level(d, 2)["indicators"][1]["nl"]),
        "Vakmanschap 3.0, competency VK3-INHOUD level 3 indicator 1 repeats a text of Vakmanschap 3.0, competency "
        "VK3-RESULT level 2 indicator 2 (nl)",
    ),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_content_checks_name_framework_competency_and_level(v2_data, name):
    change, message = CHECKS[name]
    errors = validate_framework_data(break_it(v2_data, change), themes=THEMES, standard=True)
    assert any(message in error for error in errors), errors


@pytest.mark.django_db
def test_version_two_is_the_next_version_with_identifiers_of_its_own_and_version_one_untouched(v1_data, v2_data):
    call_command("load_frameworks", *first_version_files(), stdout=io.StringIO())
    first = Framework.objects.get(identifier=v1_data["identifier"])
    before = case.framework_to_data(first)

    second, action = save_next_version(v2_data)

    assert action == "created"
    assert (second.version, second.slug, second.predecessor) == (2, first.slug, first)
    assert second.identifier == derived_identifier(v1_data["identifier"], "version-2")
    first.refresh_from_db()
    assert first.is_frozen and case.framework_to_data(first) == before  # version 1 keeps its texts
    old_ids = set(Competency.objects.filter(framework=first).values_list("identifier", flat=True))
    new = list(second.competencies.prefetch_related("levels"))
    assert [c.code for c in new] == ["VK3-RESULT", "VK3-INHOUD"] and not old_ids & {c.identifier for c in new}
    level = new[0].levels.get(level=2)
    assert level.indicators_nl == [i["nl"] for i in v2_data["competencies"][0]["levels"][1]["indicators"]]
    assert level.tip_en == v2_data["competencies"][0]["levels"][1]["tip"]["en"]
    assert new[0].levels.get(level=5).tip_nl == ""
    assert new[0].not_yet_nl.startswith("Je wacht")


@pytest.mark.django_db
def test_loading_version_two_again_changes_nothing_and_a_frozen_version_two_is_left_alone(themes, v1_data, v2_data):
    save_framework_data(v1_data)
    second, _action = save_next_version(v2_data)
    rows = list(LevelDescription.objects.order_by("pk").values())
    assert save_next_version(v2_data) == (second, "unchanged")
    assert list(LevelDescription.objects.order_by("pk").values()) == rows

    changed = copy.deepcopy(v2_data)
    changed["competencies"][0]["levels"][0]["tip"]["nl"] = "Vraag deze week twee keer om hulp als je vastloopt."
    assert save_next_version(changed) == (second, "updated")
    second.freeze()
    changed["competencies"][0]["levels"][0]["tip"]["nl"] = "Een andere tip die niet meer mag landen in de tekst."
    assert save_next_version(changed) == (second, "frozen")
    assert (
        "niet meer mag"
        not in LevelDescription.objects.get(
            competency__framework=second, competency__code="VK3-RESULT", level=1
        ).tip_nl
    )
    assert Framework.objects.filter(slug=second.slug).count() == 2


@pytest.mark.django_db
def test_version_two_without_version_one_is_refused(themes, v2_data):
    with pytest.raises(Exception, match="version 2 needs version 1 as the newest version"):
        save_next_version(v2_data)
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_load_frameworks_names_the_file_and_the_place_of_a_bad_version_two(tmp_path, v2_data):
    call_command("load_frameworks", *first_version_files(), stdout=io.StringIO())
    _level(v2_data, 5)["tip"] = {"nl": "Oefen nog meer in het werk.", "en": "Practise even more at work."}
    path = tmp_path / "vakmanschap-3-0.json"
    path.write_text(json.dumps(v2_data), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"vakmanschap-3-0\.json: .*competency VK3-RESULT level 5 has a development tip"
    ):
        call_command("load_frameworks", str(path), stdout=io.StringIO())
    assert not Framework.objects.filter(version=2).exists()


@pytest.mark.django_db
def test_case_round_trip_carries_tips_and_indicators_in_both_languages(
    themes, client, employee, v1_data, v2_data, tmp_path
):
    save_framework_data(v1_data)
    second, _action = save_next_version(v2_data)
    client.force_login(employee)
    package = client.get(f"/ims/case/v1p1/CFPackages/{second.identifier}", {"lang": "nl"}).json()
    level = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][1]
    source = v2_data["competencies"][0]["levels"][1]
    assert level["feedback"] == source["tip"]["nl"]
    ours = level["extensions"][0]["vakmanschap"]
    assert ours["indicators"] == [i["nl"] for i in source["indicators"]]
    assert ours["translations"]["en"]["feedback"] == source["tip"]["en"]
    assert ours["translations"]["en"]["indicators"] == [i["en"] for i in source["indicators"]]
    top = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][4]
    assert "feedback" not in top  # level 5 has no tip

    expected = case.framework_to_data(second)
    Framework.objects.filter(pk=second.pk).delete()
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    call_command("import_case", str(path), stdout=io.StringIO())
    assert case.framework_to_data(Framework.objects.get(identifier=second.identifier)) == expected
    assert expected["competencies"][0]["levels"][1]["indicators"][0] == source["indicators"][0]
