# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""CSV import and export of the learning catalogue, and the import of target levels by job title.

As the people import (organisation/imports.py, whose reading and decoding this reuses):
every row is checked first and nothing is written when any row is bad; each bad row is
named with its line number and what to change. A good file is applied in one transaction.

Catalogue rows are matched on `code`: a known code updates the activity, a new one adds it.
The `competencies` cell lists what the activity develops as `framework:CODE:from-to`, several
separated by `|` (e.g. `rijksoverheid:SAMENWERKEN:2-3|gemeente:KLANT:1-2`); the framework is
its slug and the newest version is used.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from competencies.models import LEVELS, Competency, Framework
from organisation.imports import ImportFileError, decode, read_rows

from .models import Activity, ActivityCompetency, LearningForm, Target, TargetScope, job_title_key

CATALOGUE_COLUMNS = [
    "code",
    "title_nl",
    "title_en",
    "description_nl",
    "description_en",
    "provider",
    "form",
    "duration_hours",
    "cost",
    "url",
    "active",
    "competencies",
]
CATALOGUE_REQUIRED = ["code", "title_nl", "description_nl", "form", "duration_hours", "competencies"]
TARGET_COLUMNS = ["job_title", "framework", "competency", "level", "due_on", "valid_from"]
TARGET_REQUIRED = ["job_title", "framework", "competency", "level", "due_on"]
TRUE, FALSE = {"1", "ja", "yes", "true", "waar"}, {"0", "nee", "no", "false", "onwaar"}

__all__ = ["ImportFileError", "plan_catalogue", "apply_catalogue", "plan_targets", "apply_targets"]


@dataclass
class RowError:
    line: int
    key: str
    message: str


@dataclass
class Plan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self):
        return not self.errors


