from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews import backup


class Command(BaseCommand):
    help = (
        "Vérifie la base et le stockage en service (après une restauration) : compte les "
        "lignes de chaque table, lit chaque fichier que la base nomme ; avec le manifeste "
        "d'une sauvegarde, compare les deux. Sort en erreur en nommant ce qui manque."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "manifest",
            type=Path,
            nargs="?",
            help="Dossier de la sauvegarde restaurée (ou son manifest.json).",
        )

    def handle(self, *args, manifest: Path | None, **options):
        try:
            expected = backup.read_manifest(manifest) if manifest else None
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        result = backup.check_restore(expected)
        for label, count in result.counts.items():
            self.stdout.write(f"{backup.label_of(label)} : {count}")
        self.stdout.write(f"fichiers lisibles : {result.readable} sur {result.files}")
        if result.problems:
            lines = "\n".join(f"- {problem}" for problem in result.problems)
            raise CommandError(f"Restauration incomplète ({len(result.problems)}) :\n{lines}")
        self.stdout.write(
            f"Restauration conforme à la sauvegarde du {expected['created_at']}."
            if expected
            else "Base et fichiers lisibles (sans manifeste : comptes non comparés)."
        )
