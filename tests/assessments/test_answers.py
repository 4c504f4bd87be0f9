# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""assessments.answers.save_answer: the version check and the guard against a submit in another tab."""

from django.utils import timezone

import pytest

from assessments import answers
from assessments.models import Assessment, Rating

ANSWER = {"current_level": 2, "desired_level": 3, "not_applicable": False, "note": ""}


def test_versions_go_up(assessment, competencies):
    first = answers.save_answer(assessment, competencies[0], ANSWER, 0)
    second = answers.save_answer(assessment, competencies[0], {**ANSWER, "current_level": 4}, first.version)
    assert (first.version, second.version) == (1, 2)
    assert Rating.objects.get(assessment=assessment).current_level == 4


def test_submitted_in_another_tab_meanwhile(assessment, competencies):
    rating = answers.save_answer(assessment, competencies[0], ANSWER, 0)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=timezone.now())  # `assessment` does not know
    with pytest.raises(answers.NotEditableError):
        answers.save_answer(assessment, competencies[0], {**ANSWER, "current_level": 5}, rating.version)
    assert Rating.objects.get(assessment=assessment).current_level == 2


@pytest.mark.parametrize("base_version", [0, 2, 7])
def test_stale_versions_are_refused(assessment, competencies, base_version):
    answers.save_answer(assessment, competencies[0], ANSWER, 0)
    if base_version != 2:
        with pytest.raises(answers.StaleAnswerError) as caught:
            answers.save_answer(assessment, competencies[0], {**ANSWER, "current_level": 5}, base_version)
        assert caught.value.rating.current_level == 2
    else:
        with pytest.raises(answers.StaleAnswerError) as caught:
            answers.save_answer(assessment, competencies[1], ANSWER, base_version)  # nothing stored at all
        assert caught.value.rating is None
    assert Rating.objects.get(assessment=assessment, competency=competencies[0]).version == 1


def test_first_answer_marks_the_assessment_started(assessment, competencies):
    answers.save_answer(assessment, competencies[0], ANSWER, 0)
    assert Assessment.objects.get(pk=assessment.pk).started_at is not None
