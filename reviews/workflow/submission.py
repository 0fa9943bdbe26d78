"""What a submission needs, where it leads, and what it leaves: the reasons that stop it, the
recap the head confirms, the route (the network's opinion or straight to the DSDEN) and the
receipt's reference number. Read by the submit service, the sheet page, the recap page, the
acknowledgement e-mail and the receipt PDF."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format

from projects.campaigns import Calendar, sheet_calendar
from projects.checklist import missing_items
from projects.models import FoqualeNetwork, ProjectSheet
from projects.sections import title_of

ZERO = Decimal("0")


@dataclass(frozen=True)
class Means:
    """Means requested: euros, HSE, IMP."""

    euros: Decimal = ZERO
    hse: Decimal = ZERO
    imp: Decimal = ZERO

    @property
    def asks_euros(self) -> bool:
        return self.euros > 0

    @property
    def asks_hours(self) -> bool:
        return self.hse > 0 or self.imp > 0

    def as_details(self) -> dict[str, str]:
        """As a history line's details (JSON: Decimals as text)."""
        return {"euros": str(self.euros), "hse": str(self.hse), "imp": str(self.imp)}


def requested_means(sheet: ProjectSheet) -> Means:
    """What the sheet requests now (the copies of its estimate's totals)."""
    return Means(sheet.requested_euros, sheet.requested_hse, sheet.requested_imp)


def submitted_means(sheet: ProjectSheet, details: dict | None) -> Means:
    """What the sheet requested when it was submitted, kept with the submission's history
    line; a submission recorded before they were kept reads the sheet's current request."""
    if not details or "euros" not in details:
        return requested_means(sheet)
    return Means(*(Decimal(details[kind]) for kind in ("euros", "hse", "imp")))


@dataclass(frozen=True)
class Deadline:
    """A date of the campaign that applies to a kind of means the sheet requests."""

    means: str  # "Crédits en euros", "HSE et IMP"
    filing_until: datetime.date
    answer_by: datetime.date


def deadlines(campaign: Calendar, means: Means) -> list[Deadline]:
    """The filing deadlines and the DSDEN's answer dates for the kinds of means requested (the
    HSE/IMP ones when nothing is requested yet: the later deadline, for complex actions)."""
    found = []
    if means.asks_euros:
        found.append(Deadline("Crédits en euros", campaign.euro_deadline, campaign.euro_answer_by))
    if means.asks_hours or not means.asks_euros:
        found.append(Deadline("HSE et IMP", campaign.hse_imp_deadline, campaign.hse_imp_answer_by))
    return found


def deadline_problems(sheet: ProjectSheet, today: datetime.date) -> list[str]:
    """Why the campaign's calendar forbids submitting this sheet today (empty: it allows)."""
    means, campaign = requested_means(sheet), sheet_calendar(sheet)
    if today < campaign.filing_opens_on:
        # Drafting is open all year; filing opens on the campaign's (or académie's) date.
        return [f"Le dépôt ouvre le {date_format(campaign.filing_opens_on, 'j F Y')}."]
    problems = []
    if means.asks_euros and today > campaign.euro_deadline:
        problems.append(
            "Les actions qui demandent des crédits en euros se déposent jusqu'au "
            f"{date_format(campaign.euro_deadline, 'j F Y')} : ce délai est passé."
        )
    if means.asks_hours and today > campaign.hse_imp_deadline:
        problems.append(
            "Les actions qui demandent des HSE ou des IMP se déposent jusqu'au "
            f"{date_format(campaign.hse_imp_deadline, 'j F Y')} : ce délai est passé."
        )
    return problems


def incompleteness(sheet: ProjectSheet) -> str:
    """What the sheet lacks, in one sentence (empty when complete)."""
    missing = missing_items(sheet)
    if not missing:
        return ""
    listed = " ; ".join(f"{title_of(item.section)} : {item.label}" for item in missing[:5])
    more = f" (et {len(missing) - 5} autres)" if len(missing) > 5 else ""
    return f"La fiche est incomplète. Il manque : {listed}{more}."


def blockers(sheet: ProjectSheet, today: datetime.date) -> list[str]:
    """Why the sheet cannot be submitted today, whoever asks (empty: it can)."""
    incomplete = incompleteness(sheet)
    return [*([incomplete] if incomplete else []), *deadline_problems(sheet, today)]


def networks_to_give_opinion(sheet: ProjectSheet) -> list[FoqualeNetwork]:
    """The FOQUALE networks whose steering committee gives its opinion once the sheet is
    submitted: those of its establishment, when the campaign asks for it; none for a network's
    own sheet (it goes straight to the DSDEN)."""
    if sheet.establishment_id is None or not sheet_calendar(sheet).requires_prevalidation:
        return []
    return list(sheet.establishment.foquale_networks.order_by("name"))


@dataclass(frozen=True)
class Recap:
    """What the head reads and confirms before submitting."""

    means: Means
    deadlines: list[Deadline]
    attachments: list
    networks: list[FoqualeNetwork]  # empty: straight to the DSDEN
    blockers: list[str]


def recap(sheet: ProjectSheet, today: datetime.date) -> Recap:
    means = requested_means(sheet)
    return Recap(
        means=means,
        deadlines=deadlines(sheet_calendar(sheet), means),
        attachments=list(sheet.attachments.order_by("kind", "original_name")),
        networks=networks_to_give_opinion(sheet),
        blockers=blockers(sheet, today),
    )


def receipt_reference(sheet: ProjectSheet) -> str:
    """The reference number of a submission's receipt: "APS-2024-2025-93-000042" — the
    campaign, the département's code and the sheet's number (zero-padded to six digits). Unique
    because the sheet's number is; stable because a sheet never changes campaign nor
    département, and is submitted once (a sheet sent back after a request for precisions keeps
    its first submission)."""
    return f"APS-{sheet.campaign.school_year}-{sheet.department.code}-{sheet.pk:06d}"
