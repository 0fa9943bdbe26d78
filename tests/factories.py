"""Factories with named scenarios. UAIs are generated with a valid check letter."""

import datetime

import factory

from aps.models import User
from projects import search
from projects.models import (
    Department,
    District,
    Establishment,
    EvaluationCriterion,
    FoqualeNetwork,
    Membership,
    Objective,
    ProjectSheet,
)
from projects.services import departments_ensure
from projects.uai import uai_check_letter


def department(code: str) -> Department:
    """The départements come from a data migration; a transactional test's flush removes
    them, hence the ensure (from the reference table)."""
    return departments_ensure([code])[0]


def make_uai(department_code: str, n: int) -> str:
    """A valid UAI of the département, not yet in the database (the sequence wraps around
    after 10,000 and would meet the UAIs a test writes out)."""
    while True:
        digits = f"{department_code.zfill(3)}{(9000 + n) % 10000:04d}"  # 8 characters, always
        uai = digits + uai_check_letter(digits)
        if not Establishment.objects.filter(uai=uai).exists():
            return uai
        n += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@aps.test")
    full_name = factory.Sequence(lambda n: f"Personne {n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-test")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    department = factory.LazyFunction(lambda: department("93"))
    name = factory.Sequence(lambda n: f"District {n}")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    department = factory.LazyFunction(lambda: department("93"))
    uai = factory.LazyAttributeSequence(lambda o, n: make_uai(o.department.code, n))
    name = factory.Sequence(lambda n: f"Collège Numéro {n}")
    kind = Establishment.Kind.COLLEGE
    sector = Establishment.Sector.PUBLIC
    city = "Bobigny"
    postcode = "93000"

    class Params:
        lycee = factory.Trait(kind=Establishment.Kind.LYCEE_GT, name="Lycée Test")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        establishment = model_class(*args, **kwargs)
        search.compose_carrier(establishment)
        establishment.save()
        return establishment


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoqualeNetwork
        skip_postgeneration_save = True

    department = factory.LazyFunction(lambda: department("93"))
    name = factory.Sequence(lambda n: f"Réseau FOQUALE {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.set(extracted)


def member(user=None, *, role: str, **scope) -> User:
    """Give ``user`` (a new one by default) the role over the scope; return the user."""
    user = user or UserFactory()
    Membership.objects.create(user=user, role=role, **scope)
    return user


def current_campaign():
    from projects.models import Campaign
    from reviews.demo.directory import CAMPAIGN_2024

    campaign, _ = Campaign.objects.get_or_create(
        school_year="2024-2025", defaults={**CAMPAIGN_2024, "is_current": True}
    )
    return campaign


class SheetFactory(factory.django.DjangoModelFactory):
    """A draft of an establishment in the current campaign. Scenarios:
    ``SheetFactory(complete=True)`` (ready to submit: every section and an estimate), and the
    states reached through the real workflow (``advance``): ``submitted=True`` (awaiting the
    network's opinion), ``in_review=True``, ``needs_info=True``, ``validated=True`` (the
    estimate granted in full), ``rejected=True``, ``withdrawn=True``. A non-draft ``status=``
    is refused: a sheet in a state has the events, dates and grant of its way there."""

    class Meta:
        model = ProjectSheet
        skip_postgeneration_save = True

    campaign = factory.LazyFunction(current_campaign)
    establishment = factory.SubFactory(EstablishmentFactory)
    network = None
    department = factory.LazyAttribute(lambda o: (o.establishment or o.network).department)
    title = factory.Sequence(lambda n: f"Action numéro {n}")
    created_by = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("created_by")

    class Params:
        complete = factory.Trait(
            problem="Absentéisme en hausse",
            qualitative_indicators="Retours du GPDS",
            quantitative_indicators="14 % d'absentéisme",
            gpds_associated="oui",
            gpds_consulted_on=datetime.date(2024, 4, 11),
            field="intervention",
            typology="module_relais",
            expected_pupils=12,
            pupil_levels="4e, 3e",
            pupil_profiles="Décrochage passif",
            identification="GPDS",
            organisation="Deux demi-journées par semaine",
            start_date=datetime.date(2024, 10, 1),
            end_date=datetime.date(2025, 6, 1),
            key_moments="Lancement, restitution",
            staff_count=4,
            staff_roles="Professeurs, CPE",
            partners="Mission locale",
            means_use="HSE",
        )
        submitted = factory.Trait(complete=True, state__to=ProjectSheet.Status.SUBMITTED)
        in_review = factory.Trait(complete=True, state__to=ProjectSheet.Status.IN_REVIEW)
        needs_info = factory.Trait(complete=True, state__to=ProjectSheet.Status.NEEDS_INFO)
        validated = factory.Trait(complete=True, state__to=ProjectSheet.Status.VALIDATED)
        rejected = factory.Trait(complete=True, state__to=ProjectSheet.Status.REJECTED)
        withdrawn = factory.Trait(complete=True, state__to=ProjectSheet.Status.WITHDRAWN)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.get("status", ProjectSheet.Status.DRAFT)
        if status != ProjectSheet.Status.DRAFT:
            raise ValueError(
                f"SheetFactory(status={status!r}): use the trait (SheetFactory({status}=True)), "
                "which goes through the workflow."
            )
        sheet = model_class(*args, **kwargs)
        search.compose_sheets([sheet])  # as projects.services.sheet_create does
        sheet.save()
        return sheet

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        texts = extracted if extracted is not None else (["Objectif un"] if obj.problem else [])
        for position, text in enumerate(texts, start=1):
            Objective.objects.create(sheet=obj, position=position, text=text)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        texts = extracted if extracted is not None else (["Critère un"] if obj.problem else [])
        for position, text in enumerate(texts, start=1):
            EvaluationCriterion.objects.create(sheet=obj, position=position, text=text)

    @factory.post_generation
    def estimate(obj, create, extracted, **kwargs):
        """A complete sheet has an estimate of one HSE line."""
        if create and (extracted or (extracted is None and obj.problem)):
            add_estimate(obj, hse=[ONE_HSE_LINE])

    @factory.post_generation
    def state(obj, create, extracted, **kwargs):
        """Runs last: the sheet is complete and has its estimate."""
        target = extracted or kwargs.get("to")
        if create and target:
            advance(obj, target)


def head_of(sheet) -> User:
    """Who submits, resubmits and withdraws: the establishment's head (the network lead for a
    network's sheet), made if there is none."""
    if sheet.network_id:
        found = Membership.objects.filter(
            role=Membership.Role.NETWORK_LEAD, network_id=sheet.network_id
        ).first()
        return (
            found.user
            if found
            else member(role=Membership.Role.NETWORK_LEAD, network=sheet.network)
        )
    found = Membership.objects.filter(
        role=Membership.Role.HEAD, establishment_id=sheet.establishment_id
    ).first()
    return (
        found.user
        if found
        else member(role=Membership.Role.HEAD, establishment=sheet.establishment)
    )


def network_lead_of(sheet) -> User:
    """The lead of a FOQUALE network of the sheet's establishment, made if there is none."""
    network = sheet.establishment.foquale_networks.order_by("pk").first()
    found = Membership.objects.filter(role=Membership.Role.NETWORK_LEAD, network=network).first()
    return found.user if found else member(role=Membership.Role.NETWORK_LEAD, network=network)


def dsden_of(sheet) -> User:
    """A DSDEN reviewer of the sheet's département, made if there is none."""
    found = Membership.objects.filter(
        role=Membership.Role.DSDEN, department_id=sheet.department_id
    ).first()
    return found.user if found else member(role=Membership.Role.DSDEN, department=sheet.department)


def transition(name: str, **arguments):
    """Run one transition service of the review workflow. The only place the tests' factories
    import the services from (imported here, when first used)."""
    from reviews.workflow import services

    return getattr(services, name)(**arguments)


def advance(sheet, state: str, **grant) -> ProjectSheet:
    """Take a complete draft (or a sheet on its way) to ``state`` through the workflow's services, each step by the
    persona whose step it is, on a day the campaign's calendar allows; ``grant`` (euros, hse,
    imp) overrides the amounts a validation grants (the estimate's, by default).

    "submitted" (awaiting the FOQUALE network's opinion) needs an establishment that belongs
    to a network, in a campaign with prevalidation: one is made for a lone establishment.
    Returns the sheet, refreshed."""
    S = ProjectSheet.Status
    if state == S.WITHDRAWN:
        # A filed sheet is withdrawn (a draft is deleted): submitted first.
        if sheet.status == S.DRAFT:
            transition(
                "submit", sheet=sheet, by=head_of(sheet), today=sheet.campaign.filing_opens_on
            )
        transition("withdraw", sheet=sheet, by=head_of(sheet))
        sheet.refresh_from_db()
        return sheet
    if sheet.status == S.DRAFT:
        if (
            state == S.SUBMITTED
            and sheet.establishment_id
            and not sheet.establishment.foquale_networks.exists()
        ):
            NetworkFactory(department=sheet.department, members=[sheet.establishment])
        transition("submit", sheet=sheet, by=head_of(sheet), today=sheet.campaign.filing_opens_on)
        sheet.refresh_from_db()
    if state == S.SUBMITTED:
        assert sheet.status == S.SUBMITTED, "submitted: the campaign asks for no prevalidation"
        return sheet
    if sheet.status == S.SUBMITTED:
        transition(
            "prevalidate",
            sheet=sheet,
            by=network_lead_of(sheet),
            value="favorable",
            comment="Avis favorable du comité de pilotage",
        )
    dsden = dsden_of(sheet)
    if state == S.NEEDS_INFO:
        transition("request_info", sheet=sheet, by=dsden, comment="Précisez le calendrier")
    elif state == S.VALIDATED:
        from funding.models import Estimate

        estimate = Estimate.objects.get(sheet=sheet)
        amounts = {
            "euros": estimate.total_euros,
            "hse": estimate.total_hse,
            "imp": estimate.total_imp,
        } | grant
        transition("validate", sheet=sheet, by=dsden, confirm_over_envelope=True, **amounts)
    elif state == S.REJECTED:
        transition("reject", sheet=sheet, by=dsden, comment="Hors du champ de la circulaire")
    else:
        assert state == S.IN_REVIEW, state
    sheet.refresh_from_db()
    return sheet


def add_estimate(sheet, *, hse=(), imp=(), euro=()):
    """Give the sheet an estimate with the given lines (dicts), totals computed."""
    from funding.services import EstimateLines, estimate_write, sheet_rates

    lines = EstimateLines(hse=list(hse), imp=list(imp), euro=list(euro))
    return estimate_write(sheet=sheet, by=sheet.created_by, lines=lines, rates=sheet_rates(sheet))


ONE_HSE_LINE = {
    "activity": "Atelier",
    "speaker": "titulaire",
    "hour_kind": "face",
    "weeks": 10,
    "hours_per_week": 2,
    "speakers": 1,
}
