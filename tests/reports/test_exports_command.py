# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""manage.py export: the same files as the export page, written to standard output, and logged."""

import io

from django.core.management import CommandError, call_command
from django.utils import translation

import openpyxl
import pytest

from reports.models import ExportLog, ExportSource
from tests.reports.exports_data import build_round
from tests.reports.test_exports import CSV_RATINGS, EXCEL_PEOPLE, EXCEL_RATINGS


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def data(org):
    return build_round(org)


def run(*args):
    """Run the command with a binary standard output, as when redirected to a file; returns (bytes, stderr)."""
    stdout, stderr = io.TextIOWrapper(io.BytesIO()), io.StringIO()
    call_command("export", *args, stdout=stdout, stderr=stderr)
    stdout.flush()
    return stdout.buffer.getvalue(), stderr.getvalue()


def test_ratings_to_standard_output(data):
    content, report = run("ratings")
    assert content == EXCEL_RATINGS
    assert report.strip() == "ratings: 4 rows (Najaar 2026)"


def test_options_match_the_query_string(data, org):
    assert run("ratings", "--round", str(data.round.pk), "--dialect", "csv")[0] == CSV_RATINGS
    assert run("people", "--round", str(data.round.pk))[0] == EXCEL_PEOPLE
    content, _report = run("ratings", "--unit", str(org["green"].pk), "--include-drafts", "--pseudonymise")
    assert b"Ellen" not in content
    assert content.count(b"\r\n") == 2


def test_xlsx_to_a_file(data):
    content, _report = run("units", "--format", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 13


def test_every_run_is_logged_as_command_line(data, org):
    run("ratings", "--unit", str(org["social"].pk), "--include-drafts")
    log = ExportLog.objects.get()
    assert (log.user, log.source, log.who, log.export, log.file_type) == (
        None,
        ExportSource.COMMAND,
        "command line",
        "ratings",
        "excel",
    )
    assert log.row_count == 4
    assert log.finished_at is not None
    assert log.filters["unit"] == {"id": org["social"].pk, "name": "Sociaal Domein"}
    assert log.filters["include_drafts"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ratings", "--round", "999999"], "round: Choose one of the rounds in the list."),
        (["ratings", "--round", "x"], "round: Choose one of the rounds in the list."),
        (["people", "--unit", "999999"], "unit: Choose one of the units in the list."),
        (["units", "--framework", "999999"], "framework: Choose one of the frameworks in the list."),
    ],
)
def test_bad_options_give_a_clear_error_and_write_nothing(data, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert f"Rounds: {data.round.pk} (Najaar 2026)" in str(error.value) or "--round" not in args
    assert not ExportLog.objects.exists()


def test_no_round_yet(org):
    with pytest.raises(CommandError, match="There is no round with submitted self-assessments yet"):
        run("ratings")


def test_xlsx_needs_a_binary_output(data):
    with pytest.raises(CommandError, match="redirect the output to a file"):
        call_command("export", "units", "--format", "xlsx", stdout=io.StringIO())
    assert not ExportLog.objects.exists()


def test_csv_to_a_text_output(data):
    stdout = io.StringIO()
    call_command("export", "ratings", stdout=stdout, stderr=io.StringIO())
    assert stdout.getvalue().encode() == EXCEL_RATINGS
