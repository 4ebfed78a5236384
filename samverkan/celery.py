"""The Celery app. Without REDIS_URL, tasks run eagerly in the calling process (embedded default)."""

import logging
import os
import time

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)

# The smallest document that makes WeasyPrint load what every real one needs: the PDF stylesheet's @page
# rules and the Liberation/DejaVu faces in regular, bold and italic, sans and serif.
_WARM_HTML = """<!doctype html><html lang="sv"><head><meta charset="utf-8">
<link rel="stylesheet" href="templates/pdf/pdf.css"></head><body>
<h1>Beslutsunderlag</h1><p>Å Ä Ö <b>fet</b> <i>kursiv</i> 1 234 567 kr</p>
<table><tr><th>År</th><td>2027</td></tr></table></body></html>"""


def warm_pdf_fonts() -> float:
    """Render one tiny PDF so that WeasyPrint's imports, fontconfig's font list and the faces the documents
    use are loaded before the first real task: the first decision document after a restart took 2.09 s
    (issue 15), most of it this one-off loading. Returns the seconds spent."""
    from pathlib import Path

    from django.conf import settings
    from weasyprint import HTML

    started = time.perf_counter()
    HTML(string=_WARM_HTML, base_url=Path(settings.BASE_DIR).resolve().as_uri() + "/").write_pdf()
    return time.perf_counter() - started


@worker_process_init.connect
def _warm_pdf_fonts_in_worker(**kwargs):
    """Each pool process (prefork) warms itself as it starts; a failure only costs the first task the wait."""
    try:
        seconds = warm_pdf_fonts()
    except Exception:
        logger.exception("Could not warm WeasyPrint's fonts; the first PDF will load them itself.")
    else:
        logger.info("WeasyPrint and its fonts loaded in %.2f s", seconds)
