"""The campaigns: one school year of APS each, with its calendar."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def validate_school_year(value: str) -> None:
    match = SCHOOL_YEAR.match(value or "")
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValidationError(
            "Année scolaire attendue sous la forme 2024-2025 (deux années consécutives).",
            code="invalid_school_year",
        )


class Campaign(models.Model):
    """A school year of APS with its calendar. Exactly one campaign is the current one."""

    school_year = models.CharField(
        "année scolaire", max_length=9, unique=True, validators=[validate_school_year]
    )
    circular_published_on = models.DateField("parution de la circulaire académique")
    filing_opens_on = models.DateField("ouverture de la saisie")
    euro_deadline = models.DateField(
        "date limite de dépôt des demandes en euros",
        help_text="Dernier jour de dépôt des actions qui demandent des crédits en euros.",
    )
    euro_answer_by = models.DateField("avis de la DSDEN sur les crédits en euros avant le")
    hse_imp_deadline = models.DateField(
        "date limite de dépôt des demandes en HSE/IMP",
        help_text="Dernier jour de dépôt des actions complexes ou demandant des HSE/IMP.",
    )
    hse_imp_answer_by = models.DateField("avis de la DSDEN sur les HSE/IMP avant le")
    intermediate_bilan_due = models.DateField("bilan intermédiaire financier dû le")
    final_bilan_due = models.DateField("bilan de l'action dû le")
    requires_prevalidation = models.BooleanField(
        "pré-validation FOQUALE requise",
        default=True,
        help_text="Si coché, les projets d'établissement passent par le comité de pilotage "
        "du réseau FOQUALE avant la DSDEN.",
    )
    is_current = models.BooleanField("campagne en cours", default=False)

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="campaign_single_current",
                violation_error_message="Une seule campagne peut être en cours.",
            ),
            models.CheckConstraint(
                condition=Q(filing_opens_on__lte=models.F("euro_deadline"))
                & Q(euro_deadline__lte=models.F("hse_imp_deadline"))
                & Q(euro_deadline__lte=models.F("euro_answer_by"))
                & Q(hse_imp_deadline__lte=models.F("hse_imp_answer_by"))
                & Q(intermediate_bilan_due__lte=models.F("final_bilan_due")),
                name="campaign_calendar_in_order",
                violation_error_message=(
                    "Le calendrier n'est pas dans l'ordre : ouverture, date limite euros, "
                    "date limite HSE/IMP, avis ; bilan intermédiaire avant bilan final."
                ),
            ),
        ]

    def __str__(self):
        return f"Campagne {self.school_year}"

    def action_window(self) -> tuple[datetime.date, datetime.date]:
        """The dates an action of this campaign may start and end within: from the January
        before its school year to the December after (a year of slack either side of it)."""
        first_year = int(self.school_year[:4])
        return datetime.date(first_year, 1, 1), datetime.date(first_year + 1, 12, 31)


# The dates an académie may set for itself, in the calendar's order, and the rule.
ACADEMY_DATES = (
    "filing_opens_on",
    "euro_deadline",
    "euro_answer_by",
    "hse_imp_deadline",
    "hse_imp_answer_by",
    "intermediate_bilan_due",
    "final_bilan_due",
)


def _own_date(name: str) -> models.DateField:
    label = Campaign._meta.get_field(name).verbose_name
    return models.DateField(label, null=True, blank=True, help_text="Vide : celle de la campagne.")


class AcademyCampaign(models.Model):
    """An académie's own calendar and pre-validation rule for a campaign: each date left
    empty is the campaign's (``projects.campaigns.calendar_for`` reads them together)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="academy_settings", verbose_name="campagne"
    )
    academy = models.ForeignKey(
        "projects.Academy",
        on_delete=models.CASCADE,
        related_name="campaign_settings",
        verbose_name="académie",
    )
    filing_opens_on = _own_date("filing_opens_on")
    euro_deadline = _own_date("euro_deadline")
    euro_answer_by = _own_date("euro_answer_by")
    hse_imp_deadline = _own_date("hse_imp_deadline")
    hse_imp_answer_by = _own_date("hse_imp_answer_by")
    intermediate_bilan_due = _own_date("intermediate_bilan_due")
    final_bilan_due = _own_date("final_bilan_due")
    requires_prevalidation = models.BooleanField(
        "pré-validation FOQUALE requise",
        null=True,
        blank=True,
        help_text="Vide : la règle de la campagne.",
    )

    class Meta:
        verbose_name = "calendrier de l'académie"
        verbose_name_plural = "calendriers des académies"
        ordering = ["-campaign__school_year", "academy__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "academy"],
                name="academy_campaign_unique",
                violation_error_message="Cette académie a déjà son calendrier pour la campagne.",
            )
        ]

    def __str__(self):
        return f"{self.academy} — {self.campaign.school_year}"

    def clean(self):
        super().clean()
        if self.campaign_id is None:
            return
        from ..campaigns import calendar_problems, merged

        problems = calendar_problems(merged(self.campaign, self))
        if problems:
            raise ValidationError(problems)
