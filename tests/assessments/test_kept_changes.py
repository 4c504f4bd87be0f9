# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The shared tail of kept changes (answers and plan changes): store what is the person's, tell them the rest."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import translation

import pytest

from assessments.pending import ANSWER_MESSAGES, apply_kept
from learning.pending import PLAN_MESSAGES


def _request():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    ("texts", "language", "expected"),
    [
        (
            PLAN_MESSAGES,
            "en",
            [
                "We saved the 2 changes to your plan you made just before you were logged out.",
                "A change made on this browser while nobody was logged in was not saved: it was not made by you.",
                "A change you made while logged out was not saved. Too late.",
            ],
        ),
        (
            ANSWER_MESSAGES,
            "nl",
            [
                "We hebben de 2 antwoorden opgeslagen",
                "is niet bewaard: het kwam niet van jou",
                "Too late.",
            ],
        ),
    ],
)
def test_stored_dropped_and_refused_changes_are_told(db, texts, language, expected):
    saved = []

    def save(target, value):
        if value == "stale":
            return "Too late."
        saved.append(target)
        return None

    request = _request()
    kept = [("a", "fine"), (None, "someone else's"), ("b", "fine"), ("c", "stale")]
    with translation.override(language):
        assert apply_kept(request, kept, save, texts) == 2
        said = [str(message) for message in get_messages(request)]
    assert saved == ["a", "b"]
    assert len(said) == 3
    for sentence, part in zip(said, expected, strict=True):
        assert part in sentence


def test_nothing_kept_says_nothing(db):
    request = _request()
    assert apply_kept(request, [], lambda target, value: None, PLAN_MESSAGES) == 0
    assert list(get_messages(request)) == []
