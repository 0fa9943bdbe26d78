from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .filters import EstablishmentFilter
from .models import Campaign, Establishment
from .rules import establishments_of, memberships_of

DIRECTORY_PAGE_SIZE = 25


def home(request):
    return render(
        request,
        "projects/home.html",
        {
            "memberships": memberships_of(request.user),
            "establishments": establishments_of(request.user),
            "campaign": Campaign.objects.filter(is_current=True).first(),
        },
    )


def establishment_list(request):
    """The directory is public information: every signed-in user may browse it."""
    queryset = Establishment.objects.select_related("department", "district").order_by(
        "name", "uai"
    )
    establishment_filter = EstablishmentFilter(request.GET, queryset=queryset)
    page = Paginator(establishment_filter.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/establishment_list.html",
        {"filter": establishment_filter, "page_obj": page},
    )


def establishment_detail(request, uai):
    establishment = get_object_or_404(
        Establishment.objects.select_related("department", "district"), uai=uai.upper()
    )
    return render(
        request,
        "projects/establishment_detail.html",
        {
            "establishment": establishment,
            "networks": establishment.foquale_networks.select_related("department"),
        },
    )
