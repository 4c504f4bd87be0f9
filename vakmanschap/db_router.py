"""Reports and exports may read from a PostgreSQL replica (DATABASE_REPLICA_URL).

Only GET and HEAD requests to the report and export pages read from the replica (the
namespaces in REPLICA_NAMESPACES); everything else, every write and every read after a
write in the same request goes to the primary. A request that wrote sets a short-lived
cookie so that the next few requests of that browser also read from the primary and see
their own change, however far the replica lags (REPLICA_PIN_SECONDS).
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings

REPLICA_NAMESPACES = {"reports", "exports"}
PIN_COOKIE = "primary_pin"


@dataclass(slots=True)
class _Route:
    replica: bool = False
    wrote: bool = False


_route: ContextVar[_Route | None] = ContextVar("db_route", default=None)


def read_alias():
    """The database alias reads go to now: the replica, or "default"."""
    route = _route.get()
    if route is not None and route.replica and not route.wrote and settings.READ_REPLICA:
        return settings.READ_REPLICA
    return "default"


class ReplicaRouter:
    """Django database router; the decision is made per request by ReplicaMiddleware."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route is not None:
            route.wrote = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Decide per request whether reads may go to the replica; pin the browser to the primary after a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = _Route()
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if response.streaming:
            response.streaming_content = _within(route, response.streaming_content)
        elif route.wrote:
            _pin(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        route = _route.get()
        match = request.resolver_match
        if (
            route is not None
            and settings.READ_REPLICA
            and request.method in {"GET", "HEAD"}
            and PIN_COOKIE not in request.COOKIES
            and match is not None
            and match.namespace in REPLICA_NAMESPACES
        ):
            route.replica = True


def _within(route, content):
    """Stream a response with the request's route in force (its rows are read while it streams)."""
    iterator = iter(content)
    while True:
        token = _route.set(route)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _route.reset(token)
        yield chunk


def _pin(response):
    response.set_cookie(
        PIN_COOKIE,
        "1",
        max_age=settings.REPLICA_PIN_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
