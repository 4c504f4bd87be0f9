# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Rounds, self-assessments and ratings for the privacy tests, made directly on the models."""

import datetime

from django.utils import timezone

import pytest


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def english():
    """Assert on English message ids; the Dutch texts come from the .po file."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
