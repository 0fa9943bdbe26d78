"""Demo data of the directory: campaigns 2024-2025 (current) and 2023-2024, illustrative
districts and FOQUALE networks, one account per role in the académie de Créteil, the staff of
the académie de Poitiers and one of its DSDEN, a ministry account. Idempotent: a second run
changes nothing."""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from projects.models import (
    ActionType,
    Campaign,
    Department,
    District,
    Establishment,
    FoqualeNetwork,
    Membership,
)
from projects.services import campaign_make_current, departments_ensure

DISTRICTS_FILE = Path(settings.BASE_DIR) / "fixtures" / "districts.csv"
DEMO_PASSWORD = "demo-aps"
# The académie de Créteil's DSDEN mailboxes (an académie enters its own in the administration).
DSDEN_MAILBOXES = {
    "77": "ce.77mlds@ac-creteil.fr",
    "93": "ce.93mlds@ac-creteil.fr",
    "94": "ce.94mlds@ac-creteil.fr",
}
# The académie de Poitiers' départements: created empty when its directory is not imported.
SECOND_ACADEMY_DEPARTMENTS = ("16", "17", "79", "86")
COLLEGE_UAI = "0931610V"  # Collège Jacques Prévert, Noisy-le-Sec
LYCEE_UAI = "0930123D"  # Lycée Olympe de Gouges, Noisy-le-Sec

