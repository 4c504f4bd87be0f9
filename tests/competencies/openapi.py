# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Validating answers against 1EdTech's official CASE 1.1 OpenAPI definition (competencies/schemas/)."""

import json
from datetime import date, datetime
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker

from competencies.api import OPENAPI_PATH

OPENAPI = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value):
    return not isinstance(value, str) or bool(datetime.fromisoformat(value).tzinfo)


@FORMATS.checks("date", raises=ValueError)
def _date(value):
    return not isinstance(value, str) or bool(date.fromisoformat(value))


@FORMATS.checks("uri")
def _uri(value):
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


def response_schema(path, status):
    """The schema the definition gives for an answer with this status on this path (e.g. "/CFItems/{sourcedId}")."""
    responses = OPENAPI["paths"][path]["get"]["responses"]
    reference = responses.get(str(status), responses["default"])["content"]["application/json"]["schema"]
    # OpenAPI 3.0 schemas are JSON Schema draft 4 (no nullable here); $refs point into the whole document.
    return {**OPENAPI, **reference}


def openapi_errors(path, status, body):
    validator = Draft4Validator(response_schema(path, status), format_checker=FORMATS)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body))
