# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Rows for the HR exports, and the files they become.

Three exports, each a function that turns the filters into typed rows
(`ratings_rows`, `people_table`, `units_table`); the views and `manage.py
export` both go through `Export`, which writes those rows as Dutch Excel CSV,
plain RFC 4180 CSV or an .xlsx workbook.

The ratings export can be a million rows, streamed in constant memory from a
server-side cursor. On PostgreSQL the database writes the CSV lines itself (the
formula-injection guard, the pseudonyms, the dates, the quoting, all in SQL) and
sends them one row per person; elsewhere SQL selects the raw values and Python
formats them. The tests hold both to the same expected bytes.
"""

import csv
import hashlib
import hmac
import io
import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

import xlsxwriter

from assessments.models import Assessment, Rating, Round
from competencies.models import FORM_ORDER, Competency, Framework
from organisation.models import PATH_SEPARATOR, Person, Unit
from vakmanschap.lib.i18n import current_language

from . import disclosure

RATINGS, PEOPLE, UNITS = "ratings", "people", "units"
KINDS = (RATINGS, PEOPLE, UNITS)
CSV, XLSX = "csv", "xlsx"
EXCEL_DIALECT, CSV_DIALECT = "excel", "csv"

# Excel's sheet limit, minus the header row.
XLSX_MAX_ROWS = 1_048_575
CHUNK_SIZE = 64 * 1024
FETCH_SIZE = 2000
PEOPLE_PER_FETCH = 100  # PostgreSQL's ratings CSV comes one row per person, some 40 lines each

# OWASP: a cell starting with one of these can be run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PSEUDONYM_PREFIX = "ps-"
PSEUDONYM_HEX_LENGTH = 16

TEXT, INT, BOOL, DECIMAL, DATETIME = "text", "int", "bool", "decimal", "datetime"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    decimal_sign: str
    bom: bool


DIALECTS = {
    EXCEL_DIALECT: Dialect(EXCEL_DIALECT, ";", ",", True),
    CSV_DIALECT: Dialect(CSV_DIALECT, ",", ".", False),
}


@dataclass(frozen=True)
class Filters:
    """What goes into an export. `round` is required; the rest narrows it down."""

    round: Round
    unit: Unit | None = None
    framework: Framework | None = None
    include_drafts: bool = False  # individual exports only: a draft never enters a figure over a group
    pseudonymise: bool = False
    viewer: object = None  # who exports: the disclosure layer counts what they know (None: nobody)


def default_round():
    """The most recent round that has submitted self-assessments, or None."""
    with_submitted = Assessment.objects.submitted().values("round_id")
    return Round.objects.filter(pk__in=with_submitted).order_by("-opens_on", "-pk").first()


# Cells ----------------------------------------------------------------------------------------------------------


def guard(text):
    """Neutralise a text cell a spreadsheet would read as a formula by putting ' in front."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def pseudonym(person_id):
    """A stable pseudonym for a person: the HMAC-SHA256 of their id keyed by EXPORT_PSEUDONYM_KEY, shortened.

    The same person gets the same pseudonym in every export and round; without the
    key nobody can tell whose it is. The prefix keeps Excel from reading it as a number.
    """
    digest = hmac.new(_pseudonym_key(), str(person_id).encode(), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_LENGTH]


def _pseudonym_key():
    return settings.EXPORT_PSEUDONYM_KEY.encode()


