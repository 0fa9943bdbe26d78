"""Template helpers of the project's crispy DSFR pack (templates/dsfr_crispy/)."""

from django import forms, template

register = template.Library()

# DSFR class of the control, by widget; widgets not listed get "fr-input".
WIDGET_CLASSES = {
    forms.Select: "fr-select",
    forms.SelectMultiple: "fr-select",
    forms.FileInput: "fr-upload",
    forms.CheckboxInput: "",
}


def _control_class(widget) -> str:
    for widget_type, css_class in WIDGET_CLASSES.items():
        if isinstance(widget, widget_type):
            return css_class
    return "fr-input"


@register.simple_tag
def dsfr_widget(field):
    """Render a bound field's widget with DSFR classes and ARIA links to its messages.

    Usage: ``{% dsfr_widget field %}``
    """
    widget = field.field.widget
    css_class = _control_class(widget)
    attrs = {}
    if css_class:
        attrs["class"] = " ".join(
            filter(
                None,
                [
                    css_class,
                    widget.attrs.get("class", ""),
                    f"{css_class}--error" if field.errors else "",
                ],
            )
        )
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-messages")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def dsfr_kind(field) -> str:
    """The DSFR group a field belongs to: checkbox, choices, select, upload or input."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "upload"
    return "input"


@register.filter
def is_multiple_choice(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple)
