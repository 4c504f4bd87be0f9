# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""HR's target pages, the import by job title, and the own manager's target for one person."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learning.imports import plan_targets
from learning.models import Target, TargetScope


def test_hr_adds_targets_and_bad_input_changes_nothing(client_for, hr, org, competencies):
    client = client_for(hr)
    base = {"competency": competencies[0].pk, "level": 3, "due_on": "2027-12-31", "valid_from": "2026-01-01"}
    missing = client.post(reverse("learning:targets"), {**base, "scope": "unit"})
    assert missing.status_code == 400 and "Choose the unit this target is for" in missing.text
    no_title = client.post(reverse("learning:targets"), {**base, "scope": "job_title", "job_title": " "})
    assert no_title.status_code == 400 and "Fill in the job title" in no_title.text
    assert not Target.objects.exists()
    unit = {**base, "scope": "unit", "unit": org["social"].pk, "include_subunits": "on"}
    assert client.post(reverse("learning:targets"), unit).status_code == 302
    again = client.post(reverse("learning:targets"), unit)
    assert again.status_code == 400 and "already is a target" in again.text
    # A person's target is not HR's to set here.
    client.post(reverse("learning:targets"), {**base, "scope": "person"})
    assert list(Target.objects.values_list("scope", "set_by")) == [(TargetScope.UNIT, hr.pk)]
    page = client.get(reverse("learning:targets")).text
    assert "Sociaal Domein (with sub-units)" in page


def test_hr_removes_a_target(client_for, hr, competencies):
    target = Target.objects.create(
        competency=competencies[0], scope="organisation", level=3, due_on=datetime.date(2027, 1, 1)
    )
    assert client_for(hr).post(reverse("learning:target_delete", args=[target.pk])).status_code == 302
    assert not Target.objects.exists()


def test_import_by_job_title_all_or_nothing(client_for, hr, framework):
    header = "job_title;framework;competency;level;due_on;valid_from\n"
    bad = header + (
        f"Beleidsadviseur;{framework.slug};C1;4;31-12-2027;\n"
        f";{framework.slug};C1;4;31-12-2027;\n"
        f"Jurist;{framework.slug};C9;6;eind 2027;\n"
        f"beleidsadviseur;{framework.slug};c1;3;2027-12-31;\n"
    )
    client = client_for(hr)
    response = client.post(reverse("learning:target_import"), {"file": SimpleUploadedFile("t.csv", bad.encode())})
    assert response.status_code == 400
    assert not Target.objects.exists()
    plan = plan_targets(bad.encode(), today=datetime.date(2026, 1, 1))
    assert sorted({e.line for e in plan.errors}) == [3, 4, 5]
    assert "also appear on line 2" in response.text and "The job title is empty" in response.text
    good = header + f"Beleidsadviseur;{framework.slug};C1;4;31-12-2027;2026-01-01\n"
    preview = client.post(reverse("learning:target_import"), {"file": SimpleUploadedFile("t.csv", good.encode())})
    client.post(reverse("learning:target_import"), {"fingerprint": preview.context["confirm"].initial["fingerprint"]})
    target = Target.objects.get()
    assert (target.scope, target.job_title_key, target.level, target.due_on) == (
        "job_title",
        "beleidsadviseur",
        4,
        datetime.date(2027, 12, 31),
    )
    # The same line again with another level changes it instead of adding one.
    again = good.replace(";4;", ";5;")
    preview = client.post(reverse("learning:target_import"), {"file": SimpleUploadedFile("t.csv", again.encode())})
    client.post(reverse("learning:target_import"), {"fingerprint": preview.context["confirm"].initial["fingerprint"]})
    assert list(Target.objects.values_list("level", flat=True)) == [5]


def test_the_own_manager_sets_a_personal_target(client_for, employee, manager, senior_manager, competencies):
    url = reverse("learning:person_targets", args=[employee.pk])
    assert client_for(senior_manager).get(url).status_code == 404
    client = client_for(manager)
    bad = client.post(url, {"competency": competencies[0].pk, "level": 7, "due_on": "2027-12-31"})
    assert bad.status_code == 400
    assert client.post(url, {"competency": competencies[0].pk, "level": 4, "due_on": "2027-12-31"}).status_code == 302
    target = Target.objects.get()
    assert (target.scope, target.person, target.set_by, target.level) == ("person", employee, manager, 4)
    assert client.post(url, {"competency": competencies[0].pk, "level": 3, "due_on": "2027-12-31"}).status_code == 400


def test_target_list_query_count_does_not_grow(client_for, hr, org, competencies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(hr)
    Target.objects.create(competency=competencies[0], scope="organisation", level=3, due_on=datetime.date(2027, 1, 1))
    client.get(reverse("learning:targets"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("learning:targets"))
    for index, competency in enumerate(competencies):
        Target.objects.create(
            competency=competency, scope="unit", unit=org["youth"], level=2, due_on=datetime.date(2027, 1, 1)
        )
        Target.objects.create(
            competency=competency,
            scope="job_title",
            job_title=f"Functie {index}",
            level=4,
            due_on=datetime.date(2027, 1, 1),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("learning:targets"))
    assert len(few) == len(many)
