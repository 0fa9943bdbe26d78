"""Every form of the site (the admin's included) is checked by the server only, with its
French messages and the error alert at the top of the page (``aps.templatetags.form_errors``):
no browser-native "required" bubble, in the browser's language, that the alert never lists.

The project's form renderer (``FORM_RENDERER``) gives every form this bound field, which
writes ``aria-required="true"`` where Django writes ``required``: assistive technologies still
announce a mandatory field, the browser no longer blocks the submission. Forms also carry
``novalidate`` (for the other native checks: an e-mail's shape, a date's).
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

# The inputs whose role allows aria-required (a text box, a list, a checkbox); on the others
# (a radio button, a file or date input) the mark "*" of the label says it. A multiple
# select is a "select" too.
ARIA_REQUIRED_INPUTS = {
    *("text", "email", "password", "number", "search", "tel", "url", "checkbox", "select")
}


class ServerCheckedBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if attrs.pop("required", False) and _announces_required(widget):
            attrs["aria-required"] = "true"
        return attrs


def _announces_required(widget) -> bool:
    input_type = getattr(widget, "input_type", None)
    return input_type is None or input_type in ARIA_REQUIRED_INPUTS  # None: textarea, select


class FormRenderer(DjangoTemplates):
    bound_field_class = ServerCheckedBoundField
