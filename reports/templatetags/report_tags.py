from django import template
from django.utils.formats import number_format

from competencies.models import SCALE_NAMES

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
def level_name(level):
    return SCALE_NAMES[level][0] if level in SCALE_NAMES else ""


@register.inclusion_tag("reports/includes/change.html")
def change(value, digits=0):
    """An arrow and a signed number; the arrow is decoration, the words say which way."""
    if value is None:
        return {"value": None}
    text = number_format(abs(value), decimal_pos=digits) if digits else str(abs(value))
    direction = "up" if value > 0 else "down" if value < 0 else "same"
    return {"value": value, "text": text, "direction": direction}
