# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The framework pages: list, one framework, one competency."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

import pytest

from competencies.models import SCALE_NAMES, Competency, Framework
from competencies.versions import new_version
from tests.factories import CompetencyFactory, FrameworkFactory, ThemeFactory


@pytest.fixture
def frameworks(frameworks_loaded, db):
    return Framework.objects.all()


def vk3():
    return Framework.objects.current().get(slug="vakmanschap-3-0")


def current_competency(code):
    return Competency.objects.get(code=code, framework__successor__isnull=True)


def pages():
    framework = vk3()
    competency = framework.competencies.get(code="VK3-EMPATHIE")
    return [reverse("competencies:list"), framework.get_absolute_url(), competency.get_absolute_url()]


def to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_anonymous_goes_to_login(client, frameworks):
    for url in pages():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_every_logged_in_user_may_read(client_for, employee, frameworks):
    client = client_for(employee)
    for url in pages():
        assert client.get(url).status_code == 200


def test_unknown_framework_version_or_code_is_404(client_for, employee, frameworks):
    client = client_for(employee)
    assert client.get(reverse("competencies:framework", args=["vakmanschap-3-0", 9])).status_code == 404
    assert client.get(reverse("competencies:framework", args=["nothing", 1])).status_code == 404
    assert client.get(reverse("competencies:competency", args=["vakmanschap-3-0", 1, "NOPE"])).status_code == 404


def test_list_shows_every_current_framework(client_for, employee, frameworks):
    framework = vk3()
    response = client_for(employee).get(reverse("competencies:list"))
    html = response.content.decode()
    assert response.context["frameworks"] and not response.context["own_frameworks"]
    for each in Framework.objects.current():
        assert escape(each.title_nl) in html
        assert each.get_absolute_url() in html
    assert escape(framework.source_author) in html
    assert reverse("competencies:own_create") not in html  # employees may not add an own framework
    client = client_for(employee)
    to_english(client)
    html = client.get(reverse("competencies:list")).content.decode()
    assert "7 competencies" in html
    assert "Version 2" in html and "Version 1" not in html  # the list shows current versions only
    assert "HR can add one" in html  # the empty state says who can


def test_list_shows_own_framework_badge_and_newest_version_only(client_for, employee, frameworks):
    own = CompetencyFactory(framework__is_own=True, framework__title_nl="Kernwaarden Testdorp").framework
    own.freeze()
    newer = new_version(own)
    client = client_for(employee)
    to_english(client)
    response = client.get(reverse("competencies:list"))
    assert response.context["own_frameworks"] == [newer]
    html = response.content.decode()
    assert "Own framework</span>" in html
    assert own.get_absolute_url() not in html
    assert newer.get_absolute_url() in html


def test_framework_page_shows_competencies_levels_and_contents(client_for, employee, frameworks):
    framework = vk3()
    html = client_for(employee).get(framework.get_absolute_url()).content.decode()
    assert "<h1>" + framework.title_nl + "</h1>" in html
    for competency in framework.competencies.prefetch_related("levels").select_related("theme"):
        assert f'href="#competency-{competency.code}"' in html  # table of contents
        assert f'id="competency-{competency.code}"' in html
        assert escape(competency.definition_nl) in html
        assert escape(competency.theme.name_nl) in html
        for level in competency.levels.all():
            assert escape(level.description_nl) in html
    assert f"5 · {SCALE_NAMES[5][0]}" in html
    assert "There is a newer version" not in html and "nieuwere versie" not in html


def test_competency_page_shows_levels_theme_and_related(client_for, employee, frameworks):
    competency = current_competency("VK3-EMPATHIE")
    response = client_for(employee).get(competency.get_absolute_url())
    html = response.content.decode()
    assert escape(competency.definition_nl) in html
    assert escape(competency.theme.name_nl) in html
    levels = list(response.context["levels"])
    assert [level.level for level in levels] == [1, 2, 3, 4, 5]
    for level in levels:
        assert escape(level.description_nl) in html
    related = list(response.context["related"])
    assert related, "empathy recurs in other frameworks"
    assert all(r.theme_id == competency.theme_id and r.framework.slug != "vakmanschap-3-0" for r in related)
    for other in related:
        assert other.get_absolute_url() in html


