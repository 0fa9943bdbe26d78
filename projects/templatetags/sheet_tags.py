"""Tags for sheets in lists, where they run for every row of every page: the state's badge and
the day, at a fraction of the cost of an ``{% include %}`` and of the ``date`` filter; and the
sections of a sheet, read from ``projects.sections``."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from aps import numbers
from projects import sections
from projects.models import ProjectSheet

register = template.Library()

S = ProjectSheet.Status
BADGE_CLASSES = {
    S.DRAFT: "fr-badge--new",
    S.VALIDATED: "fr-badge--success",
    S.REJECTED: "fr-badge--error",
    S.NEEDS_INFO: "fr-badge--warning",
    S.WITHDRAWN: "",
}


# Each state's badge, written once: lists draw one per row.
BADGES = {
    status: format_html(
        '<p class="fr-badge fr-badge--sm fr-badge--no-icon {}">{}</p>',
        BADGE_CLASSES.get(status, "fr-badge--info"),
        label,
    )
    for status, label in S.choices
}


@register.simple_tag
def status_badge(sheet):
    """The state of a sheet as a DSFR badge (the states still under way in blue)."""
    return BADGES[sheet.status]


@register.filter
def answer_summary(sheet) -> str:
    """The DSDEN's answer in a few words, from a sheet with its ``granted_*`` amounts
    (``projects.selectors.establishment_sheets``): the means granted while the grant stands,
    "non validé", "en attente de précisions", or nothing yet."""
    if sheet.granted_euros is not None:
        means = [
            shown
            for amount, shown in (
                (sheet.granted_euros, numbers.euros(sheet.granted_euros)),
                (sheet.granted_hse, numbers.quantity(sheet.granted_hse, "HSE")),
                (sheet.granted_imp, numbers.quantity(sheet.granted_imp, "IMP")),
            )
            if amount
        ]
        return f"validé — accordé : {', '.join(means)}" if means else "validé"
    return {
        S.REJECTED: "non validé",
        S.NEEDS_INFO: "en attente de précisions",
        S.SUBMITTED: "à venir",
        S.IN_REVIEW: "à venir",
    }.get(sheet.status, "aucune")


@register.filter
def day(value) -> str:
    """A date or a moment as dd/mm/yyyy, in local time (``date:"d/m/Y"``); nothing for none."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.simple_tag
def sheet_section(key: str) -> sections.Section:
    """A section of the sheet by key: ``{% sheet_section "diagnostic" as section %}``, then
    ``{{ section.title }}`` and ``{{ section.html_id }}``."""
    return sections.section(key)


@register.filter
def section_titles(keys) -> list[str]:
    """The titles of stored section keys (a request's sections, an event's details)."""
    return [sections.title_of(key) for key in keys or ()]


@register.filter
def stored_date(value) -> datetime.date | None:
    """A date an event's details store as text ("2024-06-20"), back as a date to format the
    French way: ``{{ event.details.due_date|stored_date|date:"j F Y" }}``."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def asked_links(keys, sheet) -> list[dict]:
    """Where each section or document a request for precisions names is found, on the sheet's
    page as on its edit page (the same anchors): the section's heading, the attachments, the
    estimate's page. ``{% for link in request.sections|asked_links:sheet %}``."""
    links = []
    for key in keys or ():
        if key == "estimate":
            href = reverse("funding:estimate", kwargs={"pk": sheet.pk})
        elif key == "attachments":
            href = "#attachments"
        else:
            href = f"#section-{key}"
        links.append({"title": sections.title_of(key), "href": href})
    return links
