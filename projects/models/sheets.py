"""The project sheet (fiche projet), its numbered objectives and criteria, its attachments."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import get_script_prefix, reverse

from aps.single_line import validate_single_line

from .campaigns import Campaign
from .directory import Establishment, FoqualeNetwork

MAX_OBJECTIVES = 3
MAX_CRITERIA = 3


_ANY_PK = "2147483647"


@functools.cache
def _sheet_url(prefix: str) -> str:
    """A sheet's address with ``_ANY_PK`` for its number, resolved once per script prefix:
    lists and e-mails write one per row, and ``reverse`` walks the URLconf each time."""
    return reverse("reviews:sheet_detail", kwargs={"pk": int(_ANY_PK)})


class Status(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposé — en attente de l'avis du réseau FOQUALE"
    IN_REVIEW = "in_review", "À l'étude à la DSDEN"
    NEEDS_INFO = "needs_info", "Soumis à la DSDEN, en attente de précisions / documents"
    VALIDATED = "validated", "Projet validé"
    REJECTED = "rejected", "Projet non validé"
    WITHDRAWN = "withdrawn", "Retiré"


# Groups of states the sheet's own rules need; the workflow's table (reviews.workflow.table)
# names them with the groups of transitions.
# The carrier may edit the sheet: a draft, or a sheet on which the DSDEN awaits precisions.
EDITABLE_STATES = frozenset({Status.DRAFT, Status.NEEDS_INFO})
# The action is funded: its grant stands (a reopening suspends it) and its bilan is due.
FUNDED_STATES = frozenset({Status.VALIDATED})
# The sheet was filed, so it has the date of its first submission (a database constraint).
FILED_STATES = frozenset(
    {Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO, Status.VALIDATED, Status.REJECTED}
)


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def _action_type_label(kind: str, key: str, sheet) -> str:
    from ..action_types import label

    return label(kind, key, sheet.department.academy_id) if key else ""


class ProjectSheet(models.Model):
    Status = Status

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="sheets", verbose_name="campagne"
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name="établissement porteur",
    )
    network = models.ForeignKey(
        FoqualeNetwork,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name="réseau FOQUALE porteur",
    )
    # Copied from the carrier at creation (a carrier never changes département): every
    # DSDEN list and statistic filters on it without joining two tables.
    department = models.ForeignKey(
        "projects.Department",
        on_delete=models.PROTECT,
        related_name="sheets",
        verbose_name="département",
        editable=False,
    )
    title = models.CharField("titre de l'action", max_length=200, validators=[validate_single_line])
    is_renewal = models.BooleanField(
        "renouvellement",
        default=False,
        help_text="L'action a déjà été menée une année précédente.",
    )
    renewal_of = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name="fiche de l'année précédente",
    )

    # Diagnostic
    problem = models.TextField(
        "problématique",
        blank=True,
        help_text="La problématique de l'établissement ou du district à laquelle répond l'action.",
    )
    qualitative_indicators = models.TextField(
        "indicateurs qualitatifs",
        blank=True,
        help_text="Problématiques récurrentes, bilans des conseils de classe, retours du GPDS…",
    )
    quantitative_indicators = models.TextField(
        "indicateurs quantitatifs",
        blank=True,
        help_text="Taux d'absentéisme, exclusions de cours, retards, passages à l'infirmerie, "
        "tests de positionnement, résultats…",
    )
    # The GPDS (groupe de prévention du décrochage scolaire) associated to the project, or not.
    gpds_associated = models.CharField(
        "GPDS associé au projet",
        max_length=3,
        choices=[("oui", "Oui"), ("non", "Non")],
        blank=True,
        help_text="Le groupe de prévention du décrochage scolaire de l'établissement a-t-il été "
        "consulté sur le projet ?",
    )
    gpds_consulted_on = models.DateField(
        "date de la consultation du GPDS",
        null=True,
        blank=True,
        help_text="La réunion du GPDS où le projet a été présenté.",
    )
    # Champ and typology
    # Keys of the académie's lists (ActionType); their labels: field_label, typology_label.
    field = models.CharField("champ", max_length=30, blank=True)
    typology = models.CharField("typologie d'action", max_length=30, blank=True)
    # Public
    expected_pupils = models.PositiveSmallIntegerField(
        "nombre prévisionnel d'élèves", null=True, blank=True
    )
    pupil_levels = models.CharField(
        "niveaux",
        max_length=200,
        blank=True,
        help_text="Par exemple : 4e et 3e, 2de pro.",
        validators=[validate_single_line],
    )
    pupil_profiles = models.TextField("profils des élèves", blank=True)
    identification = models.TextField(
        "critères et moyens de repérage",
        blank=True,
        help_text="Comment les élèves sont repérés : suivi par le GPDS, saisie dans "
        "Parcours En Ligne…",
    )
    # Organisation and calendar
    organisation = models.TextField(
        "modalités organisationnelles",
        blank=True,
        help_text="Emploi du temps, déroulement, lieu…",
    )
    start_date = models.DateField("date de lancement", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    key_moments = models.TextField("temps forts", blank=True)
    # Staff and partners
    staff_count = models.PositiveSmallIntegerField(
        "nombre de personnels mobilisés", null=True, blank=True
    )
    staff_roles = models.TextField(
        "qualité des personnels mobilisés",
        blank=True,
        help_text="Fonctions des personnes : professeurs, CPE, assistant social, coordinateur…",
    )
    partners = models.TextField(
        "partenaires associés",
        blank=True,
        help_text="Associations, collectivités, entreprises… et leur rôle dans l'action.",
    )
    # Means
    means_use = models.TextField(
        "utilisation envisagée des moyens demandés",
        blank=True,
        help_text="À quoi serviront les euros, HSE et IMP demandés à la DSDEN.",
    )

    # Copies of the estimate's totals, so that lists filter and sort on the means requested
    # without a join. One writer: ``funding.services.estimate_write``, with the estimate.
    requested_euros = models.DecimalField(
        "crédits demandés (€)", max_digits=12, decimal_places=2, default=0, editable=False
    )
    requested_hse = models.DecimalField(
        "HSE demandées", max_digits=10, decimal_places=2, default=0, editable=False
    )
    requested_imp = models.DecimalField(
        "IMP demandées", max_digits=6, decimal_places=2, default=0, editable=False
    )

    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The first submission, so that lists show and sort on it without reading the history.
    # One writer: the workflow's submission, in the same UPDATE as the state; a database
    # constraint keeps every state past the draft dated (``sheet_filed_is_dated``).
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True, editable=False)
    # When the sheet last came (back) to the DSDEN (submission, the network's opinion, an
    # answer to a request, a reopening): since then it waits for an answer. One writer: the
    # workflow's transitions (``reviews.workflow.services``), in the same UPDATE as the state.
    arrived_at = models.DateTimeField("à la DSDEN depuis le", null=True, blank=True, editable=False)
    # The DSDEN's first answer (validation, request for precisions, refusal), for the
    # statistics' delay. One writer: the workflow's transitions.
    first_answered_at = models.DateTimeField(
        "première réponse le", null=True, blank=True, editable=False
    )
    # The last thing that happened on the sheet for its reviewers, from outside the DSDEN
    # (submission, resubmission, opinion, advice, message, bilan): a reviewer who opened the
    # sheet before it sees it marked as new. One writer: ``reviews.workflow.activity``.
    activity_at = models.DateTimeField(
        "dernière nouvelle le", null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="modifiée par",
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    # The title and the carrier's name, city and UAI as folded words: what the list's search
    # reads. Composed and refreshed by ``projects.search`` only.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "fiche projet"
        verbose_name_plural = "fiches projet"
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(establishment__isnull=False, network__isnull=True)
                | Q(establishment__isnull=True, network__isnull=False),
                name="sheet_one_carrier",
                violation_error_message=(
                    "Une fiche est portée par un établissement ou par un réseau FOQUALE, "
                    "jamais les deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(renewal_of__isnull=True) | Q(is_renewal=True),
                name="sheet_renewal_flag",
                violation_error_message="Une fiche liée à une autre est un renouvellement.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(FILED_STATES)) | Q(submitted_at__isnull=False),
                name="sheet_filed_is_dated",
                violation_error_message="Une fiche déposée garde la date de son premier dépôt.",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="sheet_dates_in_order",
                violation_error_message="La date de fin précède la date de lancement.",
            ),
        ]
        indexes = [
            # On PostgreSQL, a twin of this index also holds the columns the list filters,
            # sorts and searches on (migrations 0006, 0008): the list's counts and pages are
            # read from it alone.
            models.Index(fields=["campaign", "department", "status"], name="sheet_campaign_dept"),
            # The lists show the most recently changed sheets first, a page at a time: these
            # let PostgreSQL read them in order instead of sorting a département's sheets.
            models.Index(
                fields=["department", "campaign", "-updated_at", "-id"],
                name="sheet_dept_campaign_recent",
            ),
            models.Index(fields=["department", "-updated_at", "-id"], name="sheet_dept_recent"),
            # Sorted by title, or by submission from the oldest (PostgreSQL reads the index
            # forwards or backwards and sorts only the ties; from the newest, drafts last:
            # migration 0009).
            models.Index(
                fields=["department", "campaign", "submitted_at"], name="sheet_dept_submitted"
            ),
            models.Index(fields=["department", "campaign", "title"], name="sheet_dept_title"),
            models.Index(fields=["-updated_at", "-id"], name="sheet_recent"),
            # The DSDEN's home: the sheets waiting for its answer (the sources of its answers,
            # reviews.workflow.table.AWAITING_ANSWER, in the order the home's query lists
            # them), the longest waiting first, read in order instead of sorting a
            # département's waiting sheets.
            models.Index(
                fields=["department", "arrived_at", "id"],
                name="sheet_awaiting_answer",
                condition=Q(status__in=["in_review", "submitted"]),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return _sheet_url(get_script_prefix()).replace(_ANY_PK, str(self.pk))

    # The labels of the choices, in place of Django's generated get_FOO_display, which builds
    # a dict of every choice at each call: lists and exports call these for every row.
    def get_status_display(self) -> str:
        return _label(self.Status, self.status)

    # The champ and typology are keys of the académie's lists (projects.action_types).
    def get_typology_display(self) -> str:
        return _action_type_label("typology", self.typology, self)

    def get_field_display(self) -> str:
        return _action_type_label("field", self.field, self)

    @property
    def carrier(self):
        return self.establishment or self.network

    @property
    def carrier_label(self) -> str:
        if self.network_id:
            return "Réseau FOQUALE"
        if self.establishment.is_college:
            return "Collège"
        if self.establishment.is_lycee:
            return "Lycée"
        return self.establishment.get_kind_display()  # EREA, maison familiale rurale

    @property
    def district(self):
        return self.establishment.district if self.establishment_id else None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class NumberedText(models.Model):
    """One of the (at most three) numbered lines of a sheet: objectives, criteria."""

    position = models.PositiveSmallIntegerField("rang")
    text = models.TextField("texte")

    class Meta:
        abstract = True
        ordering = ["sheet", "position"]

    def __str__(self):
        return f"{self.position}. {self.text}"


class Objective(NumberedText):
    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="objectives")

    class Meta(NumberedText.Meta):
        verbose_name = "objectif"
        verbose_name_plural = "objectifs"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "position"], name="objective_unique_rank"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_OBJECTIVES),
                name="objective_at_most_three",
                violation_error_message="Trois objectifs au maximum.",
            ),
        ]


class EvaluationCriterion(NumberedText):
    sheet = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="criteria")

    class Meta(NumberedText.Meta):
        verbose_name = "critère d'évaluation"
        verbose_name_plural = "critères d'évaluation"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "position"], name="criterion_unique_rank"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=MAX_CRITERIA),
                name="criterion_at_most_three",
                violation_error_message="Trois critères d'évaluation au maximum.",
            ),
        ]
