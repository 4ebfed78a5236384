"""The one way a view requires a permission (`require`, 403 when the predicate says no), and the one way it
shows a refused action (samverkan.errors.ApplicationError): as a message on the page the view redirects to,
or next to a form's fields when the view renders the form again. Nothing has changed –
every service refuses before it writes, in its own transaction – so the view simply goes on.

    with refused(request):
        vote = services.vote_open(item=item, by=request.user)
        messages.success(request, _("Voteringen är öppnad."))
    return redirect(item)

The block is left at the refusal (the success message is not added); `outcome.error` tells a view that must
answer differently (a 400, the form again) which way it went:

    with refused(request, form=form) as outcome:
        services.report_save(...)
        return redirect(report)
    return render(request, "…", {"form": form}, status=400 if outcome.error else 200)
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from .errors import ApplicationError


def require(user, predicate, *args) -> None:
    """The one way a view requires a permission: `require(request.user, permissions.can_edit_agenda, meeting)`
    asks a predicate of the app's permission module and refuses with 403 when it says no. The 403 log line
    names the predicate, so "why may she not?" is answered from the log."""
    if not predicate(user, *args):
        raise PermissionDenied(getattr(predicate, "__qualname__", str(predicate)))


def show_refusal(request, error: ApplicationError, *, form=None) -> None:
    """The refusal as the person sees it: above and next to the form's fields when a form is given (field
    errors for fields the form lacks go above it), otherwise as an error message on the next page."""
    if form is None:
        messages.error(request, str(error))
        return
    if error.message:
        form.add_error(None, error.message)
    for name, texts in error.field_errors.items():
        form.add_error(name if name in form.fields else None, texts)


class refused:
    """Catches an ApplicationError raised in the block and shows it (show_refusal); anything else passes."""

    def __init__(self, request, *, form=None):
        self.request = request
        self.form = form
        self.error: ApplicationError | None = None

    def __enter__(self) -> refused:
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if not isinstance(exc, ApplicationError):
            return False
        self.error = exc
        show_refusal(self.request, exc, form=self.form)
        return True
