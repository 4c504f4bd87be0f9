"""Rows for the HR exports, and the files they become.

Three exports, each a function that turns the filters into typed rows
(`ratings_rows`, `people_table`, `units_table`); the views, the admin and
`manage.py export` all go through `Export`, which writes those rows as Dutch
Excel CSV, plain RFC 4180 CSV or an .xlsx workbook.

The ratings export can be a million rows. On PostgreSQL its CSV comes straight
from `COPY (...) TO STDOUT` with the formatting (the formula-injection guard,
the pseudonyms, the dates) done in SQL; elsewhere the same SQL selects the raw
values and Python formats them. Tests compare both with the same bytes.
"""

import csv
import hashlib
import hmac
import io
import tempfile
from dataclasses import dataclass, field
from datetime import UTC
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
from competencies.models import Competency, Framework
from organisation.models import PATH_SEPARATOR, Person, Unit
from vakmanschap.lib.i18n import current_language

from .privacy import complement_reason, min_group_size, suppression_reason

RATINGS, PEOPLE, UNITS = "ratings", "people", "units"
KINDS = (RATINGS, PEOPLE, UNITS)
CSV, XLSX = "csv", "xlsx"
EXCEL_DIALECT, CSV_DIALECT = "excel", "csv"

# Excel's sheet limit, minus the header row.
XLSX_MAX_ROWS = 1_048_575
CHUNK_SIZE = 64 * 1024
FETCH_SIZE = 2000
COPY_BATCH = 512  # COPY sends one message per row; join this many before converting and yielding

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
    include_drafts: bool = False
    pseudonymise: bool = False


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
        return local_datetime(value).strftime(DATETIME_FORMAT)
    return str(value)


