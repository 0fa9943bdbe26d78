"""The files attached to a sheet (quotes, the previous bilan…), stored under random names."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from .sheets import ProjectSheet


def attachment_path(attachment, filename: str) -> str:
    """A random name: the user's file name is kept only for display (original_name)."""
    suffix = PurePath(filename).suffix.lower()
    return f"attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        QUOTE = "quote", "Devis"
        PREVIOUS_BILAN = "previous_bilan", "Bilan de l'année précédente"
        COST_ESTIMATE = "cost_estimate", "Estimation du coût de l'action"
        OTHER = "other", "Autre document"

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    file = models.FileField("fichier", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type de contenu", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="déposé par",
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["sheet", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.original_name}"

    def get_absolute_url(self):
        return reverse(
            "projects:attachment_download", kwargs={"pk": self.sheet_id, "attachment_pk": self.pk}
        )
