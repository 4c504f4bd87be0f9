# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The access log: who opened, changed or downloaded whose personal data.

Views call `log_access` once per access; the log is read at /hr/audit/ by HR and functional
administrators and cannot be changed through the app or the admin. Exports are logged by
reports' own export log, not here.
"""

from .models import AccessLog, Person

VIEW_PERMISSION = "organisation.view_accesslog"
Action = AccessLog.Action


def may_read_log(user):
    """HR and functional administrators (both groups carry the view permission), and superusers."""
    return user.is_authenticated and user.has_perm(VIEW_PERMISSION)


def person_concerned(obj, actor=None):
    """Whose data `obj` is: a person, or anything with a `person` (an assessment) or an `assessment` (a rating).

    Reuses `actor` when it is their own data, so logging one's own change costs no extra query.
    """
    if isinstance(obj, Person):
        return obj
    if hasattr(obj, "person_id"):
        person_id = obj.person_id
    elif hasattr(obj, "assessment"):
        person_id = obj.assessment.person_id
    else:
        raise TypeError(f"Cannot tell whose data a {type(obj).__name__} is.")
    if actor is not None and actor.pk == person_id:
        return actor
    return Person.objects.filter(pk=person_id).first()


def client_ip(request):
    """The address the request came from. Behind a proxy, make the proxy set REMOTE_ADDR (see README)."""
    return request.META.get("REMOTE_ADDR") or None


def log_access(request, action, obj_or_person, detail=""):
    """Record that request.user did `action` (an AccessLog.Action) on `obj_or_person`."""
    actor = request.user
    person = person_concerned(obj_or_person, actor)
    return AccessLog.objects.create(
        actor=actor,
        actor_name=actor.get_full_name(),
        action=action,
        object_type=obj_or_person._meta.label_lower,
        object_id=str(obj_or_person.pk),
        person=person,
        person_name=person.get_full_name() if person else "",
        ip_address=client_ip(request),
        detail=detail[:500],
    )


def log_access_many(request, action, objects, detail=""):
    """Record one access per object in a single insert (a page showing many people's data, like the heatmap).

    Each object needs its `person` loaded; the viewer's own data is not logged.
    """
    actor = request.user
    ip_address = client_ip(request)
    entries = [
        AccessLog(
            actor=actor,
            actor_name=actor.get_full_name(),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            person=obj.person,
            person_name=obj.person.get_full_name(),
            ip_address=ip_address,
            detail=detail[:500],
        )
        for obj in objects
        if obj.person_id != actor.pk
    ]
    return AccessLog.objects.bulk_create(entries)
