# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Read-only 1EdTech CASE 1.1 provider API (JSON, GET only), mounted under /ims/case/v1p1/: all twelve endpoints
of 1EdTech's OpenAPI (../shared/case/imscasev1p1_openapi3_v1p0.json) and the discovery document.

Frameworks are no secret: every logged-in user may read them, and anyone when settings.CASE_API_PUBLIC is on.
An API client cannot follow a redirect to a login form, so every answer that is not a 200, including a refusal
(401), a malformed identifier (400), an unknown identifier or path (404), another method (405) and a failure (500),
is a CASE status body (imsx_StatusInfoDType), never an HTML page. The language is `?lang=nl|en`, else the active
language (LocaleMiddleware); the package says which in CFDocument.language. See competencies/case.py.
"""

import copy
import json
import logging
import uuid
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from vakmanschap.lib.i18n import current_language

from . import case, case_lookup, case_queries
from .loading import LANGS

logger = logging.getLogger(__name__)
OPENAPI_PATH = Path(__file__).parent / "schemas" / "imscasev1p1_openapi3_v1p0.json"


def status_response(status, code_minor, description, code_major="failure"):
    """A CASE error: the imsx_StatusInfo structure of the 1EdTech REST binding."""
    body = {"imsx_codeMajor": code_major, "imsx_severity": "error", "imsx_description": description}
    if code_minor:
        body["imsx_codeMinor"] = {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code_minor}
            ]
        }
    return JsonResponse(body, status=status)


def unknown(identifier):
    return status_response(
        404, "unknownobject", _("There is nothing with the identifier %(identifier)s.") % {"identifier": identifier}
    )


def _refusal(request):
    """The CASE answer for a request we do not serve, or None."""
    if request.method not in ("GET", "HEAD"):
        response = status_response(405, None, _("The CASE API only answers GET requests."), code_major="unsupported")
        response["Allow"] = "GET, HEAD"
        return response
    if not (request.user.is_authenticated or settings.CASE_API_PUBLIC):
        response = status_response(401, "unauthorised_request", _("Log in to read the competency frameworks."))
        response["WWW-Authenticate"] = 'Cookie realm="Vakmanschap"'
        return response
    return None


def case_endpoint(view):
    """Checks method, access, identifier and language, then calls view(request, ..., links=..., lang=...)."""

    # Nothing here changes anything, and a POST must get the CASE 405 rather than Django's CSRF page.
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refusal = _refusal(request)
        if refusal:
            return refusal
        if "identifier" in kwargs:
            try:
                kwargs["identifier"] = str(uuid.UUID(kwargs["identifier"]))
            except ValueError:
                return status_response(
                    400,
                    "invalid_uuid",
                    _("'%(identifier)s' is not an identifier (a UUID).") % {"identifier": kwargs["identifier"]},
                )
        lang = request.GET.get("lang") or current_language()
        if lang not in LANGS:
            return status_response(
                400,
                "invalid_selection_field",
                _("The language '%(lang)s' is not available; use nl or en.") % {"lang": lang},
            )
        base = request.build_absolute_uri(reverse("case:documents")).removesuffix("CFDocuments")
        try:
            with translation.override(lang):
                return view(request, *args, links=case.Links(base), lang=lang, **kwargs)
        except Exception:
            # An API client reads JSON: a failure is a CASE status too (and logged with its traceback).
            logger.exception("CASE API failure on %s", request.path)
            return status_response(500, "internal_server_error", _("Something went wrong on our side."))

    return wrapper


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _answer(found, identifier):
    return unknown(identifier) if found is None else _json(found)


@case_endpoint
def documents(request, links, lang):
    """getAllCFDocuments, with limit, offset, sort, orderBy, filter and fields (competencies/case_queries.py)."""
    everything = [case.cf_document(f, links, lang) for f in case.frameworks()]
    try:
        page = case_queries.select(everything, request.GET, links.base + "CFDocuments")
    except case_queries.QueryError as error:
        return status_response(400, error.code_minor, error.message)
    if not page.documents:  # a CFDocumentSet holds at least one document
        return status_response(404, "unknownobject", _("No framework matches this request."))
    response = _json({"CFDocuments": page.documents})
    response["X-Total-Count"] = str(page.total)
    response["Link"] = page.links
    return response


@case_endpoint
def document(request, identifier, links, lang):
    framework = case.find_framework(identifier)
    return _answer(framework and case.cf_document(framework, links, lang), identifier)


@case_endpoint
def package(request, identifier, links, lang):
    framework = case.find_framework(identifier)
    return _answer(framework and case.package_for(framework, links, lang), identifier)


@case_endpoint
def item(request, identifier, links, lang):
    competency = case.find_competency(identifier)
    return _answer(competency and case.cf_item(competency, links, lang, with_document=True), identifier)


@case_endpoint
def rubric(request, identifier, links, lang):
    framework = case.find_framework_by_rubric(identifier)
    return _answer(framework and case.rubric_for(framework, links, lang), identifier)


def _lookup(finder):
    """An endpoint that answers what `finder(identifier, links, lang)` finds (competencies/case_lookup.py)."""

    @case_endpoint
    def view(request, identifier, links, lang):
        return _answer(finder(identifier, links, lang), identifier)

    view.__name__ = view.__qualname__ = finder.__name__
    return view


association = _lookup(case_lookup.association)
item_associations = _lookup(case_lookup.item_associations)
association_grouping = _lookup(case_lookup.grouping)
concept = _lookup(case_lookup.concept)
subject = _lookup(case_lookup.subject)
item_type = _lookup(case_lookup.item_type)
license = _lookup(case_lookup.license)  # noqa: A001 (the CASE name)


@cache
def _openapi():
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


@case_endpoint
def discovery(request, links, lang):
    """The service discovery document: 1EdTech's OpenAPI definition with our address as its server."""
    document = copy.deepcopy(_openapi())
    document["servers"] = [{"url": links.base.rstrip("/"), "description": _("This portal's CASE 1.1 provider.")}]
    return _json(document)


@csrf_exempt
def not_found(request, rest):
    """Any other path under /ims/case/v1p1/: a CASE 404, not Django's HTML page."""
    return status_response(404, "unknownobject", _("The CASE API has no endpoint %(path)s.") % {"path": request.path})
