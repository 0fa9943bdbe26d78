from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews import backup


class Command(BaseCommand):
    help = (
        "Remet les fichiers d'une sauvegarde (son dossier files/) dans le stockage configuré "
        "(MEDIA_ROOT ou stockage objet), sous leurs noms ; un fichier déjà présent avec sa "
        "taille est laissé."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Dossier d'une sauvegarde.")

    def handle(self, *args, folder: Path, **options):
        try:
            written, present = backup.restore_files(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Fichiers remis : {written} ; déjà présents : {present}.")
