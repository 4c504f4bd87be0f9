# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2


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
def test_a_job_title_that_reads_like_a_unit_stays_a_job_title():
    """Rows share their repeated values (a ministry's 100,000 rows); a unit path is kept apart from plain text."""
    text = (
        HEADER
        + "2001;Dewi Kok;dewi@voorbeeld.nl;Financiën;;Adviseur;1980;2005\r\n"
        + "2002;Emre Yilmaz;emre@voorbeeld.nl;Gemeente Voorbeeld;;Financiën;1980;2005\r\n"
    )
    assert run(text)["created"] == 2
    emre = Person.objects.get(personnel_number="2002")
    assert (emre.job_title, emre.unit.name, emre.birth_year) == ("Financiën", "Gemeente Voorbeeld", 1980)


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
def test_genuine_windows_1252_file_reads_and_says_so():
    assert plan_import(GOOD.encode("cp1252")).encoding == "cp1252"
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
    assert plan.unchanged == 1
    assert plan.new_units == ["Gemeente Voorbeeld/Sociaal Domein/Team Wmo"]
    assert apply_import(plan) == {"created": 0, "updated": 2, "unchanged": 1, "units_created": 1}
    assert Person.objects.count() == 3
    assert Person.objects.get(personnel_number="1002").name == "Bart Smit-Jansen"
    assert Person.objects.get(personnel_number="1003").unit.name == "Team Wmo"


@pytest.mark.django_db
def test_reimport_of_same_file_changes_nothing():
    run(GOOD)
    plan = plan_import(GOOD.encode())
    assert (len(plan.to_create), len(plan.to_update), plan.unchanged, plan.new_units) == (0, 0, 3, [])


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


# Finding 4 (issue 12): a re-import must not wipe what the file does not mention.

FULL = (
    HEADER
    + "1001;Anna;anna@x.nl;Org/Team;;Adviseur;1975;2001\r\n"
    + "1002;Bart;bart@x.nl;Org/Team;1001;Consulent;1990;2015\r\n"
)


@pytest.mark.django_db
def test_absent_columns_change_nothing():
    run(FULL)
    plan = plan_import(b"personnel_number;name;email;unit\r\n1002;Bart;bart@x.nl;Org/Team\r\n")
    assert (plan.to_update, plan.unchanged) == ([], 1)
    apply_import(plan)
    bart = Person.objects.get(personnel_number="1002")
    assert (bart.manager.personnel_number, bart.job_title, bart.birth_year, bart.in_service_since) == (
        "1001",
        "Consulent",
        1990,
        2015,
    )


@pytest.mark.django_db
def test_present_but_empty_column_clears_and_preview_lists_each_change():
    run(FULL)
    text = (
        "personnel_number;name;email;unit;job_title;manager_personnel_number\r\n1002;Bart B;bart@x.nl;Org/Team;;\r\n"
    )
    plan = plan_import(text.encode())
    [row] = plan.to_update
    assert [(c.field, c.old, c.new) for c in row.changes] == [
        ("name", "Bart", "Bart B"),
        ("manager", "1001", ""),
        ("job_title", "Consulent", ""),
    ]
    apply_import(plan)
    bart = Person.objects.get(personnel_number="1002")
    assert (bart.name, bart.manager, bart.job_title, bart.birth_year) == ("Bart B", None, "", 1990)


# Finding 5 (issue 12): the plan checks everything the database will.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("beheer;Eva;eva@x.nl;Org;;;;", "already the username of someone else"),
        ("1004;Eva\x00;eva@x.nl;Org;;;;", "NUL character"),
        ("1004;" + "E" * 201 + ";eva@x.nl;Org;;;;", "name is longer than 200"),
        ("1004;Eva;eva@x.nl;Org/" + "T" * 201 + ";;;;", "longer than 200 characters"),
        ("1004;Eva;eva@x.nl;" + "/".join(f"L{i}" for i in range(21)) + ";;;;", "more than 20 levels"),
        ("1004;Eva;eva@x.nl;Org;;" + "J" * 201 + ";;", "job title is longer than 200"),
    ],
    ids=["username", "nul", "name", "unit-name", "unit-depth", "job-title"],
)
def test_plan_refuses_what_the_database_would(row, message):
    PersonFactory(username="beheer", personnel_number=None, unit=None)
    plan = plan_import((GOOD + row + "\r\n").encode())
    assert [(e.line, message in e.message) for e in plan.errors] == [(5, True)]


@pytest.mark.django_db
def test_deepest_allowed_unit_path_imports():
    path = "/".join(f"Niveau {i}" for i in range(20))
    run(HEADER + f"1;A;a@x.nl;{path};;;;\r\n")
    unit = Person.objects.get(personnel_number="1").unit
    assert unit.full_path == path
    assert Unit.objects.subtree(Unit.objects.get(name="Niveau 0")).count() == 20


@pytest.mark.django_db
def test_duplicate_header_column_is_refused():
    with pytest.raises(ImportFileError, match="more than once.*name"):
        plan_import((HEADER.replace("job_title", "name") + "1;A;a@x.nl;Org;;B;;\r\n").encode())


@pytest.mark.django_db
def test_damaged_utf8_file_is_refused_naming_the_line():
    data = GOOD.encode() + "1004;Eva Müller;eva@x.nl;Org;;;;\r\n".encode("cp1252")
    with pytest.raises(ImportFileError, match="Line 5 .*not valid UTF-8"):
        plan_import(data)


@pytest.mark.django_db
def test_field_over_the_csv_limit_is_a_clear_error():
    with pytest.raises(ImportFileError, match="Line 2 cannot be read"):
        plan_import((HEADER + '1;"' + "x" * 200_000 + '";a@x.nl;Org;;;;\r\n').encode())


def _file(people, managers=True):
    lines = [HEADER]
    for i in range(people):
        manager = str(1000 + i - 1) if managers and i else ""
        lines.append(
            f"{1000 + i};Persoon {i};p{i}@x.nl;Org/Afdeling {i % 7}/Team {i % 13};{manager};Adviseur;1980;\r\n"
        )
    return "".join(lines).encode()


@pytest.mark.django_db
def test_planning_costs_the_same_queries_for_any_number_of_people(django_assert_max_num_queries):
    run(_file(30).decode())
    for size in (30, 300):
        with django_assert_max_num_queries(2):
            plan = plan_import(_file(size))
        assert plan.ok


@pytest.mark.django_db
def test_apply_is_bulk(django_assert_max_num_queries):
    plan = plan_import(_file(300))
    with django_assert_max_num_queries(20):
        assert apply_import(plan)["created"] == 300
    assert Person.objects.get(personnel_number="1299").manager.personnel_number == "1298"
    assert Unit.objects.get(name="Team 5", parent__name="Afdeling 5").tree_path.count("/") == 4


@pytest.mark.django_db
def test_progress_is_reported():
    seen = []
    plan_import(_file(2500), progress=lambda checked, total: seen.append((checked, total)))
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_tree_path_holds_the_deepest_allowed_path_with_eleven_digit_ids():
    from organisation.imports import MAX_UNIT_DEPTH

    assert Unit._meta.get_field("tree_path").max_length >= len("/" + "12345678901/" * MAX_UNIT_DEPTH)