def test_competency_without_related_says_so(client_for, employee, db):
    competency = CompetencyFactory(theme=ThemeFactory(code="unique-theme", name_nl="Eenling", name_en="Loner"))
    client = client_for(employee)
    to_english(client)
    html = client.get(competency.get_absolute_url()).content.decode()
    assert 'No other framework has a competency with the theme "Loner".' in html


def test_english_after_language_switch(client_for, employee, frameworks):
    client = client_for(employee)
    to_english(client)
    framework = vk3()
    competency = framework.competencies.get(code="VK3-EMPATHIE")
    html = client.get(reverse("competencies:list")).content.decode()
    assert escape(framework.title_en) in html and escape(framework.title_nl) not in html
    html = client.get(framework.get_absolute_url()).content.decode()
    assert '<html lang="en" ' in html
    assert escape(competency.definition_en) in html and escape(competency.definition_nl) not in html
    level = competency.levels.get(level=3)
    assert escape(level.description_en) in html and escape(level.description_nl) not in html
    assert "3 · Proficient" in html
    html = client.get(competency.get_absolute_url()).content.decode()
    assert escape(competency.name_en) in html and escape(competency.theme.name_en) in html


def test_old_version_is_reachable_and_marked(client_for, employee, frameworks):
    old = vk3()
    old.freeze()
    new = new_version(old)
    client = client_for(employee)
    to_english(client)
    html = client.get(old.get_absolute_url()).content.decode()
    assert "There is a newer version." in html
    assert new.get_absolute_url() in html
    competency = old.competencies.get(code="VK3-RESULT")
    html = client.get(competency.get_absolute_url()).content.decode()
    assert "There is a newer version." in html
    assert new.competencies.get(code="VK3-RESULT").get_absolute_url() in html
    html = client.get(new.get_absolute_url()).content.decode()
    assert "There is a newer version." not in html
    assert old.get_absolute_url() in html  # the version list links back


def test_related_competencies_come_from_newest_versions_only(client_for, employee, frameworks):
    soft = Framework.objects.current().get(slug="soft-skills-ambtenaar-toekomst")
    soft.freeze()
    newer = new_version(soft)
    competency = current_competency("VK3-EMPATHIE")
    related = list(client_for(employee).get(competency.get_absolute_url()).context["related"])
    soft_related = [r for r in related if r.framework.slug == soft.slug]
    assert soft_related and all(r.framework == newer for r in soft_related)


def test_no_inline_styles_or_scripts(client_for, employee, frameworks):
    client = client_for(employee)
    for url in pages():
        html = client.get(url).content.decode()
        assert "style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_headings_in_order(client_for, employee, frameworks):
    client = client_for(employee)
    for url in pages():
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", client.get(url).content.decode())]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)


def add_frameworks(count):
    theme = ThemeFactory(code="empathy")
    for _ in range(count):
        framework = FrameworkFactory()
        for _ in range(3):
            CompetencyFactory(framework=framework, theme=theme)


def test_query_counts_do_not_grow_with_data(client_for, employee, frameworks, django_assert_max_num_queries):
    client = client_for(employee)
    client.get(reverse("home"))  # the first request of a session loads a little more
    before = [count_queries(client, url) for url in pages()]
    add_frameworks(4)
    framework = vk3()
    CompetencyFactory(framework=framework, theme=framework.competencies.first().theme)
    after = [count_queries(client, url) for url in pages()]
    assert before == after
    for url in pages():
        with django_assert_max_num_queries(10):
            client.get(url)


def test_framework_without_competencies_explains_what_to_do(client_for, employee, hr, db):
    own = FrameworkFactory(is_own=True)
    client = client_for(employee)
    to_english(client)
    html = client.get(own.get_absolute_url()).content.decode()
    assert "This framework has no competencies yet." in html
    assert "Ask HR or your functional administrator to add them." in html
    client = client_for(hr)
    to_english(client)
    html = client.get(own.get_absolute_url()).content.decode()
    assert "Edit the framework to add them." in html
    assert reverse("competencies:own_edit", kwargs={"slug": own.slug, "version": 1}) in html
