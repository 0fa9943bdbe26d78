"""The demo data of every app, seeded by ``manage.py seed_demo`` (it lives in the top app so
that it may use them all): the directory and accounts, the means, the sheets and their
history, the reviewers' desk (labels, notes, a commission), each written through the apps' own
services."""

from django.db import transaction

from .desk import seed_desk
from .directory import DemoAccount, seed_directory
from .funding import seed_rates_and_envelopes
from .history import seed_history
from .sheets import seed_sheets


@transaction.atomic
def seed_demo() -> list[DemoAccount]:
    """Seed what is missing (a second run changes nothing); returns the demo accounts."""
    accounts = seed_directory()
    seed_rates_and_envelopes()
    seed_history(seed_sheets())
    seed_desk()
    return accounts
