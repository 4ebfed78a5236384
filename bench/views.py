"""The benchmark's yardsticks: a bare Django view that runs one query through the same middleware stack, and
the reference page of issue 15 – a plain Django ListView of 25 proposals with their state and applicant,
paginated, in the app's own base.html – against which every page's p95 is measured in the same run."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.views.generic import ListView

from applications.models import Proposal
from samverkan.models import Agreement


def bare(request):
    return HttpResponse(f"{Agreement.objects.count()}", content_type="text/plain")


class ReferenceList(LoginRequiredMixin, ListView):
    """What any list page costs at the least: the same base.html (navigation, notifications badge) and 25
    rows with one join, counted for the paginator – no permission filtering, no panels."""

    template_name = "bench/reference_list.html"
    paginate_by = 25
    queryset = Proposal.objects.select_related("responsible_researcher").order_by("-updated_at", "-pk")
