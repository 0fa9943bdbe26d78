from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.account_import import accounts_import
from projects.directory_import import ImportFileError


class Command(BaseCommand):
    help = (
        "Importe des comptes et leurs rôles (colonnes email, nom, role, perimetre, fonction) : "
        "tout le fichier ou rien. La dernière ligne affiche les comptes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Fichier CSV (UTF-8)")
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Envoie l'invitation aux comptes du fichier qui n'ont pas de mot de passe.",
        )

    def handle(self, *args, path: Path, invite: bool, **options):
        report = run_import(accounts_import, path, self.stdout, invite=invite)
        if invite:
            self.stdout.write(f"invited={report.invited}")


def run_import(importer, path: Path, stdout, **options):
    """Read ``path``, import it, print the rejected lines and the summary; a rejected line
    fails the command (nothing was written)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Impossible de lire {path} : {error.strerror}.") from None
    try:
        report = importer(data, **options)
    except ImportFileError as error:
        raise CommandError(f"{path.name} : {error} Rien n'a été importé.") from None
    for line, reason in report.rejected:
        stdout.write(f"ligne {line} rejetée : {reason}")
    stdout.write(report.summary)
    if report.rejected:
        raise CommandError(
            f"{path.name} : {len(report.rejected)} ligne(s) rejetée(s), rien n'a été importé. "
            "Corrigez-les puis relancez l'import."
        )
    return report
