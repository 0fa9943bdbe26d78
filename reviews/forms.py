from django import forms
from django.utils.formats import number_format

from projects.checklist import SECTIONS

from . import bilans
from .models import Bilan, Opinion

LONG_TEXT = 5000


def _text(label, *, required=True, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class OpinionForm(forms.Form):
    value = forms.ChoiceField(
        label="Avis du comité de pilotage", choices=Opinion.Value.choices, widget=forms.RadioSelect
    )
    comment = _text("Commentaire", help_text="Toujours transmis à la DSDEN.")


class AdviceForm(forms.Form):
    text = _text("Votre conseil", help_text="Visible par l'établissement ; ne change pas l'état.")


def _amount(label, max_digits=12):
    return forms.DecimalField(
        label=label, min_value=0, max_digits=max_digits, decimal_places=2, localize=True
    )


class ValidateForm(forms.Form):
    euros = _amount("Crédits accordés (€)")
    hse = _amount("HSE accordées")
    imp = _amount("IMP accordées")
    comment = _text("Commentaire (facultatif)", required=False, rows=3)
    confirm_over_envelope = forms.BooleanField(
        label="Je confirme cette attribution même si elle dépasse ce qui reste de l'enveloppe",
        required=False,
    )

    def __init__(self, *args, requested=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in (requested or {}).items():
            self.fields[name].max_value = value
            self.fields[name].validators.append(forms.fields.validators.MaxValueValidator(value))
            self.fields[name].help_text = f"Demandé : {number_format(value, decimal_pos=2)}"
            self.initial.setdefault(name, value)


class RequestInfoForm(forms.Form):
    comment = _text("Précisions ou documents demandés")
    sections = forms.MultipleChoiceField(
        label="Rubriques ou documents concernés",
        required=False,
        choices=[(section, section) for section, _fields in SECTIONS]
        + [("Pièces jointes", "Pièces jointes"), ("Estimation du coût", "Estimation du coût")],
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(
        label="À renvoyer avant le (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RejectForm(forms.Form):
    comment = _text("Commentaire pour réorienter l'action")


class ResubmitForm(forms.Form):
    answer = _text("Votre réponse à la DSDEN")


class ReasonForm(forms.Form):
    reason = _text("Motif", rows=3)


class WithdrawForm(forms.Form):
    comment = _text("Motif (facultatif)", required=False, rows=3)


class BilanForm(forms.ModelForm):
    """One stage's bilan; the fields depend on the stage (reviews.bilans.FIELDS). Labels
    follow the official form; each text sits next to the section it reports on."""

    # The model's sizes (a bigger number would not fit the column).
    consumed_euros = _amount("Euros consommés")
    consumed_hse = _amount("HSE consommées", max_digits=10)
    consumed_imp = _amount("IMP consommées", max_digits=6)

    class Meta:
        model = Bilan
        fields = bilans.FIELDS[Bilan.Stage.FINAL]  # every field; __init__ keeps the stage's
        labels = {
            "pupils_reached": "Nombre de jeunes réellement touchés",
            "pupils_gap": "Écart avec le prévisionnel (expliquez si nécessaire)",
            "staff_mobilised": "Nombre de personnels réellement mobilisés",
            "staff_gap": "Écart avec le prévisionnel (expliquez si nécessaire)",
            "means_gap": "Explication des écarts avec les moyens accordés",
        }

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        keep = set(bilans.FIELDS[stage])
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for field in self.fields.values():
            field.required = False
            if isinstance(field, forms.CharField):
                field.max_length = LONG_TEXT
                field.validators.append(forms.fields.validators.MaxLengthValidator(LONG_TEXT))
                field.widget = forms.Textarea(attrs={"rows": 5, "maxlength": LONG_TEXT})
            elif not isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"min": 0, "max": 100000})
                field.validators.append(forms.fields.validators.MaxValueValidator(100000))
        if stage == Bilan.Stage.INTERMEDIATE and "general" in self.fields:
            self.fields["general"].label = "Commentaire sur la consommation des moyens"
