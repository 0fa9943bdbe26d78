from django.core.management.base import BaseCommand

from projects.models import ProjectSheet

BATCH = 2000


class Command(BaseCommand):
    help = (
        "Recompose le texte de recherche de chaque fiche (titre, porteur), après un changement "
        "de sa composition ou une modification faite hors de l'application."
    )

    def handle(self, *args, **options):
        ids = list(ProjectSheet.objects.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            batch = ProjectSheet.objects.filter(pk__in=ids[start : start + BATCH])
            done += batch.refresh_search_text()
        self.stdout.write(f"Texte de recherche recomposé pour {done} fiche(s).")
