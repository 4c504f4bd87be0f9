# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who may reach which round and assessment. Views fetch through these helpers; anything else is a 404.

A self-assessment is filled in by its owner only: not by their manager, not by HR.
HR runs rounds and may reopen a submitted assessment, without seeing the answers.
"""

from organisation.access import get_or_refuse, is_hr

from .models import Assessment, Round


def own_assessments(user):
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(person=user)


def get_assessment_for_owner(request, pk):
    """The assessment if it belongs to the logged-in person, with its round; 404 for anyone else."""
    return get_or_refuse(request, own_assessments(request.user).select_related("round"), pk)


def rounds_for_hr(user):
    return Round.objects.all() if is_hr(user) else Round.objects.none()


def get_round_for_hr(request, pk):
    return get_or_refuse(request, rounds_for_hr(request.user), pk)


def get_assessment_for_hr(request, round_, pk):
    """An assessment in a round HR may manage (for reopening); 404 otherwise."""
    queryset = Assessment.objects.filter(round__in=rounds_for_hr(request.user), round=round_)
    return get_or_refuse(request, queryset.select_related("round", "person", "unit"), pk)
