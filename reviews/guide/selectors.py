"""What the guide's pages show, read from the apps rather than written in the templates: the
current campaign's calendar and rates (with examples computed by the estimate's own rules),
the sheet's sections and what each expects, the DSDEN's three answers and their meanings, the
network's opinions, the roles; and the operator's settings of the legal pages."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from aps import clock
from funding.estimate import hse_count, hse_euros, imp_euros
from funding.forms import fraction_label
from funding.models import DEFAULT_IMP_FRACTIONS, HseLine, Rates
from projects import action_types, section_help, sections
from projects.campaigns import calendar_for
from projects.models import Attachment, Campaign, Department, Membership
from projects.rules import current_campaign
from reviews.bilans.models import Bilan
from reviews.desk.dashboards import calendar
from reviews.workflow.models import Opinion
from reviews.workflow.table import ANSWER_MEANINGS, ANSWERS, TRANSITIONS

from .pages import GUIDE, LEGAL, Page

# The plan of the guide's examples: so many weeks of so many hours a week, one speaker.
EXAMPLE_WEEKS = 10
EXAMPLE_FACE_HOURS = Decimal(2)  # a week, in front of the pupils
EXAMPLE_PERIPHERAL_HOURS = Decimal(1)  # a week, of coordination and follow-up
# The date of the accessibility statement (RGAA: a statement is dated, and updated when the
# service changes or is audited).
STATEMENT_DATE = datetime.date(2026, 12, 2)


def shown_rates(campaign: Campaign | None, academy_id: int | None = None) -> Rates | None:
    """The académie's rates for the campaign, or the campaign's, or the defaults that
    ``funding.services.rates_for`` would create (a page read by anyone writes nothing)."""
    if campaign is None:
        return None
    found = Rates.objects.filter(campaign=campaign, academy=None)
    if academy_id is not None:
        found = Rates.objects.filter(campaign=campaign, academy_id=academy_id) or found
    return found.first() or Rates(campaign=campaign, imp_fractions=list(DEFAULT_IMP_FRACTIONS))


@dataclass(frozen=True)
class HseExample:
    label: str
    weeks: int
    hours_per_week: Decimal
    hours: Decimal
    hse: Decimal
    euros: Decimal


def hse_examples(rates: Rates) -> list[HseExample]:
    """One example per kind of hour, computed as the estimate computes a line."""
    examples = []
    for kind, label, per_week in (
        (HseLine.Hour.FACE_TO_FACE, "de face-à-face", EXAMPLE_FACE_HOURS),
        (HseLine.Hour.PERIPHERAL, "périphériques", EXAMPLE_PERIPHERAL_HOURS),
    ):
        hours = EXAMPLE_WEEKS * per_week
        hse = hse_count(hours, kind, rates)
        examples.append(
            HseExample(label, EXAMPLE_WEEKS, per_week, hours, hse, hse_euros(hse, rates))
        )
    return examples


def imp_shares(rates: Rates) -> list[dict]:
    """Each share of an IMP the campaign allows, with its amount for a year."""
    return [
        {
            "label": fraction_label(fraction),
            "fraction": fraction,
            "euros": imp_euros(fraction, rates),
        }
        for fraction in rates.fractions
    ]


def guide_context(page: Page, academy=None) -> dict:
    """The context of a page of the guide or of the footer; ``academy``, the reader's (its
    lists of champs and typologies), if one."""
    campaign = current_campaign()
    academy_id = academy.pk if academy is not None else None
    campaign_id = campaign.pk if campaign else None
    rates = shown_rates(campaign, academy_id)
    context = {
        "page": page,
        "guide_pages": GUIDE,
        "legal_pages": LEGAL,
        "campaign": campaign,
        "academie": settings.ACADEMIE_NAME,
        "roles": dict(Membership.Role.choices),
    }
    if page.legal:
        return context | legal_context()
    return context | {
        "rates": rates,
        "hse_examples": hse_examples(rates) if rates else [],
        "imp_shares": imp_shares(rates) if rates else [],
        "calendar": calendar(campaign, clock.today(), academy_id),
        "dates": calendar_for(campaign, academy_id) if campaign else None,
        "action_window": campaign.action_window() if campaign else None,
        "sections": [
            {"section": entry, "help": section_help.help_for(entry.key)}
            for entry in sections.ASKABLE
        ],
        "fields": [
            {"label": c.label, "help": c.description}
            for c in action_types.offered("field", academy_id, campaign_id)
        ],
        "typologies": [
            {"label": c.label, "help": c.description, "sub_type": bool(c.parent)}
            for c in action_types.offered("typology", academy_id, campaign_id)
        ],
        "answers": [
            {"label": TRANSITIONS[name].target.label, "meaning": ANSWER_MEANINGS[name]}
            for name in ANSWERS
        ],
        "opinions": [label for _value, label in Opinion.Value.choices],
        "transitions": TRANSITIONS,
        "bilan_stages": dict(Bilan.Stage.choices),
        "attachment_kinds": dict(Attachment.Kind.choices),
        "departments": Department.objects.exclude(dsden_email=""),
    }


def legal_context() -> dict:
    """The operator's settings the legal pages show (empty: "à compléter"), and the
    durations the personal-data page states, read from the settings that enforce them."""
    return {
        "publisher_address": settings.LEGAL_PUBLISHER_ADDRESS,
        "hosting": settings.LEGAL_HOSTING,
        "contact_email": settings.LEGAL_CONTACT_EMAIL,
        "dpo_contact": settings.DPO_CONTACT,
        "site_url": settings.SITE_URL,
        "statement_date": STATEMENT_DATE,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_cookie_weeks": settings.CSRF_COOKIE_AGE // (7 * 24 * 3600),
        "axes_cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "reset_window_hours": int(settings.PASSWORD_RESET_THROTTLE_WINDOW.total_seconds() // 3600),
    }
