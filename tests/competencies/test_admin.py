# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The admin: same validation as the app, and a frozen version is never changed (the edit becomes a new version)."""

import pytest

from competencies.models import LEVELS, Competency, Framework, LevelDescription
from competencies.versions import new_version
from tests.factories import CompetencyFactory, FrameworkFactory, ThemeFactory


@pytest.fixture
def theme(db):
    return ThemeFactory(code="results")


@pytest.fixture
def framework(theme):
    framework = FrameworkFactory(slug="bron", title_nl="Bron", title_en="Source")
    CompetencyFactory(framework=framework, code="A", theme=theme, position=1)
    CompetencyFactory(framework=framework, code="B", theme=theme, position=2)
    return framework


@pytest.fixture
def admin_client(client_for, admin_user):
    client = client_for(admin_user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def change_url(model, pk):
    return f"/admin/competencies/{model}/{pk}/change/"


def add_url(model):
    return f"/admin/competencies/{model}/add/"


def admin_form_data(response):
    """The POST data the admin page would send as shown."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    data["_save"] = "Save"
    return data


def snapshot(framework):
    framework = Framework.objects.get(pk=framework.pk)
    return (
        [getattr(framework, f.attname) for f in Framework._meta.concrete_fields],
        list(framework.competencies.values_list()),
        list(LevelDescription.objects.filter(competency__framework=framework).values_list()),
    )


def counts():
    return (Framework.objects.count(), Competency.objects.count(), LevelDescription.objects.count())


def test_admin_pages_open(admin_client, framework):
    competency = framework.competencies.first()
    for url in (
        "/admin/competencies/framework/",
        "/admin/competencies/competency/",
        "/admin/competencies/theme/",
        change_url("framework", framework.pk),
        change_url("competency", competency.pk),
        add_url("framework"),
        add_url("competency"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_version_fields_are_read_only(admin_client, framework):
    form = admin_client.get(change_url("framework", framework.pk)).context["adminform"].form
    assert not {"identifier", "frozen_at", "predecessor", "version", "slug"} & set(form.fields)
    form = admin_client.get(add_url("framework")).context["adminform"].form
    assert not {"identifier", "frozen_at", "predecessor", "version"} & set(form.fields)


def test_edit_unfrozen_framework_in_place(admin_client, framework):
    data = admin_form_data(admin_client.get(change_url("framework", framework.pk)))
    data["title_en"] = "Source, revised"
    data["competencies-0-level_2_en"] = "New level 2 text."
    response = admin_client.post(change_url("framework", framework.pk), data)
    assert response.status_code == 302
    framework.refresh_from_db()
    assert (framework.title_en, Framework.objects.count()) == ("Source, revised", 1)
    assert framework.competencies.get(code="A").levels.get(level=2).description_en == "New level 2 text."


def test_saving_a_frozen_framework_makes_a_new_version(admin_client, framework, theme):
    framework.freeze()
    before = snapshot(framework)
    data = admin_form_data(admin_client.get(change_url("framework", framework.pk)))
    data["title_en"] = "Source, second edition"
    data["competencies-0-name_en"] = "Renamed A"
    data["competencies-1-level_5_nl"] = "Nieuw niveau 5."
    data["competencies-2-code"] = "C"
    data["competencies-2-theme"] = theme.pk
    for field in ("name_nl", "name_en", "definition_nl", "definition_en"):
        data[f"competencies-2-{field}"] = f"C {field}"
    for level in LEVELS:
        data[f"competencies-2-level_{level}_nl"] = f"C niveau {level}"
        data[f"competencies-2-level_{level}_en"] = f"C level {level}"
    response = admin_client.post(change_url("framework", framework.pk), data, follow=True)
    assert response.status_code == 200
    new = Framework.objects.get(slug="bron", version=2)
    assert snapshot(framework) == before
    assert "Version 1 is used in an assessment round, so it was not changed." in response.content.decode()
    assert "saved as version 2" in response.content.decode()
    assert new.predecessor == framework and new.title_en == "Source, second edition"
    assert [c.code for c in new.competencies.all()] == ["A", "B", "C"]
    assert new.competencies.get(code="A").name_en == "Renamed A"
    assert new.competencies.get(code="B").levels.get(level=5).description_nl == "Nieuw niveau 5."
    assert new.competencies.get(code="C").levels.count() == 5
    assert not set(new.competencies.values_list("identifier", flat=True)) & set(
        framework.competencies.values_list("identifier", flat=True)
    )


def test_old_version_is_read_only_and_a_stale_save_is_refused(admin_client, framework):
    framework.freeze()
    data = admin_form_data(admin_client.get(change_url("framework", framework.pk)))
    newer = new_version(framework)
    response = admin_client.get(change_url("framework", framework.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a newer version (version 2)" in html
    assert 'name="_save"' not in html
    before = snapshot(framework), snapshot(newer), counts()
    data["title_en"] = "Stale"
    response = admin_client.post(change_url("framework", framework.pk), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url("framework", newer.pk)
    assert "Your changes were not saved. Make them in version 2." in response.content.decode()
    assert (snapshot(framework), snapshot(newer), counts()) == before


FRAMEWORK_ERRORS = {
    "duplicate code": ({"competencies-1-code": "a"}, "The code a is used more than once."),
    "empty level": ({"competencies-0-level_4_en": "  "}, "This field is required."),
    "empty definition": ({"competencies-1-definition_nl": ""}, "This field is required."),
    "empty title": ({"title_nl": ""}, "This field is required."),
    "same level text": (
        {"competencies-0-level_1_en": "Same", "competencies-0-level_2_en": "same"},
        "This is the same text as level 1.",
    ),
}


@pytest.mark.parametrize("frozen", [False, True], ids=["draft", "frozen"])
@pytest.mark.parametrize("case", FRAMEWORK_ERRORS, ids=list(FRAMEWORK_ERRORS))
def test_framework_admin_bad_input_saves_nothing(admin_client, framework, case, frozen):
    if frozen:
        framework.freeze()
    data = admin_form_data(admin_client.get(change_url("framework", framework.pk)))
    changes, message = FRAMEWORK_ERRORS[case]
    data.update(changes)
    before = snapshot(framework), counts()
    response = admin_client.post(change_url("framework", framework.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (snapshot(framework), counts()) == before


def test_add_framework_in_admin_with_slug_check(admin_client, framework, theme):
    data = admin_form_data(admin_client.get(add_url("framework")))
    data.update(
        {
            "slug": "bron",
            "title_nl": "Kernwaarden",
            "title_en": "Core values",
            "description_nl": "Onze waarden.",
            "description_en": "Our values.",
            "is_own": "on",
            "competencies-0-code": "KW-1",
            "competencies-0-theme": theme.pk,
            "competencies-0-name_nl": "Samen",
            "competencies-0-name_en": "Together",
            "competencies-0-definition_nl": "Samen werken.",
            "competencies-0-definition_en": "Working together.",
        }
    )
    for level in LEVELS:
        data[f"competencies-0-level_{level}_nl"] = f"Samen niveau {level}"
        data[f"competencies-0-level_{level}_en"] = f"Together level {level}"
    before = counts()
    response = admin_client.post(add_url("framework"), data)
    assert response.status_code == 200
    assert "Another framework already uses this slug." in response.content.decode()
    assert counts() == before
    data["slug"] = "kernwaarden"
    assert admin_client.post(add_url("framework"), data).status_code == 302
    own = Framework.objects.get(slug="kernwaarden")
    assert own.is_own and own.version == 1
    assert own.competencies.get().levels.count() == 5


def test_competency_admin_has_exactly_five_levels(admin_client, framework):
    competency = framework.competencies.get(code="A")
    response = admin_client.get(change_url("competency", competency.pk))
    (inline,) = response.context["inline_admin_formsets"]
    assert len(inline.formset.forms) == 5
    assert (inline.formset.min_num, inline.formset.max_num) == (5, 5)
    response = admin_client.get(add_url("competency"))
    (inline,) = response.context["inline_admin_formsets"]
    assert [form.initial["level"] for form in inline.formset.forms] == list(LEVELS)


def test_competency_admin_edit_of_frozen_framework_makes_a_new_version(admin_client, framework):
    framework.freeze()
    before = snapshot(framework)
    competency = framework.competencies.get(code="B")
    data = admin_form_data(admin_client.get(change_url("competency", competency.pk)))
    data["definition_en"] = "A better definition."
    data["levels-2-description_en"] = "A better level 3."
    response = admin_client.post(change_url("competency", competency.pk), data, follow=True)
    assert "saved as version 2" in response.content.decode()
    assert snapshot(framework) == before
    new = Framework.objects.get(slug="bron", version=2)
    copy = new.competencies.get(code="B")
    assert copy.definition_en == "A better definition."
    assert copy.levels.get(level=3).description_en == "A better level 3."
    assert copy.levels.count() == 5
    assert new.competencies.get(code="A").levels.count() == 5


def test_competency_admin_add_to_frozen_framework_goes_to_a_new_version(admin_client, framework, theme):
    framework.freeze()
    before = snapshot(framework)
    data = admin_form_data(admin_client.get(add_url("competency")))
    data.update(
        {
            "framework": framework.pk,
            "code": "C",
            "position": "3",
            "theme": theme.pk,
            "name_nl": "Cee",
            "name_en": "See",
            "definition_nl": "Een derde.",
            "definition_en": "A third.",
        }
    )
    for index in range(5):
        data[f"levels-{index}-description_nl"] = f"Niveau {index + 1} van C"
        data[f"levels-{index}-description_en"] = f"Level {index + 1} of C"
    response = admin_client.post(add_url("competency"), data)
    assert response.status_code == 302
    assert snapshot(framework) == before
    new = Framework.objects.get(slug="bron", version=2)
    assert [c.code for c in new.competencies.all()] == ["A", "B", "C"]
    assert list(new.competencies.get(code="C").levels.values_list("level", flat=True)) == list(LEVELS)


COMPETENCY_ERRORS = {
    "duplicate code": ({"code": "a"}, "The code a is already used in this framework."),
    "code with a space": ({"code": "B 2"}, "without spaces"),
    "empty level": ({"levels-4-description_nl": ""}, "This field is required."),
    "empty name": ({"name_en": " "}, "This field is required."),
    "same level text": (
        {"levels-0-description_nl": "Zelfde", "levels-3-description_nl": "zelfde"},
        "This is the same text as level 1.",
    ),
}


@pytest.mark.parametrize("frozen", [False, True], ids=["draft", "frozen"])
@pytest.mark.parametrize("case", COMPETENCY_ERRORS, ids=list(COMPETENCY_ERRORS))
def test_competency_admin_bad_input_saves_nothing(admin_client, framework, case, frozen):
    if frozen:
        framework.freeze()
    competency = framework.competencies.get(code="B")
    data = admin_form_data(admin_client.get(change_url("competency", competency.pk)))
    changes, message = COMPETENCY_ERRORS[case]
    data.update(changes)
    before = snapshot(framework), counts()
    response = admin_client.post(change_url("competency", competency.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (snapshot(framework), counts()) == before


def test_level_numbers_cannot_be_changed(admin_client, framework):
    competency = framework.competencies.get(code="A")
    data = admin_form_data(admin_client.get(change_url("competency", competency.pk)))
    data["levels-0-level"] = "5"
    assert admin_client.post(change_url("competency", competency.pk), data).status_code == 302
    assert list(competency.levels.values_list("level", flat=True)) == list(LEVELS)


def test_competency_of_an_old_version_is_read_only(admin_client, framework):
    framework.freeze()
    competency = framework.competencies.get(code="A")
    data = admin_form_data(admin_client.get(change_url("competency", competency.pk)))
    newer = new_version(framework)
    html = admin_client.get(change_url("competency", competency.pk)).content.decode()
    assert "There is a newer version" in html and 'name="_save"' not in html
    before = snapshot(framework), counts()
    data["name_en"] = "Stale"
    response = admin_client.post(change_url("competency", competency.pk), data)
    assert response["Location"] == change_url("competency", newer.competencies.get(code="A").pk)
    assert (snapshot(framework), counts()) == before


def test_frozen_framework_cannot_be_deleted(client_for, framework, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@voorbeeld.nl", "geheim-wachtwoord-1")
    client = client_for(superuser)
    framework.freeze()
    assert client.post(f"/admin/competencies/framework/{framework.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_employees_have_no_admin(client_for, employee, framework):
    response = client_for(employee).get(change_url("framework", framework.pk))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_save_that_loses_the_race_for_a_new_version_changes_nothing(admin_client, framework, monkeypatch):
    """Another save branched the version between this form's validation and its save."""
    from competencies import admin as competencies_admin

    framework.freeze()
    data = admin_form_data(admin_client.get(change_url("framework", framework.pk)))
    real_prepare_edit = competencies_admin.prepare_edit

    def other_save_first(edited):
        new_version(edited)
        return real_prepare_edit(edited)

    monkeypatch.setattr(competencies_admin, "prepare_edit", other_save_first)
    before = snapshot(framework), counts()
    data["title_en"] = "Lost the race"
    response = admin_client.post(change_url("framework", framework.pk), data)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Your changes were not saved" in m for m in messages)
    assert (snapshot(framework), counts()) == before
