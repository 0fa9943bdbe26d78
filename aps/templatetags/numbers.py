"""French numbers in templates, through aps.numbers: ``{{ value|euros }}`` → "1 800,00 €",
``{{ value|quantity:"IMP" }}`` → "0,5 IMP"."""

from django import template

from aps import numbers

register = template.Library()


@register.filter
def euros(value) -> str:
    return numbers.euros(value)


@register.filter
def quantity(value, unit="") -> str:
    return numbers.quantity(value, unit)
