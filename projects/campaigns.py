"""A campaign's calendar as an académie lives it: the campaign's dates and pre-validation rule,
each replaced by the académie's own when it set one (``models.AcademyCampaign``). Every reader
of a deadline, an answer date or a bilan's due date goes through ``calendar_for``."""

import datetime
from dataclasses import dataclass, replace

from .models import Campaign
from .models.campaigns import ACADEMY_DATES, AcademyCampaign


@dataclass(frozen=True)
class Calendar:
    school_year: str
    circular_published_on: datetime.date
    filing_opens_on: datetime.date
    euro_deadline: datetime.date
    euro_answer_by: datetime.date
    hse_imp_deadline: datetime.date
    hse_imp_answer_by: datetime.date
    intermediate_bilan_due: datetime.date
    final_bilan_due: datetime.date
    requires_prevalidation: bool
    own: bool = False  # the académie set some of it

    def calendar(self) -> list[tuple]:
        """The dates in order, as (date, label, is_deadline)."""
        return [
            (self.circular_published_on, "Circulaire académique APS", False),
            (self.filing_opens_on, "Ouverture de la saisie et du dépôt", False),
            (self.euro_deadline, "Date limite : actions demandant des euros", True),
            (self.euro_answer_by, "Avis de la DSDEN sur les crédits en euros", False),
            (self.hse_imp_deadline, "Date limite : actions demandant des HSE/IMP", True),
            (self.hse_imp_answer_by, "Avis de la DSDEN sur les HSE/IMP", False),
            (self.intermediate_bilan_due, "Bilan intermédiaire financier", True),
            (self.final_bilan_due, "Bilan de l'action", True),
        ]


def _of(campaign: Campaign) -> Calendar:
    return Calendar(
        school_year=campaign.school_year,
        circular_published_on=campaign.circular_published_on,
        requires_prevalidation=campaign.requires_prevalidation,
        **{name: getattr(campaign, name) for name in ACADEMY_DATES},
    )


def merged(campaign: Campaign, settings: AcademyCampaign | None) -> Calendar:
    calendar = _of(campaign)
    if settings is None:
        return calendar
    own = {name: getattr(settings, name) for name in ACADEMY_DATES}
    own = {name: value for name, value in own.items() if value is not None}
    if settings.requires_prevalidation is not None:
        own["requires_prevalidation"] = settings.requires_prevalidation
    return replace(calendar, **own, own=bool(own))


def calendar_for(campaign: Campaign, academy_id: int | None) -> Calendar:
    """The calendar of ``campaign`` for the académie (the campaign's own without one), read
    once per campaign instance and académie."""
    known = campaign.__dict__.setdefault("_aps_calendars", {})
    if academy_id not in known:
        settings = None
        if academy_id is not None:
            settings = AcademyCampaign.objects.filter(
                campaign=campaign, academy_id=academy_id
            ).first()
        known[academy_id] = merged(campaign, settings)
    return known[academy_id]


def sheet_calendar(sheet) -> Calendar:
    return calendar_for(sheet.campaign, sheet.department.academy_id)


def calendar_problems(calendar: Calendar) -> list[str]:
    """What puts the calendar out of order (the campaign's own check, on merged dates)."""
    order = [
        (calendar.filing_opens_on, calendar.euro_deadline, "l'ouverture", "la date limite euros"),
        (
            calendar.euro_deadline,
            calendar.hse_imp_deadline,
            "la date limite euros",
            "la date limite HSE/IMP",
        ),
        (calendar.euro_deadline, calendar.euro_answer_by, "la date limite euros", "l'avis euros"),
        (
            calendar.hse_imp_deadline,
            calendar.hse_imp_answer_by,
            "la date limite HSE/IMP",
            "l'avis HSE/IMP",
        ),
        (
            calendar.intermediate_bilan_due,
            calendar.final_bilan_due,
            "le bilan intermédiaire",
            "le bilan final",
        ),
    ]
    return [
        f"Le calendrier n'est pas dans l'ordre : {first} ({a:%d/%m/%Y}) vient après {second} "
        f"({b:%d/%m/%Y})."
        for a, b, first, second in order
        if a > b
    ]
