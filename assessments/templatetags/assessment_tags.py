# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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


@register.simple_tag
def radio_column(item, column):
    """One radio group of the form: the five levels of one column ("now" or "in a year") of one competency.

    Built here rather than in a template loop: a form of 40 competencies has 80 of these, 400 radios, and the
    loop took a third of the page's time. Every value that is not a fixed number is escaped.
    """
    anchor, key, field, short = (escape(part) for part in (item.anchor, column.key, column.field, column.short))
    parts = [
        f'<fieldset class="assess-scale assess-col-{key}">\n'
        f'<legend class="visually-hidden">{escape(column.legend)}</legend>\n'
    ]
    for level, name in item.scale:
        level = int(level)
        choice = f"{anchor}-{key}-{level}"
        checked = " checked" if column.value == level else ""
        parts.append(
            f'<div class="assess-choice assess-row-{level}">\n'
            f'<input class="form-check-input" type="radio" name="{anchor}-{field}" value="{level}" '
            f'aria-describedby="{anchor}-l{level}-text" id="{choice}"{checked}>\n'
            f'<label class="assess-choice-label" for="{choice}"><span class="visually-hidden">{level} {escape(name)}, '
            f"{short}</span></label>\n</div>\n"
        )
    parts.append("</fieldset>\n")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - everything in it is escaped or an int


@register.simple_tag
def level_rows(item):
    """The five levels of one competency on the form: number and name, behaviour, and on demand the indicators
    and the tip towards the next level. Built here for the same reason as `radio_column` (200 per page)."""
    anchor, label = escape(item.anchor), escape(item.label)
    tip_heading = escape(_("Tip towards the next level:"))
    parts = []
    for level in item.levels:
        number = int(level.level)
        parts.append(
            f'<div class="assess-level assess-row-{number}">\n'
            f'<p class="assess-level-name mb-1" id="{anchor}-l{number}-name">{number} {escape(level.level_name)}</p>\n'
            f'<p class="assess-level-text mb-1" id="{anchor}-l{number}-text">{escape(level.description)}</p>\n'
        )
        if level.indicators:
            summary = escape(_("What you do at level %(level)s") % {"level": number})
            indicators = "".join(f"<li>{escape(indicator)}</li>" for indicator in level.indicators)
            parts.append(
                f'<details class="assess-indicators">\n<summary>{summary}<span class="visually-hidden"> ({label})'
                f'</span></summary>\n<ul class="mb-1">{indicators}</ul>\n'
            )
            if level.tip:
                tip = escape(level.tip)
                parts.append(f'<p class="assess-tip mb-1"><span class="fw-semibold">{tip_heading}</span> {tip}</p>\n')
            parts.append("</details>\n")
        parts.append("</div>\n")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - everything in it is escaped or an int
