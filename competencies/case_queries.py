# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The query parameters of getAllCFDocuments as the 1EdTech REST binding defines them.

    limit=10&offset=20          a page: at most `limit` documents from number `offset` (0-based); limit 100 unless
                                given; X-Total-Count says how many there are, Link (RFC 8288) gives first, prev,
                                next and last
    sort=title&orderBy=desc     order by one field (asc unless orderBy says desc); documents without it come last
    filter=title~'vak'          field, operator, quoted value: = != > >= < <= and ~ (contains, ignoring case);
                                several joined by " AND " or by " OR " (not both in one filter)
    fields=identifier,title     only these fields (also as fields=a&fields=b); the fields the schema requires always
                                come along, so every answer stays valid CASE

A bad value raises QueryError with the CASE code minor (invalid_sort_field, invalid_selection_field) and a sentence.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

DEFAULT_LIMIT = 100
INT32_MAX = 2**31 - 1
# The scalar fields of CFDocumentDType: what sort and filter can compare.
SCALAR_FIELDS = {
    "identifier",
    "uri",
    "frameworkType",
    "caseVersion",
    "creator",
    "title",
    "lastChangeDateTime",
    "officialSourceURL",
    "publisher",
    "description",
    "language",
    "version",
    "adoptionStatus",
    "statusStartDate",
    "statusEndDate",
    "notes",
}
ALL_FIELDS = SCALAR_FIELDS | {"subject", "subjectURI", "licenseURI", "extensions", "CFPackageURI"}
REQUIRED_FIELDS = ("identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI")
_CONDITION = re.compile(r"^\s*([A-Za-z]+)\s*(!=|>=|<=|=|>|<|~)\s*'((?:[^']|'')*)'\s*$")
_COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "~": lambda a, b: b.casefold() in a.casefold(),
}


class QueryError(Exception):
    def __init__(self, code_minor, message):
        super().__init__(message)
        self.code_minor = code_minor
        self.message = message


@dataclass(frozen=True, slots=True)
class Page:
    documents: list
    total: int
    links: str


def _number(params, name, default, minimum):
    raw = params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]+", raw) or not minimum <= int(raw) <= INT32_MAX:
        raise QueryError(
            "invalid_selection_field",
            _("%(name)s must be a whole number from %(minimum)s, not '%(value)s'.")
            % {"name": name, "minimum": minimum, "value": raw},
        )
    return int(raw)


def _conditions(text):
    """`filter` -> (joiner, [(field, operator, value)])."""
    joiners = {word for word in ("AND", "OR") if f" {word} " in text}
    if len(joiners) > 1:
        raise QueryError(
            "invalid_selection_field", _("A filter may join its conditions with AND or with OR, not both.")
        )
    joiner = joiners.pop() if joiners else "AND"
    conditions = []
    for part in text.split(f" {joiner} "):
        match = _CONDITION.match(part)
        if not match:
            raise QueryError(
                "invalid_selection_field",
                _("The filter part \"%(part)s\" is not of the form field='value', for example title~'vak'.")
                % {"part": part},
            )
        field, operator, value = match.groups()
        if field not in SCALAR_FIELDS:
            raise QueryError(
                "invalid_selection_field", _("The filter uses the unknown field '%(field)s'.") % {"field": field}
            )
        conditions.append((field, operator, value.replace("''", "'")))
    return joiner, conditions


def _matches(document, joiner, conditions):
    results = (
        field in document and _COMPARE[operator](str(document[field]), value) for field, operator, value in conditions
    )
    return all(results) if joiner == "AND" else any(results)


def _fields(params):
    wanted = [name.strip() for raw in params.getlist("fields") for name in raw.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in ALL_FIELDS]
    if unknown:
        raise QueryError(
            "invalid_selection_field",
            _("Unknown field(s) in fields: %(fields)s.") % {"fields": ", ".join(sorted(set(unknown)))},
        )
    return set(wanted) | set(REQUIRED_FIELDS) if wanted else None


def _sort(params):
    sort, order = params.get("sort"), params.get("orderBy", "asc")
    if sort is not None and sort not in SCALAR_FIELDS:
        raise QueryError("invalid_sort_field", _("Documents cannot be sorted by '%(field)s'.") % {"field": sort})
    if order not in ("asc", "desc"):
        raise QueryError("invalid_sort_field", _("orderBy must be asc or desc, not '%(order)s'.") % {"order": order})
    return sort, order == "desc"


def _link_header(url, params, limit, offset, total):
    def page(rel, start):
        query = {key: params.getlist(key) for key in params if key not in ("limit", "offset")}
        query.update(limit=[str(limit)], offset=[str(start)])
        return f'<{url}?{urlencode(query, doseq=True)}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [page("first", 0)]
    if offset > 0:
        links.append(page("prev", max(0, offset - limit)))
    if offset + limit < total:
        links.append(page("next", offset + limit))
    links.append(page("last", last))
    return ", ".join(links)


def select(documents, params, url):
    """The page of CFDocument dictionaries that the query parameters ask for; QueryError on a bad parameter."""
    limit = _number(params, "limit", DEFAULT_LIMIT, 1)
    offset = _number(params, "offset", 0, 0)
    sort, descending = _sort(params)
    fields = _fields(params)
    if params.get("filter"):
        joiner, conditions = _conditions(params["filter"])
        documents = [d for d in documents if _matches(d, joiner, conditions)]
    if sort or descending:
        key = sort or "title"
        present = sorted((d for d in documents if key in d), key=lambda d: str(d[key]), reverse=descending)
        documents = present + [d for d in documents if key not in d]
    total = len(documents)
    selected = documents[offset : offset + limit]
    if fields is not None:
        selected = [{key: value for key, value in d.items() if key in fields} for d in selected]
    return Page(selected, total, _link_header(url, params, limit, offset, total))
