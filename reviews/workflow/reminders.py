"""Daily reminders: drafts close to a deadline, information requests close to their due date."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.formats import date_format

from projects.campaigns import calendar_for
from projects.models import Campaign, Membership, ProjectSheet
from projects.rules import carrier_team

from .models import InfoRequest
from .table import AWAITING_PRECISIONS

DAYS_BEFORE_DEADLINE = 7
DAYS_BEFORE_DUE_DATE = 2
R = Membership.Role


@dataclass(frozen=True)
class Reminder:
    to: list[str]
    subject: str
    body: str


def _team(sheet) -> list[str]:
    """The establishment's staff and head, or the network's lead (``carrier_team``)."""
    return sorted(carrier_team(sheet, R.HEAD, R.STAFF).values_list("email", flat=True))


def _reminder(sheet, subject: str, template: str, **context) -> Reminder:
    url = settings.SITE_URL.rstrip("/") + sheet.get_absolute_url()
    body = render_to_string(template, {"sheet": sheet, "url": url, **context})
    return Reminder(to=_team(sheet), subject=f"APS — {subject}", body=body)


def due_reminders(today: datetime.date) -> list[Reminder]:
    reminders = []
    campaign = Campaign.objects.filter(is_current=True).first()
    if campaign is not None:
        drafts = ProjectSheet.objects.filter(campaign=campaign, status=ProjectSheet.Status.DRAFT)
        academies = drafts.values_list("department__academy", flat=True).distinct()
        for academy_id in sorted(academies):
            # Each académie's deadlines (its own calendar, or the campaign's).
            dates = calendar_for(campaign, academy_id)
            deadlines = [
                (dates.euro_deadline, Q(estimate__total_euros__gt=0), "des crédits en euros"),
                (
                    dates.hse_imp_deadline,
                    Q(estimate__total_hse__gt=0) | Q(estimate__total_imp__gt=0),
                    "des HSE ou des IMP",
                ),
            ]
            for deadline, requests, kind in deadlines:
                if deadline - datetime.timedelta(days=DAYS_BEFORE_DEADLINE) != today:
                    continue
                for sheet in drafts.filter(requests, department__academy=academy_id).select_related(
                    "establishment", "network"
                ):
                    reminders.append(
                        _reminder(
                            sheet,
                            f"Plus que {DAYS_BEFORE_DEADLINE} jours pour déposer « {sheet.title} »",
                            "reviews/email/reminder_deadline.txt",
                            kind=kind,
                            deadline=deadline,
                        )
                    )
    due = today + datetime.timedelta(days=DAYS_BEFORE_DUE_DATE)
    for request in InfoRequest.objects.filter(
        due_date=due, answered_at__isnull=True, sheet__status__in=sorted(AWAITING_PRECISIONS)
    ).select_related("sheet__establishment", "sheet__network"):
        reminders.append(
            _reminder(
                request.sheet,
                f"Précisions attendues avant le {date_format(due, 'j F Y')}",
                "reviews/email/reminder_info.txt",
                request=request,
            )
        )
    return [reminder for reminder in reminders if reminder.to]