def _hmac_pads():
    """HMAC's inner and outer keys (RFC 2104), so PostgreSQL can compute the same HMAC with sha256() alone."""
    key = _pseudonym_key()
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def local_datetime(value):
    """An aware datetime (or what a raw database cursor gives for one) in the current time zone, naive."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)  # stored in UTC
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def format_cell(value, kind, dialect):
    """The CSV text for one typed value."""
    if value is None:
        return ""
    if kind == TEXT:
        return guard(value)
    if kind == BOOL:
        return "1" if value else "0"
    if kind == DECIMAL:
        return str(value).replace(".", dialect.decimal_sign)
    if kind == DATETIME:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()  # pseudonymised: the day only
        return local_datetime(value).strftime(DATETIME_FORMAT)
    return str(value)


def mean(total, count):
    """total / count rounded half up to two decimals, exactly (no floats); None when count is 0."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percentage(part, whole):
    """part / whole as a whole percentage, rounded half up; 0 when whole is 0."""
    if not whole:
        return 0
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class UnitInfo:
    parent_id: int | None
    lineage: list  # ids from the root down to this unit
    path: str  # "Organisation/Department/Team"
    sort_key: tuple  # tree order, siblings by name


def unit_index():
    """{unit id: UnitInfo} for every unit (one query)."""
    rows = list(Unit.objects.values_list("pk", "parent_id", "tree_path", "name"))
    names = {pk: name for pk, _parent, _path, name in rows}
    index = {}
    for pk, parent_id, tree_path, _name in rows:
        lineage = [int(part) for part in tree_path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]
        index[pk] = UnitInfo(
            parent_id,
            lineage,
            PATH_SEPARATOR.join(names[unit_id] for unit_id in lineage),
            tuple((names[unit_id].casefold(), unit_id) for unit_id in lineage),
        )
    return index


# Ratings --------------------------------------------------------------------------------------------------------

RATINGS_COLUMNS = [
    Column("round", TEXT, _("Name of the round.")),
    Column("personnel_number", TEXT, _("Personnel number. In a pseudonymised export: the pseudonym.")),
    Column("name", TEXT, _("Name of the employee. In a pseudonymised export: the pseudonym.")),
    Column("unit", TEXT, _("Unit where the employee worked when the round started, with the units above it.")),
    Column("framework", TEXT, _("Competency framework.")),
    Column("framework_version", INT, _("Version of the framework used in this round.")),
    Column("competency_code", TEXT, _("Code of the competency in the framework.")),
    Column("competency", TEXT, _("Name of the competency.")),
    Column("current_level", INT, _("Current level the employee chose (1 to 5). Empty: no answer.")),
    Column("desired_level", INT, _("Desired level the employee chose (1 to 5). Empty: no answer.")),
    Column("gap", INT, _("Desired level minus current level. Positive: the employee wants to grow.")),
    Column("not_applicable", BOOL, _("1 if the employee said this competency does not apply to their work, else 0.")),
    Column(
        "shared_with_manager",
        BOOL,
        _("1 if the employee shared the answers with their manager, else 0. Empty in a pseudonymised export."),
    ),
    Column(
        "submitted_at",
        DATETIME,
        _("Date and time of submitting (year-month-day). Pseudonymised: the date only. Empty: not submitted."),
    ),
]


def _bilingual_sql(alias, name):
    """The SQL for a bilingual field in the current language, falling back to Dutch like `bilingual`."""
    if current_language() == "en":
        return f"COALESCE(NULLIF({alias}.{name}_en, ''), {alias}.{name}_nl)"
    return f"{alias}.{name}_nl"


def _guard_sql(expression):
    """SQL that does what `guard` does, with empty text as NULL (both become an empty cell)."""
    value = f"NULLIF({expression}, '')"
    return f"CASE WHEN left({value}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || {value} ELSE {value} END"


def _csv_sql(expression, delimiter):
    """SQL for one CSV cell as Python's csv module writes it: quoted when it holds the delimiter, a quote or a
    line break, with quotes doubled; NULL as nothing."""
    needs_quotes = " OR ".join(
        f"strpos({expression}, {char}) > 0" for char in (delimiter, "'\"'", "chr(13)", "chr(10)")
    )
    return (
        f"CASE WHEN {needs_quotes} THEN '\"' || replace({expression}, '\"', '\"\"') || '\"' "
        f"ELSE COALESCE({expression}, '') END"
    )


