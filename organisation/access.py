# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""Who may see whom. Every view reaches people and units through these helpers.

The rule: everyone sees themselves; a manager sees the people in the units they
manage and everything below them (plus anyone who reports to them directly);
HR sees everyone. Anything else is a 404, so ids cannot be probed; the refused attempt is
written to the access log (`get_or_refuse`).
"""

from django.db.models import Q

from .audit import refuse, refuse_page
from .models import Person, Unit

HR_PERMISSION = "organisation.act_as_hr"


def is_hr(user):
    return user.is_authenticated and user.has_perm(HR_PERMISSION)


def managed_units(user):
    """Every unit the user manages, with all units below them."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.subtrees(list(user.managed_units.all()))


def is_manager(user):
    return user.is_authenticated and user.managed_units.exists()


def visible_units(user):
    return Unit.objects.all() if is_hr(user) else managed_units(user)


def people_managed_by(user):
    """People the user manages, through a unit or directly (not the user themselves)."""
    units = managed_units(user)
    return Person.objects.filter(Q(unit__in=units) | Q(manager=user)).exclude(pk=user.pk)


def visible_people(user):
    if is_hr(user):
        return Person.objects.all()
    return Person.objects.filter(Q(pk__in=people_managed_by(user).values("pk")) | Q(pk=user.pk))


def get_or_refuse(request, queryset, pk):
    """`queryset.get(pk=pk)`, or a logged refusal and a 404 when the object is not in it."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        refuse(request, queryset.model, pk)
    return obj


def get_unit_for_viewer(request, pk):
    return get_or_refuse(request, visible_units(request.user), pk)


def get_person_for_viewer(request, pk):
    return get_or_refuse(request, visible_people(request.user), pk)


def hr_required(view):
    """Anonymous users go to the login page; logged-in users who are not HR get a 404."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_hr(request.user):
            refuse_page(request)
        return view(request, *args, **kwargs)

    return wrapper
