"""The champs and typologies of action a sheet chooses from: data, per académie and campaign.

The vadémécum's list is the default (no académie, no campaign); an académie may give its own
list, for every campaign or for one, and its list replaces the default one for it. A typology
may be a sub-type of another (PAFI-TDO under PAFI). A sheet stores the key it chose; its label
is read from the list (``projects.action_types``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from aps.single_line import validate_single_line

from .campaigns import Campaign
from .directory import Academy


class ActionType(models.Model):
    class Kind(models.TextChoices):
        FIELD = "field", "Champ"
        TYPOLOGY = "typology", "Typologie d'action"

    kind = models.CharField("liste", max_length=10, choices=Kind.choices)
    key = models.SlugField(
        "clé",
        max_length=30,
        help_text="Identifiant enregistré sur les fiches (lettres, chiffres, tirets) : ne le "
        "changez plus une fois des fiches déposées.",
    )
    label = models.CharField("libellé", max_length=200, validators=[validate_single_line])
    description = models.TextField(
        "description", blank=True, help_text="Affichée dans le guide et l'aide de la fiche."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_types",
        verbose_name="sous-type de",
        help_text="Par exemple PAFI-TDO, sous-type du PAFI.",
    )
    academy = models.ForeignKey(
        Academy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_types",
        verbose_name="académie",
        help_text="Vide : la liste par défaut (vadémécum), pour toute académie sans liste propre.",
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_types",
        verbose_name="campagne",
        help_text="Vide : toutes les campagnes.",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "type d'action"
        verbose_name_plural = "types d'action (champs et typologies)"
        ordering = ["kind", "academy__name", "campaign__school_year", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "academy", "campaign"],
                name="action_type_unique_key",
                violation_error_message="Cette clé existe déjà dans cette liste.",
            ),
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(academy__isnull=True, campaign__isnull=True),
                name="action_type_unique_default_key",
                violation_error_message="Cette clé existe déjà dans la liste par défaut.",
            ),
            models.UniqueConstraint(
                fields=["kind", "key", "academy"],
                condition=Q(campaign__isnull=True),
                name="action_type_unique_academy_key",
                violation_error_message="Cette clé existe déjà dans la liste de l'académie.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="typology"),
                name="action_type_sub_types_are_typologies",
                violation_error_message="Seule une typologie a des sous-types.",
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget()
        return result

    def clean(self):
        super().clean()
        parent = self.parent
        if parent is None:
            return
        if parent.parent_id is not None:
            raise ValidationError({"parent": "Un sous-type ne peut pas avoir de sous-type."})
        same_list = (parent.kind, parent.academy_id, parent.campaign_id) == (
            self.kind,
            self.academy_id,
            self.campaign_id,
        )
        if not same_list:
            raise ValidationError(
                {"parent": "Le type parent doit être de la même liste (académie, campagne)."}
            )


def _forget() -> None:
    from ..action_types import forget

    forget()
