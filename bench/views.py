"""The benchmark's yardstick: a bare Django view that runs one query through the same middleware stack."""

from django.http import HttpResponse

from samverkan.models import Agreement


def bare(request):
    return HttpResponse(f"{Agreement.objects.count()}", content_type="text/plain")
