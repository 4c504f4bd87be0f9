# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Integrity of the framework fixtures: version 1 and version 2 of every source framework, and loading them."""

import io
import json

from django.core.management import call_command

import pytest

from competencies.loading import (
    FIXTURES,
    LANGS,
    first_version_files,
    framework_files,
    level_parts,
    validate_framework_data,
)
from competencies.models import LEVELS, Competency, Framework, LevelDescription, Theme

FIRST = first_version_files()
FILES = framework_files()
THEMES = {item["code"] for item in json.loads((FIXTURES / "themes.json").read_text(encoding="utf-8"))}


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_source_framework_has_version_one_and_version_two():
    assert [p.name for p in FIRST] == [p.name for p in FILES] and len(FILES) == 5
    for first, second in zip(FIRST, FILES, strict=True):
        old, new = read(first), read(second)
        assert (old["identifier"], old["slug"], old["version"], new["version"]) == (
            new["identifier"],
            new["slug"],
            "1.0",
            "2.0",
        )
        # The same competencies with the same codes and identifiers: version 2 is the next version of each.
        assert [(c["identifier"], c["code"]) for c in old["competencies"]] == [
            (c["identifier"], c["code"]) for c in new["competencies"]
        ]


@pytest.mark.parametrize("path", FIRST, ids=lambda p: "v1-" + p.stem)
def test_version_one_is_valid(path):
    assert validate_framework_data(read(path), themes=THEMES) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_version_two_meets_the_content_standard(path):
    assert validate_framework_data(read(path), themes=THEMES, standard=True) == []


@pytest.mark.parametrize("path", [*FIRST, *FILES], ids=lambda p: p.parent.name + "-" + p.stem)
def test_every_text_is_filled_in_both_languages_and_levels_differ(path):
    data = read(path)
    texts = [data["title"], data["description"]]
    for item in data["competencies"]:
        texts += [item["name"], item["definition"]]
        levels = [level_parts(level) for level in item["levels"]]
        assert len(levels) == len(LEVELS), item["code"]
        for lang in LANGS:
            assert len({level.text[lang].strip() for level in levels}) == len(LEVELS), (item["code"], lang)
        texts += [level.text for level in levels]
    for text in texts:
        for lang in LANGS:
            assert text[lang].strip(), (path.name, text)


@pytest.mark.parametrize("files", [FIRST, FILES], ids=["v1", "v2"])
def test_no_text_is_copied_between_competencies_of_any_framework(files):
    seen = {}
    for path in files:
        for item in read(path)["competencies"]:
            for number, level in enumerate(map(level_parts, item["levels"]), 1):
                for text in [level.text, *level.indicators, *([level.tip] if level.tip else [])]:
                    for lang in LANGS:
                        key = (lang, " ".join(text[lang].split()).casefold())
                        assert key not in seen, (item["code"], number, seen.get(key))
                        seen[key] = (item["code"], number)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_version_two_has_no_stock_openings_at_levels_four_and_five(path):
    for item in read(path)["competencies"]:
        for level in map(level_parts, item["levels"][3:]):
            opening = level.text["nl"].casefold()
            assert not opening.startswith(("je helpt collega's", "je zorgt dat")), item["code"]


def test_identifiers_and_slugs_unique_across_files():
    identifiers = []
    slugs = []
    for path in FIRST:
        data = read(path)
        slugs.append(data["slug"])
        identifiers.append(data["identifier"])
        identifiers += [item["identifier"] for item in data["competencies"]]
    assert len(identifiers) == len(set(identifiers))
    assert len(slugs) == len(set(slugs))


@pytest.mark.django_db
def test_load_frameworks_loads_both_versions_and_is_safe_to_repeat():
    output = io.StringIO()
    call_command("load_frameworks", stdout=output)
    counts = (Framework.objects.count(), Competency.objects.count(), LevelDescription.objects.count())
    again = io.StringIO()
    call_command("load_frameworks", stdout=again)
    assert (Framework.objects.count(), Competency.objects.count(), LevelDescription.objects.count()) == counts
    assert again.getvalue().count("frozen") == 5 and again.getvalue().count("unchanged") == 5
    assert Framework.objects.count() == 2 * len(FILES)
    assert set(Theme.objects.values_list("code", flat=True)) == THEMES
    for first, second in zip(FIRST, FILES, strict=True):
        old_data, new_data = read(first), read(second)
        old = Framework.objects.get(identifier=old_data["identifier"])
        new = Framework.objects.current().get(slug=old.slug)
        assert old.is_frozen and new.version == 2 and new.predecessor == old and not new.is_own
        assert new.source_line and new.competencies.count() == len(new_data["competencies"])
        # Version 1 keeps its own texts.
        level = LevelDescription.objects.get(competency__identifier=old_data["competencies"][0]["identifier"], level=4)
        assert level.description_nl == old_data["competencies"][0]["levels"][3]["nl"] and level.indicators_nl == []


@pytest.mark.django_db
def test_loaded_version_two_has_indicators_tips_and_not_yet_in_both_languages():
    call_command("load_frameworks", stdout=io.StringIO())
    for competency in Competency.objects.filter(framework__version=2).prefetch_related("levels"):
        levels = list(competency.levels.all())
        assert [level.level for level in levels] == list(LEVELS), competency.code
        for level in levels:
            assert 3 <= len(level.indicators_nl) == len(level.indicators_en) <= 4, (competency.code, level.level)
            assert bool(level.tip_nl) == bool(level.tip_en) == (level.level < 5), (competency.code, level.level)
