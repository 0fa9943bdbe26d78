"""The set-up page ("Mise en route"): for an académie and the current campaign, what is ready
and what is missing before the campaign opens, each step with its figures and the page where
it is done. Read-only: every step is done in the administration, by its imports and actions."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse

from aps.models import AccountState
from aps.numbers import euros, quantity
from aps.text import counted
from funding.models import Envelope, Rates
from projects import action_types
from projects.campaigns import calendar_for
from projects.models import (
    Academy,
    AcademyCampaign,
    ActionType,
    Campaign,
    Department,
    District,
    Establishment,
    FoqualeNetwork,
    Membership,
)
from projects.rules import has_role, memberships_of

R = Membership.Role


@dataclass(frozen=True)
class Step:
    title: str
    ready: bool
    figures: str
    detail: str
    link: str
    link_label: str


def academies_set_up_by(user) -> list[Academy]:
    """The académies whose set-up ``user`` follows: their own, every one for the ministry."""
    if has_role(user, R.NATIONAL):
        return list(Academy.objects.filter(departments__isnull=False).distinct())
    ids = [m.academy_id for m in memberships_of(user) if m.role == R.ACADEMIE]
    return list(Academy.objects.filter(pk__in=ids))


def _admin(name: str, query: str = "") -> str:
    return reverse(f"admin:{name}") + (f"?{query}" if query else "")


def _heads_by_state(academy) -> dict[AccountState, int]:
    heads = {
        m.user
        for m in Membership.objects.filter(
            role=R.HEAD, establishment__department__academy=academy
        ).select_related("user")
    }
    states: dict[AccountState, int] = {}
    for user in heads:
        states[user.state] = states.get(user.state, 0) + 1
    return states


def steps(academy: Academy, campaign: Campaign | None) -> list[Step]:
    departments = list(
        Department.objects.filter(academy=academy)
        .annotate(
            establishment_total=Count("establishments", distinct=True),
            reviewer_total=Count("memberships", filter=Q(memberships__role=R.DSDEN), distinct=True),
        )
        .order_by("code")
    )
    establishments = Establishment.objects.filter(department__academy=academy)
    establishment_total = establishments.count()
    districts = District.objects.filter(department__academy=academy).annotate(
        mlds=Count("memberships", filter=Q(memberships__role=R.MLDS))
    )
    district_total = districts.count()
    network_total = FoqualeNetwork.objects.filter(department__academy=academy).count()
    unattached = establishments.filter(district__isnull=True).count()
    with_head = establishments.filter(memberships__role=R.HEAD).distinct().count()
    heads = _heads_by_state(academy)
    without_reviewer = [d for d in departments if not d.reviewer_total]
    covered = districts.filter(mlds__gt=0).count()
    in_academy = f"department__academy__id__exact={academy.pk}"

    result = [
        Step(
            "Établissements",
            establishment_total > 0,
            counted(establishment_total, "établissement importé", "établissements importés"),
            " ; ".join(f"{d.code} {d.name} : {d.establishment_total}" for d in departments)
            or "Importez le fichier des collèges et lycées de l'académie (annuaire de "
            "l'éducation ou fichier académique).",
            _admin("projects_establishment_import"),
            "Importer des établissements",
        ),
        Step(
            "Districts et réseaux FOQUALE",
            district_total > 0 and network_total > 0,
            f"{counted(district_total, 'district', 'districts')}, "
            f"{counted(network_total, 'réseau', 'réseaux')}",
            counted(
                unattached,
                "établissement sans district",
                "établissements sans district",
            )
            + " (les coordonnateurs MLDS suivent les établissements de leur district).",
            _admin("projects_district_import"),
            "Importer districts et réseaux",
        ),
        Step(
            "Chefs d'établissement",
            establishment_total > 0 and with_head == establishment_total,
            f"{with_head} établissement{'s' if with_head >= 2 else ''} sur "
            f"{establishment_total} avec un chef",
            f"{heads.get(AccountState.ACTIVE, 0)} actif(s), "
            f"{heads.get(AccountState.INVITED, 0)} invité(s), "
            f"{heads.get(AccountState.EXPIRED, 0)} invitation(s) expirée(s), "
            f"{heads.get(AccountState.NOT_INVITED, 0)} sans invitation. "
            + (
                f"Adresse fonctionnelle : {academy.head_email_pattern} — action « Créer et "
                "inviter le compte du chef d'établissement » de la liste des établissements."
                if academy.head_email_pattern
                else "Saisissez l'adresse fonctionnelle des chefs d'établissement sur la fiche "
                "de l'académie (par exemple ce.{uai}@ac-" + academy.code + ".fr), ou importez "
                "leurs comptes."
            ),
            _admin("projects_establishment_changelist", in_academy)
            if academy.head_email_pattern
            else reverse("admin:projects_academy_change", args=[academy.pk]),
            "Créer et inviter les comptes"
            if academy.head_email_pattern
            else "Saisir l'adresse fonctionnelle",
        ),
        Step(
            "Relecteurs des DSDEN",
            bool(departments) and not without_reviewer,
            " ; ".join(f"{d.code} : {d.reviewer_total}" for d in departments)
            or "aucun département",
            (
                "Sans relecteur : "
                + ", ".join(f"{d.code} {d.name}" for d in without_reviewer)
                + ". Importez leurs comptes (rôle dsden, périmètre : numéro du département)."
            )
            if without_reviewer
            else "Chaque département a au moins un relecteur.",
            _admin("aps_user_import"),
            "Importer des comptes",
        ),
        Step(
            "Coordonnateurs MLDS",
            district_total > 0 and covered == district_total,
            f"{covered} district{'s' if covered >= 2 else ''} sur {district_total} avec un "
            "coordonnateur",
            "Importez leurs comptes (rôle mlds, périmètre : nom du district).",
            _admin("aps_user_import"),
            "Importer des comptes",
        ),
    ]
    result += _campaign_steps(academy, campaign, departments)
    return result


def _campaign_steps(academy, campaign, departments) -> list[Step]:
    if campaign is None:
        return [
            Step(
                "Campagne",
                False,
                "aucune campagne en cours",
                "Le ministère crée la campagne de l'année et la définit comme campagne en cours.",
                _admin("projects_campaign_changelist"),
                "Voir les campagnes",
            )
        ]
    calendar = calendar_for(campaign, academy.pk)
    own_calendar = AcademyCampaign.objects.filter(campaign=campaign, academy=academy).first()
    dates = [
        ("ouverture du dépôt", calendar.filing_opens_on),
        ("limite des euros", calendar.euro_deadline),
        ("limite des HSE/IMP", calendar.hse_imp_deadline),
        ("bilan final", calendar.final_bilan_due),
    ]
    own_query = f"academy={academy.pk}&campaign={campaign.pk}"
    own_rates = Rates.objects.filter(campaign=campaign, academy=academy).first()
    rates = own_rates or Rates.objects.filter(campaign=campaign, academy=None).first()
    envelopes = set(
        Envelope.objects.filter(campaign=campaign, department__in=departments).values_list(
            "department__code", flat=True
        )
    )
    without_envelope = [d for d in departments if d.code not in envelopes]
    typologies = action_types.offered("typology", academy.pk, campaign.pk)
    fields = action_types.offered("field", academy.pk, campaign.pk)
    own_list = ActionType.objects.filter(academy=academy).exists()
    return [
        Step(
            f"Calendrier {campaign.school_year}",
            True,
            " ; ".join(f"{label} : {value:%d/%m/%Y}" for label, value in dates),
            ("Calendrier propre à l'académie" if calendar.own else "Calendrier de la campagne")
            + " ; pré-validation par le réseau FOQUALE "
            + ("requise." if calendar.requires_prevalidation else "non requise.")
            + " Le dépôt après les dates limites est refusé.",
            reverse("admin:projects_academycampaign_change", args=[own_calendar.pk])
            if own_calendar
            else _admin(
                "projects_academycampaign_add", f"academy={academy.pk}&campaign={campaign.pk}"
            ),
            "Modifier le calendrier de l'académie"
            if own_calendar
            else "Fixer un calendrier propre à l'académie",
        ),
        Step(
            "Barème",
            rates is not None,
            ("Barème de l'académie : " if own_rates else "Barème de la campagne : ")
            + (
                f"1 HSE = {quantity(rates.face_to_face_hours_per_hse)} h de face-à-face ; "
                f"1 IMP = {euros(rates.imp_annual_base)} par an"
            )
            if rates
            else "aucun barème pour la campagne",
            "Le barème convertit les heures prévues en HSE et les IMP en euros.",
            reverse("admin:funding_rates_change", args=[own_rates.pk])
            if own_rates
            else _admin("funding_rates_add", own_query),
            "Modifier le barème de l'académie" if own_rates else "Fixer un barème propre",
        ),
        Step(
            "Enveloppes",
            bool(departments) and not without_envelope,
            f"{len(departments) - len(without_envelope)} département"
            f"{'s' if len(departments) - len(without_envelope) >= 2 else ''} sur "
            f"{len(departments)}",
            ("Sans enveloppe : " + ", ".join(f"{d.code} {d.name}" for d in without_envelope))
            if without_envelope
            else "Chaque département a son enveloppe : la DSDEN voit ce qui reste.",
            _admin("funding_envelope_add"),
            "Saisir une enveloppe",
        ),
        Step(
            "Types d'action",
            bool(typologies),
            f"{counted(len(typologies), 'typologie', 'typologies')}, "
            f"{counted(len(fields), 'champ', 'champs')}",
            ("Liste de l'académie : " if own_list else "Liste par défaut (vadémécum) : ")
            + ", ".join(c.label for c in typologies)
            + ".",
            _admin("projects_actiontype_changelist"),
            "Voir les types d'action",
        ),
    ]
