import datetime

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.tasks import task

from aps import clock
from reviews.workflow.reminders import due_reminders


@task
def send_reminder(to: list[str], subject: str, body: str) -> None:
    send_mail(subject, body, None, to)


class Command(BaseCommand):
    help = (
        "Envoie les rappels du jour (à lancer chaque jour, par cron) : brouillons à 7 jours "
        "d'une date limite de dépôt, demandes de précisions à 2 jours de leur échéance."
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
        for reminder in reminders:
            send_reminder.enqueue(reminder.to, reminder.subject, reminder.body)
        self.stdout.write(f"reminders={len(reminders)}")
