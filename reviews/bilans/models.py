"""The bilan of a validated sheet, at its two stages."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from projects.models import ProjectSheet


class Bilan(models.Model):
    """The bilan of a validated sheet, filled on the same sheet at two stages: the
    intermediate financial bilan (March: means consumed so far) and the final bilan (end of
    June: one text per section, pupils and staff actually reached, means consumed)."""

    class Stage(models.TextChoices):
        INTERMEDIATE = "intermediaire", "Bilan intermédiaire financier"
        FINAL = "final", "Bilan final"

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="bilans")
    stage = models.CharField("étape", max_length=20, choices=Stage.choices)

    objectives = models.TextField("bilan portant sur les objectifs de l'action", blank=True)
    criteria = models.TextField("bilan portant sur les critères d'évaluation", blank=True)
    public = models.TextField("bilan portant sur le public ciblé", blank=True)
    organisation = models.TextField(
        "bilan portant sur les modalités organisationnelles", blank=True
    )
    calendar = models.TextField("bilan portant sur le calendrier", blank=True)
    pupils_reached = models.PositiveIntegerField("nombre de jeunes réellement touchés", null=True)
    pupils_gap = models.TextField("écart avec le nombre prévisionnel de jeunes", blank=True)
    staff_mobilised = models.PositiveIntegerField(
        "nombre de personnels réellement mobilisés", null=True
    )
    staff_gap = models.TextField("écart avec les personnels prévus", blank=True)
    partners = models.TextField("bilan concernant le travail avec les partenaires", blank=True)
    consumed_euros = models.DecimalField(
        "euros consommés", max_digits=12, decimal_places=2, null=True
    )
    consumed_hse = models.DecimalField("HSE consommées", max_digits=10, decimal_places=2, null=True)
    consumed_imp = models.DecimalField("IMP consommées", max_digits=6, decimal_places=2, null=True)
    means_gap = models.TextField("explication des écarts sur les moyens", blank=True)
    general = models.TextField("bilan général", blank=True)

    is_late = models.BooleanField("déposé après la date prévue", default=False)
    submitted_at = models.DateTimeField("déposé le", null=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="déposé par",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="modifié par",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        ordering = ["sheet", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "stage"], name="bilan_one_per_stage"),
            models.CheckConstraint(
                condition=Q(consumed_euros__gte=0) | Q(consumed_euros__isnull=True),
                name="bilan_euros_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(consumed_hse__gte=0) | Q(consumed_hse__isnull=True),
                name="bilan_hse_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(consumed_imp__gte=0) | Q(consumed_imp__isnull=True),
                name="bilan_imp_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} — {self.sheet}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_final(self) -> bool:
        return self.stage == self.Stage.FINAL
