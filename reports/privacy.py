# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The privacy rule for every report and export: no figure over fewer than REPORT_MIN_GROUP_SIZE respondents.

Two checks, both here so reports and exports cannot drift apart:

- threshold: a figure over fewer respondents than the minimum is not shown;
- complement: a figure that is shown next to a bigger one it is part of (a
  sub-unit next to its unit, a team next to its department) is not shown when
  the difference would be a group smaller than the minimum, because subtracting
  the two would describe that small group.

Every function returns a reason (a translated sentence for the person who reads
the report) or None when the figure may be shown.
"""

from django.conf import settings
from django.utils.translation import gettext as _


def min_group_size():
    return settings.REPORT_MIN_GROUP_SIZE


def suppression_reason(n, complement=None, minimum=None):
    """Why a figure over `n` respondents may not be shown, or None when it may.

    `complement` is the number of respondents in the enclosing group (shown
    elsewhere) who are not in this one; leave it None when there is no such group.
    `minimum` defaults to REPORT_MIN_GROUP_SIZE (pass it in loops over thousands of figures).
    """
    minimum = min_group_size() if minimum is None else minimum
    if n <= 0:
        return _("no respondents yet")
    if n < minimum:
        return _("too few respondents (fewer than %(minimum)s)") % {"minimum": minimum}
    if complement is not None and 0 < complement < minimum:
        return complement_reason(minimum)
    return None


def complement_reason(minimum=None):
    return _(
        "not shown: together with the figure for the whole group it would show a group "
        "of fewer than %(minimum)s respondents"
    ) % {"minimum": min_group_size() if minimum is None else minimum}


def suppress_breakdown(total, counts, minimum=None):
    """Reasons per group for a breakdown of `total` respondents into groups ({key: respondents}).

    The total is shown with the groups. Groups under the minimum are hidden first;
    then, as long as the respondents outside every shown group number between 1
    and the minimum (total minus the shown groups would describe them), the
    smallest shown group is hidden as well. Returns {key: reason or None}.
    """
    minimum = min_group_size() if minimum is None else minimum
    reasons = {key: suppression_reason(n, minimum=minimum) for key, n in counts.items()}
    shown = {key: n for key, n in counts.items() if reasons[key] is None}
    while shown and 0 < total - sum(shown.values()) < minimum:
        smallest = min(shown, key=lambda key: (shown[key], str(key)))
        reasons[smallest] = complement_reason(minimum)
        del shown[smallest]
    return reasons


def suppress_nested(counts, parents, minimum=None, reasons=None, self_only=False):
    """Reasons for figures over nested groups, such as units in a tree ({node: reason or None}).

    `counts` gives the respondents of each node, itself and everything below it
    included; `parents` each node's parent (None or a node outside `counts` for a
    top). Any shown figure minus the shown figures below it can be worked out, so
    the rule is: for every shown figure, the respondents not covered by the nearest
    shown figures below it number 0 or at least the minimum. Then every difference
    of shown figures is a sum of such groups. Bottom-up, a node whose uncovered rest
    is too small hides the smallest shown node below it that closes the gap, or
    else its own figure (which moves the question one level up).

    `reasons` may give figures that are hidden already (for another reason); with
    `self_only` a node only ever hides its own figure, so a node's outcome depends
    on its subtree alone.
    """
    minimum = min_group_size() if minimum is None else minimum
    children = {node: [] for node in counts}
    for node, parent in parents.items():
        if node in counts and parent in children:
            children[parent].append(node)
    depth = {}

    def depth_of(node):
        if node not in depth:
            parent = parents.get(node)
            depth[node] = 0 if parent not in counts else depth_of(parent) + 1
        return depth[node]

    given = reasons or {}
    reasons = {node: given.get(node) or suppression_reason(n, minimum=minimum) for node, n in counts.items()}
    nearest, rest = {}, {}
    for node in sorted(counts, key=lambda node: (-depth_of(node), str(node))):
        below = []
        for child in children[node]:
            below += [child] if reasons[child] is None else nearest[child]
        left = counts[node] - sum(counts[child] for child in below)
        if reasons[node] is None and 0 < left < minimum:
            for child in [] if self_only else sorted(below, key=lambda child: (counts[child], str(child))):
                if left + rest[child] >= minimum:
                    reasons[child] = complement_reason(minimum)
                    below = [other for other in below if other != child] + nearest[child]
                    left += rest[child]
                    break
            else:
                reasons[node] = complement_reason(minimum)
        nearest[node], rest[node] = below, left
    return reasons
