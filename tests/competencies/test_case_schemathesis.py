# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""A bounded schemathesis pass over 1EdTech's CASE 1.1 OpenAPI definition, through Django's WSGI application.

Schemathesis makes requests from the definition (valid and invalid parameters, identifiers of every shape) and
checks each answer: no server error, a status code and content type the definition lists, required headers, and a
body that matches the schema of its status (the imsx_StatusInfo envelope for every error). Positive-data acceptance
is left out on purpose: a well-formed but unknown sort field or filter is a 400 by the binding, not a 200.
"""

from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks

from tests.competencies.openapi import OPENAPI

schema = schemathesis.openapi.from_dict(OPENAPI)
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
    st_checks.negative_data_rejection,
]


@pytest.fixture(scope="module")
def app():
    """Django's WSGI application, keeping the test's database connection open between requests (as the test
    client does): the test's transaction holds the frameworks."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def public_api(frameworks_loaded, db, settings):
    """The frameworks (loaded once per module: the API only reads them), readable without logging in."""
    settings.CASE_API_PUBLIC = True


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_case_api_conforms_to_the_definition(case, app, public_api):
    case.call_and_validate(base_url="http://testserver/ims/case/v1p1", app=app, checks=CHECKS)
