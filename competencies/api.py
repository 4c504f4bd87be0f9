# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Read-only 1EdTech CASE 1.1 provider API (JSON, GET only), mounted under /ims/case/v1p1/.

Frameworks are no secret: every logged-in user may read them, and anyone when settings.CASE_API_PUBLIC is on.
An API client cannot follow a redirect to a login form, so a refusal is a 401 with a CASE status body
(imsx_StatusInfo), and an unknown identifier a 404 with one. The language is `?lang=nl|en`, else the active
language (LocaleMiddleware); the package says which in CFDocument.language. See competencies/case.py.
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vakmanschap.lib.i18n import current_language

from . import case
from .loading import LANGS


def status_response(status, code_minor, description):
    """A CASE error: the imsx_StatusInfo structure of the 1EdTech REST binding."""
    return JsonResponse(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code_minor}
                ]
            },
        },
        status=status,
    )


def unknown(identifier):
    return status_response(
        404, "unknownobject", _("There is nothing with the identifier %(identifier)s.") % {"identifier": identifier}
    )


def case_endpoint(view):
    """Checks access and language, then calls view(request, ..., links=..., lang=...) in that language."""

    @wraps(view)
    @require_GET
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated or settings.CASE_API_PUBLIC):
            response = status_response(401, "unauthorisedrequest", _("Log in to read the competency frameworks."))
            response["WWW-Authenticate"] = 'Cookie realm="Vakmanschap"'
            return response
        lang = request.GET.get("lang") or current_language()
        if lang not in LANGS:
            return status_response(
                400,
                "invalid_selection_field",
                _("The language '%(lang)s' is not available; use nl or en.") % {"lang": lang},
            )
        base = request.build_absolute_uri(reverse("case:documents")).removesuffix("CFDocuments")
        with translation.override(lang):
            return view(request, *args, links=case.Links(base), lang=lang, **kwargs)

    return wrapper


def _json(data):
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@case_endpoint
def documents(request, links, lang):
    return _json({"CFDocuments": [case.cf_document(f, links, lang) for f in case.frameworks()]})


@case_endpoint
def document(request, identifier, links, lang):
    framework = case.find_framework(identifier)
    if framework is None:
        return unknown(identifier)
    return _json(case.cf_document(framework, links, lang))


@case_endpoint
def package(request, identifier, links, lang):
    framework = case.find_framework(identifier)
    if framework is None:
        return unknown(identifier)
    return _json(case.package_for(framework, links, lang))


@case_endpoint
def item(request, identifier, links, lang):
    competency = case.find_competency(identifier)
    if competency is None:
        return unknown(identifier)
    return _json(case.cf_item(competency, links, lang, with_document=True))


@case_endpoint
def rubric(request, identifier, links, lang):
    framework = case.find_framework_by_rubric(identifier)
    if framework is None:
        return unknown(identifier)
    return _json(case.rubric_for(framework, links, lang))
