"""Who may see whom. Every view reaches people and units through these helpers.

The rule: everyone sees themselves; a manager sees the people in the units they
manage and everything below them (plus anyone who reports to them directly);
HR sees everyone. Anything else is a 404, so ids cannot be probed.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

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


def get_unit_for_viewer(request, pk):
    return get_object_or_404(visible_units(request.user), pk=pk)


def get_person_for_viewer(request, pk):
    return get_object_or_404(visible_people(request.user), pk=pk)


def hr_required(view):
    """Anonymous users go to the login page; logged-in users who are not HR get a 404."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.http import Http404

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_hr(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def get_import_job_for_viewer(request, pk):
    """An organisation import, for the HR member who uploaded it only (it holds the whole file's people)."""
    from .models import ImportJob

    if not is_hr(request.user):
        from django.http import Http404

        raise Http404
    return get_object_or_404(ImportJob, pk=pk, uploaded_by=request.user)
