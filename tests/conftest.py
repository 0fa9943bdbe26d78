import os

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
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def demo_establishments(db):
    """Just the two demo establishments (the whole directory is not needed by tests)."""
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
    """The whole demo (directory, accounts, sheets and their history) on top of the two demo
    establishments."""
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
