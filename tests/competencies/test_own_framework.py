# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The organisation's own framework (kernwaarden): create and edit in the app, with versioning and validation."""

import re

from django.urls import reverse

import pytest

from competencies.models import LEVELS, Competency, Framework, LevelDescription
from competencies.versions import new_version
from tests.factories import CompetencyFactory, FrameworkFactory, PersonFactory, ThemeFactory

CREATE = reverse("competencies:own_create")


@pytest.fixture
def theme(db):
    return ThemeFactory(code="results", name_nl="Resultaat", name_en="Results")


@pytest.fixture
def own(theme):
    framework = FrameworkFactory(is_own=True, slug="kernwaarden", title_nl="Kernwaarden", title_en="Core values")
    CompetencyFactory(framework=framework, code="KW-SAMEN", theme=theme, position=1)
    CompetencyFactory(framework=framework, code="KW-OPEN", theme=theme, position=2)
    return framework


def edit_url(framework):
    return reverse("competencies:own_edit", kwargs={"slug": framework.slug, "version": framework.version})


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def form_data(response):
    """The POST data a browser would send for the page as shown: every field at its current value."""
    form, formset = response.context["form"], response.context["formset"]
    data = {}
    for each in [formset.management_form, form, *formset.forms]:
        for field in each:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def competency_fields(index, default_theme, code="KW-NIEUW", **overrides):
    prefix = f"competencies-{index}-"
    fields = {
        "code": code,
        "theme": default_theme.pk,
        "name_nl": f"Naam {code}",
        "name_en": f"Name {code}",
        "definition_nl": f"Wat {code} betekent.",
        "definition_en": f"What {code} means.",
    }
    for level in LEVELS:
        fields[f"level_{level}_nl"] = f"{code}: gedrag op niveau {level}."
        fields[f"level_{level}_en"] = f"{code}: behaviour at level {level}."
    fields.update(overrides)
    return {prefix + name: value for name, value in fields.items()}


def create_data(theme, *competencies):
    competencies = competencies or (competency_fields(0, theme),)
    data = {
        "title_nl": "Kernwaarden Testdorp",
        "title_en": "Core values Testdorp",
        "description_nl": "Waar wij voor staan.",
        "description_en": "What we stand for.",
        "competencies-TOTAL_FORMS": str(len(competencies)),
        "competencies-INITIAL_FORMS": "0",
        "competencies-MIN_NUM_FORMS": "1",
        "competencies-MAX_NUM_FORMS": "1000",
    }
    for fields in competencies:
        data.update(fields)
    return data


def counts():
    return (Framework.objects.count(), Competency.objects.count(), LevelDescription.objects.count())


def snapshot(framework):
    framework = Framework.objects.get(pk=framework.pk)
    return (
        [getattr(framework, f.attname) for f in Framework._meta.concrete_fields],
        list(framework.competencies.values_list()),
        list(LevelDescription.objects.filter(competency__framework=framework).values_list()),
    )


# Access


def test_anonymous_goes_to_login(client, own):
    for url in (CREATE, edit_url(own)):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["employee", "manager"])
def test_people_without_permission_get_404_and_change_nothing(request, client_for, own, theme, persona):
    client = client_for(request.getfixturevalue(persona))
    before = snapshot(own), counts()
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, create_data(theme)).status_code == 404
    assert client.get(edit_url(own)).status_code == 404
    assert client.post(edit_url(own), {"title_nl": "Gekaapt"}).status_code == 404
    assert (snapshot(own), counts()) == before


def test_hr_and_functional_administrators_may_create_and_edit(client_for, hr, admin_user, own):
    for person in (hr, admin_user):
        client = client_for(person)
        assert client.get(CREATE).status_code == 200
        assert client.get(edit_url(own)).status_code == 200


def test_source_frameworks_are_not_editable_in_the_app(client_for, hr, theme):
    source = CompetencyFactory(theme=theme, framework__is_own=False).framework
    client = client_for(hr)
    assert client.get(edit_url(source)).status_code == 404
    assert client.post(edit_url(source), {"title_nl": "Anders"}).status_code == 404


def test_links_only_for_those_who_may(client_for, employee, hr, own):
    own_page = own.get_absolute_url()
    for person, shown in ((employee, False), (hr, True)):
        client = client_for(person)
        listing = client.get(reverse("competencies:list")).content.decode()
        page = client.get(own_page).content.decode()
        assert (CREATE in listing) is shown
        assert (edit_url(own) in listing) is shown
        assert (edit_url(own) in page) is shown


