from django.core.management.base import BaseCommand

from projects.models import Establishment, ProjectSheet

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Recompose le texte de recherche des établissements (nom, commune, UAI) et des fiches "
        "(titre, porteur), après un changement de sa composition ou une modification faite "
        "hors de l'application."
    )

    def handle(self, *args, **options):
        establishments = list(Establishment.objects.only("name", "city", "uai"))
        for establishment in establishments:
            establishment.search_text = establishment.composed_search_text()
        Establishment.objects.bulk_update(establishments, ["search_text"], batch_size=500)
        ids = list(ProjectSheet.objects.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            batch = ProjectSheet.objects.filter(pk__in=ids[start : start + BATCH])
            done += batch.refresh_search_text()
        self.stdout.write(
            f"Texte de recherche recomposé pour {len(establishments)} établissement(s) "
            f"et {done} fiche(s)."
        )
