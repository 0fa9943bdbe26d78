"""Filters of the bilan page and the PDF, which lay a bilan's fields out by name along the
rows of the official form, and of the history, which names a bilan's stage:
``{% load bilan_tags %}``."""

from django import template

from reviews.bilans.models import Bilan

register = template.Library()


@register.filter
def bilan_text(bilan, name: str):
    """A bilan's field by name (rows of the official form name their fields)."""
    return getattr(bilan, name, "") if bilan is not None else ""


@register.filter
def bound(form, name: str):
    """A form's bound field by name, or nothing when the form lacks it."""
    return form[name] if name in form.fields else None


@register.filter
def stage_label(stage: str) -> str:
    """The label of a bilan's stage key (the history stores the key)."""
    return Bilan.Stage(stage).label if stage in Bilan.Stage.values else stage


@register.filter
def means_row(rows):
    """The row of the means among the official form's rows (the intermediate bilan's)."""
    return next(row for row in rows if row.key == "means")