def test_no_edit_link_on_source_framework_pages(client_for, hr, theme):
    source = CompetencyFactory(theme=theme).framework
    html = client_for(hr).get(source.get_absolute_url()).content.decode()
    assert "/edit/" not in html


# Create


def test_create_saves_framework_competencies_and_levels(client_for, hr, theme):
    second = competency_fields(1, theme, code="KW-TWEE")
    response = client_for(hr).post(CREATE, create_data(theme, competency_fields(0, theme), second))
    framework = Framework.objects.get()
    assert response.status_code == 302 and response["Location"] == framework.get_absolute_url()
    assert framework.is_own and framework.version == 1 and framework.slug == "kernwaarden-testdorp"
    assert (framework.title_en, framework.description_nl) == ("Core values Testdorp", "Waar wij voor staan.")
    competencies = list(framework.competencies.all())
    assert [(c.code, c.position) for c in competencies] == [("KW-NIEUW", 1), ("KW-TWEE", 2)]
    levels = list(competencies[1].levels.all())
    assert [level.level for level in levels] == list(LEVELS)
    assert levels[2].description_en == "KW-TWEE: behaviour at level 3."


def test_create_gives_a_fresh_slug(client_for, hr, theme):
    FrameworkFactory(slug="kernwaarden-testdorp")
    client_for(hr).post(CREATE, create_data(theme))
    assert Framework.objects.filter(is_own=True).get().slug == "kernwaarden-testdorp-2"


def test_create_page_shows_a_competency_form_with_five_levels(client_for, hr, theme):
    response = english(client_for(hr)).get(CREATE)
    html = response.content.decode()
    assert 'name="competencies-0-level_5_en"' in html and 'lang="en"' in html
    assert "Level 5: Role model" in html
    assert "style=" not in html


ERROR_CASES = {
    "empty title": ("title_en", "  ", "This field is required."),
    "empty description": ("description_nl", "", "This field is required."),
    "empty name": ("competencies-0-name_nl", " ", "This field is required."),
    "empty definition": ("competencies-0-definition_en", "", "This field is required."),
    "missing level": ("competencies-0-level_3_nl", "", "This field is required."),
    "missing English level": ("competencies-0-level_5_en", "   ", "This field is required."),
    "same text on two levels": (
        "competencies-0-level_2_en",
        "KW-NIEUW: behaviour at level 1.",
        "same text as level 1",
    ),
    "code with a space": ("competencies-0-code", "KW SAMEN", "without spaces"),
    "no code": ("competencies-0-code", "", "This field is required."),
    "no theme": ("competencies-0-theme", "", "This field is required."),
    "unknown theme": ("competencies-0-theme", "99999", "Select a valid choice."),
}


