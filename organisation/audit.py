# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

"""The access log (BIO2 8.15): who opened, changed, exported or tried to reach whose personal data.

Every entry says who (actor), what (action), on which object, whose data it is, whether it was
allowed or refused, from which address and when. Views call `log_access` once per access,
`log_access_many` for a page or file with many people in it, and the access helpers call
`refuse` when they answer 404. Refused attempts are rate-limited per actor or address, so a
scan cannot flood the table. Entries are chained (organisation/audit_chain.py) and read at
/hr/audit/ by HR and functional administrators; nobody can change them.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from vakmanschap.lib.client_ip import client_ip

from .audit_chain import append, append_rows
from .models import AccessLog, Person

VIEW_PERMISSION = "organisation.view_accesslog"
Action = AccessLog.Action
Result = AccessLog.Result

# At most this many refused attempts per actor (or, anonymous, per address) per minute are written
# one by one; the next one writes a single "more refused attempts" entry, the rest nothing.
REFUSALS_PER_MINUTE = 20
COMMAND_LINE = "manage.py"


def may_read_log(user):
    """HR and functional administrators (both groups carry the view permission), and superusers."""
    return user.is_authenticated and user.has_perm(VIEW_PERMISSION)


def person_concerned(obj, actor=None):
    """Whose data `obj` is: a person, or anything with a `person` (an assessment) or an `assessment` (a rating).

    Reuses `actor` when it is their own data, so logging one's own change costs no extra query.
    Returns None for objects that are nobody's (a unit, a round).
    """
    if obj is None:
        return None
    if isinstance(obj, Person):
        return obj
    if "person" in obj._state.fields_cache:  # loaded with select_related: no query
        return obj.person
    if hasattr(obj, "person_id"):
        person_id = obj.person_id
    elif hasattr(obj, "assessment"):
        person_id = obj.assessment.person_id
    else:
        return None
    if actor is not None and actor.pk == person_id:
        return actor
    return Person.objects.filter(pk=person_id).first()


def _entry(request, action, *, object_type, object_id="", person=None, detail="", result=Result.ALLOWED):
    """An unsaved entry for `request` (None: the command line)."""
    actor = request.user if request is not None and request.user.is_authenticated else None
    return AccessLog(
        at=timezone.now(),
        actor=actor,
        actor_name=actor.get_full_name() if actor else (COMMAND_LINE if request is None else ""),
        action=action,
        result=result,
        object_type=object_type,
        object_id=str(object_id)[:64],
        person=person,
        person_name=person.get_full_name() if person else "",
        ip_address=client_ip(request) if request is not None else None,
        detail=_clean(detail)[:500],
    )


def _clean(text):
    # PostgreSQL refuses NUL characters in text; a typed username may hold anything.
    return str(text).replace("\x00", "")


def log_access(request, action, obj_or_person, detail=""):
    """Record that request.user did `action` (an AccessLog.Action) on `obj_or_person`."""
    actor = request.user if request is not None else None
    person = person_concerned(obj_or_person, actor)
    entry = _entry(
        request,
        action,
        object_type=obj_or_person._meta.label_lower,
        object_id=obj_or_person.pk,
        person=person,
        detail=detail,
    )
    return append([entry])[0]


def log_access_many(request, action, objects, detail=""):
    """Record one access per object in a single insert (a page or file with many people's data, like the heatmap).

    Each object needs its `person` loaded; the viewer's own data is not logged. `request` None: the command line.
    """
    actor_pk = request.user.pk if request is not None else None
    # Who, when and from where are the same for every entry: worked out once (an export logs thousands).
    template = _entry(request, action, object_type="", detail=detail)
    shared = {name: getattr(template, name) for name in ("at", "actor_id", "actor_name", "ip_address", "detail")}
    entries = [
        AccessLog(
            **shared,
            action=action,
            result=template.result,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk)[:64],
            person=obj.person,
            person_name=obj.person.get_full_name() if obj.person else "",
        )
        for obj in objects
        if obj.person_id != actor_pk
    ]
    return append(entries)


def log_access_rows(request, action, object_type, rows, detail=""):
    """Like `log_access_many` for many objects read as plain values: `rows` are (object id, person id, person name).

    For files with thousands of people (an export): no model instances are made for what is only named
    (`audit_chain.append_rows`). Returns how many entries were written.
    """
    actor_pk = request.user.pk if request is not None else None
    template = _entry(request, action, object_type=object_type, detail=detail)
    shared = {
        name: getattr(template, name)
        for name in ("at", "actor_id", "actor_name", "action", "result", "object_type", "ip_address", "detail")
    }
    return append_rows(shared, (row for row in rows if row[1] != actor_pk))


def log_refused(request, action, *, object_type, object_id="", person=None, detail="", actor_name=None):
    """Record a refused attempt, at most REFUSALS_PER_MINUTE per actor or address per minute.

    Returns the entry, or None when the limit was reached. Counted in Django's cache, so every
    process counts for itself unless the cache is shared (Redis).
    """
    user = request.user
    origin = f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"
    key = f"accesslog:refused:{origin}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    if count > REFUSALS_PER_MINUTE + 1:
        return None
    if count == REFUSALS_PER_MINUTE + 1:
        action, object_type, object_id, person, detail = Action.REFUSALS_NOT_LOGGED, "", "", None, ""
    entry = _entry(
        request,
        action,
        object_type=object_type,
        object_id=object_id,
        person=person,
        detail=detail,
        result=Result.REFUSED,
    )
    if actor_name is not None:
        entry.actor_name = _clean(actor_name)[:200]
    return append([entry])[0]


def refuse(request, model, pk):
    """Log a refused attempt to reach `model` `pk` (whoever's it is, if it exists) and raise the 404."""
    obj = model._default_manager.filter(pk=pk).first() if pk is not None else None
    log_refused(
        request,
        Action.OPENED,
        object_type=model._meta.label_lower,
        object_id=pk if pk is not None else "",
        person=person_concerned(obj),
        detail=request.path,
    )
    raise Http404


def refuse_page(request):
    """Log a refused attempt to open a page (an HR page, an export) and raise the 404."""
    log_refused(request, Action.OPENED, object_type="url", detail=request.path)
    raise Http404


def log_failed_login(request, username):
    """A failed login: the typed username as actor, the account (if it exists) as whose data."""
    username = _clean(username or "")[: Person._meta.get_field("username").max_length]
    person = Person.objects.filter(username=username).first() if username else None
    return log_refused(
        request,
        Action.LOGGED_IN,
        object_type="organisation.person",
        object_id=person.pk if person else "",
        person=person,
        actor_name=username,
    )


def retention_cutoff(now=None):
    """Entries written before this moment are past ACCESS_LOG_RETENTION_DAYS."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
