"""The directory (départements, districts, establishments, FOQUALE networks), who holds which
role where (memberships) and the campaigns."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from aps.text import searchable

from ..uai import validate_uai


class Department(models.Model):
    """A département of the académie, with its DSDEN."""

    code = models.CharField("numéro", max_length=3, unique=True, help_text="Par exemple 93.")
    name = models.CharField("nom", max_length=100)
    dsden_email = models.EmailField("boîte de contact de la DSDEN", blank=True)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def uai_prefix(self) -> str:
        """The first three digits of the UAIs of the département (``093`` for 93)."""
        return self.code.zfill(3)


class District(models.Model):
    """A part of a département followed by one MLDS coordinator-adviser."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="districts", verbose_name="département"
    )
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "district"
        verbose_name_plural = "districts"
        ordering = ["department__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="district_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.department.code})"


class SheetCarrier(models.Model):
    """An establishment or a network: the list's search finds its sheets by its name (and
    city, UAI), copied on each sheet, which a change of the carrier brings up to date."""

    class Meta:
        abstract = True

    SEARCHED_FIELDS = {"name"}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        searched = update_fields is None or self.SEARCHED_FIELDS & set(update_fields)
        updating = not self._state.adding
        super().save(*args, **kwargs)
        if updating and searched:
            self.sheets.refresh_search_text()


class Establishment(SheetCarrier):
    SEARCHED_FIELDS = {"name", "city", "uai"}

    class Kind(models.TextChoices):
        COLLEGE = "college", "Collège"
        LYCEE_GT = "lycee_gt", "Lycée général et technologique"
        LYCEE_POLYVALENT = "lycee_polyvalent", "Lycée polyvalent"
        LYCEE_PRO = "lycee_pro", "Lycée professionnel"

    class Sector(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Privé sous contrat"

    uai = models.CharField("UAI", max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    sector = models.CharField("secteur", max_length=10, choices=Sector.choices)
    city = models.CharField("commune", max_length=100)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="establishments",
        verbose_name="département",
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="establishments",
        verbose_name="district",
    )

    # Name, city and UAI (``aps.text.searchable``): what the directory's search reads.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["name", "uai"]
        indexes = [
            models.Index(fields=["department", "kind"], name="establishment_dept_kind"),
            models.Index(fields=["city"], name="establishment_city"),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def save(self, *args, **kwargs):
        self.search_text = self.composed_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.SEARCHED_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("projects:establishment_detail", kwargs={"uai": self.uai})

    def composed_search_text(self) -> str:
        return searchable(self.name, self.city, self.uai)

    @property
    def is_college(self) -> bool:
        return self.kind == self.Kind.COLLEGE

    def clean(self):
        super().clean()
        if self.uai and self.department_id and not self.uai.startswith(self.department.uai_prefix):
            raise ValidationError(
                {
                    "uai": f"L'UAI doit commencer par {self.department.uai_prefix} "
                    f"pour le département {self.department}."
                }
            )
        if (
            self.district_id
            and self.department_id
            and (self.district.department_id != self.department_id)
        ):
            raise ValidationError({"district": "Ce district n'est pas dans le département."})


class FoqualeNetwork(SheetCarrier):
    """A FOQUALE network: establishments of a territory with a steering committee that
    pre-validates their projects. Its lead(s) are the users holding the network role."""

    name = models.CharField("nom", max_length=150)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="foquale_networks",
        verbose_name="département",
    )
    lead_establishment = models.ForeignKey(
        Establishment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_networks",
        verbose_name="établissement pilote",
        help_text="L'établissement dont le chef ou la cheffe pilote le réseau.",
    )
    members = models.ManyToManyField(
        Establishment,
        related_name="foquale_networks",
        verbose_name="établissements membres",
        blank=True,
    )

    class Meta:
        verbose_name = "réseau FOQUALE"
        verbose_name_plural = "réseaux FOQUALE"
        ordering = ["department__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="network_unique_name"),
        ]

    def __str__(self):
        return self.name

    def leads(self):
        """The users who lead the network (holders of the network role)."""
        return [m.user for m in self.memberships.all() if m.role == Membership.Role.NETWORK_LEAD]


# The scope field each role requires ("" for the académie, which covers everything); every
# other scope field of the membership stays empty. Read by the database constraint and clean().
ROLE_SCOPE_FIELD = {
    "etablissement": "establishment",
    "chef_etablissement": "establishment",
    "reseau_foquale": "network",
    "mlds": "district",
    "dsden": "department",
    "academie": "",
}
SCOPE_FIELDS = ("establishment", "network", "district", "department")


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
    title = models.CharField(
        "fonction",
        max_length=100,
        blank=True,
        help_text="Par exemple : référent décrochage, CPE, principal adjoint.",
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
                fields=["user", "role"],
                condition=Q(role="academie"),
                name="membership_unique_academie",
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
        return str(self.scope) if self.scope else "Toute l'académie"

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
