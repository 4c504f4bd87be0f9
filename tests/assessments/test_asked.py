# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""What a round asks, kept per process (assessments/asked.py): saves read it without a query; it never goes stale."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import asked
from assessments.models import Rating, Round
from competencies.models import Competency
from organisation.models import AccessLog

from .test_fill_in import HTMX, answer, rating_url


def save(client, assessment, competency, version=0):
    return client.post(rating_url(assessment, competency), answer(version=version, of=competency), headers=HTMX)


def test_a_save_reads_no_competency_once_the_round_is_known(client_for, employee, assessment, competencies):
    client = client_for(employee)
    assert save(client, assessment, competencies[0]).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert save(client, assessment, competencies[1]).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "competencies_competency" in q["sql"]]


def test_the_progress_counts_every_competency_of_the_round(client_for, employee, assessment, competencies):
    html = save(client_for(employee), assessment, competencies[0]).content.decode()
    assert f'max="{len(competencies)}" value="1"' in html


def test_a_framework_taken_out_of_the_round_is_no_longer_asked(client_for, employee, assessment, frameworks):
    """Rounds keep their composition in the app; a change made anyway (here by a test, through Django) is followed."""
    client = client_for(employee)
    kept, dropped = frameworks
    assert save(client, assessment, dropped.competencies.first()).status_code == 200
    assessment.round.frameworks.remove(dropped)
    response = save(client, assessment, dropped.competencies.last())
    assert response.status_code == 400
    assert "This competency is not part of this round." in response.content.decode()
    assert save(client, assessment, kept.competencies.first()).status_code == 200


def test_a_competency_changed_through_django_is_read_again(client_for, employee, assessment, competencies):
    client = client_for(employee)
    competency = competencies[0]
    assert save(client, assessment, competency).status_code == 200
    competency.code = "NIEUW-1"
    competency.save()
    assert save(client, assessment, competency, version=1).status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.CHANGED_RATING).order_by("-pk").first().detail == "NIEUW-1"


def test_a_round_with_a_reused_primary_key_is_another_round(assessment, competencies):
    """SQLite hands out a primary key again after a rollback: the key also holds the moment the round was made."""
    round_ = assessment.round
    assert set(asked.competencies(round_)) == {c.pk for c in competencies}
    later = Round(pk=round_.pk, created_at=round_.created_at + datetime.timedelta(seconds=1))
    with CaptureQueriesContext(connection) as queries:
        asked.competencies(later)
    assert len(queries) == 1  # asked again, not taken from the entry of the earlier round


def test_the_cached_competencies_are_not_changed_by_a_caller(assessment, competencies):
    found = asked.round_competency(assessment, competencies[0].pk)
    found.name_nl = "Veranderd"
    assert asked.competencies(assessment.round)[competencies[0].pk].name_nl != "Veranderd"
    assert asked.round_competency(assessment, 0) is None
    assert not Rating.objects.exists()


def test_report_pages_get_the_round_in_form_order_with_frameworks_without_asking_again(assessment, frameworks):
    round_ = assessment.round
    expected = list(Competency.objects.for_round(round_).select_related("framework"))
    assert [c.pk for c in asked.in_form_order(round_)] == [c.pk for c in expected]
    with CaptureQueriesContext(connection) as queries:
        listed = asked.in_form_order(round_)
        titles = [competency.framework.title for competency in listed]
        some = asked.in_form_order(round_, [frameworks[1]])
    assert len(queries) == 0
    assert titles == [competency.framework.title for competency in expected]
    assert [c.pk for c in some] == [c.pk for c in expected if c.framework_id == frameworks[1].pk]
    listed[0].name_nl = "Veranderd"  # copies: a page may annotate what it gets
    assert asked.in_form_order(round_)[0].name_nl != "Veranderd"


def test_a_framework_changed_through_django_is_read_again(assessment, frameworks):
    round_ = assessment.round
    asked.in_form_order(round_)
    frameworks[0].title_nl = "Andere titel"
    frameworks[0].save()
    assert "Andere titel" in {competency.framework.title_nl for competency in asked.in_form_order(round_)}
