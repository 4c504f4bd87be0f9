# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The learning catalogue: browsing with filters, HR maintenance, CSV import (all or nothing) and export."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from learning.imports import plan_catalogue
from learning.models import Activity, ActivityCompetency
from tests.factories import ActivityFactory, LearningLineFactory

HEADER = "code;title_nl;description_nl;form;duration_hours;cost;active;competencies\n"


def test_everyone_browses_and_filters(client_for, employee, competencies):
    online = ActivityFactory(
        title_nl="Cijfers lezen", form="online", duration_hours=2, develops=[(competencies[0], 1, 3)]
    )
    ActivityFactory(title_nl="Tweedaagse", form="classroom", duration_hours=14, develops=[(competencies[1], 2, 4)])
    ActivityFactory(title_nl="Verborgen", is_active=False, develops=[(competencies[0], 1, 3)])
    client = client_for(employee)
    page = client.get(reverse("learning:activities")).text
    assert "Cijfers lezen" in page and "Tweedaagse" in page and "Verborgen" not in page
    assert "Cijfers lezen" in client.get(reverse("learning:activities"), {"competency": competencies[0].pk}).text
    assert "Tweedaagse" not in client.get(reverse("learning:activities"), {"competency": competencies[0].pk}).text
    assert "Tweedaagse" not in client.get(reverse("learning:activities"), {"max_hours": "3"}).text
    assert "Cijfers lezen" not in client.get(reverse("learning:activities"), {"form": "classroom"}).text
    assert client.get(reverse("learning:activities"), {"max_hours": "veel"}).status_code == 400
    assert client.get(reverse("learning:activity", args=[online.pk])).status_code == 200
    hidden = Activity.objects.get(title_nl="Verborgen")
    assert client.get(reverse("learning:activity", args=[hidden.pk])).status_code == 404


def test_empty_catalogue_says_what_to_do(client_for, employee, db):
    assert "The catalogue is still empty" in client_for(employee).get(reverse("learning:activities")).text


def test_list_pages_and_keeps_its_query_count(client_for, employee, competencies):
    client = client_for(employee)
    for _ in range(3):
        ActivityFactory(develops=[(competencies[0], 1, 3), (competencies[1], 2, 3)])
    LearningLineFactory(competency=competencies[0])
    client.get(reverse("learning:activities"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("learning:activities"))
    for _ in range(30):
        ActivityFactory(develops=[(competencies[0], 1, 3), (competencies[2], 2, 3)])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("learning:activities"))
    assert len(few) == len(many)
    assert "Page 1 of 2" in response.text


def test_line_shows_steps_in_order(client_for, employee, competencies):
    first, second = ActivityFactory(title_nl="Zzz eerst"), ActivityFactory(title_nl="Aaa daarna")
    line = LearningLineFactory(competency=competencies[0], steps=[first, second])
    page = client_for(employee).get(reverse("learning:line", args=[line.pk])).text
    assert page.index("Zzz eerst") < page.index("Aaa daarna")


def form_data(competency, **overrides):
    data = {
        "code": "nieuw",
        "title_nl": "Nieuwe cursus",
        "description_nl": "Uitleg",
        "form": "online",
        "duration_hours": "1,5",
        "cost": "0",
        "is_active": "on",
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "1",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-competency": competency.pk,
        "links-0-level_from": "2",
        "links-0-level_to": "3",
    }
    return data | overrides


def test_hr_adds_an_activity_and_bad_input_changes_nothing(client_for, hr, competencies):
    client = client_for(hr)
    bad = client.post(reverse("learning:activity_create"), form_data(competencies[0], **{"links-0-level_to": "2"}))
    assert bad.status_code == 400
    assert "must be higher than the" in bad.text
    assert not Activity.objects.exists()
    good = client.post(reverse("learning:activity_create"), form_data(competencies[0], duration_hours="1.5"))
    assert good.status_code == 302
    activity = Activity.objects.get(code="nieuw")
    assert [(link.level_from, link.level_to) for link in activity.competency_links.all()] == [(2, 3)]


def upload(client, data, name="catalogus.csv"):
    return client.post(reverse("learning:catalogue_import"), {"file": SimpleUploadedFile(name, data)})


