"""The forms of the reviewers' desk: assignment, labels, commissions and their proposals."""

import datetime
from decimal import Decimal
from html import escape

from django import forms
from django.utils.safestring import mark_safe

from aps import clock
from aps.numbers import FrenchDecimalField, FrenchNumberInput
from aps.single_line import validate_single_line
from projects.models import Department

from .commissions import BATCH_ANSWERS
from .models import Commission, Label


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class AssignForm(forms.Form):
    reviewer = ReviewerChoiceField(
        label="Instructeur·rice en charge", queryset=None, required=False, empty_label="Personne"
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class SheetLabelsForm(forms.Form):
    labels = forms.ModelMultipleChoiceField(
        label="Choisir les étiquettes de la fiche",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["labels"].queryset = labels


class LabelForm(forms.Form):
    department = forms.ModelChoiceField(label="Département", queryset=None, empty_label=None)
    name = forms.CharField(
        label="Nom de l'étiquette", max_length=60, validators=[validate_single_line]
    )
    colour = forms.ChoiceField(label="Couleur", choices=Label.Colour.choices)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = _department_label


def _department_label(department: Department) -> str:
    return f"{department.code} — {department.name}"


class CommissionForm(forms.Form):
    department = forms.ModelChoiceField(label="Département", queryset=None, empty_label=None)
    date = forms.DateField(
        label="Date de la commission",
        help_text="Au format jj/mm/aaaa.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    means = forms.ChoiceField(
        label="Moyens examinés",
        choices=Commission.Means.choices,
        widget=forms.RadioSelect,
        help_text="Les crédits avant le 10 juillet, les HSE et IMP en octobre.",
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = _department_label

    def clean_date(self):
        """A commission of this school year or the next: a date years away is a typing slip."""
        date = self.cleaned_data["date"]
        today = clock.today()
        if not today - datetime.timedelta(days=366) <= date <= today + datetime.timedelta(days=731):
            raise forms.ValidationError(
                "Saisissez une date de commission entre l'an dernier et les deux ans à venir "
                "(par exemple 02/07/2025)."
            )
        return date


class AgendaAmountInput(FrenchNumberInput):
    """The input of a proposed amount, written here rather than by the form renderer's
    templates (``django/forms/widgets/input.html`` and its attributes), which it reproduces:
    the commission's page draws three per sheet, 600 for 200 sheets, and those templates took
    half of its time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attributes = {"type": widget["type"], "name": widget["name"]}
        if widget["value"] is not None:
            attributes["value"] = str(widget["value"])
        attributes |= widget["attrs"]
        # As django/forms/widgets/attrs.html: False left out, True a bare attribute; escaped
        # as Django escapes (the standard library's escape, without Django's lazy wrappers).
        written = "".join(
            f" {key}" if value is True else f' {key}="{escape(str(value))}"'
            for key, value in attributes.items()
            if value is not False
        )
        return mark_safe(f"<input{written}>")  # noqa: S308 -- every part escaped above


def proposal_field(label: str, max_digits: int) -> FrenchDecimalField:
    field = FrenchDecimalField(
        label=label, min_value=0, max_digits=max_digits, decimal_places=2, required=False
    )
    field.widget = AgendaAmountInput(field.widget.attrs)
    field.widget.is_localized = field.localize
    return field


def _trimmed(value: Decimal | None) -> Decimal | None:
    """An HSE or IMP amount with the decimals it needs (12,5 rather than 12,50)."""
    if value is None or value == value.to_integral_value():
        return value if value is None else value.quantize(Decimal(1))
    return value.normalize()


class ProposalForm(forms.Form):
    """One row of the agenda's proposals (prefix: the row's key); its labels name the sheet,
    for the error summary and screen readers (the table's headers show them once)."""

    euros = proposal_field("Euros proposés", 12)
    hse = proposal_field("HSE proposées", 10)
    imp = proposal_field("IMP proposées", 6)

    @staticmethod
    def initial_of(item) -> dict:
        return {
            "euros": item.proposed_euros,
            "hse": _trimmed(item.proposed_hse),
            "imp": _trimmed(item.proposed_imp),
        }

    @staticmethod
    def label_for(label: str, item) -> str:
        return f"{label} — {item.sheet.title} (n°\u00a0{item.sheet_id})"

    @staticmethod
    def input_attrs(kind: str) -> dict:
        return {"class": "fr-input aps-amount", "data-aps-proposal": kind}  # commission.js

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("initial", self.initial_of(item))
        super().__init__(*args, prefix=f"p{item.pk}", **kwargs)
        self.item = item
        for kind, field in self.fields.items():
            field.label = self.label_for(field.label, item)
            field.widget.attrs.update(self.input_attrs(kind))


class DecisionForm(forms.Form):
    answer = forms.ChoiceField(label="Décision", choices=list(BATCH_ANSWERS.items()))
    comment = forms.CharField(
        label="Commentaire (envoyé à chaque établissement)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour une demande de précisions et pour un refus.",
    )
    confirm_over_envelope = forms.BooleanField(
        label="Valider même au-delà de ce qui reste de l'enveloppe", required=False
    )