def mean(total, count):
    """total / count rounded half up to two decimals, exactly (no floats); None when count is 0."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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
    Column("shared_with_manager", BOOL, _("1 if the employee shared the answers with their manager, else 0.")),
    Column("submitted_at", DATETIME, _("Date and time of submitting (year-month-day). Empty: not submitted.")),
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


def _ratings_sql(filters, *, formatted=False, count=False):
    """(sql, params) for the ratings export.

    Raw (`formatted=False`, every database): typed values. Formatted (PostgreSQL
    only): every cell already the text `format_cell` would make, ready for COPY.
    The small tables (people, units, competencies) are formatted once each in a
    CTE, so the million-row join only copies text.

    Rows come per person in the order they joined the round; pseudonymised, in
    the order of the pseudonyms, as the joining order follows the names.
    """
    table = {
        "unit": Unit._meta.db_table,
        "person": Person._meta.db_table,
        "assessment": Assessment._meta.db_table,
        "rating": Rating._meta.db_table,
        "competency": Competency._meta.db_table,
        "framework": Framework._meta.db_table,
        "round": Round._meta.db_table,
    }
    table = {key: connection.ops.quote_name(name) for key, name in table.items()}
    postgresql = connection.vendor == "postgresql"
    params = {"round": filters.round.pk}
    conditions = ["a.round_id = %(round)s"]
    if not filters.include_drafts:
        conditions.append("a.submitted_at IS NOT NULL")
    if filters.unit is not None:
        conditions.append("u.tree_path LIKE %(unit_path)s")
        params["unit_path"] = filters.unit.tree_path + "%"
    framework_condition = ""
    if filters.framework is not None:
        framework_condition = "WHERE f.id = %(framework)s"
        params["framework"] = filters.framework.pk
    materialized = "MATERIALIZED" if postgresql else ""
    if filters.pseudonymise:
        sort_key = _pseudonym_sql(params)
        identity = f"{sort_key} AS personnel_number, {sort_key} AS name"
        order = 'a.sort_key COLLATE "C", ' if postgresql else "a.sort_key, "
    else:
        sort_key = "a.id"
        identity = "p.personnel_number, p.name"
        order = ""

    if formatted:
        if not filters.pseudonymise:
            identity = f"{_guard_sql('p.personnel_number')} AS personnel_number, {_guard_sql('p.name')} AS name"
        params["time_zone"] = timezone.get_current_timezone_name()
        assessment_columns = (
            f"{identity}, {_guard_sql('up.path')} AS unit, "
            "CASE WHEN a.shared_with_manager THEN 1 ELSE 0 END AS shared_with_manager, "
            "to_char(a.submitted_at AT TIME ZONE %(time_zone)s, 'YYYY-MM-DD HH24:MI:SS') AS submitted_at"
        )
        competency_columns = (
            f"{_guard_sql(_bilingual_sql('f', 'title'))} AS framework, f.version, "
            f"{_guard_sql('c.code')} AS code, {_guard_sql(_bilingual_sql('c', 'name'))} AS competency"
        )
        round_name = _guard_sql("name")
        not_applicable = "CASE WHEN r.not_applicable THEN 1 ELSE 0 END"
    else:
        assessment_columns = f"{identity}, up.path AS unit, a.shared_with_manager, a.submitted_at"
        competency_columns = (
            f"{_bilingual_sql('f', 'title')} AS framework, f.version, c.code, "
            f"{_bilingual_sql('c', 'name')} AS competency"
        )
        round_name = "name"
        not_applicable = "r.not_applicable"

    # Only table names, column expressions and placeholders are put into the text; every value is a parameter.
    ctes = f"""
        WITH RECURSIVE unit_paths (id, path) AS (
            SELECT id, CAST(name AS TEXT) FROM {table["unit"]} WHERE parent_id IS NULL
            UNION ALL
            SELECT child.id, CAST(parent.path || '/' || child.name AS TEXT)
            FROM {table["unit"]} child JOIN unit_paths parent ON child.parent_id = parent.id
        ),
        picked AS {materialized} (
            SELECT a.id, {sort_key} AS sort_key, {assessment_columns}
            FROM {table["assessment"]} a
            JOIN {table["person"]} p ON p.id = a.person_id
            LEFT JOIN {table["unit"]} u ON u.id = a.unit_id
            LEFT JOIN unit_paths up ON up.id = a.unit_id
            WHERE {" AND ".join(conditions)}
        ),
        comps AS {materialized} (
            SELECT c.id, c.position, c.framework_id, f.is_own, {competency_columns}
            FROM {table["competency"]} c JOIN {table["framework"]} f ON f.id = c.framework_id
            {framework_condition}
        )"""  # noqa: S608
    joins = "JOIN picked a ON a.id = r.assessment_id JOIN comps c ON c.id = r.competency_id"
    if count:
        return f"{ctes} SELECT COUNT(*) FROM {table['rating']} r {joins}", params  # noqa: S608
    sql = f"""{ctes}
        SELECT (SELECT {round_name} FROM {table["round"]} WHERE id = %(round)s) AS round,
            a.personnel_number, a.name, a.unit, c.framework, c.version, c.code, c.competency,
            r.current_level, r.desired_level,
            CASE WHEN r.not_applicable THEN NULL ELSE r.desired_level - r.current_level END AS gap,
            {not_applicable} AS not_applicable, a.shared_with_manager, a.submitted_at
        FROM {table["rating"]} r {joins}
        ORDER BY {order}r.assessment_id, c.is_own, c.framework_id, c.position, c.id"""  # noqa: S608
    return sql, params


def count_ratings(filters):
    sql, params = _ratings_sql(filters, count=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def ratings_rows(filters):
    """One typed row per rating: see RATINGS_COLUMNS. Streams from a server-side cursor in constant memory.

    Personal notes are never selected.
    """
    sql, params = _ratings_sql(filters)
    # On PostgreSQL a named cursor outside a transaction is WITH HOLD: the server would materialise every row first.
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_SIZE):
            for row in batch:
                row = list(row)
                row[11] = bool(row[11])
                row[12] = bool(row[12])
                yield row


def _copy_ratings(filters, dialect, progress):
    """The ratings rows as CSV bytes straight from PostgreSQL's COPY (no header).

    COPY ends rows with LF; the export wants CRLF, so LFs outside quoted cells are
    turned into CRLF (a name may hold a line break, which stays as it is).
    """
    sql, params = _ratings_sql(filters, formatted=True)
    delimiter = "';'" if dialect.delimiter == ";" else "','"
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER {delimiter}, ENCODING 'UTF8')"
    copy_sql = connection.ops.compose_sql(copy_sql, params)
    line_ends = _LineEnds(progress)
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        batch = []
        for data in copy:
            batch.append(data)
            if len(batch) >= COPY_BATCH:
                yield line_ends.convert(b"".join(batch))
                batch.clear()
        if batch:
            yield line_ends.convert(b"".join(batch))


class _LineEnds:
    """Turns CSV row ends (LF outside quotes) into CRLF across chunks, counting rows in `progress`."""

    def __init__(self, progress):
        self.progress = progress
        self.in_quotes = False

    def convert(self, chunk):
        if not self.in_quotes and b'"' not in chunk:
            self.progress.rows += chunk.count(b"\n")
            return chunk.replace(b"\n", b"\r\n")
        parts = chunk.split(b'"')
        for index, part in enumerate(parts):
            inside = self.in_quotes != (index % 2 == 1)
            if not inside and b"\n" in part:
                self.progress.rows += part.count(b"\n")
                parts[index] = part.replace(b"\n", b"\r\n")
        if len(parts) % 2 == 0:  # an odd number of quotes: the state flips
            self.in_quotes = not self.in_quotes
        return b'"'.join(parts)


# People ---------------------------------------------------------------------------------------------------------

PEOPLE_COLUMNS = [
    Column("round", TEXT, _("Name of the round.")),
    Column("personnel_number", TEXT, _("Personnel number. In a pseudonymised export: the pseudonym.")),
    Column("name", TEXT, _("Name of the employee. In a pseudonymised export: the pseudonym.")),
    Column("unit", TEXT, _("Unit where the employee worked when the round started, with the units above it.")),
    Column("status", TEXT, _("not_started: not begun; in_progress: begun, not submitted; submitted: submitted.")),
    Column("answered", INT, _("Number of competencies answered (both levels, or 'does not apply').")),
    Column("competencies", INT, _("Number of competencies in the round.")),
    Column("progress", INT, _("Answered as a percentage of all competencies (0 to 100).")),
    Column("submitted_at", DATETIME, _("Date and time of submitting (year-month-day). Empty: not submitted.")),
]
MEAN_GAP_HELP = _(
    "One column per framework (mean_gap_<framework>_v<version>): the average gap over the competencies the "
    "employee rated. Empty: nothing rated, or not submitted (unless drafts are included)."
)

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
        Competency.objects.filter(framework__in=frameworks)
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
    units = unit_index()
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
                units[assessment.unit_id].path if assessment.unit_id else None,
                assessment.status.value,
                answered,
                total,
                int(mean(100 * answered, total)) if total else 0,
                assessment.submitted_at,
                *gaps,
            ]
        )
    rows.sort(key=lambda row: ((row[3] or "").casefold(), (row[2] or "").casefold(), row[1] or ""))
    return columns, rows


# Units ----------------------------------------------------------------------------------------------------------

UNITS_COLUMNS = [
    Column("round", TEXT, _("Name of the round.")),
    Column("unit", TEXT, _("The unit, with the units above it. Its figures include all units below it.")),
    Column("framework", TEXT, _("Competency framework.")),
    Column("framework_version", INT, _("Version of the framework used in this round.")),
    Column("competency_code", TEXT, _("Code of the competency in the framework.")),
    Column("competency", TEXT, _("Name of the competency.")),
    Column("respondents", INT, _("Number of employees who rated this competency (not 'does not apply').")),
    Column("mean_current", DECIMAL, _("Average current level. Empty when hidden for privacy.")),
    Column("mean_desired", DECIMAL, _("Average desired level. Empty when hidden for privacy.")),
    Column("mean_gap", DECIMAL, _("Average gap (desired minus current). Empty when hidden for privacy.")),
    Column("suppressed_reason", TEXT, _("Why the averages are empty. Empty when they are shown.")),
]


def suppress_tree(counts, parents):
    """{unit: reason or None} for figures over whole subtrees, such as a department and its teams.

    `counts` gives the respondents in each unit and all units below it; `parents`
    each unit's parent (within `counts`). A figure under the minimum is hidden.
    Then, for every shown unit, the respondents not covered by its nearest shown
    units below it can be worked out by subtraction: when they number 1 to
    minimum-1, the smallest shown unit below it whose hiding closes the gap is
    hidden too, or else the unit itself, until no shown figure gives a small group away.
    """
    minimum = min_group_size()
    children = {unit: [] for unit in counts}
    for unit, parent in parents.items():
        if parent in children:
            children[parent].append(unit)
    reasons = {unit: suppression_reason(n) for unit, n in counts.items()}

    def nearest_shown(unit):
        found = []
        for child in children[unit]:
            found += [child] if reasons[child] is None else nearest_shown(child)
        return found

    def residual(unit):
        return counts[unit] - sum(counts[below] for below in nearest_shown(unit))

    changed = True
    while changed:
        changed = False
        for unit in sorted(counts):
            left = residual(unit) if reasons[unit] is None else 0
            if 0 < left < minimum:
                for below in sorted(nearest_shown(unit), key=lambda b: (counts[b], b)):
                    if left + residual(below) >= minimum:
                        reasons[below] = complement_reason()
                        break
                else:
                    reasons[unit] = complement_reason()
                changed = True
    return reasons


def units_table(filters):
    """(columns, rows): one row per unit per competency, each unit counting itself and everything below it.

    Averages over fewer respondents than the minimum group size, or that would give
    such a group away next to another row, are left empty with the reason. The
    rule is applied over the whole organisation before the unit filter, so two
    exports with different filters cannot be subtracted from each other either.
    """
    frameworks = _round_frameworks(filters)
    competencies = list(
        Competency.objects.filter(framework__in=frameworks)
        .select_related("framework")
        .order_by("framework__is_own", "framework__title_nl", "framework__version", "position", "code")
    )
    assessments = Assessment.objects.filter(round=filters.round)
    if not filters.include_drafts:
        assessments = assessments.submitted()
    units = unit_index()
    participating = set()
    for unit_id in (
        Assessment.objects.filter(round=filters.round, unit__isnull=False)
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    ):
        participating.update(units[unit_id].lineage)
    sums = {}  # (unit, competency) -> [respondents, sum of current levels, sum of desired levels]
    for row in (
        Rating.objects.filter(RATED_Q, assessment__in=assessments.values("pk"), competency__in=competencies)
        .exclude(assessment__unit__isnull=True)
        .values("assessment__unit_id", "competency_id")
        .annotate(n=Count("pk"), current=Sum("current_level"), desired=Sum("desired_level"))
    ):
        for unit_id in units[row["assessment__unit_id"]].lineage:
            totals = sums.setdefault((unit_id, row["competency_id"]), [0, 0, 0])
            totals[0] += row["n"]
            totals[1] += row["current"]
            totals[2] += row["desired"]
    parents = {unit_id: units[unit_id].parent_id for unit_id in participating}
    listed = sorted(participating, key=lambda unit_id: units[unit_id].sort_key)
    if filters.unit is not None:
        listed = [unit_id for unit_id in listed if filters.unit.pk in units[unit_id].lineage]
    rows = []
    for competency in competencies:
        counts = {unit_id: sums.get((unit_id, competency.pk), [0])[0] for unit_id in participating}
        reasons = suppress_tree(counts, parents)
        for unit_id in listed:
            n, current, desired = sums.get((unit_id, competency.pk), [0, 0, 0])
            hidden = reasons[unit_id]
            rows.append(
                [
                    filters.round.name,
                    units[unit_id].path,
                    competency.framework.title,
                    competency.framework.version,
                    competency.code,
                    competency.name,
                    n,
                    None if hidden else mean(current, n),
                    None if hidden else mean(desired, n),
                    None if hidden else mean(desired - current, n),
                    hidden and str(hidden),
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
    `method` is "copy" or "python" to force one way of writing the ratings CSV (tests).
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

    def uses_copy(self):
        if self.method is not None:
            return self.method == "copy"
        return self.kind == RATINGS and self.file_format == CSV and connection.vendor == "postgresql"

    def chunks(self):
        if self.file_format == XLSX:
            columns, rows = self.table()
            yield from xlsx_chunks(columns, rows, self.progress, self.kind)
        elif self.uses_copy():
            yield _csv_header(RATINGS_COLUMNS, self.dialect).encode()
            yield from _copy_ratings(self.filters, self.dialect, self.progress)
        else:
            columns, rows = self.table()
            yield from csv_chunks(columns, rows, self.dialect, self.progress)
