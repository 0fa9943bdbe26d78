from django import forms

from aps.numbers import FrenchDecimalField, euros, quantity
from projects.sections import ASKABLE
from reviews.workflow.models import Opinion
from reviews.workflow.services import ZERO_GRANT, grants_something

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


class SubmitForm(forms.Form):
    """The head's explicit confirmation, on the recap page, before submitting."""

    confirm = forms.BooleanField(
        label="J'ai relu ce récapitulatif et je confirme le dépôt du projet",
        error_messages={"required": "Cochez la case pour confirmer le dépôt du projet."},
    )


class AdviceForm(forms.Form):
    text = _text("Votre conseil", help_text="Visible par l'établissement ; ne change pas l'état.")


class NoteForm(forms.Form):
    text = _text(
        "Note interne",
        help_text="Lue par la DSDEN et l'académie seulement : jamais par l'établissement, le "
        "réseau ni la MLDS, ni dans la fiche PDF, les exports ou les courriels.",
        rows=3,
    )

    def __init__(self, *args, **kwargs):
        # On the sheet's page beside the thread's MessageForm, whose field is also "text".
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


def amount_field(label, max_digits=12):
    return FrenchDecimalField(label=label, min_value=0, max_digits=max_digits, decimal_places=2)


UNITS = {"hse": "HSE", "imp": "IMP"}


class ValidateForm(forms.Form):
    euros = amount_field("Crédits accordés (€)")
    hse = amount_field("HSE accordées")
    imp = amount_field("IMP accordées")
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
            shown = euros(value) if name == "euros" else quantity(value, UNITS[name])
            self.fields[name].help_text = f"Demandé : {shown}"
            self.initial.setdefault(name, value)

    def clean(self):
        cleaned = super().clean()
        names = ("euros", "hse", "imp")
        # Said on the first amount (once the three are read), before the service, which
        # refuses it all the same.
        if all(name in cleaned for name in names) and not grants_something(
            **{name: cleaned[name] for name in names}
        ):
            self.add_error("euros", ZERO_GRANT)
        return cleaned


class RequestInfoForm(forms.Form):
    comment = _text("Précisions ou documents demandés")
    sections = forms.MultipleChoiceField(
        label="Rubriques ou documents concernés",
        required=False,
        choices=[(section.key, section.title) for section in ASKABLE],
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    """A message of the sheet's thread; ``in_reply_to``: the MLDS advice it answers."""

    text = _text("Votre message")
    files = MultipleFileField(
        label="Pièces jointes (facultatif)",
        required=False,
        allow_empty_file=True,  # refused by the content check, with the file's name
        help_text="PDF, PNG, JPEG, XLSX, DOCX ou ODT ; 10 Mo au maximum chacun ; "
        "plusieurs fichiers possibles.",
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.odt"}),
    )
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