def _pseudonym_sql(params):
    """SQL for `pseudonym(p.id)`: PostgreSQL computes the HMAC with sha256(); SQLite calls back into Python."""
    if connection.vendor == "postgresql":
        inner, outer = _hmac_pads()
        params.update(ipad=inner, opad=outer)
        digest = "sha256(%(opad)s::bytea || sha256(%(ipad)s::bytea || convert_to(p.id::text, 'UTF8')))"
        return f"'{PSEUDONYM_PREFIX}' || left(encode({digest}, 'hex'), {PSEUDONYM_HEX_LENGTH})"
    connection.ensure_connection()
    connection.connection.create_function("export_pseudonym", 1, pseudonym, deterministic=True)
    return "export_pseudonym(p.id)"


def _tables():
    models = {
        "unit": Unit,
        "person": Person,
        "assessment": Assessment,
        "rating": Rating,
        "competency": Competency,
        "framework": Framework,
        "round": Round,
    }
    return {key: connection.ops.quote_name(model._meta.db_table) for key, model in models.items()}


def _selection(filters, params):
    """The conditions on assessments (alias a, their unit u) and competencies (alias c) for the ratings export."""
    params["round"] = filters.round.pk
    conditions = ["a.round_id = %(round)s"]
    if not filters.include_drafts:
        conditions.append("a.submitted_at IS NOT NULL")
    if filters.unit is not None:
        conditions.append("u.tree_path LIKE %(unit_path)s")
        params["unit_path"] = filters.unit.tree_path + "%"
    competency_condition = "1 = 1"
    if filters.framework is not None:
        competency_condition = "c.framework_id = %(framework)s"
        params["framework"] = filters.framework.pk
    return " AND ".join(conditions), competency_condition


def coarse_unit_paths(round_, units=None):
    """{unit id: path} where each unit is replaced by its deepest unit (itself or above) with at least the minimum
    number of people in the round, so a pseudonymised row cannot be traced to a small team."""
    units = unit_index() if units is None else units
    invited = dict(
        Assessment.objects.filter(round=round_, unit__isnull=False)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "n")
    )
    subtree = {}
    for unit_id, n in invited.items():
        for ancestor in units[unit_id].lineage if unit_id in units else []:
            subtree[ancestor] = subtree.get(ancestor, 0) + n
    minimum = disclosure.min_group_size()
    paths = {}
    for pk, unit in units.items():
        big_enough = [ancestor for ancestor in unit.lineage if subtree.get(ancestor, 0) >= minimum]
        paths[pk] = units[big_enough[-1]].path if big_enough else ""
    return paths


def _unit_paths(filters):
    units = unit_index()
    if filters.pseudonymise:
        return coarse_unit_paths(filters.round, units)
    return {pk: unit.path for pk, unit in units.items()}


def _unit_paths_sql(params, filters):
    """A table (key: unit id as text, value: "Organisation/Department/Team") from one JSON parameter."""
    params["unit_paths"] = json.dumps({str(pk): path for pk, path in _unit_paths(filters).items()})
    if connection.vendor == "postgresql":
        return "jsonb_each_text(%(unit_paths)s::jsonb)"
    return "json_each(%(unit_paths)s)"


def _order(filters, params):
    """(sort key SQL, ORDER BY prefix): people in the order they joined the round; pseudonymised, in the order
    of the pseudonyms instead, as the joining order follows the names."""
    if not filters.pseudonymise:
        return "a.id", ""
    prefix = 'a.sort_key COLLATE "C", ' if connection.vendor == "postgresql" else "a.sort_key, "
    return _pseudonym_sql(params), prefix


