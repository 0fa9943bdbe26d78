"""``{% filter french_spacing %}…{% endfilter %}`` around a page of prose: non-breaking
spaces before « : ; ! ? » (``aps.typography``). The text inside is the template's own, already
escaped: the filter keeps it safe."""

from django import template
from django.utils.safestring import SafeData, mark_safe

from aps import typography

register = template.Library()


@register.filter(is_safe=True)
def french_spacing(value) -> str:
    spaced = typography.french_spacing(str(value))
    return mark_safe(spaced) if isinstance(value, SafeData) else spaced
