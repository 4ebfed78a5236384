from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from . import dashboard, health, permissions, selectors, services
from .enums import Language
from .forms import GuardedPasswordChangeForm
from .http import require
from .models import Agreement


@login_required
def start(request):
    """What is this person's to do: sections registered by each app, and their roles. A heavy section comes
    after the page: htmx asks for ?avsnitt=<key> and gets that section alone; without JavaScript the same
    URL gives the whole page with that section filled in."""
    key = request.GET.get("avsnitt") or None
    htmx = getattr(request, "htmx", None)
    if key and htmx and not htmx.history_restore_request:
        section = next(iter(dashboard.sections_for(request, only=key)), None)
        response = render(request, "samverkan/_dashboard_section.html", {"section": section})
    else:
        response = render(
            request,
            "samverkan/start.html",
            {
                "sections": dashboard.sections_for(request, load=key),
                "roles": selectors.roles_of(request.user),
            },
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view with a form whose old password counts towards the login lockout."""

    form_class = GuardedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@login_required
def notification_list(request):
    """The person's notifications (also sent by e-mail); opening the list marks them read."""
    notifications = list(request.user.notifications.all()[:100])
    unread = [n.pk for n in notifications if n.read_at is None]
    if unread:
        request.user.notifications.filter(pk__in=unread).update(read_at=timezone.now())
    return render(
        request, "samverkan/notification_list.html", {"notifications": notifications, "unread": set(unread)}
    )


@login_required
def agreement_list(request):
    require(request.user, permissions.can_list_agreements)
    return render(
        request, "samverkan/agreement_list.html", {"agreements": selectors.agreements_for(request.user)}
    )


@login_required
def agreement_detail(request, pk: int):
    agreement = get_object_or_404(
        Agreement.objects.select_related("university", "collaboration").prefetch_related(
            "municipalities__companies"
        ),
        pk=pk,
    )
    require(request.user, permissions.can_view_agreement, agreement)
    return render(
        request,
        "samverkan/agreement_detail.html",
        {
            "agreement": agreement,
            "people": selectors.agreement_people(agreement),
            "siblings": selectors.sibling_agreements(agreement),
            "can_manage": permissions.can_manage_agreement(request.user, agreement),
        },
    )


@require_GET
@never_cache
def healthz(request):
    healthy, checks = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "fel", "checks": checks}, status=200 if healthy else 503
    )


def set_language(request):
    """Django's language switcher; a logged-in person's choice is also kept on them, for their e-mail."""
    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    if request.user.is_authenticated and language in Language.values:
        services.user_set_language(user=request.user, language=language)
    return response
