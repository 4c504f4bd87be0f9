# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Reading a CASE 1.1 package from a file: bounded, tolerant of how other providers write, strict about the rest.

In this order, each step refusing with the exact place and reason (FrameworkDataError; nothing is changed):
    size        at most MAX_IMPORT_MB, checked before anything reads the file
    text        UTF-8 (a byte-order mark is fine), valid JSON, a JSON object
    depth       at most MAX_DEPTH levels of nested arrays and objects, counted before the JSON is parsed, so a
                deeply nested file cannot exhaust the parser (ours nest about 14 deep)
    tolerance   what real providers write and CASE allows in spirit:
                  - `null` for an optional field means "absent": it is dropped, with a warning naming the place
                  - the package may come bare ({"CFDocument": ..., "CFItems": [...]}) or wrapped ({"CFPackage": {...}})
                  - a list that holds one object may be written as that object alone ("CFRubrics": {...})
    field sizes every text at most MAX_TEXT characters, and the texts that land in a limited column at most what
                that column holds (a framework title 200, a competency code 40, ...)
    schema      1EdTech's package schema (competencies/schemas/); a required field that was null is missing here
"""

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from jsonschema import Draft202012Validator

from .loading import FrameworkDataError

SCHEMA_PATH = Path(__file__).parent / "schemas" / "case-v1p1-cfpackage-schema.json"
MAX_SCHEMA_ERRORS = 50
MAX_WARNINGS = 20
MAX_DEPTH = 32
MAX_TEXT = 10_000
# Texts that end up in a column with a length limit; "*" stands for any list position or language.
COLUMN_LIMITS = {
    ("CFDocument", "title"): 200,
    ("CFDocument", "creator"): 200,
    ("CFDocument", "publisher"): 200,
    ("CFDocument", "extensions", "vakmanschap", "slug"): 100,
    ("CFDocument", "extensions", "vakmanschap", "translations", "*", "title"): 200,
    ("CFDocument", "extensions", "vakmanschap", "source", "title"): 300,
    ("CFDocument", "extensions", "vakmanschap", "source", "author"): 200,
    ("CFDocument", "extensions", "vakmanschap", "source", "publisher"): 200,
    ("CFItems", "*", "humanCodingScheme"): 40,
    ("CFItems", "*", "abbreviatedStatement"): 200,
    ("CFItems", "*", "alternativeLabel"): 200,
    ("CFItems", "*", "extensions", "vakmanschap", "translations", "*", "abbreviatedStatement"): 200,
    ("CFDefinitions", "CFConcepts", "*", "title"): 200,
    ("CFDefinitions", "CFConcepts", "*", "hierarchyCode"): 50,
    ("CFDefinitions", "CFConcepts", "*", "extensions", "vakmanschap", "translations", "*", "title"): 200,
}
# Where the package schema wants a list: a provider may give a single object there.
LIST_KEYS = {
    "CFItems",
    "CFAssociations",
    "CFRubrics",
    "CFRubricCriteria",
    "CFRubricCriterionLevels",
    "CFConcepts",
    "CFSubjects",
    "CFLicenses",
    "CFItemTypes",
    "CFAssociationGroupings",
    "subjectURI",
}
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


@dataclass
class Reading:
    """A package that passed every check, and what was read differently from how it was written."""

    package: dict
    warnings: list = field(default_factory=list)


@cache
def _validator():
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _where(path):
    return "/".join(str(p) for p in path) or _("the package")


def schema_errors(package):
    """Every place where the package breaks the CASE 1.1 package schema, as sentences."""
    found = sorted(_validator().iter_errors(package), key=lambda e: [str(p) for p in e.absolute_path])
    errors = [
        _("%(where)s: %(problem)s") % {"where": _where(error.absolute_path), "problem": error.message}
        for error in found[:MAX_SCHEMA_ERRORS]
    ]
    if len(found) > MAX_SCHEMA_ERRORS:
        errors.append(_("... and %(count)s more schema errors.") % {"count": len(found) - MAX_SCHEMA_ERRORS})
    return errors


def check_size(size, name):
    """Refuse a file over MAX_IMPORT_MB before anything reads it."""
    if size > settings.MAX_IMPORT_BYTES:
        raise FrameworkDataError(
            [
                _("%(file)s is larger than %(size)s MB.")
                % {"file": name, "size": settings.MAX_IMPORT_BYTES // (1024 * 1024)}
            ]
        )


def nesting_depth(text):
    """How deep arrays and objects nest in JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRINGS.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _parse(raw, name):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkDataError([_("%(file)s is not UTF-8 text.") % {"file": name}]) from exc
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise FrameworkDataError(
            [
                _("%(file)s nests %(depth)s levels deep; a CASE package needs far fewer, so at most %(max)s are read.")
                % {"file": name, "depth": depth, "max": MAX_DEPTH}
            ]
        )
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkDataError(
            [
                _("%(file)s is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
                % {"file": name, "problem": exc.msg, "line": exc.lineno, "column": exc.colno}
            ]
        ) from exc
    if not isinstance(package, dict):
        raise FrameworkDataError([_("%(file)s is not a CASE package: it is not a JSON object.") % {"file": name}])
    return package


def _unwrap(package):
    """{"CFPackage": {...}} -> {...}: some providers wrap the package in its type name."""
    if set(package) == {"CFPackage"} and isinstance(package["CFPackage"], dict):
        return package["CFPackage"]
    return package


def _tolerate(value, path, warnings):
    """A copy without nulls (each one a warning) and with single objects where lists belong put in a list."""
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if item is None:
                warnings.append(_("%(where)s is null; read as absent.") % {"where": _where((*path, key))})
                continue
            if key in LIST_KEYS and isinstance(item, dict):
                item = [item]
            kept[key] = _tolerate(item, (*path, key), warnings)
        return kept
    if isinstance(value, list):
        kept = []
        for index, item in enumerate(value):
            if item is None:
                warnings.append(_("%(where)s is null; left out.") % {"where": _where((*path, index))})
                continue
            kept.append(_tolerate(item, (*path, len(kept)), warnings))
        return kept
    return value


def _limit(path):
    shape = tuple("*" if isinstance(part, int) else part for part in path)
    for pattern, limit in COLUMN_LIMITS.items():
        if len(pattern) == len(shape) and all(p in ("*", s) for p, s in zip(pattern, shape, strict=True)):
            return limit
    return MAX_TEXT


def size_errors(value, path=()):
    """Every text longer than its place allows, with the place and both lengths."""
    if isinstance(value, dict):
        return [error for key, item in value.items() for error in size_errors(item, (*path, key))]
    if isinstance(value, list):
        return [error for index, item in enumerate(value) for error in size_errors(item, (*path, index))]
    if isinstance(value, str) and len(value) > _limit(path):
        return [
            _("%(where)s: the text is %(length)s characters long; at most %(limit)s fit here.")
            % {"where": _where(path), "length": f"{len(value):,}", "limit": f"{_limit(path):,}"}
        ]
    return []


def read(raw, name):
    """Bytes of a file -> Reading (a schema-valid package and the warnings); FrameworkDataError says what is wrong."""
    check_size(len(raw), name)
    warnings = []
    package = _tolerate(_unwrap(_parse(raw, name)), (), warnings)
    errors = size_errors(package)[:MAX_SCHEMA_ERRORS] or schema_errors(package)
    if errors:
        raise FrameworkDataError([f"{name}: {error}" for error in errors])
    if len(warnings) > MAX_WARNINGS:
        warnings = [
            *warnings[:MAX_WARNINGS],
            _("... and %(count)s more nulls.") % {"count": len(warnings) - MAX_WARNINGS},
        ]
    return Reading(package, [f"{name}: {warning}" for warning in warnings])


def read_package(raw, name):
    """Bytes of a file -> a schema-valid package dictionary (see `read` for the warnings)."""
    return read(raw, name).package
