"""The app's URLs plus the bare view and the reference page the load benchmarks measure pages against. Used
only by bench/settings.py (DJANGO_SETTINGS_MODULE=bench.settings); never in production."""

from django.urls import path

from samverkan import urls as app_urls

from .views import ReferenceList, bare

urlpatterns = [
    path("_bench/bare/", bare, name="bench_bare"),
    path("_bench/reference/", ReferenceList.as_view(), name="bench_reference"),
    *app_urls.urlpatterns,
]

# The same error pages as the app.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(app_urls, _name):
        globals()[_name] = getattr(app_urls, _name)
