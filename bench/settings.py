"""Settings for the load benchmark's server: the app's own settings plus the bare reference view
(bench/urls.py). Chosen with DJANGO_SETTINGS_MODULE=bench.settings by bench/load.py; production settings
know nothing of it."""

from samverkan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