CAMPAIGN_2024 = {
    "circular_published_on": datetime.date(2024, 4, 15),
    "filing_opens_on": datetime.date(2024, 5, 9),
    "euro_deadline": datetime.date(2024, 6, 23),
    "euro_answer_by": datetime.date(2024, 7, 10),
    "hse_imp_deadline": datetime.date(2024, 9, 15),
    "hse_imp_answer_by": datetime.date(2024, 10, 31),
    "intermediate_bilan_due": datetime.date(2025, 3, 31),
    "final_bilan_due": datetime.date(2025, 6, 30),
    "requires_prevalidation": True,
}
CAMPAIGN_2023 = {
    name: value.replace(year=value.year - 1) if isinstance(value, datetime.date) else value
    for name, value in CAMPAIGN_2024.items()
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    # "college", "lycee", "network", "district", a département's code, "creteil", "poitiers"
    # (an académie) or "" (the ministry)
    scope: str
    title: str = ""


R = Membership.Role
DEMO_ACCOUNTS = [
    DemoAccount("chef.college@aps.test", "Claire Martin", R.HEAD, "college", "Principale"),
    DemoAccount(
        "staff.college@aps.test", "Karim Benali", R.STAFF, "college", "Référent décrochage"
    ),
    DemoAccount("chef.lycee@aps.test", "Sophie Durand", R.HEAD, "lycee", "Proviseure"),
    DemoAccount("staff.lycee@aps.test", "Thomas Petit", R.STAFF, "lycee", "CPE"),
    DemoAccount(
        "foquale@aps.test", "Nadia Haddad", R.NETWORK_LEAD, "network", "Responsable du réseau"
    ),
    DemoAccount("mlds@aps.test", "Julien Moreau", R.MLDS, "district", "Coordonnateur-conseil MLDS"),
    DemoAccount("dsden77@aps.test", "Isabelle Leroy", R.DSDEN, "77", "Service MLDS 77"),
    DemoAccount("dsden93@aps.test", "Mehdi Ait Ali", R.DSDEN, "93", "Service MLDS 93"),
    # A second reviewer of the 93: the DSDEN's sheets are shared out, and prepared together.
    DemoAccount(
        "dsden93.instructeur@aps.test",
        "Camille Instructrice",
        R.DSDEN,
        "93",
        "Instructrice MLDS 93",
    ),
    DemoAccount("dsden94@aps.test", "Anne Rousseau", R.DSDEN, "94", "Service MLDS 94"),
    DemoAccount("academie@aps.test", "Pierre Lambert", R.ACADEMIE, "creteil", "SAIO — PLDS"),
    # A second académie beside Créteil: its directory is imported by ``make demo`` (or its
    # départements are created empty), its staff and one DSDEN never see Créteil's sheets.
    DemoAccount("academie.poitiers@aps.test", "Hélène Girard", R.ACADEMIE, "poitiers", "SAIO"),
    DemoAccount("dsden86@aps.test", "François Roux", R.DSDEN, "86", "Service MLDS 86"),
    DemoAccount("ministere@aps.test", "Camille Fontaine", R.NATIONAL, "", "DGESCO"),
]


class DemoDataError(Exception):
    pass


@transaction.atomic
def seed_directory() -> list[DemoAccount]:
    """Create what the demo needs; the establishments must have been imported first."""
    departments_ensure(SECOND_ACADEMY_DEPARTMENTS)
    for department in departments_ensure(DSDEN_MAILBOXES):
        if department.dsden_email != DSDEN_MAILBOXES[department.code]:
            department.dsden_email = DSDEN_MAILBOXES[department.code]
            department.save(update_fields=["dsden_email"])
    missing = {COLLEGE_UAI, LYCEE_UAI} - set(
        Establishment.objects.filter(uai__in=[COLLEGE_UAI, LYCEE_UAI]).values_list("uai", flat=True)
    )
    if missing:
        raise DemoDataError(
            f"Établissements de démonstration absents ({', '.join(sorted(missing))}) : "
            "lancez d'abord import_establishments."
        )
    campaign, _ = Campaign.objects.get_or_create(school_year="2024-2025", defaults=CAMPAIGN_2024)
    Campaign.objects.get_or_create(school_year="2023-2024", defaults=CAMPAIGN_2023)
    if not Campaign.objects.filter(is_current=True).exists():
        campaign_make_current(campaign=campaign)
    _seed_districts_and_networks()
    _seed_accounts()
    _seed_second_academy()
    return DEMO_ACCOUNTS


# The académie de Poitiers' own champs (its circular distinguishes prévention, intervention and
# remédiation) and its heads' functional addresses: the demo's example of an académie's set-up.
POITIERS_FIELDS = [
    ("prevention", "Prévention (tous les élèves, avant les premiers signes)"),
    ("intervention", "Intervention (élèves présentant des signes de décrochage)"),
    ("remediation", "Remédiation (élèves ayant décroché)"),
]


def _seed_second_academy() -> None:
    academy = Department.objects.get(code="86").academy
    if not academy.head_email_pattern:
        academy.head_email_pattern = "ce.{uai}@ac-poitiers.fr"
        academy.save(update_fields=["head_email_pattern"])
    for position, (key, label) in enumerate(POITIERS_FIELDS):
        ActionType.objects.get_or_create(
            kind=ActionType.Kind.FIELD,
            key=key,
            academy=academy,
            campaign=None,
            defaults={"label": label, "position": position},
        )


def _seed_districts_and_networks() -> None:
    departments = {d.code: d for d in Department.objects.all()}
    with DISTRICTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cities_by_district: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        cities_by_district.setdefault((row["department"], row["district"]), []).append(row["city"])

    for (code, name), cities in cities_by_district.items():
        department = departments[code]
        district, _ = District.objects.get_or_create(department=department, name=name)
        Establishment.objects.filter(
            department=department, city__in=cities, district__isnull=True
        ).update(district=district)
        network, created = FoqualeNetwork.objects.get_or_create(
            department=department, name=f"Réseau FOQUALE {name}"
        )
        if created:
            establishments = list(district.establishments.order_by("kind", "name"))
            network.members.set(establishments)
            network.lead_establishment = next(
                (e for e in establishments if e.uai == LYCEE_UAI),
                next((e for e in establishments if not e.is_college), None),
            )
            network.save(update_fields=["lead_establishment"])


def _seed_accounts() -> None:
    college = Establishment.objects.get(uai=COLLEGE_UAI)
    lycee = Establishment.objects.get(uai=LYCEE_UAI)
    scopes = {
        "college": {"establishment": college},
        "lycee": {"establishment": lycee},
        "network": {"network": college.foquale_networks.get()},
        "district": {"district": college.district},
        "creteil": {"academy": college.department.academy},
        "poitiers": {"academy": Department.objects.get(code="86").academy},
        "": {},
    }
    scopes.update({d.code: {"department": d} for d in Department.objects.all()})
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                # The admin through their role (narrowed to their académie), not superusers.
                is_staff=account.role in (R.ACADEMIE, R.NATIONAL),
            )
        Membership.objects.get_or_create(
            user=user, role=account.role, **scopes[account.scope], defaults={"title": account.title}
        )
