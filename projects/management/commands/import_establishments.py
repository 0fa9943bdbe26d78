from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.directory_import import ImportFileError, parse
from projects.services import establishments_upsert


class Command(BaseCommand):
    help = (
        "Importe des établissements (fichier académique ou export CSV de l'annuaire de "
        "l'éducation) ; met à jour par UAI. La dernière ligne affiche les comptes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Fichier CSV (UTF-8)")

    def handle(self, *args, path: Path, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from None
        try:
            parsed = parse(data)
        except ImportFileError as error:
            raise CommandError(f"{path.name} : {error} Aucun établissement importé.") from None

        for line, reason in parsed.rejected:
            self.stdout.write(f"ligne {line} rejetée : {reason}")
        counts = establishments_upsert(rows=parsed.rows)
        self.stdout.write(
            f"created={counts.created} updated={counts.updated} "
            f"unchanged={counts.unchanged} rejected={len(parsed.rejected)}"
        )
