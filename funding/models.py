"""Means: rates per campaign, the cost estimate of a sheet and its lines, grants, envelopes.

Money and hours are Decimal. The estimate's totals are computed by ``funding.estimate`` and
stored on ``Estimate`` when the lines are saved, so that lists and statistics read them
without summing lines.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from aps.numbers import euros
from aps.single_line import validate_single_line
from projects.models import Academy, Attachment, Campaign, Department, ProjectSheet

ZERO = Decimal("0")
DEFAULT_IMP_FRACTIONS = ["0.25", "0.5", "1", "2", "3"]


def validate_fractions(value) -> None:
    try:
        fractions = [Decimal(str(v)) for v in value]
    except (TypeError, ArithmeticError):
        raise ValidationError("Liste de fractions attendue, par exemple 0.25, 0.5, 1.") from None
    if not fractions or any(
        not Decimal("0.25") <= f <= Decimal("99.99") or f != f.quantize(Decimal("0.01"))
        for f in fractions
    ):
        raise ValidationError(
            "Chaque part d'IMP est comprise entre 0,25 et 99,99, avec deux décimales au plus."
        )
    if len(set(fractions)) != len(fractions):
        raise ValidationError("Une part d'IMP figure deux fois.")


class Rates(models.Model):
    """The académie's rules for turning a plan into means, for one campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="rate_sets", verbose_name="campagne"
    )
    academy = models.ForeignKey(
        Academy,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rate_sets",
        verbose_name="académie",
        help_text="Vide : le barème de la campagne, pour toute académie sans barème propre.",
    )
    face_to_face_hours_per_hse = models.DecimalField(
        "heures de face-à-face pour 1 HSE", max_digits=4, decimal_places=2, default=Decimal("1")
    )
    peripheral_hours_per_hse = models.DecimalField(
        "heures périphériques pour 1 HSE", max_digits=4, decimal_places=2, default=Decimal("2")
    )
    hse_euro_rate = models.DecimalField(
        "taux d'une HSE (€, estimation)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("40.00"),
        help_text="Sert seulement à donner un équivalent en euros.",
    )
    imp_annual_base = models.DecimalField(
        "montant annuel d'une IMP (€)", max_digits=8, decimal_places=2, default=Decimal("1250.00")
    )
    imp_fractions = models.JSONField(
        "fractions d'IMP autorisées",
        default=list,
        validators=[validate_fractions],
        help_text='Par exemple ["0.25", "0.5", "1", "2", "3"].',
    )

    class Meta:
        verbose_name = "barème"
        verbose_name_plural = "barèmes"
        constraints = [
            models.CheckConstraint(
                condition=Q(face_to_face_hours_per_hse__gt=0)
                & Q(peripheral_hours_per_hse__gt=0)
                & Q(hse_euro_rate__gte=0)
                & Q(imp_annual_base__gte=0),
                name="rates_positive",
                violation_error_message="Les barèmes doivent être positifs.",
            ),
            models.UniqueConstraint(
                fields=["campaign", "academy"],
                name="rates_unique_academy",
                violation_error_message="Cette académie a déjà son barème pour la campagne.",
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(academy__isnull=True),
                name="rates_unique_default",
                violation_error_message="La campagne a déjà son barème par défaut.",
            ),
        ]

    def __str__(self):
        owner = f" — {self.academy}" if self.academy_id else ""
        return f"Barème {self.campaign.school_year}{owner}"

    @property
    def fractions(self) -> list[Decimal]:
        return sorted(Decimal(str(v)) for v in (self.imp_fractions or DEFAULT_IMP_FRACTIONS))


