from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base (pg_dump) et tous les fichiers qu'elle nomme (lus par le stockage : "
        "disque ou stockage objet) dans un nouveau dossier de DOSSIER, avec le manifeste que "
        "vérifie check_restore. Sort en erreur si un fichier n'a pas pu être lu."
    )

    def add_arguments(self, parser):
        parser.add_argument("root", type=Path, help="Dossier des sauvegardes.")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Nombre de sauvegardes gardées (les plus récentes) ; toutes par défaut.",
        )

    def handle(self, *args, root: Path, keep: int | None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep : au moins 1.")
        try:
            result = backup.backup(root, keep=keep)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Sauvegarde écrite : {result.folder}")
        for label in ("projects.projectsheet", "reviews.sheetevent"):
            self.stdout.write(f"  {backup.label_of(label)} : {result.counts.get(label, 0)}")
        self.stdout.write(f"  fichiers : {result.files}")
        if result.missing:
            lines = "\n".join(f"- {name} : {why}" for name, why in result.missing.items())
            raise CommandError(
                f"{len(result.missing)} fichier(s) nommé(s) par la base n'ont pas pu être "
                f"lus ; ils manquent à cette sauvegarde :\n{lines}"
            )
