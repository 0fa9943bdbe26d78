import django_filters

from .models import Department, Establishment
from .search import matching


class EstablishmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="search",
        help_text="Nom, UAI ou commune (accents facultatifs)",
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
        """Each word in the name, the city or the UAI, whatever its case and accents."""
        return matching(queryset, value)
