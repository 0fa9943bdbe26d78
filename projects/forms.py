from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.urls import reverse

from aps.numbers import FrenchIntegerField
from aps.single_line import validate_single_line

from . import action_types, sections
from .models import MAX_CRITERIA, MAX_OBJECTIVES, Attachment, Campaign, ProjectSheet
from .services import CONTENT_FIELDS, sheet_version

LONG_TEXT = 5000  # characters: a page of text per field is plenty, and bounds what is stored
# Fields on one line (in e-mail subjects, file names, lists): no line break nor control.
SINGLE_LINE = ("title", "pupil_levels")


def _numbered_field(label: str, rank: int) -> forms.CharField:
    return forms.CharField(
        label=f"{label} {rank}",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# Numbers of a few digits get a short input.
SHORT_INPUTS = ("expected_pupils", "staff_count")


def _layout_fields(section: sections.Section) -> list:
    """The form fields of a section: a numbered list becomes its numbered fields."""
    numbered = {
        "objectives": [f"objective_{rank}" for rank in range(1, MAX_OBJECTIVES + 1)],
        "criteria": [f"criterion_{rank}" for rank in range(1, MAX_CRITERIA + 1)],
    }
    shown = []
    for name in section.field_names:
        if name in numbered:
            shown += numbered[name]
        else:
            shown.append(
                Field(name, css_class="aps-input--short") if name in SHORT_INPUTS else name
            )
    return shown


class SectionFieldset(Fieldset):
    """A section of the form; ``flag`` is a badge in its legend (templates/dsfr_crispy/layout/
    fieldset.html), e.g. the sections a request for precisions names; ``help_url`` links to
    the section's part of the guide."""

    def __init__(self, legend, *fields, flag="", help_url="", **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.flag = flag
        self.help_url = help_url


ASKED_FLAG = "Précisions demandées"

ACTION_DATES = {"start_date": "La date de lancement", "end_date": "La date de fin"}


def check_action_dates(form: forms.Form, campaign: Campaign | None) -> None:
    """Add a form error to an action date outside its campaign's window (a year typed
    0001 or 9999 is a slip of the keyboard), and to an end before the start."""
    cleaned = form.cleaned_data
    if campaign is not None:
        first, last = campaign.action_window()
        for name, label in ACTION_DATES.items():
            value = cleaned.get(name)
            if value and not first <= value <= last:
                form.add_error(
                    name,
                    f"{label} doit être comprise entre le {first:%d/%m/%Y} et le "
                    f"{last:%d/%m/%Y} (campagne {campaign.school_year}).",
                )
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", "La date de fin doit suivre la date de lancement.")


class SheetForm(forms.ModelForm):
    """Every section of the sheet; nothing is required, so that a draft saves as it is.
    What submission needs is told by the checklist, not by form errors."""

    carrier = forms.ChoiceField(label="Porteur de l'action", required=True)
    # Keys of the académie's lists: the choices are set for the sheet (projects.action_types).
    field = forms.ChoiceField(label="Champ", required=False, widget=forms.RadioSelect)
    typology = forms.ChoiceField(label="Typologie d'action", required=False)
    gpds_associated = forms.ChoiceField(
        label="GPDS associé au projet",
        help_text=ProjectSheet._meta.get_field("gpds_associated").help_text,
        choices=ProjectSheet._meta.get_field("gpds_associated").choices,
        required=False,
        widget=forms.RadioSelect,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProjectSheet
        fields = ["is_renewal", *CONTENT_FIELDS]
        field_classes = dict.fromkeys(SHORT_INPUTS, FrenchIntegerField)
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "gpds_consulted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "problem",
                    "qualitative_indicators",
                    "quantitative_indicators",
                    "pupil_profiles",
                    "identification",
                    "organisation",
                    "key_moments",
                    "staff_roles",
                    "partners",
                    "means_use",
                )
            },
        }

    def __init__(self, *args, carriers=None, campaign=None, asked_sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The sections a pending request for precisions names (keys): marked in the form.
        self.asked_sections = frozenset(asked_sections)
        # An existing sheet's dates belong to its campaign; a new one's to the current one.
        self.campaign = self.instance.campaign if self.instance.campaign_id else campaign
        for name in CONTENT_FIELDS:
            self.fields[name].required = False
            if isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].max_length = LONG_TEXT
                self.fields[name].validators.append(
                    forms.fields.validators.MaxLengthValidator(LONG_TEXT)
                )
        for name in SINGLE_LINE:
            self.fields[name].validators.append(validate_single_line)
        # The lists of the sheet's académie and campaign (projects.action_types).
        carrier = self.instance.carrier if self.instance.pk else (carriers or [None])[0]
        academy_id = carrier.department.academy_id if carrier is not None else None
        campaign_id = self.campaign.pk if self.campaign else None
        self.fields["field"].choices = action_types.form_choices(
            "field", academy_id, campaign_id, keep=self.instance.field
        )
        self.fields["typology"].choices = [
            ("", "— Choisir —"),
            *action_types.form_choices(
                "typology", academy_id, campaign_id, keep=self.instance.typology
            ),
        ]
        for name in ("expected_pupils", "staff_count"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 9999})
            self.fields[name].max_value = 9999
            self.fields[name].validators.append(forms.fields.validators.MaxValueValidator(9999))
        for rank in range(1, MAX_OBJECTIVES + 1):
            self.fields[f"objective_{rank}"] = _numbered_field("Objectif", rank)
        for rank in range(1, MAX_CRITERIA + 1):
            self.fields[f"criterion_{rank}"] = _numbered_field("Critère", rank)
        if self.instance.pk:
            for item in self.instance.objectives.all():
                self.initial[f"objective_{item.position}"] = item.text
            for item in self.instance.criteria.all():
                self.initial[f"criterion_{item.position}"] = item.text
            if self.instance.renewal_of_id:
                self.fields["is_renewal"].disabled = True
            self.initial["version"] = sheet_version(self.instance)

        self.carriers = {self.carrier_key(c): c for c in (carriers or [])}
        if len(self.carriers) > 1:
            self.fields["carrier"].choices = [
                (key, str(carrier)) for key, carrier in self.carriers.items()
            ]
        else:
            del self.fields["carrier"]

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*(self._fieldset(s) for s in sections.SECTIONS))

    def _fieldset(self, section: sections.Section) -> Fieldset:
        shown = _layout_fields(section)
        if section.key == "header":
            # The form's version, the carrier (when there is a choice) and whether the action
            # is renewed (never missing, hence not a field of the registry) sit in the header.
            carrier = ["carrier"] if "carrier" in self.fields else []
            shown = ["version", *carrier, *shown, "is_renewal"]
        asked = section.key in self.asked_sections
        return SectionFieldset(
            section.title,
            *shown,
            css_id=section.html_id,
            css_class="aps-fieldset--asked" if asked else None,
            flag=ASKED_FLAG if asked else "",
            # What to write in the section: its part of the guide.
            help_url=f"{reverse('reviews:guide_sections')}#{section.guide_anchor}",
        )

    @staticmethod
    def carrier_key(carrier) -> str:
        return f"{carrier._meta.model_name}-{carrier.pk}"

    def clean(self):
        cleaned = super().clean()
        check_action_dates(self, self.campaign)
        return cleaned

    def chosen_carrier(self):
        if "carrier" in self.fields:
            return self.carriers[self.cleaned_data["carrier"]]
        return next(iter(self.carriers.values()), None)

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in CONTENT_FIELDS}

    def objectives(self) -> list[str]:
        return [self.cleaned_data[f"objective_{r}"] for r in range(1, MAX_OBJECTIVES + 1)]

    def criteria(self) -> list[str]:
        return [self.cleaned_data[f"criterion_{r}"] for r in range(1, MAX_CRITERIA + 1)]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="Nature du document", choices=Attachment.Kind.choices)
    file = forms.FileField(
        label="Fichier",
        allow_empty_file=True,  # refused by the content check, with the file's name
        help_text="PDF, PNG, JPEG, XLSX, DOCX ou ODT ; 10 Mo au maximum.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.odt"}),
    )


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    full_name = forms.CharField(
        label="Prénom et nom", max_length=150, validators=[validate_single_line]
    )
    title = forms.CharField(
        label="Fonction",
        max_length=100,
        required=False,
        validators=[validate_single_line],
        help_text="Par exemple : référent décrochage, CPE, principal adjoint.",
    )