class Estimate(models.Model):
    """The cost estimate of a sheet: its lines and their stored totals."""

    sheet = models.OneToOneField(
        ProjectSheet, on_delete=models.CASCADE, related_name="estimate", verbose_name="fiche"
    )
    total_hours = models.DecimalField("heures", max_digits=10, decimal_places=2, default=ZERO)
    total_hse = models.DecimalField("HSE demandées", max_digits=10, decimal_places=2, default=ZERO)
    hse_euros = models.DecimalField(
        "équivalent € des HSE", max_digits=12, decimal_places=2, default=ZERO
    )
    total_imp = models.DecimalField("IMP demandées", max_digits=6, decimal_places=2, default=ZERO)
    imp_euros = models.DecimalField(
        "montant des IMP (€)", max_digits=12, decimal_places=2, default=ZERO
    )
    total_euros = models.DecimalField(
        "crédits demandés (€)", max_digits=12, decimal_places=2, default=ZERO
    )
    updated_at = models.DateTimeField("mise à jour", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "estimation du coût"
        verbose_name_plural = "estimations du coût"

    def __str__(self):
        return f"Estimation — {self.sheet}"

    @property
    def overall_euros(self) -> Decimal:
        """Euro equivalent of everything requested: credits, HSE and IMP."""
        return self.total_euros + self.hse_euros + self.imp_euros


class HseLine(models.Model):
    class Speaker(models.TextChoices):
        TENURED = "titulaire", "Enseignant titulaire"
        CONTRACT = "contractuel", "Enseignant contractuel"
        OUTSIDE = "exterieur", "Intervenant extérieur"

    class Hour(models.TextChoices):
        FACE_TO_FACE = "face", "Face-à-face pédagogique"
        PERIPHERAL = "peripherique", "Périphérique (coordination, suivi, tutorat)"

    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="hse_lines")
    position = models.PositiveSmallIntegerField("rang")
    activity = models.CharField("activité", max_length=200, validators=[validate_single_line])
    speaker = models.CharField("intervenant", max_length=20, choices=Speaker.choices)
    hour_kind = models.CharField("type d'heure", max_length=20, choices=Hour.choices)
    weeks = models.PositiveSmallIntegerField("semaines")
    hours_per_week = models.DecimalField("heures par semaine", max_digits=5, decimal_places=2)
    speakers = models.PositiveSmallIntegerField("intervenants", default=1)

    class Meta:
        verbose_name = "ligne HSE"
        verbose_name_plural = "lignes HSE"
        ordering = ["estimate", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__gte=1, weeks__lte=52)
                & Q(hours_per_week__gt=0, hours_per_week__lte=60)
                & Q(speakers__gte=1, speakers__lte=50),
                name="hse_line_bounds",
                violation_error_message="Semaines, heures et intervenants hors des limites.",
            )
        ]

    def __str__(self):
        return f"{self.activity} ({self.get_hour_kind_display()})"


class ImpLine(models.Model):
    class Mission(models.TextChoices):
        COORDINATION = "coordination", "Coordination"
        TUTORING = "tutorat", "Tutorat"
        OTHER = "autre", "Autre mission"

    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="imp_lines")
    position = models.PositiveSmallIntegerField("rang")
    mission = models.CharField("mission", max_length=20, choices=Mission.choices)
    fraction = models.DecimalField("fraction d'IMP", max_digits=4, decimal_places=2)
    beneficiary = models.CharField(
        "bénéficiaire", max_length=150, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = "ligne IMP"
        verbose_name_plural = "lignes IMP"
        ordering = ["estimate", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fraction__gte=Decimal("0.25")) & ~Q(beneficiary=""),
                name="imp_line_share_and_beneficiary",
                violation_error_message="Une part d'IMP vaut au moins ¼ et nomme son bénéficiaire.",
            )
        ]

    def __str__(self):
        return f"{self.fraction} IMP — {self.beneficiary}"


class EuroLine(models.Model):
    class Nature(models.TextChoices):
        TOOLS = "outils", "Outils pédagogiques"
        PROVIDER = "prestataire", "Prestation de service"
        OTHER = "autre", "Autre dépense"

    estimate = models.ForeignKey(Estimate, on_delete=models.CASCADE, related_name="euro_lines")
    position = models.PositiveSmallIntegerField("rang")
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    label = models.CharField("libellé", max_length=200, validators=[validate_single_line])
    amount = models.DecimalField("montant (€)", max_digits=10, decimal_places=2)
    quote = models.ForeignKey(
        Attachment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="euro_lines",
        verbose_name="devis",
    )
    # A service provider's convention is voted by the conseil d'administration: the date of
    # the vote, or empty ("convention à voter"), then asked before the bilan.
    ca_voted_on = models.DateField("vote du conseil d'administration", null=True, blank=True)

    class Meta:
        verbose_name = "ligne en euros"
        verbose_name_plural = "lignes en euros"
        ordering = ["estimate", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=Decimal("1000000")),
                name="euro_line_amount_positive",
                violation_error_message="Le montant doit être positif.",
            )
        ]

    def __str__(self):
        return f"{self.label} : {euros(self.amount)}"

    @property
    def is_provider(self) -> bool:
        """A service provider's line: its convention is voted by the conseil d'administration."""
        return self.nature == self.Nature.PROVIDER

    @property
    def awaits_vote(self) -> bool:
        return self.is_provider and self.ca_voted_on is None


