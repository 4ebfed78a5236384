from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


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
