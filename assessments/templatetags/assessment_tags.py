# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django import template

from assessments.access import own_assessments
from assessments.answers import competency_counts
from assessments.models import Round
from assessments.pending import owner_token

register = template.Library()


@register.inclusion_tag("assessments/includes/home_tasks.html", takes_context=True)
def self_assessment_tasks(context):
    """The home page block: open self-assessments still to submit, with progress and deadline (two queries)."""
    user = context["request"].user
    assessments = list(
        own_assessments(user)
        .filter(round__in=Round.objects.open(), submitted_at__isnull=True)
        .select_related("round")
        .with_answered_count()
        .order_by("round__closes_on")
    )
    totals = competency_counts({assessment.round_id for assessment in assessments})
    for assessment in assessments:
        assessment.total = totals.get(assessment.round_id, 0)
    return {"assessments": assessments}


@register.simple_tag(takes_context=True)
def pending_token(context, assessment):
    """The signed owner token for the self-assessment form (see assessments.pending)."""
    user = context["request"].user
    return owner_token(user, assessment) if user.is_authenticated else ""
