"""Write static/errors/413.html: the Swedish page the front proxy (deploy/nginx.conf) shows for a body over
its limit, which it refuses before the app sees the request. Run after changing the 413 text, the
standalone layout or MAX_REQUEST_SIZE; tests/samverkan/test_front_proxy.py fails until the copy is current."""

from django.core.management.base import BaseCommand

from samverkan.security import PROXY_413_PAGE, proxy_413_page


class Command(BaseCommand):
    help = "Write the front proxy's Swedish 413 page (static/errors/413.html) from its template."

    def handle(self, *args, **options):
        PROXY_413_PAGE.parent.mkdir(parents=True, exist_ok=True)
        PROXY_413_PAGE.write_text(proxy_413_page(), encoding="utf-8")
        self.stdout.write(f"Wrote {PROXY_413_PAGE}")
