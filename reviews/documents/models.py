"""Documents built in the background: the bulk PDF of the commission."""

import uuid

from django.conf import settings
from django.db import models

from aps.numbers import quantity


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
    # A page printed before the sheets (a commission's agenda): {"title", "columns", "rows"},
    # composed by whoever asks for the export.
    agenda = models.JSONField("ordre du jour", default=dict, blank=True)
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
        return f"Export de {quantity(len(self.sheet_ids))} fiches ({self.get_state_display()})"

    @property
    def sheet_count(self) -> int:
        return len(self.sheet_ids)
