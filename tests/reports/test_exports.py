# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The export rows and files: exact bytes per dialect, the injection guard, pseudonyms, filters, suppression.

On PostgreSQL the database writes the ratings CSV, elsewhere Python does: the byte-exact
tests run every way the database in use offers, against the same expected bytes.
"""

import datetime
import hashlib
import hmac
import io

from django.db import connection
from django.utils import translation

import openpyxl
import pytest

from assessments.models import Assessment, Rating, Round
from reports import exports
from reports.disclosure import COMPLEMENT, SMALL, withheld_reason
from reports.exports import Export, Filters
from tests.factories import CompetencyFactory, FrameworkFactory, PersonFactory
from tests.reports.exports_data import build_round, bulk_round

METHODS = ["python", "database"] if connection.vendor == "postgresql" else ["python"]

HEADER = (
    "round;personnel_number;name;unit;framework;framework_version;competency_code;competency;"
    "current_level;desired_level;gap;not_applicable;shared_with_manager;submitted_at\r\n"
)
EXCEL_RATINGS = (
    "\ufeff" + HEADER + 'Najaar 2026;P001;"Jansen; ""Jan""\nde Vries";Gemeente Test/Sociaal Domein/Team Jeugd;'
    "Core values;1;K1;Collaborating;2;4;2;0;1;2026-11-05 14:30:15\r\n"
    'Najaar 2026;P001;"Jansen; ""Jan""\nde Vries";Gemeente Test/Sociaal Domein/Team Jeugd;'
    "Core values;1;K2;'=SUM(A1);;;;1;1;2026-11-05 14:30:15\r\n"
    "Najaar 2026;'-42;'@Piet;Gemeente Test/Sociaal Domein/Zorg, Welzijn;"
    "Core values;1;K1;Collaborating;4;3;-1;0;0;2026-06-01 10:00:00\r\n"
    "Najaar 2026;'-42;'@Piet;Gemeente Test/Sociaal Domein/Zorg, Welzijn;"
    "Core values;1;K2;'=SUM(A1);3;3;0;0;0;2026-06-01 10:00:00\r\n"
).encode()
CSV_RATINGS = (
    HEADER.replace(";", ",") + 'Najaar 2026,P001,"Jansen; ""Jan""\nde Vries",Gemeente Test/Sociaal Domein/Team Jeugd,'
    "Core values,1,K1,Collaborating,2,4,2,0,1,2026-11-05 14:30:15\r\n"
    'Najaar 2026,P001,"Jansen; ""Jan""\nde Vries",Gemeente Test/Sociaal Domein/Team Jeugd,'
    "Core values,1,K2,'=SUM(A1),,,,1,1,2026-11-05 14:30:15\r\n"
    "Najaar 2026,'-42,'@Piet,\"Gemeente Test/Sociaal Domein/Zorg, Welzijn\","
    "Core values,1,K1,Collaborating,4,3,-1,0,0,2026-06-01 10:00:00\r\n"
    "Najaar 2026,'-42,'@Piet,\"Gemeente Test/Sociaal Domein/Zorg, Welzijn\","
    "Core values,1,K2,'=SUM(A1),3,3,0,0,0,2026-06-01 10:00:00\r\n"
).encode()
EXCEL_PEOPLE = (
    "\ufeffround;personnel_number;name;unit;status;answered;competencies;progress;submitted_at;mean_gap_kern_v1\r\n"
    "Najaar 2026;P003;Ellen Zwart;Gemeente Test/Ruimte/Team Groen;in_progress;1;2;50;;\r\n"
    'Najaar 2026;P001;"Jansen; ""Jan""\nde Vries";Gemeente Test/Sociaal Domein/Team Jeugd;'
    "submitted;2;2;100;2026-11-05 14:30:15;2,00\r\n"
    "Najaar 2026;'-42;'@Piet;Gemeente Test/Sociaal Domein/Zorg, Welzijn;submitted;2;2;100;"
    "2026-06-01 10:00:00;-0,50\r\n"
).encode()
CSV_PEOPLE = (
    b"round,personnel_number,name,unit,status,answered,competencies,progress,submitted_at,mean_gap_kern_v1\r\n"
    b"Najaar 2026,P003,Ellen Zwart,Gemeente Test/Ruimte/Team Groen,in_progress,1,2,50,,\r\n"
    b'Najaar 2026,P001,"Jansen; ""Jan""\nde Vries",Gemeente Test/Sociaal Domein/Team Jeugd,'
    b"submitted,2,2,100,2026-11-05 14:30:15,2.00\r\n"
    b"Najaar 2026,'-42,'@Piet,\"Gemeente Test/Sociaal Domein/Zorg, Welzijn\",submitted,2,2,100,"
    b"2026-06-01 10:00:00,-0.50\r\n"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def data(org):
    return build_round(org)


def export_bytes(kind, filters, **options):
    return b"".join(Export(kind, filters, **options).chunks())


def read_csv(content, dialect="excel"):
    import csv

    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if dialect == "excel" else ","))


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


# Exact bytes


@pytest.mark.parametrize("method", METHODS)
def test_ratings_for_dutch_excel_byte_for_byte(data, method):
    """BOM, semicolons, CRLF; a name with ';', quotes and a line break is quoted; formulas get a '."""
    assert export_bytes("ratings", Filters(round=data.round), method=method) == EXCEL_RATINGS


