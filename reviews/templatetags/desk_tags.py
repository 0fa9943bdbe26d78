"""Tags of the list of sheets, the most visited page: filters, sortable headers and rows built
in Python, the bulk PDF button: ``{% load desk_tags %}``."""

import datetime
import functools
from html import escape

from django import forms, template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from aps.numbers import euros, quantity
from projects.templatetags.sheet_tags import day, status_badge
from reviews.desk.forms import ProposalForm
from reviews.desk.listing import opinion_label
from reviews.documents.rules import can_export

register = template.Library()


@register.inclusion_tag("reviews/bulk_pdf_button.html", takes_context=True)
def bulk_pdf_button(context):
    """On the list of sheets: one PDF of every sheet matching the filters (DSDEN, académie)."""
    request = context["request"]
    return {
        "show": can_export(request.user),
        "query": request.GET.urlencode(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reviews/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str):
    """A sortable column header: a link that sorts by ``key`` (then reverses), keeping the
    other filters; ``aria-sort`` tells which column sorts the list."""
    params = context["request"].GET.copy()
    current = params.get("o", "")
    direction = "ascending" if current == key else "descending" if current == f"-{key}" else None
    params["o"] = f"-{key}" if current == key else key
    params.pop("page", None)
    return {"label": label, "url": f"?{params.urlencode()}", "direction": direction}


@register.simple_tag
def filter_control(field):
    """One filter of the list as DSFR markup built in Python: a select of many options renders
    several times faster this way than through the widget templates (the list is the most
    visited page)."""
    widget = field.field.widget
    value = field.value()
    if isinstance(widget, forms.Select):
        chosen = "" if value is None else str(value)
        # Hundreds of options (the districts, the campaigns): the standard library's escape,
        # as ``sheet_row`` (the labels are plain text).
        options = mark_safe(  # noqa: S308 -- every key and label is escaped
            "".join(
                f'<option value="{escape(str(key))}"'
                f"{' selected' if str(key) == chosen else ''}>{escape(str(label))}</option>"
                for key, label in widget.choices
            )
        )
        group = "fr-select-group"
        control = format_html(
            '<select class="fr-select" id="{}" name="{}">{}</select>',
            field.auto_id,
            field.html_name,
            options,
        )
    else:
        group = "fr-input-group"
        control = format_html(
            '<input class="fr-input" type="search" id="{}" name="{}" value="{}"{}>',
            field.auto_id,
            field.html_name,
            value or "",
            format_html(' aria-describedby="{}-hint"', field.auto_id) if field.help_text else "",
        )
    hint = (
        format_html(
            '<span class="fr-hint-text" id="{}-hint">{}</span>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html(
        '<div class="{}"><label class="fr-label" for="{}">{}{}</label>{}</div>',
        group,
        field.auto_id,
        field.label,
        hint,
        control,
    )


def _means_cell(requested, granted, shown) -> str:
    cell = f'<td class="aps-num">{shown(requested)}'
    if granted is not None:
        cell += f'<br><span class="fr-text--xs">accordé {shown(granted)}</span>'
    return cell + "</td>"


def _count(value) -> str:
    """HSE and IMP with only the decimals they need ("12,5", "0,25"), as on the sheet."""
    return quantity(value)


def _opinion(sheet) -> str:
    """The network's latest opinion under the state (the list keeps its width at 1280 px);
    nothing while none is given (the state says when one is awaited)."""
    label = opinion_label(getattr(sheet, "network_opinion", None))
    if not label:
        return ""
    return f'<br><span class="fr-text--xs">Avis du réseau : {escape(label.lower())}</span>'


# The tick box's cell of a row the reviewer does not prepare (a draft the académie sees): as
# narrow as the others (a bare DSFR cell is 15rem wide at least).
NO_PICK = '<td class="aps-pick"></td>'


def _pick(sheet) -> str:
    """The reviewer's box to tick the sheet, for the selection's form (``form="selection"``:
    the table stays outside it)."""
    return (
        '<td class="aps-pick"><div class="fr-checkbox-group fr-checkbox-group--sm">'
        f'<input type="checkbox" form="selection" name="sheets" value="{sheet.pk}" '
        f'id="pick-{sheet.pk}"><label class="fr-label" for="pick-{sheet.pk}">'
        f'<span class="fr-sr-only">Sélectionner «\u00a0{escape(sheet.title)}\u00a0»</span>'
        "</label></div></td>"
    )


def desk_marks(sheet) -> str:
    """What the reviewer sees under a sheet's title: news since their last visit, its labels,
    who is in charge (``visits.attach_desk``)."""
    marks = []
    if getattr(sheet, "has_news", False):
        marks.append('<span class="fr-badge fr-badge--sm fr-badge--new aps-news">Nouveau</span>')
    marks.extend(label_badge_html(label) for label in getattr(sheet, "desk_labels", ()))
    parts = f"<br>{' '.join(marks)}" if marks else ""
    assignee = getattr(sheet, "assignee_name", None)
    if assignee:
        parts += f'<br><span class="fr-text--xs">Instruit par {escape(assignee)}</span>'
    return parts


@register.simple_tag
def sheet_row(sheet, with_opinion=False, reviewer=False):
    """One row of the list of sheets (``listing.with_list_columns``). Built in Python, like
    ``filter_control``, and with the standard library's ``html.escape`` rather than
    ``format_html``: it runs for every row of the most visited page, where the same markup
    through template variables took 0.19 ms a row, and through ``format_html`` 0.12 ms.
    ``with_opinion``: the network's opinion under the state (``rules.sees_opinions_in_list``)."""
    establishment = sheet.establishment
    renewal = (
        ' <span class="fr-badge fr-badge--sm fr-badge--no-icon">Renouvellement</span>'
        if sheet.is_renewal
        else ""
    )
    typology = f" — {escape(sheet.get_typology_display())}" if sheet.typology else ""
    place = (
        f'<br><span class="fr-text--xs">{escape(establishment.uai)} — '
        f"{escape(establishment.city)}</span>"
        if establishment
        else ""
    )
    return mark_safe(  # noqa: S308 -- every value above and below is escaped
        "<tr>"
        f"{(_pick(sheet) if sheet.preparable else NO_PICK) if reviewer else ''}"
        f'<td class="fr-cell--multiline"><a href="{escape(sheet.get_absolute_url())}">'
        f"{escape(sheet.title or '(sans titre)')}</a>{renewal}"
        f'<br><span class="fr-text--xs">{escape(sheet.campaign.school_year)}{typology}</span>'
        f"{desk_marks(sheet) if reviewer and sheet.preparable else ''}</td>"
        f'<td class="fr-cell--multiline">{escape(sheet.carrier.name)}{place}</td>'
        f"<td>{escape(sheet.department.code)}</td>"
        f'<td class="fr-cell--multiline">{status_badge(sheet)}'
        f"{_opinion(sheet) if with_opinion else ''}</td>"
        f"{_means_cell(sheet.requested_euros, sheet.granted_euros, euros)}"
        f"{_means_cell(sheet.requested_hse, sheet.granted_hse, _count)}"
        f"{_means_cell(sheet.requested_imp, sheet.granted_imp, _count)}"
        f"<td>{day(sheet.submitted_at) or '—'}</td><td>{day(sheet.updated_at)}</td>"
        "</tr>"
    )


def label_badge_html(label) -> str:
    """A label as a DSFR badge of its colour."""
    return (
        f'<span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--{escape(label.colour)}">'
        f"{escape(label.name)}</span>"
    )


@register.simple_tag
def label_badge(label):
    return mark_safe(label_badge_html(label))  # noqa: S308 -- escaped above


@register.simple_tag
def agenda_row(item, number, remove_url):
    """One row of a commission's agenda (``commission_views._page``: ``item.form``,
    ``item.awaiting``, ``item.checked``, ``item.url``), built in Python as ``sheet_row``: a
    commission of 200 sheets draws 600 inputs, 0.3 ms a row through template variables."""
    sheet, form = item.sheet, item.form
    title = escape(sheet.title)
    pick = ""
    if item.awaiting:
        checked = " checked" if item.checked else ""
        pick = (
            '\n                      <div class="fr-checkbox-group fr-checkbox-group--sm">\n'
            f'                        <input type="checkbox" name="items" value="{item.pk}" '
            f'id="item-{item.pk}"{checked}>\n'
            f'                        <label class="fr-label" for="item-{item.pk}"><span '
            f'class="fr-sr-only">Sélectionner « {title} »</span></label>\n'
            "                      </div>\n                    "
        )
    if form is None:  # nothing typed: the stored proposal, as the form would show it
        errors = ""
        cells = "".join(_stored_amount(item, kind) for kind in ProposalForm.base_fields)
    else:
        errors = "".join(
            f'<p class="fr-error-text">{escape(str(error))}</p>'
            for error in form.non_field_errors()
        )
        cells = "".join(_agenda_amount(item, field) for field in form)
    remove = (
        '\n                      <button type="submit" class="fr-btn fr-btn--tertiary-no-outline '
        f'fr-btn--sm fr-icon-close-line" formaction="{escape(remove_url)}" name="item" '
        f'value="{item.pk}" title="Retirer « {title} » de l\'ordre du jour">Retirer « {title} » '
        "de l'ordre du jour</button>\n                    "
        if item.awaiting
        else ""
    )
    return mark_safe(  # noqa: S308 -- every value is escaped
        f'<td class="aps-pick">{pick}</td>'
        f'<td class="fr-cell--multiline">{number}. <a href="{escape(item.url)}">{title}</a><br>'
        f'<span class="fr-text--xs">{escape(_carrier_name(item))}</span><br>'
        f"{status_badge(sheet)}{errors}</td>"
        f'<td class="fr-cell--multiline aps-num">{escape(euros(sheet.requested_euros))}<br>'
        f'<span class="fr-text--xs">{escape(quantity(sheet.requested_hse, "HSE"))} · '
        f"{quantity(sheet.requested_imp, 'IMP')}</span></td>"
        f"{cells}<td>{remove}</td>"
    )


def _carrier_name(item) -> str:
    """The row's carrier, read by ``commissions.agenda(shown_only=True)`` or from its sheet."""
    name = getattr(item, "carrier_name", None)
    return item.sheet.carrier.name if name is None else name


NOT_EXAMINED = (
    '<td><span class="fr-text--sm" title="Moyens que la commission n\'examine pas">—</span></td>'
)


def _stored_amount(item, kind: str) -> str:
    """A row's amount of ``kind`` as ``_agenda_amount`` writes an unbound form's field (the
    same label, input and attributes: ``ProposalForm``), from the stored proposal."""
    if kind not in getattr(item, "kinds", (kind,)):
        return NOT_EXAMINED
    value = ProposalForm.initial_of(item)[kind]
    if not item.awaiting:
        shown = "—" if value is None else escape(quantity(value))
        return f'<td><span class="fr-text--sm">{shown}</span></td>'
    field = ProposalForm.base_fields[kind]
    name = f"p{item.pk}-{kind}"
    label = ProposalForm.label_for(field.label, item)
    shown = "" if value is None else f' value="{escape(str(field.widget.format_value(value)))}"'
    return (
        '<td><div class="fr-input-group fr-mb-0">'
        f'<label class="fr-label fr-sr-only" for="id_{name}">{escape(label)}'
        f'</label><input type="text" name="{name}"{shown}{_input_attributes(kind)} '
        f'id="id_{name}"></div></td>'
    )


@functools.cache
def _input_attributes(kind: str) -> str:
    """The attributes of a proposal's input that are the same on every row, written once."""
    field = ProposalForm.base_fields[kind]
    attributes = field.widget.attrs | ProposalForm.input_attrs(kind)
    return "".join(f' {key}="{escape(str(v))}"' for key, v in attributes.items())


def _agenda_amount(item, field) -> str:
    if field.name not in getattr(item, "kinds", (field.name,)):
        return NOT_EXAMINED
    if not item.awaiting:
        value = field.initial
        shown = "—" if value is None else escape(quantity(value))
        return f'<td><span class="fr-text--sm">{shown}</span></td>'
    errors = field.errors
    error_class = " fr-input-group--error" if errors else ""
    messages = "".join(
        f'<p class="fr-error-text" id="{field.auto_id}-error">{escape(str(error))}</p>'
        for error in errors
    )
    return (
        f'<td><div class="fr-input-group{error_class} fr-mb-0">'
        f'<label class="fr-label fr-sr-only" for="{field.auto_id}">{escape(str(field.label))}'
        f"</label>{field}{messages}</div></td>"
    )


def _long_date(value) -> str:
    """A date as "3 juin 2024" (the home page's short lists)."""
    return date_format(
        timezone.localtime(value) if isinstance(value, datetime.datetime) else value, "j F Y"
    )


@register.simple_tag
def sheet_lines(
    sheets, show_carrier=False, show_submitted=False, show_waiting=False, show_desk=False
):
    """A short list of sheets (templates/reviews/panels/sheet_rows.html), built in Python like
    ``sheet_row``: the same markup through an included template cost a third of the DSDEN's
    home page."""
    lines = []
    for sheet in sheets:
        title = escape(sheet.title or "(sans titre)")
        parts = [f'<a href="{escape(sheet.get_absolute_url())}">{title}</a>']
        if show_carrier:
            parts.append(f'<span class="fr-text--xs"> — {escape(sheet.carrier.name)}</span>')
        parts.append(status_badge(sheet))
        if show_desk and getattr(sheet, "preparable", False):
            parts.append(desk_marks(sheet).replace("<br>", " "))
        since = getattr(sheet, "waiting_since", None)
        if show_waiting and since:
            label = escape(sheet.waiting_label)
            parts.append(f'<span class="fr-text--xs"> {label} {_long_date(since)}</span>')
        if show_submitted and sheet.submitted_at:
            parts.append(
                f'<span class="fr-text--xs"> déposé le {_long_date(sheet.submitted_at)}</span>'
            )
        lines.append("<li>" + "\n".join(parts) + "</li>")
    return mark_safe(  # noqa: S308 -- every value is escaped above
        '<ul class="aps-sheet-lines fr-mb-3w">' + "".join(lines) + "</ul>"
    )
