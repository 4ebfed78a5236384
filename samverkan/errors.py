"""The application error family (ApplicationError) and the error pages (handler400/403/404/500 in
samverkan/urls.py), in Swedish.

A refused action – a transition that may not happen now, a vote that is closed, a wrong signing password –
raises a subclass of ApplicationError with the Swedish sentence the person is shown; samverkan.http is the one
place that turns it into a message or a form's errors.

A refusal (400, 403) is an everyday event, not a bug: it is logged as one line – what and where (and who,
for a 403) – and not with the traceback Django attaches to it, which would bury real errors in the log.
Django logs the response itself after the handler returns unless the response is marked as logged; the
handlers log their own line and mark it.
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.shortcuts import render

request_logger = logging.getLogger("django.request")


class ApplicationError(Exception):
    """A refused action, worded in Swedish for the person who tried it. Every service's refusals derive from
    it (TransitionRefused, VotingError, DocumentError, AmountError, ReportError, …).

    `message` is shown as it is; `field_errors` ({field name: [messages]}) puts refusals that belong to a
    field next to it when the view re-renders its form."""

    def __init__(self, message="", *, field_errors: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field_errors = {
            name: [str(text) for text in (texts if isinstance(texts, list | tuple) else [texts])]
            for name, texts in (field_errors or {}).items()
        }

    @property
    def messages(self) -> list[str]:
        """The message, then every field error – as ValidationError.messages reads."""
        general = [self.message] if self.message else []
        return general + [text for texts in self.field_errors.values() for text in texts]

    def __str__(self) -> str:
        return " ".join(self.messages)


def _log_one_line(response, logger, level: int, message: str, *args) -> None:
    # Escaped as Django escapes them: a path or message with a newline must not forge a second log line.
    args = tuple(str(a).encode("unicode_escape").decode("ascii") for a in args)
    logger.log(level, message, *args, extra={"status_code": response.status_code})
    response._has_been_logged = True  # Django's own flag (django.utils.log.log_response): logged once


def _who(request) -> str:
    user = getattr(request, "user", None)
    return f"user {user.pk}" if user is not None and user.is_authenticated else "anonymous"


def bad_request(request, exception=None):
    """handler400: a request Django could not read (a file name too long for the multipart parser, a
    malformed form) or a suspicious one. Standalone page: the request's data must not be read again."""
    from django.http import HttpResponse
    from django.template import loader

    response = HttpResponse(loader.get_template("errors/400.html").render(), status=400)
    if isinstance(exception, SuspiciousOperation):
        # Where Django files these (django.security.<kind>), at the level it uses – minus the traceback.
        logger = logging.getLogger(f"django.security.{exception.__class__.__name__}")
        _log_one_line(response, logger, logging.ERROR, "%s: %s", exception, request.path)
    else:
        _log_one_line(
            response, request_logger, logging.WARNING, "Bad request (%s): %s", exception, request.path
        )
    return response


def permission_denied(request, exception=None):
    response = render(request, "errors/403.html", status=403)
    _log_one_line(
        response,
        request_logger,
        logging.WARNING,
        "Forbidden (Permission denied): %s (%s)%s",
        request.path,
        _who(request),
        f" refused by {exception}" if exception is not None and str(exception) else "",
    )
    return response


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """handler500. When the database is unreachable (restart, failover, killed connection) the user gets a
    Swedish 503 "try again shortly" page; any other error a Swedish 500 page. Both are rendered without the
    request context, so that rendering them needs no database. Every service runs in one transaction, so
    the interrupted action has left nothing half-written."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.http import HttpResponse
    from django.template import loader

    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
