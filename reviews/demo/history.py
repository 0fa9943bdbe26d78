"""Demo history: the demo sheets go through the real transitions, so that every state has its
history, opinions, advice and answers, dated in the demo's calendar."""

import datetime
from decimal import Decimal

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from funding.models import Estimate
from projects.models import Membership, ProjectSheet
from reviews.bilans import services as bilans
from reviews.bilans.models import Bilan
from reviews.workflow import notifications, services
from reviews.workflow.models import SheetEvent

from .sheets import Planned

S = ProjectSheet.Status


def seed_history(planned: list[Planned]) -> None:
    """Take each planned sheet to its state through the transitions, then a few other answers,
    advice and bilans; each step at its moment of the demo's calendar (``_at``), so that the
    history, the sheets' dates and the first submissions read as they would have happened."""
    if SheetEvent.objects.exists():
        return
    with notifications.silenced():
        for item in planned:
            _walk(item.sheet, item.target)
        _seed_other_answers()
        _seed_advice()
        _seed_bilans()


def _moment(sheet: ProjectSheet, step: int) -> datetime.datetime:
    """The ``step``-th event of a sheet: three days apart, from three days after its
    creation."""
    day = timezone.localdate(sheet.created_at) + datetime.timedelta(days=3 + 3 * step)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + step)))


def _at(sheet: ProjectSheet):
    """The clock at the moment of the sheet's next event."""
    return time_machine.travel(_moment(sheet, sheet.events.count()), tick=False)


def _walk(sheet: ProjectSheet, target: str) -> None:
    if target == S.DRAFT:
        return
    User = get_user_model()
    with _at(sheet):
        # On the day of the moment (not APS_TODAY, which places the demo's server).
        services.submit(sheet=sheet, by=_head(sheet, User), today=timezone.localdate())
    sheet.refresh_from_db()
    if target == S.SUBMITTED:
        return
    lead = _network_lead(sheet, User)
    if sheet.status == S.SUBMITTED and lead:
        with _at(sheet):
            services.prevalidate(
                sheet=sheet,
                by=lead,
                value="favorable",
                comment="Le comité de pilotage soutient ce projet, cohérent avec le diagnostic "
                "du réseau.",
            )
    if target == S.VALIDATED:
        estimate = Estimate.objects.get(sheet=sheet)
        with _at(sheet):
            services.validate(
                sheet=sheet,
                by=_dsden_of(sheet, User),
                euros=estimate.total_euros,
                hse=(estimate.total_hse * Decimal("0.8")).quantize(Decimal("0.01")),
                imp=estimate.total_imp,
                comment="HSE accordées à 80 %.",
                confirm_over_envelope=True,
            )


def _dsden_of(sheet, User):
    return User.objects.filter(
        memberships__role=Membership.Role.DSDEN, memberships__department=sheet.department
    ).first()


def _head(sheet, User):
    if sheet.network_id:
        return User.objects.filter(
            memberships__role=Membership.Role.NETWORK_LEAD, memberships__network=sheet.network
        ).first()
    head = User.objects.filter(
        memberships__role=Membership.Role.HEAD, memberships__establishment=sheet.establishment
    ).first()
    if head is None:  # demo establishments without a head account: their referent's head
        head, _ = User.objects.get_or_create(
            email=f"chef.{sheet.establishment.uai.lower()}@aps.test",
            defaults={"full_name": f"Chef d'établissement {sheet.establishment.uai}"},
        )
        Membership.objects.get_or_create(
            user=head, role=Membership.Role.HEAD, establishment=sheet.establishment
        )
    return head


def _network_lead(sheet, User):
    network = sheet.establishment.foquale_networks.first() if sheet.establishment_id else None
    if network is None:
        return None
    lead = User.objects.filter(
        memberships__role=Membership.Role.NETWORK_LEAD, memberships__network=network
    ).first()
    if lead is None:  # networks of the demo without an account of their own
        lead, _ = User.objects.get_or_create(
            email=f"foquale.{network.pk}@aps.test",
            defaults={"full_name": f"Responsable du {network.name}"},
        )
        Membership.objects.get_or_create(
            user=lead, role=Membership.Role.NETWORK_LEAD, network=network
        )
    return lead


