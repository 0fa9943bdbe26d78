"""The errors of a page's refused forms, gathered for the alert at the top of the page
(templates/includes/form_errors.html) and the "Erreur : " prefix of its title; and the
refusals that are no form's (a workflow's refusal after a redirect, a sheet changed
meanwhile), said by an error message, which prefix the title too."""

from dataclasses import dataclass

from django import forms, template
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class FormError:
    """One error: its message, the field's label and the id of the control it links to
    (empty for an error of a whole form)."""

    message: str
    label: str = ""
    anchor: str = ""


def _form_errors(form: forms.BaseForm, row: int | None = None) -> list[FormError]:
    if not form.is_bound or not form.errors:
        return []
    where = f"Ligne {row}" if row is not None else ""
    errors = [FormError(str(message), where) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name not in form.fields:
            continue  # "__all__", told above
        field = form[name]
        label = str(field.label or name)
        if where:
            label = f"{where} — {label}"
        anchor = "" if field.is_hidden else field.auto_id or ""
        errors.extend(FormError(str(message), label, anchor) for message in messages)
    return errors


def _formset_errors(formset: BaseFormSet) -> list[FormError]:
    if not formset.is_bound or formset.is_valid():
        return []
    errors = [FormError(str(message)) for message in formset.non_form_errors()]
    for row, form in enumerate(formset.forms, start=1):
        errors.extend(_form_errors(form, row))
    return errors


def _errors_of(value) -> list[FormError]:
    # type(), not isinstance(): a lazy value of the context (the user...) stays unevaluated.
    if issubclass(type(value), BaseFormSet):
        return _formset_errors(value)
    if issubclass(type(value), forms.BaseForm):
        return _form_errors(value)
    return []


def form_errors(context_values) -> list[FormError]:
    """The errors of every bound form or formset among the values, and inside a dict, list or
    tuple of them (the answer page's three forms), each object once."""
    errors, seen = [], set()

    def visit(value):
        if id(value) in seen:
            return
        seen.add(id(value))
        errors.extend(_errors_of(value))

    for value in context_values:
        if type(value) is dict:
            for item in value.values():
                visit(item)
        elif type(value) in (list, tuple):
            for item in value:
                visit(item)
        else:
            visit(value)
    return errors


@register.simple_tag(takes_context=True)
def page_form_errors(context):
    """The errors of the page's refused forms, from the view's context.

    Usage: ``{% page_form_errors as form_errors %}`` (templates/base.html does it once).
    """
    values = []
    for layer in context.dicts:
        values.extend(layer.values())
    return form_errors(values)


@register.simple_tag(takes_context=True)
def page_has_refusal(context) -> bool:
    """Whether the page says a refusal through an error message (``messages.error``). The
    messages are read, not consumed: templates/includes/messages.html still shows them.

    Usage: ``{% page_has_refusal as refused %}`` (templates/base.html does it once).
    """
    return any(message.level_tag == "error" for message in context.get("messages") or ())
