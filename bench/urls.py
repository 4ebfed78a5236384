"""The app's URLs plus the bare view the load benchmark measures pages against. Used only by
bench/settings.py (DJANGO_SETTINGS_MODULE=bench.settings); never in production."""

from django.urls import path

from samverkan import urls as app_urls

from .views import bare

urlpatterns = [path("_bench/bare/", bare, name="bench_bare"), *app_urls.urlpatterns]

# The same error pages as the app.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(app_urls, _name):
        globals()[_name] = getattr(app_urls, _name)