def _seed_other_answers() -> None:
    """Some sheets of other establishments in the remaining states."""
    User = get_user_model()
    demo_uais = ["0931610V", "0930123D"]
    in_review = list(
        ProjectSheet.objects.filter(status=S.IN_REVIEW, network__isnull=True)
        .exclude(establishment__uai__in=demo_uais)
        .order_by("pk")
    )
    submitted = list(
        ProjectSheet.objects.filter(status=S.SUBMITTED)
        .exclude(establishment__uai__in=demo_uais)
        .order_by("pk")
    )

    if len(in_review) >= 2:
        with _at(in_review[0]):
            services.request_info(
                sheet=in_review[0],
                by=_dsden_of(in_review[0], User),
                comment="Merci de préciser le calendrier des ateliers et de joindre le devis "
                "signé.",
                sections=["calendar", "attachments"],
            )
        with _at(in_review[1]):
            services.reject(
                sheet=in_review[1],
                by=_dsden_of(in_review[1], User),
                comment="L'action relève du droit commun de l'établissement ; elle pourrait être "
                "financée par le pacte enseignant. Le coordonnateur MLDS peut vous aider à la "
                "réorienter.",
            )
    if submitted:
        with _at(submitted[0]):
            services.withdraw(
                sheet=submitted[0],
                by=_head(submitted[0], User),
                comment="L'action sera portée par le réseau FOQUALE l'an prochain.",
            )


# The bilans of the two demo sheets of 2023-2024: the collège's are both submitted (its action
# can be renewed); the lycée sent its intermediate bilan late and is drafting the final one.
COLLEGE_FINAL = {
    "objectives": "Objectifs atteints pour 9 élèves sur 12 : retour à une assiduité régulière "
    "et projet d'orientation formalisé. Deux élèves restent en grande difficulté.",
    "criteria": "Absentéisme du groupe passé de 14 % à 6 % ; exclusions de cours divisées par "
    "trois ; 10 vœux d'orientation argumentés en fin d'année.",
    "public": "Le repérage par le GPDS a bien ciblé les élèves ; deux élèves de 5e ont rejoint "
    "le module en cours d'année.",
    "organisation": "Les deux demi-journées hebdomadaires ont été tenues ; la salle dédiée a "
    "facilité le travail en petit groupe.",
    "calendar": "Lancement à la Toussaint comme prévu ; restitution aux familles le 7 juin.",
    "pupils_reached": 14,
    "pupils_gap": "Deux élèves de 5e ajoutés en janvier sur proposition du GPDS.",
    "staff_mobilised": 5,
    "staff_gap": "",
    "partners": "Mission locale très présente ; la compagnie de théâtre a animé 10 ateliers.",
    "means_gap": "Une séance de théâtre annulée (grève des transports) : 150 € non consommés.",
    "general": "Action utile et à reconduire, en renforçant le lien avec les familles.",
}


def _seed_bilans() -> None:
    User = get_user_model()
    for sheet in ProjectSheet.objects.filter(
        status=S.VALIDATED, campaign__school_year="2023-2024", network__isnull=True
    ).select_related("establishment", "campaign", "grant"):
        head = _head(sheet, User)
        grant = sheet.grant
        consumed = {
            "consumed_euros": grant.euros,
            "consumed_hse": grant.hse,
            "consumed_imp": grant.imp,
        }
        if sheet.establishment.is_college:
            _write(
                sheet,
                head,
                Bilan.Stage.INTERMEDIATE,
                _halfway(consumed),
                datetime.date(2024, 3, 25),
            )
            final = COLLEGE_FINAL | consumed | {"consumed_euros": grant.euros - 150}
            _write(sheet, head, Bilan.Stage.FINAL, final, datetime.date(2024, 5, 28))
        else:
            intermediate = _halfway(consumed) | {"general": "Consommation conforme au calendrier."}
            _write(sheet, head, Bilan.Stage.INTERMEDIATE, intermediate, datetime.date(2024, 4, 8))
            draft = {
                "objectives": "Sept élèves sur dix ont obtenu une affectation en CAP.",
                "public": "Le repérage en début d'année a été tardif.",
                "pupils_reached": 10,
            }
            _write(sheet, head, Bilan.Stage.FINAL, draft, None)


def _halfway(consumed: dict) -> dict:
    return {name: (value / 2).quantize(Decimal("0.01")) for name, value in consumed.items()}


def _write(sheet, head, stage, data, submitted_on) -> None:
    """A bilan written, and submitted on ``submitted_on`` (a draft written on the demo's eve
    when none)."""
    day = submitted_on or datetime.date(2024, 5, 31)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    with time_machine.travel(moment, tick=False):
        bilans.save(sheet=sheet, stage=stage, by=head, data=data)
        if submitted_on is not None:
            bilans.submit(sheet=sheet, stage=stage, by=head, today=submitted_on)


def _seed_advice() -> None:
    """The district's MLDS coordinator advises a draft of the demo collège."""
    User = get_user_model()
    mlds = User.objects.filter(email="mlds@aps.test").first()
    draft = (
        ProjectSheet.objects.filter(status=S.DRAFT, establishment__uai="0931610V")
        .order_by("pk")
        .first()
    )
    if mlds and draft:
        with _at(draft):
            services.advise(
                sheet=draft,
                by=mlds,
                text="Pensez à associer la mission locale dès le repérage, et précisez les "
                "critères d'évaluation (assiduité, vœux d'orientation).",
            )
