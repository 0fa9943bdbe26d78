"""The review of a sheet: its history (every transition, opinion, advice), the FOQUALE
pre-validation opinion, MLDS advice and the DSDEN's requests for information."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from projects.models import ProjectSheet


class SheetEvent(models.Model):
    """One line of a sheet's history: who did what, when, from which state to which."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", "Changement d'état"
        OPINION = "opinion", "Avis du réseau FOQUALE"
        ADVICE = "advice", "Conseil MLDS"
        BILAN = "bilan", "Bilan déposé"

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    transition = models.CharField("transition", max_length=30, blank=True)
    from_status = models.CharField(
        "état de départ", max_length=20, choices=ProjectSheet.Status.choices, blank=True
    )
    to_status = models.CharField(
        "état d'arrivée", max_length=20, choices=ProjectSheet.Status.choices, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    comment = models.TextField("commentaire", blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "historique des fiches"
        ordering = ["sheet", "created_at", "pk"]
        indexes = [models.Index(fields=["sheet", "created_at"], name="event_sheet_time")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.sheet} ({self.created_at:%d/%m/%Y})"


class Opinion(models.Model):
    """The FOQUALE steering committee's opinion, always shown to the DSDEN."""

    class Value(models.TextChoices):
        FAVOURABLE = "favorable", "Favorable"
        RESERVED = "reserve", "Réservé"
        UNFAVOURABLE = "defavorable", "Défavorable"

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="opinions")
    value = models.CharField("avis", max_length=20, choices=Value.choices)
    comment = models.TextField("commentaire")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "avis du réseau FOQUALE"
        verbose_name_plural = "avis du réseau FOQUALE"
        ordering = ["sheet", "-created_at"]

    def __str__(self):
        return f"{self.get_value_display()} — {self.sheet}"


class Advice(models.Model):
    """MLDS advice on a sheet, in any state; never changes the state."""

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="advice")
    text = models.TextField("conseil")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "conseil MLDS"
        verbose_name_plural = "conseils MLDS"
        ordering = ["sheet", "created_at"]

    def __str__(self):
        return f"Conseil sur {self.sheet}"


class InfoRequest(models.Model):
    """The DSDEN's request for information; ``snapshot`` is the sheet's content when asked,
    so that the reviewer later sees what changed."""

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="info_requests")
    comment = models.TextField("demande")
    sections = models.JSONField("rubriques ou documents concernés", default=list, blank=True)
    due_date = models.DateField("à renvoyer avant le", null=True, blank=True)
    snapshot = models.JSONField("contenu de la fiche à la demande", default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)
    answer = models.TextField("réponse", blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de précisions"
        verbose_name_plural = "demandes de précisions"
        ordering = ["sheet", "-created_at"]

    def __str__(self):
        return f"Demande de précisions — {self.sheet}"


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


def export_path(export, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.pdf"


class BulkExport(models.Model):
    """A PDF of many sheets for the DSDEN commission, built by a background task. The sheets
    are fixed when asked (already narrowed to what the requester may see)."""

    class State(models.TextChoices):
        PENDING = "pending", "En préparation"
        READY = "ready", "Prêt"
        FAILED = "failed", "Échec"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="demandé par",
    )
    description = models.CharField("sélection", max_length=500, blank=True)
    sheet_ids = models.JSONField("fiches", default=list)
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.PENDING)
    file = models.FileField("fichier", upload_to=export_path, blank=True, max_length=200)
    page_count = models.PositiveIntegerField("pages", null=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True)

    class Meta:
        verbose_name = "export PDF groupé"
        verbose_name_plural = "exports PDF groupés"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export de {len(self.sheet_ids)} fiches ({self.get_state_display()})"

    @property
    def sheet_count(self) -> int:
        return len(self.sheet_ids)
