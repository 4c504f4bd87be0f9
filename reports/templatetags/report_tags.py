# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Small helpers for the report templates. Table cells that repeat thousands of times (heatmap,
organisation view) are built here in one go: a template loop with an include per cell costs seconds."""

import functools
import math

from django import template
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from competencies.models import SCALE_NAMES
from reports import disclosure

register = template.Library()


@register.filter
def heat_class(gap):
    """CSS class of a heatmap cell: the bigger the gap, the darker (the number is always shown as well)."""
    if gap is None:
        return "heat-none"
    if gap < 0:
        return "heat-neg"
    return f"heat-{min(gap, 4)}"


@register.filter
def heatmap_cells(cells):
    """The <td> cells of one heatmap row: the gap as number and colour, "n/a" where not applicable."""
    not_applicable = escape(_("n/a"))
    # Only class names from heat_class, integers and the escaped "n/a" go in: safe. f-strings rather than
    # format_html_join because a page of the heatmap has thousands of these cells.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        "".join(f'<td class="{heat_class(gap)}">{not_applicable if gap is None else int(gap)}</td>' for gap in cells)
    )


def one_decimal(value, separator):
    """Like floatformat:1 (half away from zero, the locale's decimal sign), but fast enough for thousands of cells."""
    tenths = math.floor(round(abs(value) * 10, 6) + 0.5)
    sign = "-" if value < 0 and tenths else ""
    return f"{sign}{tenths // 10}{separator}{tenths % 10}"


@functools.lru_cache(maxsize=64)
def _suppressed_cell(mark, reason):
    """A withheld figure: a short mark (explained in the legend under the table) and, for screen readers, why."""
    return (
        f'<td class="text-end"><span class="report-mark" aria-hidden="true">{escape(mark)}</span>'
        f'<span class="visually-hidden">{escape(reason)}</span></td>'
    )


def _figure(figure, separator):
    if figure.reason:
        return _suppressed_cell(figure.mark, figure.reason_text)
    return f'<td class="text-end">{one_decimal(figure.mean_gap, separator)}</td>'


@register.filter
def organisation_cells(row):
    """Participation, mean gap and one cell per theme for a row of the organisation view."""
    separator = get_format("DECIMAL_SEPARATOR")
    participation = row.participation
    cells = [
        f'<td class="text-end">{int(participation.invited)}</td>',
        f'<td class="text-end">{int(participation.submitted)}</td>',
        f'<td class="text-end">{int(participation.percent)}%</td>',
        _figure(row.overall, separator),
        *(_figure(figure, separator) for figure in row.themes),
    ]
    # Only integers, formatted numbers and escape()d reasons go in: safe. f-strings rather than
    # format_html because the organisation view renders thousands of these cells.
    return mark_safe("".join(cells))  # noqa: S308  # nosec B308 B703


@register.filter
def level_name(level):
    return SCALE_NAMES[level][0] if level in SCALE_NAMES else ""


@register.filter
def tenths(value):
    """`floatformat:1` for the report tables (`one_decimal`): a dashboard has a few hundred of these."""
    return "" if value is None else one_decimal(value, get_format("DECIMAL_SEPARATOR"))


@register.simple_tag
def change(value, digits=0):
    """An arrow and a signed number (whole, or with `digits=1` one decimal); the arrow is decoration, the words
    say which way."""
    if value is None:
        return mark_safe('<span class="text-body-secondary">–</span>')  # noqa: S308  # nosec B308 B703
    text = tenths(abs(value)) if digits else str(abs(value))
    if value > 0:
        return format_html(CHANGE, "report-change report-change-up", "↑ ", "+", text, _("(higher)"))
    if value < 0:
        return format_html(CHANGE, "report-change report-change-down", "↓ ", "−", text, _("(lower)"))
    return format_html(CHANGE, "report-change", "→ ", "", "0", _("(no change)"))


CHANGE = '<span class="{}"><span aria-hidden="true">{}</span>{}{}<span class="visually-hidden"> {}</span></span>'


@register.simple_tag
def min_group_size():
    """REPORT_MIN_GROUP_SIZE, for sentences that name it."""
    return disclosure.min_group_size()
