"""Settings for the load benchmarks' server: the app's own settings plus the bare view and the reference
page (bench/urls.py, bench/templates/). Chosen with DJANGO_SETTINGS_MODULE=bench.settings by bench/load.py
and bench/render_load.py; production settings know nothing of them."""

from pathlib import Path

from samverkan.settings import *  # noqa: F403
from samverkan.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
