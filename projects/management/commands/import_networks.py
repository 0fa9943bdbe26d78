from pathlib import Path

from django.core.management.base import BaseCommand

from projects.account_import import networks_import

from .import_accounts import run_import


class Command(BaseCommand):
    help = (
        "Rattache des établissements à leurs districts et réseaux FOQUALE (colonnes uai, "
        "district, reseau, tete_de_reseau), créés au premier usage : tout le fichier ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Fichier CSV (UTF-8)")

    def handle(self, *args, path: Path, **options):
        run_import(networks_import, path, self.stdout)
