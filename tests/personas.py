"""The people of the tests and their places, built from the factories in a few milliseconds
(the demo's ``seed_demo`` is for the demo, and for the tests of ``seed_demo`` itself).

Two establishments of Noisy-le-Sec (93), in the district "Montreuil - Noisy-le-Sec" and both
members of its FOQUALE network (led by the lycée), as in the demo:

    Collège Jacques Prévert (0931610V)     chef.college@aps.test   staff.college@aps.test
    Lycée Olympe de Gouges (0930123D)      chef.lycee@aps.test     staff.lycee@aps.test
    the network's lead                     foquale@aps.test
    the district's MLDS coordinator        mlds@aps.test
    the DSDEN of the 93, 77 and 94         dsden93@aps.test  dsden77@aps.test  dsden94@aps.test
    the académie (staff of the admin)      academie@aps.test
    the académie de Poitiers, its DSDEN 86 academie.poitiers@aps.test  dsden86@aps.test
    the ministry (every académie)          ministere@aps.test
    an establishment of another district   chef.ailleurs@aps.test (Collège Pablo Neruda, Stains)

The addresses, names and titles are the demo accounts' (``reviews.demo.directory.DEMO_ACCOUNTS``), with
its password, so that a test reads like the demo. The campaigns 2024-2025 (current) and
2023-2024 have the demo's calendars. No sheet: a test files the ones it needs
(``tests.factories.SheetFactory``, or ``file_demo_action`` for a sheet of the demo).
"""

from dataclasses import dataclass

from aps.models import User
from projects.models import Campaign, District, Establishment, FoqualeNetwork, Membership
from reviews.demo.directory import CAMPAIGN_2023, CAMPAIGN_2024, DEMO_ACCOUNTS, DEMO_PASSWORD

from .factories import EstablishmentFactory, department

R = Membership.Role
DISTRICT = "Montreuil - Noisy-le-Sec"
OUTSIDER_EMAIL = "chef.ailleurs@aps.test"


@dataclass
class Personas:
    college: Establishment
    lycee: Establishment
    outsider_establishment: Establishment
    district: District
    network: FoqualeNetwork
    campaign: Campaign
    previous_campaign: Campaign
    college_head: User
    college_staff: User
    lycee_head: User
    lycee_staff: User
    network_lead: User
    mlds: User
    dsden93: User
    dsden77: User
    dsden94: User
    academie: User
    poitiers_academie: User
    dsden86: User
    national: User
    outsider_head: User

    def by_email(self, email: str) -> User:
        return next(u for u in self.users() if u.email == email)

    def users(self) -> list[User]:
        return [value for value in vars(self).values() if isinstance(value, User)]


# The demo account (reviews.demo.directory.DEMO_ACCOUNTS) of each persona.
ATTRIBUTES = {
    "chef.college@aps.test": "college_head",
    "staff.college@aps.test": "college_staff",
    "chef.lycee@aps.test": "lycee_head",
    "staff.lycee@aps.test": "lycee_staff",
    "foquale@aps.test": "network_lead",
    "mlds@aps.test": "mlds",
    "dsden93@aps.test": "dsden93",
    "dsden77@aps.test": "dsden77",
    "dsden94@aps.test": "dsden94",
    "academie@aps.test": "academie",
    "academie.poitiers@aps.test": "poitiers_academie",
    "dsden86@aps.test": "dsden86",
    "ministere@aps.test": "national",
}
# Demo accounts that are not personas: the DSDEN 93's second reviewer would receive the
# e-mails of every test's sheet of the 93 (a test wanting two reviewers makes its own).
DEMO_ONLY = {"dsden93.instructeur@aps.test"}


# The personas the access and transition matrices try, by short name: the collège's
# people and its reviewers ("own" scope), then people outside it.
EMAILS = {
    "staff": "staff.college@aps.test",
    "head": "chef.college@aps.test",
    "network": "foquale@aps.test",
    "mlds": "mlds@aps.test",
    "dsden": "dsden93@aps.test",
    "academie": "academie@aps.test",
    "lycee_staff": "staff.lycee@aps.test",
    "lycee_head": "chef.lycee@aps.test",
    "outsider_head": OUTSIDER_EMAIL,
    "dsden77": "dsden77@aps.test",
    "dsden94": "dsden94@aps.test",
    "national": "ministere@aps.test",
    "poitiers": "academie.poitiers@aps.test",
    "dsden86": "dsden86@aps.test",
}


