"""French numbers in templates, through aps.numbers: ``{{ value|euros }}`` → "1 800,00 €",
``{{ value|quantity:"IMP" }}`` → "0,5 IMP"; and the French plural that follows a count:
``fiche{{ count|plural }}``."""

from django import template
from django.core.exceptions import ValidationError

from aps import numbers

register = template.Library()


@register.filter
def euros(value) -> str:
    return numbers.euros(value)


@register.filter
def quantity(value, unit="") -> str:
    return numbers.quantity(value, unit)


@register.filter
def plural(value, forms="s") -> str:
    """The ending a word takes after the count ``value``, by the French rule: singular below 2
    (0 fiche, 1 fiche, 1,5 heure), plural from 2 (2 fiches). ``forms`` is the plural ending,
    or "singular,plural" (``{{ n|plural:"le champ signalé,les champs signalés" }}``). Django's
    ``pluralize`` follows the English rule ("0 fiches"). A list or a queryset counts its items."""
    singular, _, many = forms.rpartition(",")
    if isinstance(value, str) or not hasattr(value, "__len__"):
        try:
            count = abs(numbers.parse_number(value))
        except (TypeError, ValidationError):
            return singular
    else:
        count = len(value)
    return many if count >= 2 else singular