@pytest.mark.parametrize("method", METHODS)
def test_ratings_as_rfc_4180_byte_for_byte(data, method):
    assert export_bytes("ratings", Filters(round=data.round), dialect_name="csv", method=method) == CSV_RATINGS


def test_postgresql_writes_the_ratings_csv_itself(data):
    assert Export("ratings", Filters(round=data.round)).csv_from_database() is (connection.vendor == "postgresql")
    assert not Export("ratings", Filters(round=data.round), file_format="xlsx").csv_from_database()
    assert not Export("people", Filters(round=data.round)).csv_from_database()


def test_people_with_decimal_comma_for_excel_and_point_for_csv(data):
    assert export_bytes("people", Filters(round=data.round)) == EXCEL_PEOPLE
    assert export_bytes("people", Filters(round=data.round), dialect_name="csv") == CSV_PEOPLE


@pytest.mark.parametrize("method", METHODS)
def test_texts_in_the_current_language(data, method):
    with translation.override("nl"):
        rows = read_csv(export_bytes("ratings", Filters(round=data.round), method=method))
    assert {(row[4], row[7]) for row in rows[1:]} == {("Kernwaarden", "Samenwerken"), ("Kernwaarden", "'=SOM(A1)")}


@pytest.mark.parametrize("kind", exports.KINDS)
def test_count_matches_the_rows_written(data, kind):
    export = Export(kind, Filters(round=data.round))
    content = b"".join(export.chunks())
    assert export.count() == export.progress.rows == len(read_csv(content)) - 1 > 0


# Formula injection, in every format


