"""The review of a sheet: its history (every transition, opinion, advice), the FOQUALE
pre-validation opinion, MLDS advice, the DSDEN's requests for information, its private notes, and
the message thread between the establishment and the DSDEN."""

import uuid
from pathlib import PurePath

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
        # The HSE and IMP granted to a validated sheet by the October commission (its second
        # wave, after the credits'): the state stays validated.
        GRANT = "grant", "Moyens complétés"

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


class Note(models.Model):
    """A reviewer's private note on a sheet ("Note interne"): written and read by the DSDEN
    reviewers of its département and the académie's staff only — never by the establishment,
    the network or the MLDS, never in their PDF, exports or e-mails."""

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("note interne")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "note interne"
        verbose_name_plural = "notes internes"
        ordering = ["sheet", "created_at", "pk"]

    def __str__(self):
        return f"Note interne sur {self.sheet}"


class Message(models.Model):
    """A message of a sheet's thread between the establishment (head and staff, the network
    lead for a network's sheet) and the DSDEN's reviewers; the MLDS's advice joins the same
    thread, and a message may answer one. ``side`` is the author's side when written (a key),
    which tells who the other side is (notified, and marked unread)."""

    class Side(models.TextChoices):
        CARRIER = "carrier", "Établissement"
        REVIEWER = "reviewer", "DSDEN"
        MLDS = "mlds", "MLDS"

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField("côté", max_length=10, choices=Side.choices)
    text = models.TextField("message")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    in_reply_to = models.ForeignKey(
        Advice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name="en réponse au conseil",
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["sheet", "created_at", "pk"]
        indexes = [models.Index(fields=["sheet", "created_at"], name="message_sheet_time")]

    def __str__(self):
        return f"Message sur {self.sheet} ({self.created_at:%d/%m/%Y})"


def message_file_path(attachment, filename: str) -> str:
    """A random name: the user's file name is kept only for display (original_name)."""
    suffix = PurePath(filename).suffix.lower()
    return f"messages/{uuid.uuid4().hex}{suffix}"


class MessageAttachment(models.Model):
    """A file joined to a message, accepted by its content as the sheet's attachments are
    (projects.file_checks), downloaded through a view that checks who may see the thread."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to=message_file_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type de contenu", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")

    class Meta:
        verbose_name = "pièce jointe d'un message"
        verbose_name_plural = "pièces jointes des messages"
        ordering = ["message", "pk"]

    def __str__(self):
        return self.original_name
