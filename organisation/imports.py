# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Import the organisation (units, people, managers) from a CSV file.

Two steps: `plan_import` reads and checks every row and writes nothing;
`apply_import` carries out a plan without errors in one transaction. A file
with any bad row imports nothing. The plan checks everything the database would
refuse (lengths, NUL characters, unique usernames, the depth `tree_path` can hold),
so a file the preview accepts is a file the import accepts, on SQLite and PostgreSQL.

Columns: the four required ones are always there. An optional column that is absent
changes nothing for the people in the file; a column that is present but empty on a
row clears that field for that person.

Planning costs a fixed number of queries per file (one for the people, one for the
units), whatever its size; applying costs a few bulk statements per thousand people.
"""

import csv
import datetime
import re
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import IMPORT_FIELD_LABELS, PATH_SEPARATOR, Person, Unit

REQUIRED_COLUMNS = ["personnel_number", "name", "email", "unit"]
OPTIONAL_COLUMNS = ["manager_personnel_number", "job_title", "birth_year", "in_service_since"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# Column limits, taken from the models so the plan refuses what the database would.
MAX_NUMBER = Person._meta.get_field("personnel_number").max_length
MAX_USERNAME = Person._meta.get_field("username").max_length
MAX_NAME = Person._meta.get_field("name").max_length
MAX_EMAIL = Person._meta.get_field("email").max_length
MAX_JOB_TITLE = Person._meta.get_field("job_title").max_length
MAX_UNIT_NAME = Unit._meta.get_field("name").max_length
# tree_path holds "/id/id/.../" in 255 characters: 20 levels fit with ids of up to 11 digits
# (1 + 20 * 12 = 241), so the limit does not depend on the ids a database hands out.
MAX_UNIT_DEPTH = 20

PROGRESS_EVERY = 1000
BATCH_SIZE = 2000

# Which column carries which field; the required columns are always present.
FIELD_COLUMNS = {
    "name": "name",
    "email": "email",
    "unit": "unit",
    "manager": "manager_personnel_number",
    "job_title": "job_title",
    "birth_year": "birth_year",
    "in_service_since": "in_service_since",
}

# A valid UTF-8 sequence of two to four bytes. A file that does not decode as UTF-8 but holds
# one of these is a damaged UTF-8 file (refused); without any it is a genuine Windows-1252 file.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    personnel_number: str
    message: str


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one person that the import changes: old → new, as shown in the preview."""

    field: str
    old: str
    new: str

    @property
    def label(self):
        return IMPORT_FIELD_LABELS[self.field]


@dataclass(slots=True)
class PersonRow:
    line: int
    personnel_number: str
    name: str
    email: str
    unit_path: tuple
    manager_number: str
    job_title: str
    birth_year: int | None
    in_service_since: int | None
    changes: tuple = ()

    def display(self, name):
        """The row's value for a field, as text for the preview."""
        if name == "unit":
            return PATH_SEPARATOR.join(self.unit_path)
        if name == "manager":
            return self.manager_number
        value = getattr(self, name)
        return "" if value is None else str(value)


@dataclass
class ImportPlan:
    columns: frozenset = frozenset(REQUIRED_COLUMNS)
    encoding: str = "utf-8"
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    unchanged: int = 0
    new_units: list = field(default_factory=list)
    # What planning found in the database, so applying in the same transaction need not look again.
    units: dict = field(default_factory=dict, repr=False)
    people: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self):
        return not self.errors

    def has(self, name):
        """Does the file carry this field (its column is present)?"""
        return FIELD_COLUMNS[name] in self.columns


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was read in.

    UTF-8, with or without BOM. A file that is not valid UTF-8 is refused, naming the first
    bad line, when it holds any UTF-8 sequence (a damaged UTF-8 file: no guessing inside
    it); a file without any is a genuine Windows-1252 file from an older Excel and is read
    as such (the preview says so).
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if _UTF8_MULTIBYTE.search(data) is None:
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass
        raise ImportFileError(
            _(
                "Line %(line)s holds characters that are not valid UTF-8. Save the file as 'CSV UTF-8' "
                "(in Excel: Save as, then 'CSV UTF-8 (comma delimited)') and try again."
            )
            % {"line": line}
        ) from exc


