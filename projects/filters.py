import django_filters
from django.db.models import Q

from .models import Campaign, Department, Establishment, ProjectSheet


class EstablishmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="search",
        help_text="Nom, UAI ou commune",
    )
    department = django_filters.ModelChoiceFilter(
        label="Département",
        queryset=Department.objects.all(),
        to_field_name="code",
        empty_label="Tous",
    )
    kind = django_filters.ChoiceFilter(
        label="Type", choices=Establishment.Kind.choices, empty_label="Tous"
    )
    sector = django_filters.ChoiceFilter(
        label="Secteur", choices=Establishment.Sector.choices, empty_label="Tous"
    )

    class Meta:
        model = Establishment
        fields = ["q", "department", "kind", "sector"]

    def search(self, queryset, name, value):
        terms = value.split()
        for term in terms:
            queryset = queryset.filter(
                Q(name__icontains=term) | Q(uai__iexact=term) | Q(city__icontains=term)
            )
        return queryset


class SheetFilter(django_filters.FilterSet):
    """Filters of "Mes projets"; the queryset is already narrowed to the user."""

    campaign = django_filters.ModelChoiceFilter(
        label="Campagne",
        queryset=Campaign.objects.all(),
        to_field_name="school_year",
        empty_label="Toutes",
    )
    status = django_filters.ChoiceFilter(
        label="État", choices=ProjectSheet.Status.choices, empty_label="Tous"
    )

    class Meta:
        model = ProjectSheet
        fields = ["campaign", "status"]

    def __init__(self, data=None, *args, **kwargs):
        # Without a choice, the list shows the current campaign.
        if data is not None and "campaign" not in data:
            current = Campaign.objects.filter(is_current=True).first()
            if current:
                data = data.copy()
                data["campaign"] = current.school_year
        super().__init__(data, *args, **kwargs)
