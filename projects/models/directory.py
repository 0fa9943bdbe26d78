"""The directory: départements, districts, establishments, FOQUALE networks."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.urls import reverse

from aps.single_line import validate_single_line

from ..reference import uai_prefix
from ..uai import validate_uai


def validate_head_email_pattern(value: str) -> None:
    if value.count("{uai}") != 1:
        raise ValidationError(
            "L'adresse doit contenir {uai} une fois, par exemple ce.{uai}@ac-poitiers.fr."
        )
    try:
        validate_email(value.replace("{uai}", "0860001a"))
    except ValidationError:
        raise ValidationError(
            "Adresse invalide : {uai} remplacé par une UAI, ce doit être une adresse "
            "électronique (par exemple ce.{uai}@ac-poitiers.fr)."
        ) from None


class Academy(models.Model):
    """An académie: its départements, its SAIO (the service that runs the campaign) and its
    page. Created from ``projects.reference`` with its first département."""

    code = models.SlugField(
        "code", max_length=30, unique=True, help_text="Son nom de domaine : ac-<code>.fr."
    )
    name = models.CharField("nom", max_length=100, help_text="Par exemple Créteil.")
    of_name = models.CharField(
        "complément du nom",
        max_length=100,
        help_text="Ce qui suit « académie » : de Créteil, d'Aix-Marseille, de la Guadeloupe.",
    )
    saio_name = models.CharField("nom du SAIO", max_length=200, blank=True)
    saio_email = models.EmailField("contact du SAIO", blank=True)
    website = models.URLField("page de l'académie", blank=True)
    head_email_pattern = models.CharField(
        "adresse fonctionnelle des chefs d'établissement",
        max_length=100,
        blank=True,
        validators=[validate_head_email_pattern],
        help_text="Par exemple ce.{uai}@ac-poitiers.fr : {uai} est remplacé par l'UAI de "
        "l'établissement, en minuscules. Sert à créer et inviter les comptes des chefs "
        "d'établissement.",
    )

    class Meta:
        verbose_name = "académie"
        verbose_name_plural = "académies"
        ordering = ["name"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """ "académie de Créteil", "académie d'Aix-Marseille"."""
        return f"académie {self.of_name}"

    def head_email_for(self, uai: str) -> str:
        return self.head_email_pattern.replace("{uai}", uai.lower())


class Department(models.Model):
    """A département of an académie, with its DSDEN."""

    code = models.CharField("numéro", max_length=3, unique=True, help_text="Par exemple 93.")
    name = models.CharField("nom", max_length=100)
    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="departments", verbose_name="académie"
    )
    dsden_email = models.EmailField("boîte de contact de la DSDEN", blank=True)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def uai_prefix(self) -> str:
        """The first three characters of the UAIs of the département (``093`` for 93)."""
        return uai_prefix(self.code)


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


class Establishment(models.Model):
    class Kind(models.TextChoices):
        COLLEGE = "college", "Collège"
        LYCEE_GT = "lycee_gt", "Lycée général et technologique"
        LYCEE_POLYVALENT = "lycee_polyvalent", "Lycée polyvalent"
        LYCEE_PRO = "lycee_pro", "Lycée professionnel"
        LYCEE_AGRICOLE = "lycee_agricole", "Lycée agricole"
        EREA = "erea", "EREA"
        MFR = "mfr", "Maison familiale rurale"

    class Sector(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Privé sous contrat"

    uai = models.CharField("UAI", max_length=8, unique=True, validators=[validate_uai])
    name = models.CharField("nom", max_length=200, validators=[validate_single_line])
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    sector = models.CharField("secteur", max_length=10, choices=Sector.choices)
    city = models.CharField("commune", max_length=100, validators=[validate_single_line])
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

    # The name and city as the imported file writes them ("LYCEE POLYVALENT…"), kept apart
    # from the readable ``name`` and ``city`` shown everywhere (projects.names).
    official_name = models.CharField(
        "nom officiel", max_length=200, blank=True, help_text="Tel qu'importé de l'annuaire."
    )
    official_city = models.CharField(
        "commune (libellé officiel)",
        max_length=100,
        blank=True,
        help_text="Telle qu'importée de l'annuaire.",
    )

    # Name, city and UAI, folded (composed by ``projects.search``): what searches read.
    search_text = models.TextField(editable=False, default="")
    # The name's words folded (no case, accents, ligatures nor punctuation; composed by
    # ``projects.search``): the order of the directory and the lists, "Émile" between "Elsa"
    # and "Fanny".
    sort_name = models.CharField(editable=False, max_length=200, default="")

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["sort_name", "uai"]
        indexes = [
            models.Index(fields=["sort_name", "uai"], name="establishment_sort"),
            models.Index(fields=["department", "kind"], name="establishment_dept_kind"),
            models.Index(fields=["city"], name="establishment_city"),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def get_absolute_url(self):
        return reverse("projects:establishment_detail", kwargs={"uai": self.uai})

    @property
    def is_college(self) -> bool:
        return self.kind == self.Kind.COLLEGE

    @property
    def is_lycee(self) -> bool:
        return self.kind in (
            self.Kind.LYCEE_GT,
            self.Kind.LYCEE_POLYVALENT,
            self.Kind.LYCEE_PRO,
            self.Kind.LYCEE_AGRICOLE,
        )

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


class FoqualeNetwork(models.Model):
    """A FOQUALE network: establishments of a territory with a steering committee that
    pre-validates their projects. Its lead(s) are the users holding the network role."""

    name = models.CharField("nom", max_length=150, validators=[validate_single_line])
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