class Cofunding(models.Model):
    """Other funding the action mobilises beside what it asks the DSDEN (the vadémécum: the
    school's own HSE/IMP or PACTE, the Région, the FSE, the politique de la ville, local
    authorities, foundations), obtained or requested."""

    class Source(models.TextChoices):
        SCHOOL_HOURS = "etablissement", "HSE / IMP de l'établissement"
        PACTE = "pacte", "Pacte enseignant"
        REGION = "region", "Région"
        FSE = "fse", "Fonds social européen (FSE)"
        CITY_POLICY = "politique_ville", "Politique de la ville"
        LOCAL_AUTHORITY = "collectivite", "Autre collectivité territoriale"
        FOUNDATION = "fondation", "Fondation, mécénat"
        OTHER = "autre", "Autre"

    class Standing(models.TextChoices):
        OBTAINED = "obtenu", "Obtenu"
        REQUESTED = "demande", "Demandé"

    sheet = models.ForeignKey(
        ProjectSheet, on_delete=models.CASCADE, related_name="cofundings", verbose_name="fiche"
    )
    position = models.PositiveSmallIntegerField("rang")
    source = models.CharField("source", max_length=20, choices=Source.choices)
    detail = models.CharField(
        "précision", max_length=200, blank=True, validators=[validate_single_line]
    )
    euros = models.DecimalField("montant (€)", max_digits=10, decimal_places=2, null=True)
    hours = models.DecimalField("heures", max_digits=8, decimal_places=2, null=True)
    standing = models.CharField("état", max_length=10, choices=Standing.choices)

    class Meta:
        verbose_name = "cofinancement"
        verbose_name_plural = "cofinancements"
        ordering = ["sheet", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(euros__gt=0) | Q(hours__gt=0))
                & (Q(euros__isnull=True) | Q(euros__gte=0))
                & (Q(hours__isnull=True) | Q(hours__gte=0)),
                name="cofunding_has_an_amount",
                violation_error_message="Indiquez un montant ou un nombre d'heures.",
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()} ({self.get_standing_display().lower()})"


class Grant(models.Model):
    """Means granted to a sheet by the DSDEN; each kind at most what was requested (the
    requested amounts are copied from the estimate when the grant is written)."""

    sheet = models.OneToOneField(
        ProjectSheet, on_delete=models.CASCADE, related_name="grant", verbose_name="fiche"
    )
    requested_euros = models.DecimalField("euros demandés", max_digits=12, decimal_places=2)
    requested_hse = models.DecimalField("HSE demandées", max_digits=10, decimal_places=2)
    requested_imp = models.DecimalField("IMP demandées", max_digits=6, decimal_places=2)
    euros = models.DecimalField("euros accordés", max_digits=12, decimal_places=2, default=ZERO)
    hse = models.DecimalField("HSE accordées", max_digits=10, decimal_places=2, default=ZERO)
    imp = models.DecimalField("IMP accordées", max_digits=6, decimal_places=2, default=ZERO)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="accordé par",
    )
    granted_at = models.DateTimeField("accordé le", auto_now=True)

    class Meta:
        verbose_name = "attribution"
        verbose_name_plural = "attributions"
        constraints = [
            models.CheckConstraint(
                condition=Q(euros__gte=0, hse__gte=0, imp__gte=0)
                & Q(euros__lte=F("requested_euros"))
                & Q(hse__lte=F("requested_hse"))
                & Q(imp__lte=F("requested_imp")),
                name="grant_within_request",
                violation_error_message="Un montant accordé dépasse le montant demandé.",
            )
        ]

    def __str__(self):
        return f"Attribution — {self.sheet}"

    @property
    def is_partial(self) -> bool:
        return (
            self.euros < self.requested_euros
            or self.hse < self.requested_hse
            or self.imp < self.requested_imp
        )


class Envelope(models.Model):
    """The means a département may grant during a campaign."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="envelopes", verbose_name="campagne"
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="envelopes", verbose_name="département"
    )
    euros = models.DecimalField("crédits (€)", max_digits=12, decimal_places=2, default=ZERO)
    hse = models.DecimalField("HSE", max_digits=10, decimal_places=2, default=ZERO)
    imp = models.DecimalField("IMP", max_digits=8, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = "enveloppe"
        verbose_name_plural = "enveloppes"
        ordering = ["-campaign__school_year", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department"], name="envelope_unique"),
            models.CheckConstraint(
                condition=Q(euros__gte=0, hse__gte=0, imp__gte=0),
                name="envelope_positive",
                violation_error_message="Une enveloppe ne peut pas être négative.",
            ),
        ]

    def __str__(self):
        return f"Enveloppe {self.department} — {self.campaign.school_year}"