def error_beside(html, field, message):
    """The message is shown right below the field, and the field points to it with aria-describedby."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bid="id_{field}"[^>]*>', html)
    feedback = rf'<div id="id_{field}_error" class="invalid-feedback">\s*<p[^>]*><strong>[^<]*{re.escape(message)}'
    return (
        tag is not None
        and 'aria-invalid="true"' in tag.group()
        and f"id_{field}_error" in tag.group()
        and re.search(feedback, html) is not None
    )


@pytest.mark.parametrize("case", ERROR_CASES, ids=list(ERROR_CASES))
def test_create_with_bad_input_saves_nothing(client_for, hr, theme, case):
    field, value, message = ERROR_CASES[case]
    data = create_data(theme)
    data[field] = value
    before = counts()
    response = english(client_for(hr)).post(CREATE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved." in html
    assert f'href="#id_{field}"' in html  # in the summary, linked to the field
    assert error_beside(html, field, message)
    assert counts() == before


def test_create_with_duplicate_codes_saves_nothing(client_for, hr, theme):
    data = create_data(theme, competency_fields(0, theme, code="KW-A"), competency_fields(1, theme, code="kw-a"))
    response = english(client_for(hr)).post(CREATE, data)
    assert response.status_code == 200
    assert error_beside(response.content.decode(), "competencies-1-code", "The code kw-a is used more than once.")
    assert counts() == (0, 0, 0)


def test_create_without_any_competency_saves_nothing(client_for, hr, theme):
    data = create_data(theme, {})
    data["competencies-TOTAL_FORMS"] = "1"
    response = english(client_for(hr)).post(CREATE, data)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert counts() == (0, 0, 0)


# Edit


def test_edit_unfrozen_framework_in_place(client_for, hr, own):
    client = client_for(hr)
    data = form_data(client.get(edit_url(own)))
    data["title_en"] = "Our core values"
    data["competencies-0-level_4_nl"] = "Nieuwe tekst voor niveau 4."
    response = client.post(edit_url(own), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.version, own.title_en, Framework.objects.count()) == (1, "Our core values", 1)
    assert own.competencies.get(code="KW-SAMEN").levels.get(level=4).description_nl == "Nieuwe tekst voor niveau 4."


def test_edit_frozen_framework_makes_a_new_version(client_for, hr, own, theme):
    own.freeze()
    before = snapshot(own)
    client = english(client_for(hr))
    page = client.get(edit_url(own))
    assert "your changes become version 2" in page.content.decode()
    data = form_data(page)
    data["description_en"] = "Changed after the round."
    data["competencies-1-level_2_en"] = "Changed level text."
    data["competencies-0-DELETE"] = "on"
    data.update(competency_fields(2, theme, code="KW-NIEUW"))
    response = client.post(edit_url(own), data, follow=True)
    new = Framework.objects.get(slug="kernwaarden", version=2)
    assert response.redirect_chain[-1][0] == new.get_absolute_url()
    assert "Your changes are saved as version 2. Version 1 stays as it was" in response.content.decode()
    assert snapshot(own) == before  # the frozen version did not change at all
    assert new.predecessor == own and not new.is_frozen
    assert new.description_en == "Changed after the round."
    assert [c.code for c in new.competencies.all()] == ["KW-OPEN", "KW-NIEUW"]
    kept = new.competencies.get(code="KW-OPEN")
    assert kept.identifier != own.competencies.get(code="KW-OPEN").identifier
    assert kept.levels.get(level=2).description_en == "Changed level text."
    assert kept.levels.count() == 5 and new.competencies.get(code="KW-NIEUW").levels.count() == 5


def test_edit_frozen_without_changes_to_competencies_copies_them(client_for, hr, own):
    own.freeze()
    client = client_for(hr)
    data = form_data(client.get(edit_url(own)))
    data["title_nl"] = "Kernwaarden 2027"
    client.post(edit_url(own), data)
    new = Framework.objects.get(version=2)
    assert new.title_nl == "Kernwaarden 2027"
    assert new.competencies.count() == 2
    assert LevelDescription.objects.filter(competency__framework=new).count() == 10


def test_old_version_redirects_to_the_newest_and_refuses_a_stale_save(client_for, hr, own):
    own.freeze()
    client = english(client_for(hr))
    data = form_data(client.get(edit_url(own)))
    newer = new_version(own)
    response = client.get(edit_url(own))
    assert response.status_code == 302 and response["Location"] == edit_url(newer)
    before = snapshot(own), snapshot(newer), counts()
    data["title_en"] = "Stale edit"
    response = client.post(edit_url(own), data, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(newer)
    assert "Your changes were not saved. Make them in version 2." in response.content.decode()
    assert (snapshot(own), snapshot(newer), counts()) == before


def test_concurrent_edit_of_the_same_version_is_refused(client_for, hr, own):
    client = english(client_for(hr))
    data = form_data(client.get(edit_url(own)))
    Framework.objects.get(pk=own.pk).save()  # someone else saved meanwhile
    before = snapshot(own)
    data["title_en"] = "Late edit"
    response = client.post(edit_url(own), data, follow=True)
    assert "Someone else saved this framework after you opened it." in response.content.decode()
    assert snapshot(own)[1:] == before[1:]
    assert Framework.objects.get(pk=own.pk).title_en == "Core values"


def test_codes_can_be_swapped(client_for, hr, own):
    names = dict(own.competencies.values_list("code", "name_nl"))
    client = client_for(hr)
    data = form_data(client.get(edit_url(own)))
    data["competencies-0-code"], data["competencies-1-code"] = "KW-OPEN", "KW-SAMEN"
    assert client.post(edit_url(own), data).status_code == 302
    assert dict(own.competencies.values_list("code", "name_nl")) == {
        "KW-OPEN": names["KW-SAMEN"],
        "KW-SAMEN": names["KW-OPEN"],
    }


EDIT_ERRORS = {
    "duplicate code": ({"competencies-1-code": "KW-SAMEN"}, "The code KW-SAMEN is used more than once."),
    "empty level": ({"competencies-1-level_1_en": ""}, "This field is required."),
    "empty title": ({"title_nl": ""}, "This field is required."),
    "same level text": (
        {"competencies-0-level_4_nl": "x", "competencies-0-level_5_nl": " X "},
        "This is the same text as level 4.",
    ),
    "everything removed": (
        {"competencies-0-DELETE": "on", "competencies-1-DELETE": "on"},
        "A framework needs at least one competency.",
    ),
}


@pytest.mark.parametrize("frozen", [False, True], ids=["draft", "frozen"])
@pytest.mark.parametrize("case", EDIT_ERRORS, ids=list(EDIT_ERRORS))
def test_edit_with_bad_input_saves_nothing(client_for, hr, own, case, frozen):
    if frozen:
        own.freeze()
    client = english(client_for(hr))
    data = form_data(client.get(edit_url(own)))
    changes, message = EDIT_ERRORS[case]
    data.update(changes)
    before = snapshot(own), counts()
    response = client.post(edit_url(own), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (snapshot(own), counts()) == before


def test_edit_page_query_count_does_not_grow(client_for, hr, own, theme, django_assert_max_num_queries):
    client = client_for(hr)
    client.get(edit_url(own))
    with django_assert_max_num_queries(12):
        client.get(edit_url(own))
    for number in range(5):
        CompetencyFactory(framework=own, theme=theme, code=f"KW-{number}")
    with django_assert_max_num_queries(12):
        client.get(edit_url(own))


def test_person_added_to_hr_gets_access(client_for, org, own):
    from django.conf import settings
    from django.contrib.auth.models import Group

    person = PersonFactory(unit=org["root"])
    assert client_for(person).get(CREATE).status_code == 404
    person.groups.add(Group.objects.get(name=settings.HR_GROUP))
    person = type(person).objects.get(pk=person.pk)  # fresh permission cache
    assert client_for(person).get(CREATE).status_code == 200


def test_a_save_that_loses_the_race_for_a_new_version_changes_nothing(client_for, hr, own, monkeypatch):
    from competencies import forms as competency_forms

    own.freeze()
    client = english(client_for(hr))
    data = form_data(client.get(edit_url(own)))
    real_prepare_edit = competency_forms.prepare_edit

    def other_save_first(edited):
        new_version(edited)
        return real_prepare_edit(edited)

    monkeypatch.setattr(competency_forms, "prepare_edit", other_save_first)
    before = snapshot(own), counts()
    data["title_en"] = "Lost the race"
    response = client.post(edit_url(own), data)
    assert response.status_code == 302
    assert any("Your changes were not saved" in str(m) for m in response.wsgi_request._messages)
    assert (snapshot(own), counts()) == before


# Indicators, tips and the "not yet" example


def test_create_with_indicators_tips_and_not_yet(client_for, hr, theme):
    fields = competency_fields(
        0,
        theme,
        not_yet_nl="Je wacht af tot een ander begint.",
        not_yet_en="You wait until someone else starts.",
        indicators_2_nl="Je vraagt om feedback.\n\n  Je past je stuk aan.  \nJe vertelt wat je veranderde.",
        indicators_2_en="You ask for feedback.\nYou change your draft.\nYou say what you changed.",
        tip_2_nl="Vraag deze week één collega om feedback.",
        tip_2_en="This week, ask one colleague for feedback.",
    )
    response = client_for(hr).post(CREATE, create_data(theme, fields))
    assert response.status_code == 302
    competency = Competency.objects.get(code="KW-NIEUW")
    assert competency.not_yet_en == "You wait until someone else starts."
    level = competency.levels.get(level=2)
    assert level.indicators_nl == ["Je vraagt om feedback.", "Je past je stuk aan.", "Je vertelt wat je veranderde."]
    assert level.indicators_en[0] == "You ask for feedback." and level.tip_nl.startswith("Vraag deze week")
    assert competency.levels.get(level=1).indicators_nl == [] and competency.levels.get(level=1).tip_nl == ""
    page = client_for(hr).get(edit_url(competency.framework)).content.decode()
    assert 'name="competencies-0-tip_5_nl"' not in page  # level 5 has no tip
    assert "Je past je stuk aan." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"indicators_1_nl": "a\nb\nc\nd\ne", "indicators_1_en": "a\nb\nc\nd\ne"}, "indicators_1_nl", "at most 4"),
        (
            {"indicators_3_nl": "Je doet a.\nJe doet b.", "indicators_3_en": "You do a."},
            "indicators_3_en",
            "2 in Dutch",
        ),
        ({"tip_4_nl": "Oefen dit in je werk."}, "tip_4_en", "both languages"),
    ],
)
def test_bad_indicators_or_tips_are_refused_beside_the_field(client_for, hr, theme, overrides, field, message):
    client = english(client_for(hr))
    before = counts()
    response = client.post(CREATE, create_data(theme, competency_fields(0, theme, **overrides)))
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert any(message in error for error in errors[field]), errors
    assert counts() == before
