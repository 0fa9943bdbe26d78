from django.core.management.base import BaseCommand

from projects.search import refresh_all


class Command(BaseCommand):
    help = (
        "Recompose le texte de recherche des établissements (nom, commune, UAI) et des fiches "
        "(titre, porteur), et l'ordre alphabétique des établissements, après un changement de "
        "leur composition ou une modification faite hors de l'application."
    )

    def handle(self, *args, **options):
        establishments, sheets = refresh_all()
        self.stdout.write(
            f"Texte de recherche recomposé pour {establishments} établissement(s) "
            f"et {sheets} fiche(s)."
        )
