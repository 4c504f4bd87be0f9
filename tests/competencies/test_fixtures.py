# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Integrity of the framework fixtures: every file loads, and every competency is fully described."""

import io
import json

from django.core.management import call_command

import pytest

from competencies.loading import FIXTURES, LANGS, framework_files, validate_framework_data
from competencies.models import LEVELS, Competency, Framework, LevelDescription, Theme

FILES = framework_files()
THEMES = {item["code"] for item in json.loads((FIXTURES / "themes.json").read_text(encoding="utf-8"))}


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_five_source_frameworks():
    assert len(FILES) == 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_is_valid(path):
    assert validate_framework_data(read(path), themes=THEMES) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_text_is_filled_in_both_languages(path):
    data = read(path)
    texts = [data["title"], data["description"]]
    for item in data["competencies"]:
        texts += [item["name"], item["definition"], *item["levels"]]
    for text in texts:
        for lang in LANGS:
            assert text[lang].strip(), (path.name, text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_five_distinct_levels_per_competency(path):
    for item in read(path)["competencies"]:
        assert len(item["levels"]) == len(LEVELS), item["code"]
        for lang in LANGS:
            texts = [level[lang].strip() for level in item["levels"]]
            assert all(texts), (item["code"], lang)
            assert len(set(texts)) == len(LEVELS), (item["code"], lang)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_codes_unique_and_themes_known(path):
    data = read(path)
    codes = [item["code"] for item in data["competencies"]]
    assert len(codes) == len(set(codes))
    assert {item["theme"] for item in data["competencies"]} <= THEMES
    assert all(item["definition"][lang].strip() for item in data["competencies"] for lang in LANGS)


def test_level_texts_are_not_copied_between_competencies():
    seen = {}
    for path in FILES:
        for item in read(path)["competencies"]:
            for level in item["levels"]:
                for lang in LANGS:
                    key = (lang, level[lang].strip())
                    assert key not in seen, (item["code"], seen.get(key))
                    seen[key] = item["code"]


def test_identifiers_unique_across_files():
    identifiers = []
    slugs = []
    for path in FILES:
        data = read(path)
        slugs.append(data["slug"])
        identifiers.append(data["identifier"])
        identifiers += [item["identifier"] for item in data["competencies"]]
        identifiers += [
            level["identifier"] for item in data["competencies"] for level in item["levels"] if "identifier" in level
        ]
    assert len(identifiers) == len(set(identifiers))
    assert len(slugs) == len(set(slugs))


@pytest.mark.django_db
def test_load_frameworks_loads_everything_and_is_safe_to_repeat():
    call_command("load_frameworks", stdout=io.StringIO())
    counts = (Framework.objects.count(), Competency.objects.count(), LevelDescription.objects.count())
    call_command("load_frameworks", stdout=io.StringIO())
    assert (Framework.objects.count(), Competency.objects.count(), LevelDescription.objects.count()) == counts
    assert Framework.objects.count() == len(FILES)
    assert set(Theme.objects.values_list("code", flat=True)) == THEMES
    for path in FILES:
        data = read(path)
        framework = Framework.objects.get(identifier=data["identifier"])
        assert not framework.is_own
        assert framework.source_line
        assert framework.competencies.count() == len(data["competencies"])


@pytest.mark.django_db
def test_loaded_competencies_have_five_distinct_levels_in_both_languages():
    call_command("load_frameworks", stdout=io.StringIO())
    for competency in Competency.objects.prefetch_related("levels"):
        levels = list(competency.levels.all())
        assert [level.level for level in levels] == list(LEVELS), competency.code
        for lang in LANGS:
            texts = [getattr(level, f"description_{lang}").strip() for level in levels]
            assert all(texts) and len(set(texts)) == len(LEVELS), (competency.code, lang)
        assert competency.definition_nl.strip() and competency.definition_en.strip()