def user(email, full_name, *, role, title="", **scope) -> User:
    account = User(email=email, full_name=full_name)
    account.is_staff = role in (R.ACADEMIE, R.NATIONAL)  # the admin through the role
    account.set_password(DEMO_PASSWORD)
    account.save()
    Membership.objects.create(user=account, role=role, title=title, **scope)
    return account


def build_personas() -> Personas:
    seine_saint_denis = department("93")
    campaign = Campaign.objects.create(school_year="2024-2025", is_current=True, **CAMPAIGN_2024)
    previous = Campaign.objects.create(school_year="2023-2024", **CAMPAIGN_2023)
    district = District.objects.create(department=seine_saint_denis, name=DISTRICT)
    college = EstablishmentFactory(
        uai="0931610V",
        name="Collège Jacques Prévert",
        city="Noisy-le-Sec",
        postcode="93130",
        district=district,
    )
    lycee = EstablishmentFactory(
        uai="0930123D",
        name="Lycée général et technologique Olympe de Gouges",
        kind=Establishment.Kind.LYCEE_GT,
        city="Noisy-le-Sec",
        postcode="93130",
        district=district,
    )
    network = FoqualeNetwork.objects.create(
        department=seine_saint_denis, name=f"Réseau FOQUALE {DISTRICT}", lead_establishment=lycee
    )
    network.members.set([college, lycee])
    outsider = EstablishmentFactory(
        name="Collège Pablo Neruda",
        city="Stains",
        postcode="93240",
        district=District.objects.create(department=seine_saint_denis, name="Saint-Denis"),
    )
    scopes = {
        "college": {"establishment": college},
        "lycee": {"establishment": lycee},
        "network": {"network": network},
        "district": {"district": district},
        "77": {"department": department("77")},
        "93": {"department": seine_saint_denis},
        "94": {"department": department("94")},
        "86": {"department": department("86")},
        "creteil": {"academy": seine_saint_denis.academy},
        "poitiers": {"academy": department("86").academy},
        "": {},
    }
    people = {
        ATTRIBUTES[account.email]: user(
            account.email,
            account.full_name,
            role=account.role,
            title=account.title,
            **scopes[account.scope],
        )
        for account in DEMO_ACCOUNTS
        if account.email not in DEMO_ONLY
    }
    return Personas(
        college=college,
        lycee=lycee,
        outsider_establishment=outsider,
        district=district,
        network=network,
        campaign=campaign,
        previous_campaign=previous,
        outsider_head=user(
            OUTSIDER_EMAIL, "Lucie Bernard", role=R.HEAD, title="Principale", establishment=outsider
        ),
        **people,
    )


def file_demo_action(carrier, by, action: dict, *, partial=False, campaign=None, estimate=True):
    """A draft of one of the demo's actions (``reviews.demo.sheet_contents``), filed by ``by``, with
    the demo's estimate of one HSE line when complete; ``campaign`` files it in an earlier
    campaign (its dates a year earlier, as the demo does)."""
    from reviews.demo.sheet_contents import content_of

    from .factories import ONE_HSE_LINE, SheetFactory, add_estimate

    content, objectives, criteria = content_of(action, partial=partial)
    if campaign is not None:
        content |= {
            "start_date": content["start_date"] and content["start_date"].replace(year=2023),
            "end_date": content["end_date"] and content["end_date"].replace(year=2024),
        }
    carrier_field = "network" if isinstance(carrier, FoqualeNetwork) else "establishment"
    sheet = SheetFactory(
        **{carrier_field: carrier},
        **({"establishment": None} if carrier_field == "network" else {}),
        **({"campaign": campaign} if campaign is not None else {}),
        created_by=by,
        objectives=objectives,
        criteria=criteria,
        estimate=False,
        **content,
    )
    if estimate and not partial:
        add_estimate(sheet, hse=[ONE_HSE_LINE])
    return sheet
