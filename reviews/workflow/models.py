"""The review of a sheet: its history (every transition, opinion, advice), the FOQUALE
pre-validation opinion, MLDS advice and the DSDEN's requests for information."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from projects.models import ProjectSheet


class SheetEvent(models.Model):
    """One line of a sheet's history: who did what, when, from which state to which."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", "Changement d'état"
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
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "historique des fiches"
        ordering = ["sheet", "created_at", "pk"]
        indexes = [models.Index(fields=["sheet", "created_at"], name="event_sheet_time")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.sheet} ({self.created_at:%d/%m/%Y})"

    @property
    def opinion_label(self) -> str:
        """The network's opinion given by this event (prevalidate), as shown."""
        value = self.details.get("opinion")
        return Opinion.Value(value).label if value in Opinion.Value.values else ""


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
    """The DSDEN's request for information; ``sections`` holds keys of projects.sections
    (their titles are shown); ``snapshot`` is the sheet's content when asked, so that the
    reviewer later sees what changed."""

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