def ratings_sql(filters, *, count=False):
    """(sql, params) selecting the ratings export's typed values, on every database. Notes are never selected."""
    table, params = _tables(), {}
    where, competency_condition = _selection(filters, params)
    if count:
        return (
            f"""SELECT COUNT(*) FROM {table["rating"]} r
            JOIN {table["assessment"]} a ON a.id = r.assessment_id
            LEFT JOIN {table["unit"]} u ON u.id = a.unit_id
            JOIN {table["competency"]} c ON c.id = r.competency_id
            WHERE {where} AND {competency_condition}""",  # noqa: S608 - names and placeholders only
            params,
        )
    sort_key, order = _order(filters, params)
    if filters.pseudonymise:
        identity = f"{sort_key} AS personnel_number, {sort_key} AS name"
    else:
        identity = "p.personnel_number, p.name"
    sql = f"""
        WITH picked AS (
            SELECT a.id, {sort_key} AS sort_key, {identity}, up.value AS unit, a.shared_with_manager, a.submitted_at
            FROM {table["assessment"]} a
            JOIN {table["person"]} p ON p.id = a.person_id
            LEFT JOIN {table["unit"]} u ON u.id = a.unit_id
            LEFT JOIN {_unit_paths_sql(params, filters)} up ON up.key = CAST(a.unit_id AS TEXT)
            WHERE {where}
        ),
        comps AS (
            SELECT c.id, c.position, c.framework_id, f.is_own, {_bilingual_sql("f", "title")} AS framework,
                f.version, c.code, {_bilingual_sql("c", "name")} AS competency
            FROM {table["competency"]} c JOIN {table["framework"]} f ON f.id = c.framework_id
            WHERE {competency_condition}
        )
        SELECT (SELECT name FROM {table["round"]} WHERE id = %(round)s) AS round,
            a.personnel_number, a.name, a.unit, c.framework, c.version, c.code, c.competency,
            r.current_level, r.desired_level,
            CASE WHEN r.not_applicable THEN NULL ELSE r.desired_level - r.current_level END AS gap,
            r.not_applicable, {"NULL" if filters.pseudonymise else "a.shared_with_manager"}, a.submitted_at
        FROM {table["rating"]} r JOIN picked a ON a.id = r.assessment_id JOIN comps c ON c.id = r.competency_id
        ORDER BY {order}r.assessment_id, c.is_own, c.framework_id, c.position, c.id"""  # noqa: S608
    return sql, params


