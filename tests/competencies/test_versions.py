# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Versions: a frozen framework never changes; new_version copies it with new identifiers."""

from django.utils import translation

import pytest

from competencies.models import Competency, Framework, LevelDescription
from competencies.versions import StaleVersionError, new_version, newest_version, prepare_edit
from tests.factories import CompetencyFactory, FrameworkFactory


@pytest.fixture
def framework(db):
    framework = FrameworkFactory(source_author="P. 't Hart", is_own=True)
    CompetencyFactory(framework=framework, code="A", position=1)
    CompetencyFactory(framework=framework, code="B", position=2)
    return framework


def snapshot(framework):
    """Everything that must stay the same about a version, texts included."""
    framework = Framework.objects.get(pk=framework.pk)
    return (
        [getattr(framework, f.attname) for f in Framework._meta.concrete_fields if f.name != "updated_at"],
        list(framework.competencies.values_list()),
        list(LevelDescription.objects.filter(competency__framework=framework).values_list()),
    )


def test_new_version_copies_everything_with_new_identifiers(framework):
    framework.freeze()
    copy = new_version(framework)
    assert (copy.slug, copy.version, copy.predecessor) == (framework.slug, 2, framework)
    assert copy.identifier != framework.identifier
    assert copy.frozen_at is None
    for name in ["title_nl", "title_en", "description_nl", "description_en", "source_author", "is_own"]:
        assert getattr(copy, name) == getattr(framework, name)
    old = list(framework.competencies.prefetch_related("levels"))
    new = list(copy.competencies.prefetch_related("levels"))
    assert [c.code for c in new] == [c.code for c in old] == ["A", "B"]
    for before, after in zip(old, new, strict=True):
        assert after.identifier != before.identifier
        assert (after.name_nl, after.definition_en, after.theme_id, after.position) == (
            before.name_nl,
            before.definition_en,
            before.theme_id,
            before.position,
        )
        old_levels, new_levels = list(before.levels.all()), list(after.levels.all())
        assert [(x.level, x.description_nl, x.description_en) for x in new_levels] == [
            (x.level, x.description_nl, x.description_en) for x in old_levels
        ]
        assert not {x.identifier for x in new_levels} & {x.identifier for x in old_levels}


def test_new_version_leaves_the_old_one_untouched(framework):
    framework.freeze()
    before = snapshot(framework)
    new_version(framework)
    assert snapshot(framework) == before


def test_new_version_in_constant_queries(framework, django_assert_max_num_queries):
    for _ in range(5):
        CompetencyFactory(framework=framework)
    framework.freeze()
    with django_assert_max_num_queries(10):  # savepoint pair included; no query per row
        new_version(framework)


def test_new_version_closes_an_unfrozen_predecessor(framework):
    copy = new_version(framework)
    framework.refresh_from_db()
    assert framework.is_frozen and not copy.is_frozen


def test_current_returns_newest_versions_only(framework):
    other = FrameworkFactory()
    framework.freeze()
    second = new_version(framework)
    second.freeze()
    third = new_version(second)
    assert set(Framework.objects.current()) == {third, other}
    assert newest_version(framework) == third
    assert not Framework.objects.get(pk=framework.pk).is_current
    assert Framework.objects.get(pk=third.pk).is_current
    assert Framework.objects.filter(slug=framework.slug).count() == 3


def test_stale_version_is_refused(framework):
    framework.freeze()
    new_version(framework)
    count = Framework.objects.count()
    with translation.override("en"), pytest.raises(StaleVersionError) as exc:
        new_version(framework)
    assert "there is version 2" in str(exc.value)
    with pytest.raises(StaleVersionError):
        prepare_edit(framework)
    assert Framework.objects.count() == count


def test_prepare_edit_keeps_an_unfrozen_framework(framework):
    target = prepare_edit(framework)
    assert target.framework == framework and not target.is_new_version
    assert Framework.objects.count() == 1


def test_prepare_edit_branches_a_frozen_framework_with_a_row_map(framework):
    framework.freeze()
    target = prepare_edit(framework)
    assert target.is_new_version and target.framework.predecessor == framework
    old = {c.pk: c for c in framework.competencies.all()}
    assert set(target.competencies) == set(old)
    for pk, copy in target.competencies.items():
        assert copy.code == old[pk].code and copy.framework == target.framework
    old_levels = LevelDescription.objects.filter(competency__framework=framework)
    assert set(target.levels) == set(old_levels.values_list("pk", flat=True))
    assert Competency.objects.filter(framework=target.framework).count() == 2
