from decimal import Decimal

from django import forms

from aps.numbers import FrenchDecimalField, FrenchIntegerField, quantity
from aps.single_line import validate_single_line

from .models import Cofunding, EuroLine, HseLine, ImpLine
from .workbook import MAX_LINES

FRACTION_LABELS = {
    Decimal("0.25"): "¼ IMP",
    Decimal("0.5"): "½ IMP",
    Decimal("1"): "1 IMP",
    Decimal("2"): "2 IMP",
    Decimal("3"): "3 IMP",
}


def fraction_label(fraction: Decimal) -> str:
    return FRACTION_LABELS.get(fraction.normalize(), quantity(fraction, "IMP"))


BLANK = [("", "—")]


class LineForm(forms.Form):
    """One line of an estimate. A row is empty — and ignored — when nothing was typed in it
    (the fields that come pre-filled, such as one speaker, do not count)."""

    prefilled: tuple[str, ...] = ()

    def has_changed(self):
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip()
            for name in self.fields
            if name != "DELETE" and name not in self.prefilled
        )


class HseLineForm(LineForm):
    prefilled = ("speakers",)

    activity = forms.CharField(label="Activité", max_length=200, validators=[validate_single_line])
    speaker = forms.ChoiceField(label="Intervenant", choices=BLANK + HseLine.Speaker.choices)
    hour_kind = forms.ChoiceField(label="Type d'heure", choices=BLANK + HseLine.Hour.choices)
    weeks = FrenchIntegerField(label="Semaines", min_value=1, max_value=52)
    hours_per_week = FrenchDecimalField(
        label="Heures / semaine",
        min_value=Decimal("0.25"),
        max_value=60,
        max_digits=5,
        decimal_places=2,
    )
    speakers = FrenchIntegerField(label="Intervenants", min_value=1, max_value=50, initial=1)


class ImpLineForm(LineForm):
    mission = forms.ChoiceField(label="Mission", choices=BLANK + ImpLine.Mission.choices)
    fraction = forms.TypedChoiceField(label="Part d'IMP", coerce=Decimal)
    beneficiary = forms.CharField(
        label="Bénéficiaire",
        max_length=150,
        validators=[validate_single_line],
        help_text="Nom de la personne qui percevra l'IMP.",
    )

    def __init__(self, *args, rates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fraction"].choices = BLANK + [
            (str(f.normalize()), fraction_label(f)) for f in (rates.fractions if rates else [])
        ]


class EuroLineForm(LineForm):
    nature = forms.ChoiceField(label="Nature", choices=BLANK + EuroLine.Nature.choices)
    label = forms.CharField(label="Libellé", max_length=200, validators=[validate_single_line])
    amount = FrenchDecimalField(
        label="Montant (€)",
        min_value=Decimal("0.01"),
        max_value=1_000_000,
        decimal_places=2,
    )
    quote = forms.TypedChoiceField(
        label="Devis", required=False, coerce=int, empty_value=None, choices=BLANK
    )
    ca_voted_on = forms.DateField(
        label="Vote du CA (prestation)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Date du vote de la convention par le conseil d'administration ; vide : "
        "convention à voter (date demandée avant le bilan).",
    )

    def __init__(self, *args, quote_choices=(), **kwargs):
        # The sheet's quotes are read once for the whole formset (no query per row).
        super().__init__(*args, **kwargs)
        self.fields["quote"].choices = [("", "— Aucun —"), *quote_choices]


class CofundingForm(LineForm):
    """Another funding mobilised by the action: an amount in euros, hours, or both."""

    source = forms.ChoiceField(label="Source", choices=BLANK + Cofunding.Source.choices)
    detail = forms.CharField(
        label="Précision",
        max_length=200,
        required=False,
        validators=[validate_single_line],
        help_text="Par exemple : contrat de ville de Noisy-le-Sec.",
    )
    euros = FrenchDecimalField(
        label="Montant (€)",
        required=False,
        min_value=Decimal("0.01"),
        max_value=1_000_000,
        decimal_places=2,
    )
    hours = FrenchDecimalField(
        label="Heures",
        required=False,
        min_value=Decimal("0.25"),
        max_value=100_000,
        max_digits=8,
        decimal_places=2,
    )
    standing = forms.ChoiceField(label="État", choices=BLANK + Cofunding.Standing.choices)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and cleaned.get("euros") is None and cleaned.get("hours") is None:
            self.add_error("euros", "Indiquez un montant en euros ou un nombre d'heures.")
        return cleaned


class LineFormSet(forms.BaseFormSet):
    """Lines of one kind. A posted form builds no more rows than were posted (a forged
    ``TOTAL_FORMS`` of 100,000,000 builds none), and at most the import's ``MAX_LINES``."""

    def total_form_count(self):
        total = super().total_form_count()
        if not self.is_bound:
            return total
        start = f"{self.prefix}-"
        posted = [key[len(start) :].split("-", 1)[0] for key in self.data if key.startswith(start)]
        rows = max((int(index) + 1 for index in posted if index.isdigit()), default=0)
        return min(total, rows)


def _formset(form_class):
    return forms.formset_factory(
        form_class,
        formset=LineFormSet,
        extra=1,
        can_delete=True,
        max_num=MAX_LINES,
        absolute_max=MAX_LINES,
        validate_max=True,
    )


HseFormSet = _formset(HseLineForm)
ImpFormSet = _formset(ImpLineForm)
EuroFormSet = _formset(EuroLineForm)
CofundingFormSet = _formset(CofundingForm)


def kept_lines(formset) -> list[dict]:
    """The lines a valid formset keeps, in order: filled and not marked for deletion."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class WorkbookImportForm(forms.Form):
    workbook = forms.FileField(
        label="Classeur d'estimation (.xlsx)",
        help_text="Le classeur téléchargé depuis APS, complété dans Excel ou LibreOffice.",
        allow_empty_file=True,
        error_messages={"required": "Choisissez le classeur à importer."},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
