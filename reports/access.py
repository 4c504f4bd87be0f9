# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who may read which report. Views fetch through these helpers; anything else is a 404.

- A personal report: the person; HR; and the person's own manager
  (`Person.effective_manager()`), only while the person shares that assessment
  and only as far as `reports.disclosure.visible_shared` lets it through (it holds
  back a sharer whose levels would reveal colleagues who did not share).
  Managers higher up see group figures only. Withdrawing the choice takes effect
  on the next request: nothing here is cached.
- A team dashboard: the manager of the unit or of any unit above it; HR.
- The organisation view: HR only (`organisation.access.hr_required`).
"""

from django.db.models import Q

from assessments.models import Assessment
from organisation.access import get_or_refuse, get_unit_for_viewer, is_hr
from organisation.audit import refuse
from organisation.models import Person

from . import disclosure


def visible_assessments(user):
    """Submitted assessments whose report `user` may read."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    submitted = Assessment.objects.submitted()
    if is_hr(user):
        return submitted
    shown, _withheld = disclosure.visible_shared(user, disclosure.own_sharers(user, submitted))
    return submitted.filter(Q(person=user) | Q(pk__in=[assessment.pk for assessment in shown]))


def get_person_for_report(request, pk):
    """The person and the assessments of theirs the viewer may read; 404 when there is nothing to read.

    HR and the person themselves get the person even before anything is submitted
    (the page then says so); a manager only reaches people who share something.
    """
    user = request.user
    assessments = visible_assessments(user).filter(person_id=pk)
    if user.pk == pk or is_hr(user):
        person = get_or_refuse(request, Person.objects.all(), pk)
    else:
        first = assessments.select_related("person").first()
        if first is None:
            refuse(request, Person, pk)
        person = first.person
    return person, assessments


def get_assessment_for_report(request, pk):
    """A submitted assessment the viewer may read the report of, with its round and person."""
    return get_or_refuse(request, visible_assessments(request.user).select_related("round", "person"), pk)


def get_unit_for_dashboard(request, pk):
    """A unit the viewer manages (itself or through a unit above it), or any unit for HR."""
    return get_unit_for_viewer(request, pk)
