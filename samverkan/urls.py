from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import EmailAuthenticationForm

urlpatterns = [
    path("", views.start, name="start"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/losenord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("konto/aterstall/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("konto/aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "konto/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("applications.urls")),
    path("", include("budget.urls")),
    path("", include("governance.urls")),
    path("", include("followup.urls")),
    path("", include("reports.urls")),
    path("notiser/", views.notification_list, name="notification_list"),
    path("avtal/", views.agreement_list, name="agreement_list"),
    path("avtal/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),  # Django's, also kept on the user
    path("admin/", admin.site.urls),
]

handler400 = "samverkan.errors.bad_request"
handler403 = "samverkan.errors.permission_denied"
handler404 = "samverkan.errors.page_not_found"
handler500 = "samverkan.errors.server_error"