def ratings_csv_sql(filters, dialect):
    """(sql, params) for PostgreSQL: the ratings export's CSV lines, written by the database, one row per person.

    The same rows in the same order as `ratings_sql`, every cell formatted as
    `format_cell` does and quoted as Python's csv module does. A person's and a
    competency's cells are written once each (MATERIALIZED), so the million-row
    part only glues text together; `string_agg` makes one row per person, so the
    client fetches some 25,000 rows rather than a million. (A subquery per person
    over the rating index avoids sorting a million rows, but reads the table in
    random order once ratings are saved in random order, and was slower then.)
    """
    table, params = _tables(), {"time_zone": timezone.get_current_timezone_name()}
    where, competency_condition = _selection(filters, params)
    sort_key, order = _order(filters, params)
    separator = "';'" if dialect.delimiter == ";" else "','"

    def cell(expression):
        return _csv_sql(expression, separator)

    def line(*cells):
        return f" || {separator} || ".join(cells)

    if filters.pseudonymise:
        identity = f"{sort_key} AS personnel_number, {sort_key} AS name"
        shared, submitted_format = "''", "YYYY-MM-DD"  # no sharing choice, the date only: see PSEUDONYMISED
    else:
        identity = f"{_guard_sql('p.personnel_number')} AS personnel_number, {_guard_sql('p.name')} AS name"
        shared = "CASE WHEN a.shared_with_manager THEN '1' ELSE '0' END"
        submitted_format = "YYYY-MM-DD HH24:MI:SS"
    competency_cells = line(
        cell(_guard_sql(_bilingual_sql("f", "title"))),
        "CAST(f.version AS TEXT)",
        cell(_guard_sql("c.code")),
        cell(_guard_sql(_bilingual_sql("c", "name"))),
        "''",
    )
    rating_cells = line(
        "COALESCE(CAST(r.current_level AS TEXT), '')",
        "COALESCE(CAST(r.desired_level AS TEXT), '')",
        "CASE WHEN r.not_applicable THEN '' ELSE COALESCE(CAST(r.desired_level - r.current_level AS TEXT), '') END",
        "CASE WHEN r.not_applicable THEN '1' ELSE '0' END",
    )
    sql = f"""
        WITH people AS MATERIALIZED (
            SELECT a.id, {sort_key} AS sort_key, {identity}, {_guard_sql("up.value")} AS unit,
                {shared} AS shared_with_manager,
                to_char(a.submitted_at AT TIME ZONE %(time_zone)s, '{submitted_format}') AS submitted_at
            FROM {table["assessment"]} a
            JOIN {table["person"]} p ON p.id = a.person_id
            LEFT JOIN {table["unit"]} u ON u.id = a.unit_id
            LEFT JOIN {_unit_paths_sql(params, filters)} up ON up.key = CAST(a.unit_id AS TEXT)
            WHERE {where}
        ),
        picked AS MATERIALIZED (
            SELECT a.id, a.sort_key,
                {line(cell("rnd.name"), cell("a.personnel_number"), cell("a.name"), cell("a.unit"), "''")} AS head,
                {line("''", "a.shared_with_manager", "COALESCE(a.submitted_at, '')")} || chr(13) || chr(10) AS tail
            FROM people a
            CROSS JOIN (SELECT {_guard_sql("name")} AS name FROM {table["round"]} WHERE id = %(round)s) rnd
        ),
        comps AS MATERIALIZED (
            SELECT c.id, c.position, c.framework_id, f.is_own, {competency_cells} AS middle
            FROM {table["competency"]} c JOIN {table["framework"]} f ON f.id = c.framework_id
            WHERE {competency_condition}
        )
        SELECT string_agg(a.head || c.middle || {rating_cells} || a.tail, ''
                ORDER BY c.is_own, c.framework_id, c.position, c.id),
            COUNT(*)
        FROM {table["rating"]} r JOIN picked a ON a.id = r.assessment_id JOIN comps c ON c.id = r.competency_id
        GROUP BY a.sort_key, a.id
        ORDER BY {order}a.id"""  # noqa: S608 - names, fixed expressions and placeholders only
    return sql, params