def _lines(text):
    """The lines of the file with their endings, one at a time (a StringIO copies the text, 4 bytes a character)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        stop = end if stop == -1 else stop + 1
        yield text[start:stop]
        start = stop


def _header(text, required=REQUIRED_COLUMNS, columns=COLUMNS):
    first = text.split("\n", 1)[0].strip()
    if not first:
        raise ImportFileError(_("The file is empty."))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(_lines(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(
            _("These columns are missing from the first line: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(columns)}
        )
    unknown = [c for c in header if c not in columns]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(f"'{c}'" for c in unknown)})
    doubles = sorted({c for c in header if header.count(c) > 1})
    if doubles:
        raise ImportFileError(
            _("These columns appear more than once in the first line: %(columns)s. Keep one of each.")
            % {"columns": ", ".join(doubles)}
        )
    return reader, header


def read_rows(text: str, required=REQUIRED_COLUMNS, columns=COLUMNS):
    """Yield (line number, row dict), or None for a row with more fields than the header (separator ; or ,).

    `required` and `columns` default to the people import's; other imports (learning/imports.py) pass their own.
    """
    reader, header = _header(text, required, columns)
    width = len(header)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(
                _("Line %(line)s cannot be read: %(reason)s.") % {"line": reader.line_num, "reason": exc}
            ) from exc
        if not any(value.strip() for value in values):
            continue
        if len(values) > width and any(value.strip() for value in values[width:]):
            yield reader.line_num, None
            continue
        values += [""] * (width - len(values))
        yield reader.line_num, dict(zip(header, (value.strip() for value in values), strict=False))


def _year(value, label, errors, shared):
    if not value:
        return None
    this_year = datetime.date.today().year
    if not value.isdigit() or not 1900 <= int(value) <= this_year:
        errors.append(
            _("%(label)s must be a year between 1900 and %(year)s, not '%(value)s'.")
            % {"label": label, "year": this_year, "value": value}
        )
        return None
    year = int(value)
    return shared.setdefault(year, year)


def _too_long(errors, value, limit, label):
    if len(value) > limit:
        errors.append(_("%(label)s is longer than %(limit)s characters.") % {"label": label, "limit": limit})


def _parse_row(line, raw, shared):
    """A PersonRow and its errors. `shared` holds the unit paths, job titles, manager numbers and years already
    seen, so that 100,000 rows share a few thousand of them instead of each holding its own copy."""
    errors = []
    if any("\x00" in value for value in raw.values()):
        errors.append(_("This row holds an invisible NUL character. Remove it (save the file again as 'CSV UTF-8')."))
        raw = {key: value.replace("\x00", "") for key, value in raw.items()}
    number = raw["personnel_number"]
    if not number:
        errors.append(_("The personnel number is empty."))
    _too_long(errors, number, min(MAX_NUMBER, MAX_USERNAME), gettext_lazy("The personnel number"))
    if not raw["name"]:
        errors.append(_("The name is empty."))
    _too_long(errors, raw["name"], MAX_NAME, gettext_lazy("The name"))
    try:
        validate_email(raw["email"])
    except ValidationError:
        errors.append(_("'%(email)s' is not a valid e-mail address.") % {"email": raw["email"][:MAX_EMAIL]})
    else:
        _too_long(errors, raw["email"], MAX_EMAIL, gettext_lazy("The e-mail address"))
    path = shared.get(("unit", raw["unit"]))  # keyed apart from the plain values: a job title may read like a unit
    if path is None:
        path = shared["unit", raw["unit"]] = tuple(part.strip() for part in raw["unit"].split(PATH_SEPARATOR))
    if not raw["unit"] or not all(path):
        errors.append(
            _("The unit '%(unit)s' is not a valid path like 'Gemeente/Afdeling/Team'.") % {"unit": raw["unit"][:300]}
        )
    elif len(path) > MAX_UNIT_DEPTH:
        errors.append(_("The unit path has more than %(depth)s levels.") % {"depth": MAX_UNIT_DEPTH})
    elif any(len(part) > MAX_UNIT_NAME for part in path):
        errors.append(_("A unit name in the path is longer than %(limit)s characters.") % {"limit": MAX_UNIT_NAME})
    job_title = shared.setdefault(raw.get("job_title", ""), raw.get("job_title", ""))
    _too_long(errors, job_title, MAX_JOB_TITLE, gettext_lazy("The job title"))
    row = PersonRow(
        line=line,
        personnel_number=number,
        name=raw["name"],
        email=raw["email"].lower(),
        unit_path=path,
        manager_number=shared.setdefault(manager := raw.get("manager_personnel_number", ""), manager),
        job_title=job_title,
        birth_year=_year(raw.get("birth_year", ""), gettext_lazy("Birth year"), errors, shared),
        in_service_since=_year(raw.get("in_service_since", ""), gettext_lazy("In service since"), errors, shared),
    )
    return row, errors


def _find_cycles(edges):
    """Return the set of people that are part of a manager cycle in {person: manager}."""
    in_cycle = set()
    done = set()
    for start in edges:
        if start in done:
            continue
        seen = {}
        node = start
        while node in edges and node not in seen and node not in done:
            seen[node] = len(seen)
            node = edges[node]
        if node in seen:
            order = list(seen)
            in_cycle.update(order[seen[node] :])
        done.update(seen)
    return in_cycle


@dataclass(frozen=True, slots=True)
class _Existing:
    """A person in the portal as the plan sees them (plain values: cheaper than model instances)."""

    pk: int
    name: str
    email: str
    job_title: str
    birth_year: int | None
    in_service_since: int | None
    unit_id: int | None
    manager_number: str  # the explicit manager's personnel number, "" when none (or one without a number)


def _load_people():
    """Everyone with a personnel number, and the usernames that differ from one: one query."""
    people, usernames = {}, set()
    query = Person.objects.values_list(
        "pk",
        "personnel_number",
        "username",
        "name",
        "email",
        "job_title",
        "birth_year",
        "in_service_since",
        "unit_id",
        "manager__personnel_number",
    ).order_by()
    # Job titles, years, units and managers repeat from person to person: one object each, not one per person
    # (some 15 MB for a ministry of 100,000).
    same = {}
    for pk, number, username, name, email, *repeated, manager_number in query.iterator(chunk_size=5000):
        # A new person's username is their personnel number; the ones equal to a number are in `people`.
        if username != number:
            usernames.add(username)
        if number is not None:
            repeated = [same.setdefault(value, value) for value in (*repeated, manager_number or "")]
            people[number] = _Existing(pk, name, email, *repeated)
    return people, usernames


def _load_units():
    """{path tuple: (pk, tree_path)} for every unit: one query."""
    query = Unit.objects.values_list("pk", "name", "parent_id", "tree_path").order_by()
    rows = {pk: (name, parent_id, tree_path) for pk, name, parent_id, tree_path in query}
    paths = {}

    def path_of(pk):
        if pk not in paths:
            name, parent_id, _tree_path = rows[pk]
            paths[pk] = (path_of(parent_id) if parent_id else ()) + (name,)
        return paths[pk]

    return {path_of(pk): (pk, rows[pk][2]) for pk in rows}


def plan_import(data: bytes, progress=None) -> ImportPlan:
    """Check a whole file and work out what importing it would change. Writes nothing.

    `progress(checked, total)` is called every PROGRESS_EVERY rows, for the progress page.
    """
    text, encoding = decode(data)
    header = _header(text)[1]  # the reader is not kept: it would keep the text alive after the rows are read
    plan = ImportPlan(columns=frozenset(header), encoding=encoding)
    total = max(0, text.count("\n", 0, len(text.rstrip("\r\n"))))
    people, usernames = _load_people()
    seen, shared = {}, {}
    for index, (line, raw) in enumerate(read_rows(text), 1):
        if progress and index % PROGRESS_EVERY == 0:
            progress(min(line - 1, total), total)
        if raw is None:
            plan.errors.append(RowError(line, "", _("This row has more fields than the header.")))
            continue
        row, errors = _parse_row(line, raw, shared)
        number = row.personnel_number
        if number in seen:
            errors.append(
                _("Personnel number %(number)s also appears on line %(line)s.")
                % {"number": number, "line": seen[number]}
            )
        elif number:
            seen[number] = line
            if number not in people and number in usernames:
                errors.append(
                    _("Personnel number %(number)s is already the username of someone else in the portal.")
                    % {"number": number}
                )
        plan.errors += [RowError(line, number, message) for message in errors]
        plan.rows.append(row)
    del text  # some 13 MB for 100,000 people; every row holds what it needs
    if progress:
        progress(total, total)
    if not plan.rows and not plan.errors:
        raise ImportFileError(_("The file has a header but no people."))
    plan.people = people
    _check_managers(plan, people, seen)
    plan.errors.sort(key=lambda e: e.line)
    if plan.errors:
        return plan
    _work_out_changes(plan, people)
    return plan


def _check_managers(plan, people, seen):
    """Managers must exist (in the file or the portal) and must not form a loop."""
    edges = {number: person.manager_number for number, person in people.items() if person.manager_number}
    with_managers = plan.has("manager")
    for row in plan.rows:
        if not with_managers:
            continue
        if row.manager_number and row.manager_number not in people and row.manager_number not in seen:
            plan.errors.append(
                RowError(
                    row.line,
                    row.personnel_number,
                    _("Manager %(number)s is not in this file and not in the portal.")
                    % {"number": row.manager_number[:40]},
                )
            )
        elif row.manager_number == row.personnel_number and row.personnel_number:
            plan.errors.append(RowError(row.line, row.personnel_number, _("A person cannot be their own manager.")))
        if row.manager_number:
            edges[row.personnel_number] = row.manager_number
        else:
            edges.pop(row.personnel_number, None)
    for number in sorted((n for n in _find_cycles(edges) if n in seen), key=seen.get):
        if edges.get(number) != number:
            plan.errors.append(
                RowError(
                    seen[number],
                    number,
                    _("Manager %(number)s leads to a loop: people would end up managing themselves.")
                    % {"number": edges[number]},
                )
            )


def _work_out_changes(plan, people):
    units = _load_units()
    path_by_id = {pk: path for path, (pk, _tree_path) in units.items()}
    new_paths = set()
    fields = [name for name in IMPORT_FIELD_LABELS if plan.has(name)]
    for row in plan.rows:
        for depth in range(1, len(row.unit_path) + 1):
            prefix = row.unit_path[:depth]
            if prefix not in units:
                new_paths.add(prefix)
        person = people.get(row.personnel_number)
        if person is None:
            plan.to_create.append(row)
            continue
        current = {
            "name": person.name,
            "email": person.email,
            "unit": PATH_SEPARATOR.join(path_by_id.get(person.unit_id, ())),
            "manager": person.manager_number,
            "job_title": person.job_title,
            "birth_year": "" if person.birth_year is None else str(person.birth_year),
            "in_service_since": "" if person.in_service_since is None else str(person.in_service_since),
        }
        row.changes = tuple(
            Change(name, current[name], new) for name in fields if (new := row.display(name)) != current[name]
        )
        if row.changes:
            plan.to_update.append(row)
        else:
            plan.unchanged += 1
    plan.units = units
    plan.new_units = [PATH_SEPARATOR.join(p) for p in sorted(new_paths)]


def _update_many(fields, rows):
    """UPDATE people (or units) by id, one statement per row sent in bulk.

    Django's bulk_update builds one CASE per field over all rows, which costs minutes for
    100,000 people; executemany sends the same small statement with many parameter sets
    (pipelined on PostgreSQL) and takes seconds.
    """
    model = fields[0].model
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH_SIZE:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _create_units(plan):
    """Create the new units level by level (bulk), filling in tree_path; returns {path: pk}."""
    by_path = {path: pk for path, (pk, _tree_path) in plan.units.items()}
    tree_paths = {path: tree_path for path, (_pk, tree_path) in plan.units.items()}
    new_paths = [tuple(path.split(PATH_SEPARATOR)) for path in plan.new_units]
    for depth in sorted({len(path) for path in new_paths}):
        level = [path for path in new_paths if len(path) == depth]
        units = Unit.objects.bulk_create(
            [Unit(name=path[-1], parent_id=by_path.get(path[:-1])) for path in level], batch_size=BATCH_SIZE
        )
        for path, unit in zip(level, units, strict=True):
            by_path[path] = unit.pk
            tree_paths[path] = f"{tree_paths.get(path[:-1], PATH_SEPARATOR)}{unit.pk}{PATH_SEPARATOR}"
        _update_many([Unit._meta.get_field("tree_path")], ((tree_paths[path], by_path[path]) for path in level))
    return by_path


def _create_people(plan, unit_ids):
    """Insert the new people in batches; returns {personnel number: pk}."""
    unusable = make_password(None)
    created = {}
    rows = plan.to_create
    for start in range(0, len(rows), BATCH_SIZE):
        people = Person.objects.bulk_create(
            [
                Person(
                    username=row.personnel_number,
                    personnel_number=row.personnel_number,
                    password=unusable,
                    name=row.name,
                    email=row.email,
                    job_title=row.job_title,
                    birth_year=row.birth_year,
                    in_service_since=row.in_service_since,
                    unit_id=unit_ids[row.unit_path],
                )
                for row in rows[start : start + BATCH_SIZE]
            ]
        )
        created.update((person.personnel_number, person.pk) for person in people)
    return created


def apply_import(plan: ImportPlan) -> dict:
    """Create and update units and people as planned; all or nothing.

    Run it in the transaction in which the plan was made (`import_file` does) when the
    organisation may change in between; on its own it opens one.
    """
    if not plan.ok:
        raise ValueError("Cannot apply an import plan with errors.")
    with transaction.atomic():
        unit_ids = _create_units(plan)
        pk_of = {number: person.pk for number, person in plan.people.items()}
        pk_of.update(_create_people(plan, unit_ids))
        field = Person._meta.get_field
        if plan.has("manager"):
            _update_many(
                [field("manager")],
                (
                    (pk_of[row.manager_number], pk_of[row.personnel_number])
                    for row in plan.to_create
                    if row.manager_number
                ),
            )
        names = ["name", "email", "unit"] + [
            name for name in ("manager", "job_title", "birth_year", "in_service_since") if plan.has(name)
        ]

        def values(row):
            value = {
                "name": row.name,
                "email": row.email,
                "unit": unit_ids[row.unit_path],
                "manager": pk_of[row.manager_number] if row.manager_number else None,
                "job_title": row.job_title,
                "birth_year": row.birth_year,
                "in_service_since": row.in_service_since,
            }
            return [value[name] for name in names] + [pk_of[row.personnel_number]]

        _update_many([field(name) for name in names], (values(row) for row in plan.to_update))
    return {
        "created": len(plan.to_create),
        "updated": len(plan.to_update),
        "unchanged": plan.unchanged,
        "units_created": len(plan.new_units),
    }


def import_file(data: bytes, progress=None):
    """Plan and, when the file has no errors, apply it in one transaction: (plan, result or None)."""
    with transaction.atomic():
        plan = plan_import(data, progress=progress)
        if not plan.ok:
            return plan, None
        return plan, apply_import(plan)
