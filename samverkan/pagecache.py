"""A per-person page cache that a change can never outlive.

Every committed write to the database moves one counter, the *data generation* (`DataGeneration`), one
step up. A page a signed-in person fetched is kept under a key made of who asked (person, session, CSRF
secret, language), what was asked (path with query string, htmx headers), the day and the generation –
so the next change anywhere, by anyone (a click, a Celery job, the admin, a management command), makes
every kept page unreachable at once. That is coarse, but never wrong, and it suits the load: dashboards,
boards and meeting pages are read many times between two changes.

What is never kept: anything but a plain 200 HTML answer to a GET by a signed-in person; answers that set
cookies, carry flash messages, modified the session, opted out (`never_cache`, `no-store`) or changed the
CSP/X-Frame-Options of their own; pages asked for while the request's own transaction holds uncommitted
writes (it must read them). A page that shows the time of day can be at most `PAGE_CACHE_SECONDS` old
(default 60 s; 0 turns the cache off). If the cache backend fails (Redis down), pages are rendered as if
there were no cache.

Writes are seen by an execute wrapper on every database connection (`install`, from `connection_created`):
an INSERT, UPDATE, DELETE or TRUNCATE inside a transaction schedules one `bump` for when it commits; a
rolled-back transaction bumps nothing. A write in autocommit has committed already, but the wrapper must
not run SQL of its own while the statement's cursor may still be read (an INSERT … RETURNING on SQLite
would be rolled back), so it marks the connection and the bump follows before the connection's next
statement, at the end of the request (the middleware), after a Celery task or when the process exits.
Writes that cannot change a page are ignored: the counter itself, sessions (the app keeps nothing of its
own there) and django-axes' login-attempt log. Writes made outside Django (psql) are not seen – such a page
is at most `PAGE_CACHE_SECONDS` old.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

GENERATION_TABLE = "samverkan_datageneration"
_WRITE = re.compile(
    r"""\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+["`]?(\w+)""",
    re.IGNORECASE,
)
_IGNORED_TABLES = (GENERATION_TABLE, "django_session")
_IGNORED_PREFIXES = ("axes_",)
HIT_HEADER = "X-Page-Cache"  # "hit" on a page served from the cache
# Every htmx request header is part of the key (HX-Request, HX-Target, HX-History-Restore-Request, …): a
# page asked for differently is a different page, including headers htmx adds in a later version.
_HTMX_PREFIX = "HTTP_HX_"


def _has_view_flags(response) -> bool:
    """Whether a view decorator left a note on the response for the middleware around it (django-csp's
    `_csp_*`, Django's `xframe_options_exempt`); a kept copy would lose it."""
    return any(name.startswith("_csp") or name == "xframe_options_exempt" for name in vars(response))


def changes_data(sql: str) -> bool:
    """Whether a statement can change what a page shows."""
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match is None:
        return False
    table = match.group(1).lower()
    return table not in _IGNORED_TABLES and not table.startswith(_IGNORED_PREFIXES)


class _Bump:
    """The on-commit callback of one connection; one object per alias, so a transaction schedules it once."""

    _by_alias: dict[str, _Bump] = {}

    def __init__(self, alias: str):
        self.alias = alias

    @classmethod
    def of(cls, alias: str) -> _Bump:
        return cls._by_alias.setdefault(alias, cls(alias))

    def __call__(self):
        bump(self.alias)


def bump(alias: str = "default") -> None:
    """Move the data generation one step up (creating its row the first time)."""
    from .models import DataGeneration

    try:
        with transaction.atomic(using=alias):
            moved = DataGeneration.objects.using(alias).filter(pk=1).update(value=F("value") + 1)
            if not moved:
                DataGeneration.objects.using(alias).get_or_create(pk=1, defaults={"value": 1})
    except DatabaseError:  # before the migration that creates the table, or with the database gone
        logger.debug("data generation not moved", exc_info=True)


def has_pending_writes(connection) -> bool:
    """Whether the connection's open transaction has written something that is not committed yet."""
    bumper = _Bump.of(connection.alias)
    return connection.in_atomic_block and any(entry[1] is bumper for entry in connection.run_on_commit)


def flush(connection) -> None:
    """Bump for the connection's committed autocommit writes, if any and if it is not inside a transaction
    (there the bump could be rolled back with it; it follows after)."""
    if getattr(connection, "_pagecache_unbumped", False) and not connection.in_atomic_block:
        connection._pagecache_unbumped = False
        bump(connection.alias)


def flush_all(**_kwargs) -> None:
    """After a request, a Celery task or at exit: bump for every connection with unbumped writes."""
    for connection in connections.all(initialized_only=True):
        flush(connection)


def flush_at_exit() -> None:
    """atexit: the last autocommit write of a management command. The database may be gone by now."""
    try:
        flush_all()
    except Exception:  # nothing to report to at exit; kept pages expire on their own
        logger.debug("data generation not moved at exit", exc_info=True)


def _watch_writes(execute, sql, params, many, context):
    connection = context["connection"]
    flush(connection)  # an earlier autocommit write: its statement is finished now that another begins
    result = execute(sql, params, many, context)
    if changes_data(sql):
        if not connection.in_atomic_block:
            connection._pagecache_unbumped = True
        elif not has_pending_writes(connection):
            transaction.on_commit(_Bump.of(connection.alias), using=connection.alias, robust=True)
    return result


def install(sender, connection, **kwargs):
    """`connection_created` receiver: watch the connection's writes (once per connection object)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def generation(alias: str = "default") -> int:
    from .models import DataGeneration

    return DataGeneration.objects.using(alias).filter(pk=1).values_list("value", flat=True).first() or 0


def _key(request) -> str | None:
    """The cache key of this request's page, or None when the page must be rendered."""
    seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
    if not seconds or request.method != "GET" or not request.user.is_authenticated:
        return None
    csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    session_key = request.session.session_key
    if not csrf_secret or not session_key or request.path.startswith("/admin/"):
        return None
    if len(messages.get_messages(request)) or has_pending_writes(connections["default"]):
        return None
    parts = [
        str(request.user.pk),
        session_key,
        csrf_secret,
        translation.get_language() or "",
        request.get_full_path(),
        *sorted(f"{k}={v}" for k, v in request.META.items() if k.startswith(_HTMX_PREFIX)),
        timezone.localdate().isoformat(),
        str(generation()),
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and not _has_view_flags(response)
        and not request.session.modified
        # The page's forms carry the secret of the CSRF cookie the key names, unless the view rotated it.
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        and not len(messages.get_messages(request))
    )


class PageCacheMiddleware:
    """Serve a signed-in person's page again from the cache until anything changes (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self._respond(request)
        flush_all()  # before the next request, in this process or another, reads the generation
        return response

    def _respond(self, request):
        key = _key(request)
        if key is None:
            return self.get_response(request)
        try:
            kept = cache.get(key)
        except Exception:  # the cache backend is down: render as if there were no cache
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response):
            try:
                cache.set(key, (response.content, list(response.items())), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
        return response
