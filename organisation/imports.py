# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Import the organisation (units, people, managers) from a CSV file.

Two steps: `plan_import` reads and checks every row and writes nothing;
`apply_import` carries out a plan without errors in one transaction. A file
with any bad row imports nothing.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from .models import PATH_SEPARATOR, Person, Unit

REQUIRED_COLUMNS = ["personnel_number", "name", "email", "unit"]
OPTIONAL_COLUMNS = ["manager_personnel_number", "job_title", "birth_year", "in_service_since"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
PERSON_FIELDS = ["name", "email", "job_title", "birth_year", "in_service_since"]


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class RowError:
    line: int
    personnel_number: str
    message: str


@dataclass
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

    def values(self):
        return {f: getattr(self, f) for f in PERSON_FIELDS}


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    new_units: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; a Windows-1252 file from older Excel versions also reads."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is not a text file in UTF-8. Save it as 'CSV UTF-8' and try again."))


def read_rows(text: str):
    """Yield (line number, row dict); the separator (; or ,) is detected from the header."""
    header_line = text.splitlines()[0] if text.strip() else ""
    if not header_line:
        raise ImportFileError(_("The file is empty."))
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            _("These columns are missing from the first line: %(columns)s. Expected: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    reader.fieldnames = header
    for row in reader:
        if not any((value or "").strip() for key, value in row.items() if key):
            continue
        if None in row:
            yield reader.line_num, None
            continue
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def _year(value, label, errors):
    if not value:
        return None
    this_year = datetime.date.today().year
    if not value.isdigit() or not 1900 <= int(value) <= this_year:
        errors.append(
            _("%(label)s must be a year between 1900 and %(year)s, not '%(value)s'.")
            % {"label": label, "year": this_year, "value": value}
        )
        return None
    return int(value)


def _parse_row(line, raw):
    errors = []
    number = raw["personnel_number"]
    if not number:
        errors.append(_("The personnel number is empty."))
    elif len(number) > 32:
        errors.append(_("The personnel number is longer than 32 characters."))
    if not raw["name"]:
        errors.append(_("The name is empty."))
    try:
        validate_email(raw["email"])
    except ValidationError:
        errors.append(_("'%(email)s' is not a valid e-mail address.") % {"email": raw["email"]})
    path = tuple(part.strip() for part in raw["unit"].split(PATH_SEPARATOR))
    if not raw["unit"] or not all(path):
        errors.append(
            _("The unit '%(unit)s' is not a valid path like 'Gemeente/Afdeling/Team'.") % {"unit": raw["unit"]}
        )
    row = PersonRow(
        line=line,
        personnel_number=number,
        name=raw["name"],
        email=raw["email"].lower(),
        unit_path=path,
        manager_number=raw.get("manager_personnel_number", ""),
        job_title=raw.get("job_title", ""),
        birth_year=_year(raw.get("birth_year", ""), _("Birth year"), errors),
        in_service_since=_year(raw.get("in_service_since", ""), _("In service since"), errors),
    )
    return row, errors


def _find_cycles(edges):
    """Return the set of people that are part of a manager cycle in {person: manager}."""
    in_cycle = set()
    for start in edges:
        seen = []
        node = start
        while node in edges and node not in seen:
            seen.append(node)
            node = edges[node]
        if node in seen:
            in_cycle.update(seen[seen.index(node) :])
    return in_cycle


def plan_import(data: bytes) -> ImportPlan:
    """Check a whole file and work out what importing it would change. Writes nothing."""
    plan = ImportPlan()
    text = decode(data)
    seen = {}
    for line, raw in read_rows(text):
        if raw is None:
            plan.errors.append(RowError(line, "", _("This row has more fields than the header.")))
            continue
        row, errors = _parse_row(line, raw)
        if row.personnel_number in seen:
            errors.append(
                _("Personnel number %(number)s also appears on line %(line)s.")
                % {"number": row.personnel_number, "line": seen[row.personnel_number]}
            )
        elif row.personnel_number:
            seen[row.personnel_number] = line
        plan.errors += [RowError(line, row.personnel_number, message) for message in errors]
        plan.rows.append(row)
    if not plan.rows and not plan.errors:
        raise ImportFileError(_("The file has a header but no people."))

    existing = {p.personnel_number: p for p in Person.objects.filter(personnel_number__isnull=False)}
    known_numbers = set(existing) | set(seen)
    edges = {number: person.manager.personnel_number for number, person in existing.items() if person.manager_id}
    for row in plan.rows:
        if row.manager_number and row.manager_number not in known_numbers:
            plan.errors.append(
                RowError(
                    row.line,
                    row.personnel_number,
                    _("Manager %(number)s is not in this file and not in the portal.")
                    % {"number": row.manager_number},
                )
            )
        elif row.manager_number == row.personnel_number and row.personnel_number:
            plan.errors.append(RowError(row.line, row.personnel_number, _("A person cannot be their own manager.")))
        if row.manager_number:
            edges[row.personnel_number] = row.manager_number
        else:
            edges.pop(row.personnel_number, None)
    for number in sorted(_find_cycles(edges) & set(seen), key=seen.get):
        if edges.get(number) != number:
            plan.errors.append(
                RowError(
                    seen[number],
                    number,
                    _("Manager %(number)s leads to a loop: people would end up managing themselves.")
                    % {"number": edges[number]},
                )
            )
    plan.errors.sort(key=lambda e: e.line)
    if plan.errors:
        return plan

    existing_paths = {
        _unit_key(unit, units_by_id) for units_by_id in [Unit.objects.in_bulk()] for unit in units_by_id.values()
    }
    new_paths = set()
    for row in plan.rows:
        for depth in range(1, len(row.unit_path) + 1):
            prefix = row.unit_path[:depth]
            if prefix not in existing_paths:
                new_paths.add(prefix)
        person = existing.get(row.personnel_number)
        if person is None:
            plan.to_create.append(row)
        elif _differs(person, row):
            plan.to_update.append(row)
        else:
            plan.unchanged.append(row)
    plan.new_units = [PATH_SEPARATOR.join(p) for p in sorted(new_paths)]
    return plan


def _unit_key(unit, units_by_id):
    ids = unit.ancestor_ids()
    return tuple(units_by_id[i].name for i in ids)


def _differs(person, row):
    if any(getattr(person, f) != v for f, v in row.values().items()):
        return True
    current_unit = person.unit.full_path if person.unit_id else ""
    manager_number = person.manager.personnel_number if person.manager_id else ""
    return current_unit != PATH_SEPARATOR.join(row.unit_path) or manager_number != row.manager_number


@transaction.atomic
def apply_import(plan: ImportPlan) -> dict:
    """Create and update units and people as planned; all or nothing."""
    if not plan.ok:
        raise ValueError("Cannot apply an import plan with errors.")
    units = {}
    for unit in Unit.objects.all():
        units[unit.pk] = unit
    by_path = {_unit_key(u, units): u for u in units.values()}
    for row in plan.rows:
        for depth in range(1, len(row.unit_path) + 1):
            prefix = row.unit_path[:depth]
            if prefix not in by_path:
                by_path[prefix] = Unit.objects.create(name=prefix[-1], parent=by_path.get(prefix[:-1]))

    existing = {
        p.personnel_number: p
        for p in Person.objects.filter(personnel_number__in=[r.personnel_number for r in plan.rows])
    }
    new_people = []
    for row in plan.to_create:
        person = Person(username=row.personnel_number, personnel_number=row.personnel_number, **row.values())
        person.unit = by_path[row.unit_path]
        person.set_unusable_password()
        new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=1000)
    existing.update(
        {
            p.personnel_number: p
            for p in Person.objects.filter(personnel_number__in=[r.personnel_number for r in plan.to_create])
        }
    )

    changed = []
    for row in plan.rows:
        person = existing[row.personnel_number]
        for name, value in row.values().items():
            setattr(person, name, value)
        person.unit = by_path[row.unit_path]
        person.manager = existing.get(row.manager_number) or (
            Person.objects.get(personnel_number=row.manager_number) if row.manager_number else None
        )
        changed.append(person)
    Person.objects.bulk_update(changed, PERSON_FIELDS + ["unit", "manager"], batch_size=1000)
    return {
        "created": len(plan.to_create),
        "updated": len(plan.to_update),
        "unchanged": len(plan.unchanged),
        "units_created": len(plan.new_units),
    }
