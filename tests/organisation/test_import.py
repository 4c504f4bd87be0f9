# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django.urls import reverse

import pytest

from organisation.imports import ImportFileError, apply_import, plan_import
from organisation.models import Person, Unit
from tests.factories import PersonFactory

HEADER = "personnel_number;name;email;unit;manager_personnel_number;job_title;birth_year;in_service_since\r\n"
GOOD = (
    HEADER
    + "1001;Anna de Boer;anna@voorbeeld.nl;Gemeente Voorbeeld/Sociaal Domein;;Afdelingshoofd;1975;2001\r\n"
    + "1002;Bart Smit;bart@voorbeeld.nl;Gemeente Voorbeeld/Sociaal Domein/Team Jeugd;1001;Consulent;1990;2015\r\n"
    + "1003;Chris Öztürk;chris@voorbeeld.nl;Gemeente Voorbeeld/Sociaal Domein/Team Jeugd;;Adviseur;;\r\n"
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted on their English ids; the Dutch texts come from the .po file."""
    from django.utils import translation

    with translation.override("en"):
        yield


def run(text, encoding="utf-8"):
    plan = plan_import(text.encode(encoding))
    assert plan.ok, plan.errors
    return apply_import(plan)


@pytest.mark.django_db
def test_good_file_creates_units_and_people():
    result = run(GOOD)
    assert result == {"created": 3, "updated": 0, "unchanged": 0, "units_created": 3}
    youth = Unit.objects.get(name="Team Jeugd")
    assert youth.full_path == "Gemeente Voorbeeld/Sociaal Domein/Team Jeugd"
    bart = Person.objects.get(personnel_number="1002")
    assert bart.unit == youth
    assert bart.manager.personnel_number == "1001"
    assert (bart.birth_year, bart.in_service_since, bart.job_title) == (1990, 2015, "Consulent")
    chris = Person.objects.get(personnel_number="1003")
    assert chris.name == "Chris Öztürk"
    assert chris.birth_year is None
    assert not chris.has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t,
        lambda t: t.replace(";", ","),
        lambda t: "\ufeff" + t,
        lambda t: t.replace("\r\n", "\n"),
    ],
    ids=["semicolon", "comma", "bom", "lf"],
)
def test_separator_and_bom_are_detected(transform):
    assert run(transform(GOOD))["created"] == 3


@pytest.mark.django_db
def test_windows_1252_file_reads():
    assert run(GOOD, encoding="cp1252")["created"] == 3
    assert Person.objects.get(personnel_number="1003").name == "Chris Öztürk"


@pytest.mark.django_db
def test_reimport_updates_by_personnel_number_and_counts_unchanged():
    run(GOOD)
    changed = GOOD.replace("Bart Smit;bart@", "Bart Smit-Jansen;bart@").replace(
        "Team Jeugd;;Adviseur", "Team Wmo;;Adviseur"
    )
    plan = plan_import(changed.encode())
    assert [r.personnel_number for r in plan.to_update] == ["1002", "1003"]
    assert [r.personnel_number for r in plan.unchanged] == ["1001"]
    assert plan.new_units == ["Gemeente Voorbeeld/Sociaal Domein/Team Wmo"]
    assert apply_import(plan) == {"created": 0, "updated": 2, "unchanged": 1, "units_created": 1}
    assert Person.objects.count() == 3
    assert Person.objects.get(personnel_number="1002").name == "Bart Smit-Jansen"
    assert Person.objects.get(personnel_number="1003").unit.name == "Team Wmo"


@pytest.mark.django_db
def test_reimport_of_same_file_changes_nothing():
    run(GOOD)
    plan = plan_import(GOOD.encode())
    assert (len(plan.to_create), len(plan.to_update), len(plan.unchanged), plan.new_units) == (0, 0, 3, [])


BAD_ROWS = [
    ("1004;Dirk;dirk@voorbeeld.nl;Gemeente Voorbeeld/Ruimte;9999;;;", "9999 is not in this file"),
    ("1001;Dubbel;dubbel@voorbeeld.nl;Gemeente Voorbeeld/Ruimte;;;;", "also appears on line 2"),
    ("1004;Eva;geen-email;Gemeente Voorbeeld/Ruimte;;;;", "not a valid e-mail"),
    ("1004;Eva;eva@voorbeeld.nl;;;;;", "not a valid path"),
    ("1004;Eva;eva@voorbeeld.nl;Gemeente Voorbeeld//Team;;;;", "not a valid path"),
    (";Eva;eva@voorbeeld.nl;Gemeente Voorbeeld;;;;", "personnel number is empty"),
    ("1004;;eva@voorbeeld.nl;Gemeente Voorbeeld;;;;", "name is empty"),
    ("1004;Eva;eva@voorbeeld.nl;Gemeente Voorbeeld;;;18xx;", "must be a year"),
    ("1004;Eva;eva@voorbeeld.nl;Gemeente Voorbeeld;;;;2999", "must be a year"),
    ("1004;Eva;eva@voorbeeld.nl;Gemeente Voorbeeld;1004;;;", "own manager"),
    ("1004;Eva;eva@voorbeeld.nl;Gemeente Voorbeeld;;;;;extra", "more fields than the header"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_any_bad_row_imports_nothing_and_names_line_and_reason(row, message):
    plan = plan_import((GOOD + row + "\r\n").encode())
    assert not plan.ok
    assert len(plan.errors) == 1
    assert plan.errors[0].line == 5
    assert message in plan.errors[0].message
    assert Person.objects.count() == 0
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_manager_cycle_is_reported_on_every_row_in_it():
    text = (
        HEADER
        + "1;A;a@x.nl;Org;2;;;\r\n"
        + "2;B;b@x.nl;Org;3;;;\r\n"
        + "3;C;c@x.nl;Org;1;;;\r\n"
        + "4;D;d@x.nl;Org;1;;;\r\n"
    )
    plan = plan_import(text.encode())
    assert [e.line for e in plan.errors] == [2, 3, 4]
    assert all("loop" in e.message for e in plan.errors)


@pytest.mark.django_db
def test_cycle_through_people_already_in_the_portal():
    boss = PersonFactory(personnel_number="1", unit=None)
    PersonFactory(personnel_number="2", unit=None, manager=boss)
    plan = plan_import((HEADER + "1;A;a@x.nl;Org;2;;;\r\n").encode())
    assert [e.line for e in plan.errors] == [2]


@pytest.mark.django_db
def test_manager_may_be_someone_already_in_the_portal():
    PersonFactory(personnel_number="777", unit=None)
    run(HEADER + "1;A;a@x.nl;Org;777;;;\r\n")
    assert Person.objects.get(personnel_number="1").manager.personnel_number == "777"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name;email\r\nA;a@x.nl\r\n", "missing"),
        (HEADER.strip() + ";shoe_size\r\n", "Unknown columns"),
        (HEADER, "no people"),
    ],
)
def test_unreadable_files(text, message):
    with pytest.raises(ImportFileError, match=message):
        plan_import(text.encode())


@pytest.mark.django_db
def test_binary_file_is_refused():
    with pytest.raises(ImportFileError):
        plan_import(b"\x81\x8d\x8f\x90\x9d")


# The browser flow: upload, preview, confirm.


def upload(client, text, name="mensen.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("organisation:import"), {"file": SimpleUploadedFile(name, text.encode())})


def test_import_page_is_hr_only(client, client_for, employee, manager, hr):
    url = reverse("organisation:import")
    assert client.get(url).status_code == 302
    assert client_for(employee).get(url).status_code == 404
    assert client_for(manager).get(url).status_code == 404
    assert client_for(hr).get(url).status_code == 200
    client.logout()
    assert client_for(employee).post(reverse("organisation:import_confirm"), {"fingerprint": "x"}).status_code == 404


def test_upload_shows_preview_then_confirm_imports(client_for, hr):
    client = client_for(hr)
    before = Person.objects.count()
    response = upload(client, GOOD)
    assert response.status_code == 200
    assert Person.objects.count() == before
    confirm = response.context["confirm"]
    assert response.context["plan"].ok
    response = client.post(reverse("organisation:import_confirm"), {"fingerprint": confirm.initial["fingerprint"]})
    assert response.status_code == 302
    assert Person.objects.count() == before + 3


def test_upload_with_bad_row_lists_errors_and_imports_nothing(client_for, hr):
    client = client_for(hr)
    before = Person.objects.count()
    response = upload(client, GOOD + "1004;Eva;geen-email;Org;;;;\r\n")
    assert response.status_code == 200
    assert response.context["confirm"] is None
    content = response.content.decode()
    assert "geen-email" in content
    assert Person.objects.count() == before


def test_confirm_without_preview_or_with_other_fingerprint_does_nothing(client_for, hr):
    client = client_for(hr)
    before = Person.objects.count()
    assert client.post(reverse("organisation:import_confirm"), {"fingerprint": "abc"}).status_code == 302
    upload(client, GOOD)
    assert client.post(reverse("organisation:import_confirm"), {"fingerprint": "0" * 64}).status_code == 302
    assert Person.objects.count() == before


def test_upload_limits(client_for, hr, settings):
    client = client_for(hr)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = upload(client, GOOD, name="mensen.xlsx")
    assert "Choose a .csv file" in str(response.context["form"].errors)
    settings.MAX_IMPORT_BYTES = 10
    response = upload(client, GOOD)
    assert "larger than" in str(response.context["form"].errors)


def test_management_command_imports_and_refuses_bad_files(tmp_path, db):
    import io

    from django.core.management import CommandError, call_command

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_employees", str(good), "--dry-run", stdout=io.StringIO())
    assert Person.objects.count() == 0
    call_command("import_employees", str(good), stdout=io.StringIO())
    assert Person.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("bart@voorbeeld.nl", "bart@"), encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_employees", str(bad), stdout=io.StringIO(), stderr=errors)
    assert "line 3 (1002)" in errors.getvalue()
    assert Person.objects.get(personnel_number="1002").email == "bart@voorbeeld.nl"
