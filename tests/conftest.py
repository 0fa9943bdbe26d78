import os
import tempfile
from pathlib import Path

import pytest

# Playwright runs an event loop in the test thread; Django's ORM calls made there are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite's test database in a file, as in production (WAL, writers waiting for each
    other), not in memory: the concurrency tests' threads open it each on their own
    connection. One file per test process; Django deletes it at the end."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get(
        "NAME"
    ):
        folder = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
        database.setdefault("TEST", {})["NAME"] = str(
            Path(folder) / f"aps-tests-{os.getpid()}.sqlite3"
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def personas(db):
    """The people of the tests (tests/personas.py): the demo's two establishments, their
    district and network, one account per role under the demo's addresses; no sheet."""
    from tests.personas import build_personas

    return build_personas()


@pytest.fixture
def demo_sheets(personas):
    """The demo's sheets of the two establishments and the network (reviews.demo.sheets), filed
    through the workflow: the collège's and the lycée's actions of 2023-2024 validated, the
    collège's "transition" submitted, the lycée's FLS workshop under review, the others drafts.
    A dict of the sheets by carrier and action."""
    from reviews.demo.sheet_contents import ACTIONS, REMEDIATION
    from tests.factories import advance
    from tests.personas import file_demo_action

    p = personas
    module_relais, individual, fls, families, pafi, transition = ACTIONS
    college_previous = file_demo_action(
        p.college, p.college_head, module_relais, campaign=p.previous_campaign
    )
    lycee_previous = file_demo_action(p.lycee, p.lycee_head, pafi, campaign=p.previous_campaign)
    return {
        "college_previous": advance(college_previous, "validated"),
        "college_individual": file_demo_action(p.college, p.college_staff, individual),
        "college_families": file_demo_action(p.college, p.college_staff, families, partial=True),
        "college_transition": advance(
            file_demo_action(p.college, p.college_head, transition), "submitted"
        ),
        "lycee_previous": advance(lycee_previous, "validated"),
        "lycee_transition": file_demo_action(p.lycee, p.lycee_staff, transition, partial=True),
        "lycee_fls": advance(file_demo_action(p.lycee, p.lycee_head, fls), "in_review"),
        "network": file_demo_action(p.network, p.network_lead, REMEDIATION),
    }


@pytest.fixture
def demo_establishments(db):
    """Just the two demo establishments, for seed_demo (the whole directory is not needed)."""
    from projects.models import Establishment
    from tests.factories import EstablishmentFactory

    return [
        EstablishmentFactory(uai="0931610V", name="Collège Jacques Prévert", city="Noisy-le-Sec"),
        EstablishmentFactory(
            uai="0930123D",
            name="Lycée général et technologique Olympe de Gouges",
            kind=Establishment.Kind.LYCEE_GT,
            city="Noisy-le-Sec",
        ),
    ]


@pytest.fixture
def demo(demo_establishments):
    """The whole demo (``reviews.demo.seed_demo``: directory, accounts, sheets and their
    history): only for the tests of seed_demo and the browser journeys; other tests use
    ``personas``."""
    from reviews.demo import seed_demo

    return seed_demo()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Production hashing costs ~0.3 s a password: far too slow for hundreds of logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def today(monkeypatch):
    """Freeze the date the services read (inside the 2024-2025 calendar); returns a setter."""
    import datetime

    from django.utils import timezone

    def set_today(value: datetime.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: value)

    set_today(datetime.date(2024, 5, 15))
    return set_today


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run inside the test (a test of the database worker sets its own)."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "exports": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    }


@pytest.fixture(autouse=True)
def action_types_read_afresh():
    """Each test reads the champs and typologies from its own database, once (the table is
    cached a minute per process: a test's query counts must not depend on the one before)."""
    from projects import action_types

    action_types.forget()
    yield
    action_types.forget()


@pytest.fixture(scope="session")
def oidc_issuer():
    """The suite's own OpenID provider (tests/oidc.py), one per test process."""
    from tests import oidc

    with oidc.provider() as issuer:
        yield issuer


@pytest.fixture
def proconnect(settings, oidc_issuer):
    """ProConnect configured on the suite's provider: its issuer's URL."""
    from aps import proconnect
    from tests import oidc

    settings.PROCONNECT_URL = oidc_issuer
    settings.OIDC_RP_CLIENT_ID = oidc.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc.CLIENT_SECRET
    # The provider gives the standard claim "given_name" under the standard scope "profile";
    # ProConnect names its scopes after its claims (given_name, usual_name).
    settings.OIDC_RP_SCOPES += " profile"
    proconnect.forget_provider()
    yield oidc_issuer
    proconnect.forget_provider()
