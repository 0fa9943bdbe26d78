"""Who holds which role where: a membership is a (role, scope) of a user."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from aps.single_line import validate_single_line

from .directory import Academy, Department, District, Establishment, FoqualeNetwork

# The scope field each role requires ("" for the ministry, which covers every académie);
# every other scope field of the membership stays empty. Read by the database constraint and
# clean().
ROLE_SCOPE_FIELD = {
    "etablissement": "establishment",
    "chef_etablissement": "establishment",
    "reseau_foquale": "network",
    "mlds": "district",
    "dsden": "department",
    "academie": "academy",
    "national": "",
}
SCOPE_FIELDS = ("establishment", "network", "district", "department", "academy")


def scope_matches_role() -> Q:
    condition = Q()
    for role, required in ROLE_SCOPE_FIELD.items():
        condition |= Q(role=role, **{f"{f}__isnull": f != required for f in SCOPE_FIELDS})
    return condition


class Membership(models.Model):
    """A role held by a user over a scope. The scope's kind follows from the role."""

    class Role(models.TextChoices):
        STAFF = "etablissement", "Personnel d'établissement"
        HEAD = "chef_etablissement", "Chef·fe d'établissement"
        NETWORK_LEAD = "reseau_foquale", "Responsable de réseau FOQUALE"
        MLDS = "mlds", "Coordonnateur·rice-conseil MLDS"
        DSDEN = "dsden", "DSDEN"
        ACADEMIE = "academie", "Académie"
        NATIONAL = "national", "Ministère (toutes les académies)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="utilisateur",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="établissement",
    )
    network = models.ForeignKey(
        FoqualeNetwork,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="réseau FOQUALE",
    )
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="district",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="département",
    )
    academy = models.ForeignKey(
        Academy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="académie",
    )
    title = models.CharField(
        "fonction",
        max_length=100,
        blank=True,
        help_text="Par exemple : référent décrochage, CPE, principal adjoint.",
        validators=[validate_single_line],
    )

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                condition=scope_matches_role(),
                name="membership_scope_matches_role",
                violation_error_message="Le périmètre ne correspond pas au rôle.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "establishment"],
                condition=Q(establishment__isnull=False),
                name="membership_unique_establishment",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "network"],
                condition=Q(network__isnull=False),
                name="membership_unique_network",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(district__isnull=False),
                name="membership_unique_district",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=Q(department__isnull=False),
                name="membership_unique_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "academy"],
                condition=Q(academy__isnull=False),
                name="membership_unique_academy",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role="national"),
                name="membership_unique_national",
            ),
        ]

    def __str__(self):
        scope = self.scope
        label = self.get_role_display()
        return f"{label} — {scope}" if scope else label

    @property
    def scope(self):
        field = ROLE_SCOPE_FIELD.get(self.role)
        return getattr(self, field) if field else None

    @property
    def scope_label(self) -> str:
        return str(self.scope) if self.scope else "Toutes les académies"

    @property
    def academy_of(self) -> Academy | None:
        """The académie the membership lies in (None for the ministry's)."""
        scope = self.scope
        if scope is None:
            return None
        if isinstance(scope, Academy):
            return scope
        department = scope if isinstance(scope, Department) else scope.department
        return department.academy

    @property
    def is_establishment_role(self) -> bool:
        return self.role in (self.Role.STAFF, self.Role.HEAD)

    def clean(self):
        super().clean()
        required = ROLE_SCOPE_FIELD.get(self.role)
        errors = {}
        for field in SCOPE_FIELDS:
            is_set = getattr(self, f"{field}_id") is not None
            if field == required and not is_set:
                errors[field] = "Ce périmètre est obligatoire pour ce rôle."
            elif field != required and is_set:
                errors[field] = "Ce périmètre ne s'applique pas à ce rôle."
        if errors:
            raise ValidationError(errors)