def _number(value, label, errors):
    """A number with a decimal comma or point (Excel in Dutch writes 1,5)."""
    if not value:
        return Decimal(0)
    try:
        number = Decimal(value.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        errors.append(_("%(label)s must be a number such as 1,5, not '%(value)s'.") % {"label": label, "value": value})
        return None
    if number < 0 or not number.is_finite():
        errors.append(_("%(label)s cannot be below 0.") % {"label": label})
        return None
    return number


def _date(value, label, errors):
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
    errors.append(
        _("%(label)s must be a date such as 31-12-2027, not '%(value)s'.") % {"label": label, "value": value}
    )
    return None


def _competency_index():
    """{(framework slug, CODE): competency} for the newest version of every framework."""
    competencies = Competency.objects.filter(framework__in=Framework.objects.current()).select_related("framework")
    return {(c.framework.slug, c.code.upper()): c for c in competencies}


# Catalogue -------------------------------------------------------------------------------------------------------


@dataclass
class ActivityRow:
    line: int
    values: dict
    links: list  # (competency, from, to)


def _links(cell, index, errors):
    links = []
    for part in [p.strip() for p in cell.split("|") if p.strip()]:
        pieces = part.split(":")
        if len(pieces) != 3 or "-" not in pieces[2]:
            errors.append(
                _("'%(part)s' is not in the form framework:CODE:from-to, for example rijksoverheid:SAMENWERKEN:2-3.")
                % {"part": part}
            )
            continue
        slug, code, levels = (piece.strip() for piece in pieces)
        competency = index.get((slug, code.upper()))
        if competency is None:
            errors.append(
                _("Competency %(code)s of framework '%(framework)s' does not exist.")
                % {"code": code, "framework": slug}
            )
            continue
        low, _dash, high = levels.partition("-")
        if not (low.isdigit() and high.isdigit() and int(low) in LEVELS and int(high) in LEVELS and low < high):
            errors.append(
                _("The levels '%(levels)s' for %(code)s must be two levels from 1 to 5, the first lower, e.g. 2-3.")
                % {"levels": levels, "code": code}
            )
            continue
        links.append((competency, int(low), int(high)))
    if not links and not errors:
        errors.append(_("Name at least one competency the activity develops."))
    return links


def _activity_row(line, raw, index):
    errors = []
    code = raw["code"]
    try:
        validate_slug(code)
    except ValidationError:
        errors.append(_("The code '%(code)s' may only hold letters, digits, - and _.") % {"code": code})
    if not raw["title_nl"]:
        errors.append(_("The Dutch title is empty."))
    if not raw["description_nl"]:
        errors.append(_("The Dutch description is empty."))
    forms = {value for value, _label in LearningForm.choices}
    if raw["form"] not in forms:
        errors.append(
            _("The learning form '%(form)s' is unknown. Use one of: %(forms)s.")
            % {"form": raw["form"], "forms": ", ".join(sorted(forms))}
        )
    url = raw.get("url", "")
    if url:
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            errors.append(_("'%(url)s' is not a web address.") % {"url": url})
    active = raw.get("active", "").lower() or "1"
    if active not in TRUE | FALSE:
        errors.append(_("Active must be 1 or 0, not '%(value)s'.") % {"value": raw.get("active")})
    values = {
        "title_nl": raw["title_nl"][:200],
        "title_en": raw.get("title_en", "")[:200],
        "description_nl": raw["description_nl"],
        "description_en": raw.get("description_en", ""),
        "provider": raw.get("provider", "")[:200],
        "form": raw["form"],
        "duration_hours": _number(raw["duration_hours"], _("Duration"), errors),
        "cost": _number(raw.get("cost", ""), _("Cost"), errors),
        "url": url,
        "is_active": active in TRUE,
    }
    return ActivityRow(line, {"code": code, **values}, _links(raw["competencies"], index, errors)), errors


def plan_catalogue(data: bytes) -> Plan:
    """Check a whole catalogue file; writes nothing."""
    plan = Plan()
    index = _competency_index()
    seen = {}
    for line, raw in read_rows(decode(data)[0], CATALOGUE_REQUIRED, CATALOGUE_COLUMNS):
        if raw is None:
            plan.errors.append(RowError(line, "", _("This row has more fields than the header.")))
            continue
        row, errors = _activity_row(line, raw, index)
        code = row.values["code"]
        if code in seen:
            errors.append(_("Code %(code)s also appears on line %(line)s.") % {"code": code, "line": seen[code]})
        seen.setdefault(code, line)
        plan.errors += [RowError(line, code, message) for message in errors]
        plan.rows.append(row)
    if not plan.rows and not plan.errors:
        raise ImportFileError(_("The file has a header but no activities."))
    existing = set(Activity.objects.filter(code__in=seen).values_list("code", flat=True))
    plan.updated = len(existing)
    plan.created = len(seen) - plan.updated
    return plan


@transaction.atomic
def apply_catalogue(plan: Plan) -> Plan:
    """Add and update the planned activities with exactly the competencies of their row; all or nothing."""
    if not plan.ok:
        raise ValueError("Cannot apply an import plan with errors.")
    for row in plan.rows:
        values = dict(row.values)
        activity, _created = Activity.objects.update_or_create(code=values.pop("code"), defaults=values)
        activity.competency_links.all().delete()
        ActivityCompetency.objects.bulk_create(
            [
                ActivityCompetency(activity=activity, competency=c, level_from=low, level_to=high)
                for c, low, high in row.links
            ]
        )
    return plan


def catalogue_rows(queryset=None):
    """The catalogue as rows in CATALOGUE_COLUMNS order (typed: decimals stay decimals), for the CSV export."""
    queryset = queryset if queryset is not None else Activity.objects.all()
    links = ActivityCompetency.objects.select_related("competency__framework").order_by("pk")
    for activity in queryset.prefetch_related(Prefetch("competency_links", queryset=links)).order_by("code"):
        cell = "|".join(
            f"{link.competency.framework.slug}:{link.competency.code}:{link.level_from}-{link.level_to}"
            for link in activity.competency_links.all()
        )
        yield [
            activity.code,
            activity.title_nl,
            activity.title_en,
            activity.description_nl,
            activity.description_en,
            activity.provider,
            activity.form,
            activity.duration_hours,
            activity.cost,
            activity.url,
            activity.is_active,
            cell,
        ]


# Targets by job title --------------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    line: int
    job_title: str
    competency: object
    level: int
    due_on: datetime.date
    valid_from: datetime.date


def plan_targets(data: bytes, today=None) -> Plan:
    """Check a file of target levels per job title (a function profile); writes nothing."""
    plan = Plan()
    index = _competency_index()
    today = today or datetime.date.today()
    seen = {}
    for line, raw in read_rows(decode(data)[0], TARGET_REQUIRED, TARGET_COLUMNS):
        if raw is None:
            plan.errors.append(RowError(line, "", _("This row has more fields than the header.")))
            continue
        errors = []
        title = raw["job_title"]
        if not title:
            errors.append(_("The job title is empty."))
        competency = index.get((raw["framework"], raw["competency"].upper()))
        if competency is None:
            errors.append(
                _("Competency %(code)s of framework '%(framework)s' does not exist.")
                % {"code": raw["competency"], "framework": raw["framework"]}
            )
        level = int(raw["level"]) if raw["level"].isdigit() else None
        if level not in LEVELS:
            errors.append(
                _("The level must be a whole number from 1 to 5, not '%(value)s'.") % {"value": raw["level"]}
            )
        due_on = _date(raw["due_on"], _("The date to reach it by"), errors)
        valid_from = _date(raw["valid_from"], _("The start date"), errors) if raw.get("valid_from") else today
        key = (job_title_key(title), competency.pk if competency else None, valid_from)
        if key in seen and competency:
            errors.append(_("This job title and competency also appear on line %(line)s.") % {"line": seen[key]})
        seen.setdefault(key, line)
        plan.errors += [RowError(line, title, message) for message in errors]
        if not errors:
            plan.rows.append(TargetRow(line, title, competency, level, due_on, valid_from))
    if not plan.rows and not plan.errors:
        raise ImportFileError(_("The file has a header but no targets."))
    return plan


@transaction.atomic
def apply_targets(plan: Plan, by=None) -> Plan:
    """Add the planned targets; one for the same job title, competency and start date is updated."""
    if not plan.ok:
        raise ValueError("Cannot apply an import plan with errors.")
    for row in plan.rows:
        existing = Target.objects.filter(
            scope=TargetScope.JOB_TITLE,
            job_title_key=job_title_key(row.job_title),
            competency=row.competency,
            valid_from=row.valid_from,
        ).first()
        if existing is None:
            Target.objects.create(
                scope=TargetScope.JOB_TITLE,
                job_title=row.job_title,
                competency=row.competency,
                level=row.level,
                due_on=row.due_on,
                valid_from=row.valid_from,
                set_by=by,
            )
            plan.created += 1
        else:
            existing.level, existing.due_on, existing.set_by = row.level, row.due_on, by
            existing.save(update_fields=["level", "due_on", "set_by"])
            plan.updated += 1
    return plan
