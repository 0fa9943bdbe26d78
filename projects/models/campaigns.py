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

    def calendar(self) -> list[tuple]:
        """The dates of the campaign in order, as (date, label, is_deadline)."""
        return [
            (self.circular_published_on, "Circulaire académique APS", False),
            (self.filing_opens_on, "Ouverture de la saisie et du dépôt", False),
            (self.euro_deadline, "Date limite : actions demandant des euros", True),
            (self.euro_answer_by, "Avis de la DSDEN sur les crédits en euros", False),
            (self.hse_imp_deadline, "Date limite : actions demandant des HSE/IMP", True),
            (self.hse_imp_answer_by, "Avis de la DSDEN sur les HSE/IMP", False),
            (self.intermediate_bilan_due, "Bilan intermédiaire financier", True),
            (self.final_bilan_due, "Bilan de l'action", True),
        ]
