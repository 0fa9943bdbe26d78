from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.demo import seed_demo
from reviews.demo.directory import DEMO_PASSWORD, DemoDataError


class Command(BaseCommand):
    """Lives in the top app (reviews) so that it may seed every app's demo data."""

    help = "Charge les données de démonstration (campagne, districts, réseaux, comptes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autorise le chargement alors que DEBUG est désactivé.",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : seed_demo créerait des comptes au mot de passe connu. "
                "Ajoutez --force si cette base est bien une base de démonstration."
            )
        try:
            accounts = seed_demo()
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        width = max(len(account.email) for account in accounts)
        for account in accounts:
            self.stdout.write(f"  {account.email:<{width}} {account.role.label}")