def test_import_with_bad_rows_imports_nothing_and_names_every_row(client_for, hr, framework):
    rows = HEADER + (
        f"goed;Goed;Uitleg;online;1,5;0;1;{framework.slug}:C1:2-3\n"
        "fout code;Fout;Uitleg;online;1;0;1;x\n"
        f"vorm;Vorm;Uitleg;webinar;1;0;1;{framework.slug}:C1:2-3\n"
        f"niveau;Niveau;Uitleg;online;1;0;1;{framework.slug}:C1:3-2\n"
        f"onbekend;Onbekend;Uitleg;online;-1;0;1;{framework.slug}:C99:1-2\n"
        f"goed;Dubbel;Uitleg;online;1;0;1;{framework.slug}:C1:2-3\n"
    )
    response = upload(client_for(hr), ("\ufeff" + rows).encode())
    assert response.status_code == 400
    assert not Activity.objects.exists()
    plan = plan_catalogue(rows.encode())
    assert sorted({error.line for error in plan.errors}) == [3, 4, 5, 6, 7]
    text = response.text
    assert "The learning form &#x27;webinar&#x27; is unknown" in text
    assert "must be two levels from 1 to 5" in text
    assert "Competency C99 of framework" in text and "cannot be below 0" in text
    assert "also appears on line 2" in text


def test_import_previews_then_applies_and_updates_by_code(client_for, hr, framework, competencies):
    ActivityFactory(code="bestaand", title_nl="Oud", develops=[(competencies[4], 1, 2)])
    rows = HEADER + (
        f"bestaand;Nieuw;Uitleg;classroom;7;395,50;1;{framework.slug}:C1:2-3|{framework.slug}:c2:1-4\n"
        f"nieuw;Nieuw twee;Uitleg;workplace;2;;0;{framework.slug}:C3:1-2\n"
    )
    client = client_for(hr)
    preview = upload(client, rows.encode())
    assert preview.status_code == 200 and "Import now" in preview.text
    assert Activity.objects.get(code="bestaand").title_nl == "Oud"
    fingerprint = preview.context["confirm"].initial["fingerprint"]
    response = client.post(reverse("learning:catalogue_import"), {"fingerprint": fingerprint})
    assert response.status_code == 302
    changed = Activity.objects.get(code="bestaand")
    assert (changed.title_nl, changed.form, str(changed.cost)) == ("Nieuw", "classroom", "395.50")
    links = sorted((link.competency.code, link.level_from, link.level_to) for link in changed.competency_links.all())
    assert links == [("C1", 2, 3), ("C2", 1, 4)]
    assert Activity.objects.get(code="nieuw").is_active is False
    assert ActivityCompetency.objects.count() == 3


def test_a_changed_file_is_not_applied(client_for, hr, framework):
    client = client_for(hr)
    upload(client, (HEADER + f"a;A;U;online;1;0;1;{framework.slug}:C1:1-2\n").encode())
    response = client.post(reverse("learning:catalogue_import"), {"fingerprint": "0" * 64})
    assert response.status_code == 302
    assert not Activity.objects.exists()


def test_export_reads_back_in_the_import(client_for, hr, framework, competencies):
    ActivityFactory(code="rond", title_nl="=Rond", duration_hours="1.5", develops=[(competencies[0], 2, 3)])
    response = client_for(hr).get(reverse("exports:learning_catalogue"))
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeffcode;".encode())
    assert b"1,5" in body and b"'=Rond" in body and b"\r\n" in body
    plan = plan_catalogue(body)
    assert plan.ok, plan.errors
    assert plan.updated == 1
    standard = b"".join(
        client_for(hr).get(reverse("exports:learning_catalogue"), {"dialect": "csv"}).streaming_content
    )
    assert standard.startswith(b"code,") and b"1.5" in standard


@pytest.mark.parametrize("data", [b"", b"code;title_nl\n", b"\xff\xfe\x00"])
def test_unreadable_files_say_why(client_for, hr, data, db):
    response = upload(client_for(hr), data)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def line_data(competency, steps, **overrides):
    data = {
        "code": "lijn",
        "title_nl": "Leerlijn data",
        "description_nl": "Stap voor stap",
        "competency": competency.pk,
        "level_from": "1",
        "level_to": "3",
        "is_active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for index, (position, activity) in enumerate(steps):
        data[f"steps-{index}-position"] = str(position)
        data[f"steps-{index}-activity"] = str(activity.pk)
    return data | overrides


def test_hr_makes_a_learning_line_with_ordered_steps(client_for, hr, competencies, org):
    from learning.models import LearningLine

    first, second = ActivityFactory(), ActivityFactory()
    client = client_for(hr)
    twice = client.post(reverse("learning:line_create"), line_data(competencies[0], [(1, first), (1, second)]))
    assert twice.status_code == 400 and "Two steps have the same number" in twice.text
    same = client.post(reverse("learning:line_create"), line_data(competencies[0], [(1, first), (2, first)]))
    assert same.status_code == 400 and "An activity is in this learning line twice" in same.text
    assert not LearningLine.objects.exists()
    data = line_data(competencies[0], [(2, first), (1, second)], units=[org["youth"].pk], job_titles="Jurist")
    assert client.post(reverse("learning:line_create"), data).status_code == 302
    line = LearningLine.objects.get()
    assert [step.activity for step in line.steps.order_by("position")] == [second, first]
    assert list(line.units.all()) == [org["youth"]] and line.job_title_keys() == {"jurist"}
