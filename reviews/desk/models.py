"""The reviewers' desk: who follows which sheet, when each reviewer last opened it, the
département's labels, and the commissions that decide on the sheets with proposed amounts.
None of it is ever shown to the establishment, the network or the MLDS."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aps.single_line import validate_single_line
from projects.models import Campaign, Department, ProjectSheet

ZERO = 0


class Assignment(models.Model):
    """The reviewer in charge of a sheet (one at most)."""

    sheet = models.OneToOneField(
        ProjectSheet, on_delete=models.CASCADE, related_name="assignment", verbose_name="fiche"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name="instructeur·rice",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    assigned_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "attribution à un·e instructeur·rice"
        verbose_name_plural = "attributions aux instructeurs"
        indexes = [models.Index(fields=["reviewer", "sheet"], name="assignment_reviewer")]

    def __str__(self):
        return f"{self.sheet} — {self.reviewer}"


class Follow(models.Model):
    """A reviewer following a sheet (several may follow one)."""

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "suivi"
        verbose_name_plural = "suivis"
        constraints = [models.UniqueConstraint(fields=["user", "sheet"], name="follow_unique")]

    def __str__(self):
        return f"{self.user} suit {self.sheet}"


class Visit(models.Model):
    """When a user last opened a sheet's page: what happened since is marked as new."""

    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField("vue le")

    class Meta:
        verbose_name = "consultation"
        verbose_name_plural = "consultations"
        constraints = [models.UniqueConstraint(fields=["user", "sheet"], name="visit_unique")]

    def __str__(self):
        return f"{self.user} — {self.sheet} ({self.seen_at:%d/%m/%Y %H:%M})"


class Label(models.Model):
    """A label of a département's reviewers ("Prêt pour la commission"), in a DSFR colour."""

    class Colour(models.TextChoices):
        # DSFR's illustrative colours (fr-badge--<key>).
        GREEN = "green-emeraude", "Vert émeraude"
        BLUE = "blue-ecume", "Bleu écume"
        PURPLE = "purple-glycine", "Violet glycine"
        PINK = "pink-tuile", "Rose tuile"
        YELLOW = "yellow-tournesol", "Jaune tournesol"
        ORANGE = "orange-terre-battue", "Orange terre battue"
        BROWN = "brown-cafe-creme", "Brun café crème"
        GREY = "beige-gris-galet", "Beige gris galet"

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="labels", verbose_name="département"
    )
    name = models.CharField("nom", max_length=60, validators=[validate_single_line])
    colour = models.CharField("couleur", max_length=30, choices=Colour.choices)
    sheets = models.ManyToManyField(
        ProjectSheet, through="SheetLabel", related_name="labels", blank=True
    )

    class Meta:
        verbose_name = "étiquette"
        verbose_name_plural = "étiquettes"
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"],
                name="label_unique_name",
                violation_error_message="Ce département a déjà une étiquette de ce nom.",
            )
        ]

    def __str__(self):
        return self.name


class SheetLabel(models.Model):
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "étiquette d'une fiche"
        verbose_name_plural = "étiquettes des fiches"
        constraints = [
            models.UniqueConstraint(fields=["label", "sheet"], name="sheet_label_unique")
        ]
        indexes = [models.Index(fields=["sheet", "label"], name="sheet_label_sheet")]

    def __str__(self):
        return f"{self.label} — {self.sheet}"


class Commission(models.Model):
    """A commission of a département that decides on a set of sheets, for one kind of means:
    the credits (before 10 July) or the HSE and IMP (in October)."""

    class Means(models.TextChoices):
        CREDITS = "credits", "Crédits (€)"
        HOURS = "hse_imp", "HSE et IMP"

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="commissions", verbose_name="département"
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="commissions", verbose_name="campagne"
    )
    date = models.DateField("date de la commission")
    means = models.CharField("moyens examinés", max_length=10, choices=Means.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    sheets = models.ManyToManyField(
        ProjectSheet, through="CommissionSheet", related_name="commissions", blank=True
    )

    class Meta:
        verbose_name = "commission"
        verbose_name_plural = "commissions"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["department", "-date"], name="commission_department")]

    def __str__(self):
        return f"Commission {self.get_means_display()} du {self.date:%d/%m/%Y} — {self.department}"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of means it proposes and grants (the sheets' ``requested_<kind>``)."""
        return ("euros",) if self.means == self.Means.CREDITS else ("hse", "imp")


class CommissionSheet(models.Model):
    """A sheet on a commission's agenda, with the amounts its reviewers propose (each at most
    what the sheet requests; empty until proposed)."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="items")
    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField("rang", default=0)
    proposed_euros = models.DecimalField(
        "euros proposés", max_digits=12, decimal_places=2, null=True, blank=True
    )
    proposed_hse = models.DecimalField(
        "HSE proposées", max_digits=10, decimal_places=2, null=True, blank=True
    )
    proposed_imp = models.DecimalField(
        "IMP proposées", max_digits=6, decimal_places=2, null=True, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "fiche d'une commission"
        verbose_name_plural = "fiches des commissions"
        ordering = ["commission", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "sheet"], name="commission_sheet_unique"),
            models.CheckConstraint(
                condition=(Q(proposed_euros__isnull=True) | Q(proposed_euros__gte=ZERO))
                & (Q(proposed_hse__isnull=True) | Q(proposed_hse__gte=ZERO))
                & (Q(proposed_imp__isnull=True) | Q(proposed_imp__gte=ZERO)),
                name="commission_proposal_positive",
                violation_error_message="Un montant proposé ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.sheet} — {self.commission}"

    @property
    def is_proposed(self) -> bool:
        return self.proposed_at is not None


class StatisticsCells(models.Model):
    """The statistics' grouped counts of a campaign for one set of départements (a DSDEN's,
    an académie's, every one), with their median delay, kept for the next views by every
    process: ``reviews.desk.statistics_store`` serves them while no filed sheet of these
    départements changed since, and computes them again otherwise."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    # The départements' ids, sorted, joined by commas ("2,5,7").
    departments = models.TextField()
    # The latest ``updated_at`` of the filed sheets they were computed from (none filed: none).
    watermark = models.DateTimeField(null=True)
    computed_at = models.DateTimeField()
    # {"columns": [...], "rows": [[...], ...], "median_days": float | None}; amounts as text.
    figures = models.JSONField()

    class Meta:
        verbose_name = "statistiques calculées"
        verbose_name_plural = "statistiques calculées"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "departments"], name="statistics_cells_unique"
            )
        ]

    def __str__(self):
        return f"{self.campaign} — {self.departments} ({self.computed_at:%d/%m/%Y %H:%M})"