INJECTIONS = ["=1+1", "+31612345678", "-5", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.fixture
def injections(data):
    """People whose names start with every dangerous character, each with one submitted rating."""
    competency = data.competencies[0]
    for index, name in enumerate(INJECTIONS):
        person = PersonFactory(name=name, personnel_number=f"X{index}", unit=data.care)
        assessment = Assessment.objects.create(
            round=data.round, person=person, unit=data.care, submitted_at=data.assessments.piet.submitted_at
        )
        Rating.objects.create(assessment=assessment, competency=competency, current_level=5, desired_level=1)
    return data


@pytest.mark.parametrize("kind", ["ratings", "people"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dialect", ["excel", "csv"])
def test_formula_injection_neutralised_in_csv(injections, kind, method, dialect):
    if kind == "people" and method == "database":
        method = None  # the people export has one way
    rows = read_csv(export_bytes(kind, Filters(round=injections.round), dialect_name=dialect, method=method), dialect)
    names = {row[2] for row in rows[1:]}
    assert {"'" + name for name in INJECTIONS} <= names
    assert not any(name.startswith(exports.FORMULA_STARTS) for row in rows[1:] for name in row[:5])
    if kind == "ratings":
        gaps = {row[10] for row in rows[1:] if row[2] == "'=1+1"}
        assert gaps == {"-4"}  # a number: no '


@pytest.mark.parametrize("kind", ["ratings", "people", "units"])
def test_formula_injection_neutralised_in_xlsx_and_numbers_stay_numbers(injections, kind):
    rows = read_xlsx(export_bytes(kind, Filters(round=injections.round), file_format="xlsx"))
    cells = [cell for row in rows for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not any(text.startswith(exports.FORMULA_STARTS) for text in texts)
    if kind == "ratings":
        by_name = {row[2].value: row for row in rows[1:]}
        # Excel stores a carriage return as _x000D_, which openpyxl leaves as it is.
        assert set(by_name) >= {"'" + name.replace("\r", "_x000D_") for name in INJECTIONS}
        row = by_name["'=1+1"]
        assert row[2].data_type == "s"
        assert (row[8].value, row[9].value, row[10].value) == (5, 1, -4)
        assert row[8].data_type == "n"


def test_xlsx_has_typed_columns(data):
    rows = read_xlsx(export_bytes("ratings", Filters(round=data.round), file_format="xlsx"))
    assert [cell.value for cell in rows[0]] == [column.name for column in exports.RATINGS_COLUMNS]
    first = [cell.value for cell in rows[1]]
    assert first == [
        "Najaar 2026",
        "P001",
        'Jansen; "Jan"\nde Vries',
        "Gemeente Test/Sociaal Domein/Team Jeugd",
        "Core values",
        1,
        "K1",
        "Collaborating",
        2,
        4,
        2,
        False,
        True,
        datetime.datetime(2026, 11, 5, 14, 30, 15),
    ]
    not_applicable = [cell.value for cell in rows[2]]
    assert not_applicable[8:12] == [None, None, None, True]
    people = read_xlsx(export_bytes("people", Filters(round=data.round), file_format="xlsx"))
    assert [row[9].value for row in people[1:]] == [None, 2.0, -0.5]
    assert people[3][9].data_type == "n"


# What is in and what is not


def all_exports(filters):
    for kind in exports.KINDS:
        for options in ({}, {"dialect_name": "csv"}, {"file_format": "xlsx"}):
            for method in METHODS if kind == "ratings" and not options.get("file_format") else [None]:
                yield kind, options, export_bytes(kind, filters, method=method, **options)


def test_personal_notes_are_never_exported(data):
    for _kind, options, content in all_exports(Filters(round=data.round, include_drafts=True)):
        if options.get("file_format") == "xlsx":
            content = repr([[cell.value for cell in row] for row in read_xlsx(content)]).encode()
        assert b"GEHEIM" not in content


@pytest.mark.parametrize("method", METHODS)
def test_drafts_excluded_by_default_and_included_on_request(data, method):
    default = read_csv(export_bytes("ratings", Filters(round=data.round), method=method))
    assert "Ellen Zwart" not in {row[2] for row in default}
    with_drafts = read_csv(export_bytes("ratings", Filters(round=data.round, include_drafts=True), method=method))
    ellen = [row for row in with_drafts if row[2] == "Ellen Zwart"]
    assert [(row[8], row[9], row[10], row[13]) for row in ellen] == [("1", "5", "4", "")]


def test_people_lists_everyone_but_shows_draft_gaps_only_on_request(data):
    default = read_csv(export_bytes("people", Filters(round=data.round)))
    assert [(row[2], row[4], row[9]) for row in default[1:2]] == [("Ellen Zwart", "in_progress", "")]
    drafts = read_csv(export_bytes("people", Filters(round=data.round, include_drafts=True)))
    assert [(row[2], row[9]) for row in drafts[1:2]] == [("Ellen Zwart", "4,00")]


def test_progress_is_rounded_half_up():
    assert [exports.percentage(part, 3) for part in range(4)] == [0, 33, 67, 100]
    assert exports.percentage(1, 8) == 13  # 12.5
    assert exports.percentage(0, 0) == 0


@pytest.mark.parametrize("method", METHODS)
def test_unit_filter_includes_sub_units(data, org, method):
    filters = Filters(round=data.round, unit=org["social"], include_drafts=True)
    rows = read_csv(export_bytes("ratings", filters, method=method))
    assert {row[1] for row in rows[1:]} == {"P001", "'-42"}
    only_youth = read_csv(export_bytes("ratings", Filters(round=data.round, unit=org["youth"]), method=method))
    assert {row[1] for row in only_youth[1:]} == {"P001"}
    people = read_csv(export_bytes("people", Filters(round=data.round, unit=org["space"])))
    assert [row[1] for row in people[1:]] == ["P003"]
    units = read_csv(export_bytes("units", Filters(round=data.round, unit=org["social"])))
    assert {row[1] for row in units[1:]} == {
        "Gemeente Test/Sociaal Domein",
        "Gemeente Test/Sociaal Domein/Team Jeugd",
        "Gemeente Test/Sociaal Domein/Zorg, Welzijn",
    }


@pytest.mark.parametrize("method", METHODS)
def test_framework_filter(data, method):
    other = FrameworkFactory(slug="other", title_en="Other")
    competency = CompetencyFactory(framework=other, code="O1")
    data.round.frameworks.add(other)
    Rating.objects.create(assessment=data.assessments.piet, competency=competency, current_level=1, desired_level=2)
    both = read_csv(export_bytes("ratings", Filters(round=data.round), method=method))
    assert [row[6] for row in both[1:]] == ["K1", "K2", "K1", "K2", "O1"]
    only = read_csv(export_bytes("ratings", Filters(round=data.round, framework=other), method=method))
    assert [(row[4], row[6]) for row in only[1:]] == [("Other", "O1")]
    people = read_csv(export_bytes("people", Filters(round=data.round, framework=other)))
    assert people[0][9:] == ["mean_gap_other_v1"]
    assert [row[9] for row in people[1:]] == ["", "", "1,00"]
    units = read_csv(export_bytes("units", Filters(round=data.round, framework=other)))
    assert {row[4] for row in units[1:]} == {"O1"}


def test_round_filter_and_default_round(data, org):
    assert exports.default_round() == data.round
    newer = Round.objects.create(name="Later", opens_on=datetime.date(2027, 1, 1), closes_on=datetime.date(2027, 2, 1))
    Assessment.objects.create(round=newer, person=data.people.jansen, unit=org["youth"])
    assert exports.default_round() == data.round  # nothing submitted in the newer round yet
    assert read_csv(export_bytes("ratings", Filters(round=newer), method="python")) == [HEADER.strip().split(";")]
    Assessment.objects.filter(round=newer).update(submitted_at=data.assessments.jansen.submitted_at)
    assert exports.default_round() == newer


# Pseudonyms


@pytest.mark.parametrize("method", METHODS)
def test_pseudonymised_ratings_hide_names_and_numbers(data, method):
    content = export_bytes("ratings", Filters(round=data.round, pseudonymise=True), method=method)
    for secret in (b"Jansen", b"Piet", b"P001", b"-42"):
        assert secret not in content
    rows = read_csv(content)
    expected = {exports.pseudonym(data.people.jansen.pk), exports.pseudonym(data.people.piet.pk)}
    assert {row[1] for row in rows[1:]} == {row[2] for row in rows[1:]} == expected


def test_pseudonym_is_an_hmac_of_the_person_id_with_the_key(settings):
    settings.EXPORT_PSEUDONYM_KEY = "sleutel"
    digest = hmac.new(b"sleutel", b"42", hashlib.sha256).hexdigest()
    assert exports.pseudonym(42) == "ps-" + digest[:16]
    assert exports.pseudonym(42) != exports.pseudonym(43)
    settings.EXPORT_PSEUDONYM_KEY = "andere sleutel"
    assert exports.pseudonym(42) != "ps-" + digest[:16]


@pytest.mark.parametrize("key", ["k", "x" * 64, "lange sleutel " * 10])
@pytest.mark.parametrize("method", METHODS)
def test_pseudonyms_are_the_same_in_every_export_and_round(data, org, settings, key, method):
    """Same key, same person: same code, in ratings and people, this round and the next; keys longer than a block."""
    settings.EXPORT_PSEUDONYM_KEY = key
    later = Round.objects.create(name="Later", opens_on=datetime.date(2027, 1, 1), closes_on=datetime.date(2027, 2, 1))
    later.frameworks.set([data.framework])
    assessment = Assessment.objects.create(
        round=later, person=data.people.jansen, unit=org["youth"], submitted_at=data.assessments.jansen.submitted_at
    )
    Rating.objects.create(assessment=assessment, competency=data.competencies[0], current_level=3, desired_level=3)
    code = exports.pseudonym(data.people.jansen.pk)
    first = read_csv(export_bytes("ratings", Filters(round=data.round, pseudonymise=True), method=method))
    second = read_csv(export_bytes("ratings", Filters(round=later, pseudonymise=True), method=method))
    people = read_csv(export_bytes("people", Filters(round=data.round, pseudonymise=True)))
    assert code in {row[1] for row in first}
    assert {row[1] for row in second[1:]} == {code}
    assert code in {row[1] for row in people}
    assert len({row[1] for row in people[1:]}) == 3


@pytest.mark.parametrize("method", METHODS)
def test_pseudonymised_rows_are_ordered_by_code_not_by_name(org, method):
    round_ = bulk_round({org["youth"]: 12}, competencies=1)
    content = export_bytes("ratings", Filters(round=round_, pseudonymise=True), method=method)
    codes = [row[1] for row in read_csv(content)[1:]]
    assert codes == sorted(codes)


# Suppression


@pytest.fixture
def minimum_three(settings):
    settings.REPORT_MIN_GROUP_SIZE = 3


def test_units_hide_small_groups_and_groups_that_subtraction_would_reveal(org, minimum_three):
    """Team Jeugd 4, Team Wmo 1 -> Sociaal Domein 5; Team Groen 3 -> Ruimte 3; Gemeente 8.

    Team Wmo is too small. Sociaal Domein minus Team Jeugd would describe Team Wmo's one
    person, so Team Jeugd is hidden too. Ruimte and Team Groen are the same 3 people: fine.
    """
    levels = {0: (1, 3), 1: (2, 3), 2: (2, 4), 3: (3, 4)}  # Team Jeugd's four; everyone else (3, 5)
    round_ = bulk_round(
        {org["youth"]: 4, org["wmo"]: 1, org["green"]: 3}, competencies=1, levels=lambda i: levels.get(i, (3, 5))
    )
    rows = read_csv(export_bytes("units", Filters(round=round_)))
    assert rows[0] == [column.name for column in exports.UNITS_COLUMNS]
    table = {row[1]: row[6:] for row in rows[1:]}
    assert table == {
        "Gemeente Test": ["8", "2,50", "4,25", "1,75", ""],
        "Gemeente Test/Ruimte": ["3", "3,00", "5,00", "2,00", ""],
        "Gemeente Test/Ruimte/Team Groen": ["3", "3,00", "5,00", "2,00", ""],
        "Gemeente Test/Sociaal Domein": ["5", "2,20", "3,80", "1,60", ""],
        "Gemeente Test/Sociaal Domein/Team Jeugd": ["", "", "", "", withheld_reason(COMPLEMENT)],
        "Gemeente Test/Sociaal Domein/Team Wmo": ["", "", "", "", withheld_reason(SMALL)],
    }
    assert [row[1] for row in rows[1:]] == [
        "Gemeente Test",
        "Gemeente Test/Ruimte",
        "Gemeente Test/Ruimte/Team Groen",
        "Gemeente Test/Sociaal Domein",
        "Gemeente Test/Sociaal Domein/Team Jeugd",
        "Gemeente Test/Sociaal Domein/Team Wmo",
    ]


def test_units_rule_covers_the_whole_tree(org, minimum_three):
    """Jeugd 3 + Wmo 3 = Sociaal Domein 6; Groen 2 = Ruimte 2; Gemeente 8.

    Gemeente minus Sociaal Domein would describe Groen's two people. Hiding Sociaal
    Domein would not help (Gemeente minus Jeugd minus Wmo is the same two), so the
    figure for the whole organisation is the one that goes.
    """
    round_ = bulk_round({org["youth"]: 3, org["wmo"]: 3, org["green"]: 2}, competencies=1)
    rows = read_csv(export_bytes("units", Filters(round=round_)))
    shown = {row[1] for row in rows[1:] if row[10] == ""}
    assert shown == {
        "Gemeente Test/Sociaal Domein",
        "Gemeente Test/Sociaal Domein/Team Jeugd",
        "Gemeente Test/Sociaal Domein/Team Wmo",
    }
    assert {row[1]: row[10] for row in rows[1:]}["Gemeente Test"] == withheld_reason(COMPLEMENT)


def test_units_count_only_rated_competencies(org, minimum_three):
    round_ = bulk_round({org["youth"]: 4}, competencies=1, levels=lambda i: None if i == 0 else (2, 3))
    rows = read_csv(export_bytes("units", Filters(round=round_, unit=org["youth"])))
    assert rows[1][6:] == ["3", "2,00", "3,00", "1,00", ""]


def test_suppression_does_not_depend_on_the_unit_filter(org, minimum_three):
    round_ = bulk_round({org["youth"]: 4, org["wmo"]: 1}, competencies=1)
    narrow = read_csv(export_bytes("units", Filters(round=round_, unit=org["youth"])))
    assert narrow[1][1] == "Gemeente Test/Sociaal Domein/Team Jeugd"
    assert narrow[1][7:10] == ["", "", ""]


# Streaming


@pytest.mark.parametrize("method", METHODS)
def test_ratings_stream_in_chunks(org, monkeypatch, method):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 256)
    monkeypatch.setattr(exports, "PEOPLE_PER_FETCH", 2)
    monkeypatch.setattr(exports, "FETCH_SIZE", 7)
    round_ = bulk_round({org["youth"]: 30}, competencies=3)
    export = Export("ratings", Filters(round=round_), method=method)
    chunks = export.chunks()
    next(chunks), next(chunks)
    assert 0 < export.progress.rows < 90  # the file is written as it is read, not all at once
    rest = b"".join(chunks)
    assert export.progress.rows == 90
    assert rest.endswith(b"\r\n")
