import datetime

from django.core.management.base import BaseCommand, CommandError

from aps import clock
from reviews.workflow.notifications import deliver
from reviews.workflow.reminders import due_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels du jour (à lancer chaque jour, par cron) : brouillons à 7 jours "
        "d'une date limite de dépôt, demandes de précisions à 2 jours de leur échéance. "
        "Sort en erreur si un rappel n'a pas pu être envoyé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Jour à considérer (AAAA-MM-JJ), aujourd'hui par défaut."
        )

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else clock.today()
        except ValueError:
            raise CommandError("Date attendue au format AAAA-MM-JJ.") from None
        reminders = due_reminders(today)
        # Sent here rather than queued: the command is already background work, and cron
        # must learn from its exit status that a reminder was not sent.
        sent = sum(deliver(subject=r.subject, body=r.body, to=r.to) for r in reminders)
        failed = len(reminders) - sent
        self.stdout.write(f"reminders={len(reminders)} sent={sent} failed={failed}")
        if failed:
            raise CommandError(
                "1 rappel n'a pas pu être envoyé (voir le journal)."
                if failed == 1
                else f"{failed} rappels n'ont pas pu être envoyés (voir le journal)."
            )
