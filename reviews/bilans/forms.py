from django import forms

from aps.numbers import FrenchIntegerField
from reviews.workflow.forms import LONG_TEXT, amount_field

from . import services as bilans
from .models import Bilan


class BilanForm(forms.ModelForm):
    """One stage's bilan; the fields depend on the stage (reviews.bilans.FIELDS). Labels
    follow the official form; each text sits next to the section it reports on."""

    # The model's sizes (a bigger number would not fit the column).
    consumed_euros = amount_field("Euros consommés")
    consumed_hse = amount_field("HSE consommées", max_digits=10)
    consumed_imp = amount_field("IMP consommées", max_digits=6)

    class Meta:
        model = Bilan
        fields = bilans.FIELDS[Bilan.Stage.FINAL]  # every field; __init__ keeps the stage's
        field_classes = {
            "pupils_reached": FrenchIntegerField,
            "staff_mobilised": FrenchIntegerField,
        }
        labels = {
            "pupils_reached": "Nombre de jeunes réellement touchés",
            "pupils_gap": "Écart avec le prévisionnel (expliquez si nécessaire)",
            "staff_mobilised": "Nombre de personnels réellement mobilisés",
            "staff_gap": "Écart avec le prévisionnel (expliquez si nécessaire)",
            "means_gap": "Explication des écarts avec les moyens accordés",
        }

    def __init__(self, *args, stage, conventions=(), **kwargs):
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
        # The vote of each service provider's convention (asked before the bilan).
        self.conventions = list(conventions)
        for line in self.conventions:
            self.fields[bilans.vote_field(line)] = forms.DateField(
                label=f"Vote du conseil d'administration — {line.label}",
                required=False,
                initial=line.ca_voted_on,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    def votes(self) -> dict:
        return {
            line.pk: self.cleaned_data.get(bilans.vote_field(line)) for line in self.conventions
        }

    def vote_fields(self):
        return [self[bilans.vote_field(line)] for line in self.conventions]
