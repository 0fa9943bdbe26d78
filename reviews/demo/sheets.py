"""The demo's project sheets: each is filed as a draft through the projects' service, given its
estimate, then taken to its planned state by the workflow's own transitions (``history``).
Nothing here writes a state: a sheet's state, its history and its first submission's date come
from the workflow alone."""

import datetime
from dataclasses import dataclass

import time_machine
from django.contrib.auth import get_user_model

from projects.models import Campaign, Department, Establishment, Membership, ProjectSheet
from projects.services import sheet_create

from .directory import COLLEGE_UAI, LYCEE_UAI
from .funding import seed_estimate
from .sheet_contents import ACTIONS, REMEDIATION, content_of

S = ProjectSheet.Status
R = Membership.Role
# Establishments (besides the two demo ones) that get a sheet, per département.
OTHER_CARRIERS_PER_DEPARTMENT = 7


@dataclass(frozen=True)
class Planned:
    """A demo sheet and the state the demo takes it to."""

    sheet: ProjectSheet
    target: str


def created_on(campaign: Campaign, index: int) -> datetime.datetime:
    """When the ``index``-th demo sheet of a campaign was created: in its first filing days."""
    day = campaign.filing_opens_on + datetime.timedelta(days=index % 10)
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC)


def _file(carrier, by, action, *, target=S.DRAFT, partial=False, previous=None, index=0):
    """A draft (and its estimate) as its author typed it, on its day of the demo calendar."""
    campaign = previous or Campaign.objects.get(is_current=True)
    content, objectives, criteria = content_of(action, partial=partial)
    if previous is not None:
        content |= {
            "start_date": content["start_date"] and content["start_date"].replace(year=2023),
            "end_date": content["end_date"] and content["end_date"].replace(year=2024),
        }
    with time_machine.travel(created_on(campaign, index), tick=False):
        sheet = sheet_create(
            carrier=carrier, by=by, content=content, objectives=objectives, criteria=criteria
        )
        if previous is not None:
            # Demo only: a sheet of the previous campaign (the service files in the current).
            ProjectSheet.objects.filter(pk=sheet.pk).update(campaign=previous)
            sheet.campaign = previous
        if sheet.typology:
            seed_estimate(sheet, with_quotes=target != S.DRAFT)
    return Planned(sheet, target)


def seed_sheets() -> list[Planned]:
    """The demo's sheets as drafts, with the state each is to reach (none if any exists)."""
    if ProjectSheet.objects.exists():
        return []
    previous = Campaign.objects.get(school_year="2023-2024")
    User = get_user_model()
    users = {u.email: u for u in User.objects.filter(email__endswith="@aps.test")}
    college = Establishment.objects.get(uai=COLLEGE_UAI)
    lycee = Establishment.objects.get(uai=LYCEE_UAI)
    network = college.foquale_networks.get()
    module_relais, individual, fls, families, pafi, transition = ACTIONS

    head, staff = users["chef.college@aps.test"], users["staff.college@aps.test"]
    lycee_head, lycee_staff = users["chef.lycee@aps.test"], users["staff.lycee@aps.test"]
    planned = [
        _file(college, head, module_relais, target=S.VALIDATED, previous=previous),
        _file(college, staff, individual, index=1),
        _file(college, staff, families, partial=True, index=2),
        _file(college, head, transition, target=S.SUBMITTED, index=3),
        _file(lycee, lycee_head, pafi, target=S.VALIDATED, previous=previous, index=1),
        _file(lycee, lycee_staff, transition, partial=True, index=4),
        _file(lycee, lycee_head, fls, target=S.IN_REVIEW, index=5),
        _file(network, users["foquale@aps.test"], REMEDIATION, index=6),
    ]
    states = [S.SUBMITTED, S.IN_REVIEW, S.DRAFT, S.IN_REVIEW, S.SUBMITTED, S.DRAFT, S.IN_REVIEW]
    # Other carriers in the départements whose DSDEN has a demo account (the answers need one).
    reviewed = Department.objects.filter(memberships__role=R.DSDEN).distinct()
    for department in reviewed.order_by("code"):
        others = (
            Establishment.objects.filter(department=department)
            .exclude(uai__in=[COLLEGE_UAI, LYCEE_UAI])
            .order_by("uai")[:OTHER_CARRIERS_PER_DEPARTMENT]
        )
        for index, establishment in enumerate(others):
            referent, _ = User.objects.get_or_create(
                email=f"referent.{establishment.uai.lower()}@aps.test",
                defaults={"full_name": f"Référent décrochage {establishment.uai}"},
            )
            Membership.objects.get_or_create(
                user=referent,
                role=R.STAFF,
                establishment=establishment,
                defaults={"title": "Référent décrochage"},
            )
            action = ACTIONS[(index + int(department.code)) % len(ACTIONS)]
            target = states[index % len(states)]
            planned.append(_file(establishment, referent, action, target=target, index=index))
    return planned