def _tune_transaction():
    """PostgreSQL settings for the export query, for this transaction only.

    A server-side cursor is planned to return its first rows fast (cursor_tuple_fraction 0.1), which here means
    reading ratings through an index in random order; every row will be read, so plan for all of them. And no
    JIT: the cost estimate over a million rows triggers it, and compiling took about 2 seconds in the benchmark.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            cursor.execute("SET LOCAL jit = off")


def count_ratings(filters):
    sql, params = ratings_sql(filters, count=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def ratings_rows(filters):
    """One typed row per rating: see RATINGS_COLUMNS. Streams from a server-side cursor in constant memory."""
    sql, params = ratings_sql(filters)
    # On PostgreSQL a named cursor outside a transaction is WITH HOLD: the server would materialise every row first.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        _tune_transaction()
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_SIZE):
            for row in batch:
                row = list(row)
                row[11] = bool(row[11])
                if filters.pseudonymise:
                    row[12], row[13] = None, local_datetime(row[13]).date() if row[13] else None
                else:
                    row[12] = bool(row[12])
                yield row


def ratings_csv_from_postgresql(filters, dialect, progress):
    """The ratings CSV lines (no header) as PostgreSQL writes them, from a server-side cursor, some at a time."""
    sql, params = ratings_csv_sql(filters, dialect)
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        _tune_transaction()
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(PEOPLE_PER_FETCH):
            progress.rows += sum(count for _lines, count in batch)
            yield "".join(lines for lines, _count in batch).encode()


# People ---------------------------------------------------------------------------------------------------------

PEOPLE_COLUMNS = [
    Column("round", TEXT, _("Name of the round.")),
    Column("personnel_number", TEXT, _("Personnel number. In a pseudonymised export: the pseudonym.")),
    Column("name", TEXT, _("Name of the employee. In a pseudonymised export: the pseudonym.")),
    Column("unit", TEXT, _("Unit where the employee worked when the round started, with the units above it.")),
    Column("status", TEXT, _("not_started: not begun; in_progress: begun, not submitted; submitted: submitted.")),
    Column("answered", INT, _("Number of competencies answered (both levels, or 'does not apply').")),
    Column("competencies", INT, _("Number of competencies in the round, or in the chosen framework.")),
    Column("progress", INT, _("Answered as a percentage of all competencies (0 to 100).")),
    Column("submitted_at", DATETIME, _("Date and time of submitting (year-month-day). Empty: not submitted.")),
]
MEAN_GAP_HELP = _(
    "One column per framework (mean_gap_<framework>_v<version>): the average gap over the competencies the "
    "employee rated. Empty: nothing rated, or not submitted (unless drafts are included)."
)

# The ratings averages are taken over, as RatingQuerySet.rated(), for use in aggregate filters.
RATED_Q = Q(not_applicable=False, current_level__isnull=False, desired_level__isnull=False)


def _round_frameworks(filters):
    frameworks = filters.round.frameworks.order_by("is_own", "title_nl", "version")
    if filters.framework is not None:
        frameworks = frameworks.filter(pk=filters.framework.pk)
    return list(frameworks)


def _round_assessments(filters):
    assessments = Assessment.objects.filter(round=filters.round)
    if filters.unit is not None:
        assessments = assessments.filter(unit__tree_path__startswith=filters.unit.tree_path)
    return assessments


def count_people(filters):
    return _round_assessments(filters).count()


def people_table(filters):
    """(columns, rows): one row per participant, with their status and mean gap per framework (a few queries)."""
    frameworks = _round_frameworks(filters)
    columns = PEOPLE_COLUMNS + [
        Column(f"mean_gap_{framework.slug}_v{framework.version}", DECIMAL, MEAN_GAP_HELP) for framework in frameworks
    ]
    sizes = dict(
        Competency.objects.for_round(filters.round)
        .filter(framework__in=frameworks)
        .order_by()
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    total = sum(sizes.values())
    assessments = _round_assessments(filters)
    stats = {}
    for row in (
        Rating.objects.filter(assessment__in=assessments.values("pk"), competency__framework__in=frameworks)
        .values("assessment_id", "competency__framework_id")
        .annotate(
            answered=Count("pk", filter=Rating.COMPLETE_Q),
            rated=Count("pk", filter=RATED_Q),
            gap_sum=Sum(F("desired_level") - F("current_level"), filter=RATED_Q),
        )
    ):
        stats[row["assessment_id"], row["competency__framework_id"]] = row
    paths = _unit_paths(filters)
    rows = []
    for assessment in assessments.select_related("person").order_by("pk"):
        person = assessment.person
        answered = sum(stats.get((assessment.pk, f.pk), {}).get("answered", 0) for f in frameworks)
        gaps = []
        for framework in frameworks:
            row = stats.get((assessment.pk, framework.pk))
            visible = row and (assessment.is_submitted or filters.include_drafts)
            gaps.append(mean(row["gap_sum"], row["rated"]) if visible else None)
        identity = (pseudonym(person.pk),) * 2 if filters.pseudonymise else (person.personnel_number, person.name)
        rows.append(
            [
                filters.round.name,
                *identity,
                paths.get(assessment.unit_id) or None,
                assessment.status.value,
                answered,
                total,
                percentage(answered, total),
                _submitted(assessment.submitted_at, filters),
                *gaps,
            ]
        )
    rows.sort(key=lambda row: ((row[3] or "").casefold(), (row[2] or "").casefold(), row[1] or ""))
    return columns, rows


def _submitted(value, filters):
    """When a person submitted; in a pseudonymised export only the day (an exact time can identify someone)."""
    if value is None or not filters.pseudonymise:
        return value
    return local_datetime(value).date()


# Units ----------------------------------------------------------------------------------------------------------

UNITS_COLUMNS = [
    Column("round", TEXT, _("Name of the round.")),
    Column("unit", TEXT, _("The unit, with the units above it. Its figures include all units below it.")),
    Column("framework", TEXT, _("Competency framework.")),
    Column("framework_version", INT, _("Version of the framework used in this round.")),
    Column("competency_code", TEXT, _("Code of the competency in the framework.")),
    Column("competency", TEXT, _("Name of the competency.")),
    Column(
        "respondents",
        INT,
        _("Number of employees counted in this release who rated this competency. Empty when hidden for privacy."),
    ),
    Column("mean_current", DECIMAL, _("Average current level. Empty when hidden for privacy.")),
    Column("mean_desired", DECIMAL, _("Average desired level. Empty when hidden for privacy.")),
    Column("mean_gap", DECIMAL, _("Average gap (desired minus current). Empty when hidden for privacy.")),
    Column("suppressed_reason", TEXT, _("Why the averages are empty. Empty when they are shown.")),
]


def units_table(filters):
    """(columns, rows): one row per unit per competency, each unit counting itself and everything below it.

    The figures are the round's current release through `reports.disclosure`, the
    same cells the team dashboards show: drafts are never counted, and the rule
    runs over the whole organisation before the unit filter, so two exports with
    different filters (or from different moments) cannot be subtracted either.
    """
    frameworks = _round_frameworks(filters)
    competencies = list(
        Competency.objects.for_round(filters.round)
        .filter(framework__in=frameworks)
        .select_related("framework")
        .order_by(*FORM_ORDER)
    )
    units = unit_index()
    figures = disclosure.unit_figures(filters.round, filters.viewer)
    sums = disclosure.all_unit_sums(figures, [competency.pk for competency in competencies])
    rolled = {}
    for (unit_id, competency_id), found in sums.items():
        for ancestor in units[unit_id].lineage if unit_id in units else []:
            rolled.setdefault((ancestor, competency_id), disclosure.Figure()).add(vars(found))
    participating = set()
    for unit_id in (
        Assessment.objects.filter(round=filters.round, unit__isnull=False)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    ):
        participating.update(units[unit_id].lineage if unit_id in units else [])
    listed = sorted(participating, key=lambda unit_id: units[unit_id].sort_key)
    if filters.unit is not None:
        listed = [unit_id for unit_id in listed if filters.unit.pk in units[unit_id].lineage]
    rows = []
    for competency in competencies:
        for unit_id in listed:
            figure = rolled.get((unit_id, competency.pk), disclosure.Figure())
            figure.reason = figures.reason(unit_id, True) or (
                None if figure.respondents else figures.empty_reason(unit_id, True)
            )
            rows.append(
                [
                    filters.round.name,
                    units[unit_id].path,
                    competency.framework.title,
                    competency.framework.version,
                    competency.code,
                    competency.name,
                    figure.respondents if figure.shown else None,
                    None if figure.reason else mean(figure.sum_current, figure.respondents),
                    None if figure.reason else mean(figure.sum_desired, figure.respondents),
                    None if figure.reason else mean(figure.sum_desired - figure.sum_current, figure.respondents),
                    figure.reason_text or None,
                ]
            )
    return UNITS_COLUMNS, rows


# Files ----------------------------------------------------------------------------------------------------------


@dataclass
class Progress:
    rows: int = 0


def _csv_header(columns, dialect):
    return ("\ufeff" if dialect.bom else "") + dialect.delimiter.join(column.name for column in columns) + "\r\n"


def csv_chunks(columns, rows, dialect, progress):
    """CSV bytes in chunks of about CHUNK_SIZE: header, then a line per row (CRLF, quoting where needed)."""
    buffer = io.StringIO()
    buffer.write(_csv_header(columns, dialect))
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    kinds = [column.kind for column in columns]
    for row in rows:
        writer.writerow([format_cell(value, kind, dialect) for value, kind in zip(row, kinds, strict=True)])
        progress.rows += 1
        if buffer.tell() >= CHUNK_SIZE:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_chunks(columns, rows, progress, sheet_name):
    """An .xlsx workbook with typed cells, built in a temporary file in constant memory, then sent in chunks."""
    with tempfile.TemporaryFile() as file:
        workbook = xlsxwriter.Workbook(
            file,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd hh:mm:ss",
            },
        )
        sheet = workbook.add_worksheet(sheet_name)
        bold = workbook.add_format({"bold": True})
        decimal = workbook.add_format({"num_format": "0.00"})
        moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for index, column in enumerate(columns):
            sheet.write_string(0, index, column.name, bold)
            sheet.set_column(index, index, 22 if column.kind in (TEXT, DATETIME) else 12)
        sheet.freeze_panes(1, 0)
        for row_index, row in enumerate(rows, start=1):
            for index, (value, column) in enumerate(zip(row, columns, strict=True)):
                if value is None or value == "":
                    continue
                if column.kind == TEXT:
                    sheet.write_string(row_index, index, guard(value))
                elif column.kind == BOOL:
                    sheet.write_boolean(row_index, index, bool(value))
                elif column.kind == DECIMAL:
                    sheet.write_number(row_index, index, float(value), decimal)
                elif column.kind == DATETIME:
                    sheet.write_datetime(row_index, index, local_datetime(value), moment)
                else:
                    sheet.write_number(row_index, index, value)
            progress.rows += 1
        sheet.autofilter(0, 0, max(progress.rows, 1), len(columns) - 1)
        workbook.close()
        file.seek(0)
        while chunk := file.read(CHUNK_SIZE):
            yield chunk


@dataclass
class Export:
    """One export: which (`kind`), for what (`filters`), as what (`file_format`, `dialect`).

    `chunks()` yields the file; `progress.rows` counts the data rows written so far.
    `method` is "database" or "python" to force one way of writing the ratings CSV (tests).
    """

    kind: str
    filters: Filters
    file_format: str = CSV
    dialect_name: str = EXCEL_DIALECT
    method: str | None = None
    progress: Progress = field(default_factory=Progress)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown export {self.kind!r}")

    @property
    def dialect(self):
        return DIALECTS[self.dialect_name]

    @property
    def filename(self):
        stamp = timezone.localdate().isoformat()
        name = slugify(self.filters.round.name) or f"round-{self.filters.round.pk}"
        return f"{self.kind}-{name}-{stamp}.{self.file_format}"

    @property
    def content_type(self):
        if self.file_format == XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "text/csv; charset=utf-8"

    def count(self):
        """The number of data rows the file will have."""
        if self.kind == RATINGS:
            return count_ratings(self.filters)
        if self.kind == PEOPLE:
            return count_people(self.filters)
        return len(units_table(self.filters)[1])

    def table(self):
        """(columns, typed rows)."""
        if self.kind == RATINGS:
            return RATINGS_COLUMNS, ratings_rows(self.filters)
        if self.kind == PEOPLE:
            return people_table(self.filters)
        return units_table(self.filters)

    def csv_from_database(self):
        """Whether PostgreSQL writes the CSV lines (the ratings export there), rather than Python."""
        if self.method is not None:
            return self.method == "database"
        return self.kind == RATINGS and self.file_format == CSV and connection.vendor == "postgresql"

    def chunks(self):
        if self.file_format == XLSX:
            columns, rows = self.table()
            yield from xlsx_chunks(columns, rows, self.progress, self.kind)
        elif self.csv_from_database():
            yield _csv_header(RATINGS_COLUMNS, self.dialect).encode()
            yield from ratings_csv_from_postgresql(self.filters, self.dialect, self.progress)
        else:
            columns, rows = self.table()
            yield from csv_chunks(columns, rows, self.dialect, self.progress)
