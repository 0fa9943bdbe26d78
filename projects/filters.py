import django_filters
from django.db.models import Q

from .models import Department, Establishment


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
