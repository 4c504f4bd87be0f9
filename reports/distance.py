# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Distance to the target level (streefniveau) for a group: the team dashboard and the organisation view.

The target is the one that applies to the unit as a group (`learning.targets.for_unit`: the nearest
unit target up the tree, else the organisation's); person and job-title targets are about individuals
and stay in the personal report. The distance is that target minus the group's mean current level,
and it is worked out only from a Figure the disclosure layer released (`reports.disclosure`): when the
mean is withheld, the distance is withheld with the same reason. No new sum is read here, so the
distance adds nothing a viewer could not already work out from the released mean and the target.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from learning.models import Target, TargetScope
from learning.targets import for_unit

from . import disclosure
from .disclosure import Figure
from .personal import match_key

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Distance:
    """One competency's target for the group and the released distance to it (None when withheld)."""

    competency: object
    target: Target
    figure: Figure

    # What the figure says about itself, as on the team dashboard's rows (reports.team.CompetencyRow).
    shown = property(lambda self: self.figure.shown)
    reason = property(lambda self: self.figure.reason)
    mark = property(lambda self: self.figure.mark)
    reason_text = property(lambda self: self.figure.reason_text)
    mean_current = property(lambda self: self.figure.mean_current)

    @property
    def value(self):
        """Target level minus the released mean current level as shown (one decimal, half up, as `floatformat`),
        so the table's two numbers add up; positive: the group is below the target. None when withheld."""
        mean = self.figure.mean_current
        if mean is None:
            return None
        return self.target.level - Decimal(repr(mean)).quantize(ONE_DECIMAL, ROUND_HALF_UP)

    @property
    def is_organisation_wide(self):
        return self.target.scope == TargetScope.ORGANISATION


def distances(unit, include_subunits, competencies, figures, on_date):
    """[Distance] for the competencies (with framework loaded) that have a group target on `on_date`, in the
    given order, from the released `figures` {competency id: Figure} of that same unit figure (one query)."""
    keys = {competency.pk: match_key(competency) for competency in competencies}
    targets = for_unit(unit, include_subunits, keys, on_date)
    return [
        Distance(competency, targets[competency.pk], figures[competency.pk])
        for competency in competencies
        if competency.pk in targets
    ]


def legend(rows):
    return disclosure.legend(row.reason for row in rows if row.reason)


@dataclass(frozen=True, slots=True)
class UnitDistances:
    """The distances of one unit figure (with its sub-units), for a page that shows several units."""

    unit: object
    rows: list

    @property
    def anchor(self):
        return f"distance-{self.unit.pk}"

    @property
    def legend(self):
        return legend(self.rows)
