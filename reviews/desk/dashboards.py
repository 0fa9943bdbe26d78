"""The home dashboard of each role: what that person must do next.

One panel per membership (a user may hold several); each panel reads only the user's scope,
starting from ``sheets_visible_to`` or the membership's own establishment, network, district
or département.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.text import capfirst

from funding.models import Envelope, Grant
from funding.services import envelope_uses
from projects.academies import academy_of_user
from projects.campaigns import calendar_for
from projects.models import FoqualeNetwork, Membership, ProjectSheet
from projects.rules import departments_overseen, memberships_of, sheets_visible_to
from reviews.bilans.models import Bilan
from reviews.bilans.services import due_date
from reviews.workflow.models import Advice, InfoRequest
from reviews.workflow.table import (
    AWAITING_ANSWER,
    AWAITING_OPINION,
    AWAITING_PRECISIONS,
    GRANT_STANDS,
)

from . import visits
from .listing import LONG_TEXTS, listed_sheets
from .models import Assignment, Follow
from .statistics import filed_sheets
from .thread import with_unread_messages

R = Membership.Role
S = ProjectSheet.Status
SOON = datetime.timedelta(days=21)


@dataclass
class Panel:
    """One block of the dashboard; ``kind`` picks its template."""

    kind: str
    title: str
    data: dict = field(default_factory=dict)


def calendar(campaign, today, academy_id=None) -> list[dict]:
    """The campaign's dates (the académie's, when it set its own), the next one (and those of
    the coming 30 days) highlighted."""
    if campaign is None:
        return []
    dates = sorted(calendar_for(campaign, academy_id).calendar(), key=lambda item: item[0])
    upcoming = [day for day, _label, _deadline in dates if day >= today]
    next_day = min(upcoming) if upcoming else None
    return [
        {
            "date": day,
            "label": label,
            "is_deadline": is_deadline,
            "is_past": day < today,
            "is_next": day == next_day,
            "is_soon": today <= day <= today + datetime.timedelta(days=30),
        }
        for day, label, is_deadline in dates
    ]


def _longest_waiting(sheets, count: int) -> list[int]:
    """The ids of the ``count`` sheets waiting longest for the DSDEN, oldest first: by when
    they last came (back) to the DSDEN, kept on the sheet by the workflow (``arrived_at``:
    read in order from the index of the waiting sheets, projects 0025)."""
    return list(
        sheets.order_by(F("arrived_at").asc(nulls_last=True), "pk").values_list("pk", flat=True)[
            :count
        ]
    )


def _waiting(sheet):
    """``sheet`` with ``waiting_since`` and ``waiting_label``, what that date is by its state:
    a sheet still awaiting the network's opinion was filed then, it is not at the DSDEN yet
    (which may answer it all the same)."""
    sheet.waiting_since = sheet.arrived_at
    sheet.waiting_label = (
        "déposé le" if sheet.status in AWAITING_OPINION else "à la DSDEN depuis le"
    )
    return sheet


# The states' labels (projects.models.Status, read by the workflow's table) after a count of
# two or more: "2 Brouillons", "3 Projets validés". A count of 0 or 1 takes the label as it is.
PLURAL_LABELS = {
    S.DRAFT: "Brouillons",
    S.SUBMITTED: "Déposés — en attente de l'avis du réseau FOQUALE",
    S.IN_REVIEW: "À l'étude à la DSDEN",
    S.NEEDS_INFO: "Soumis à la DSDEN, en attente de précisions / documents",
    S.VALIDATED: "Projets validés",
    S.REJECTED: "Projets non validés",
    S.WITHDRAWN: "Retirés",
}


def counted_label(status: str, count) -> str:
    """The label of ``status`` after ``count``, agreeing with it the French way (0 and 1
    singular)."""
    return PLURAL_LABELS[status] if count >= 2 else S(status).label


def _by_status(queryset) -> list[dict]:
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        {"status": value, "label": counted_label(value, counts[value]), "count": counts[value]}
        for value in S.values
        if counts.get(value)
    ]


def _latest_requests(sheets):
    """The pending information requests of ``sheets`` (needs_info), with their due date."""
    return (
        InfoRequest.objects.filter(
            sheet__in=sheets.filter(status__in=sorted(AWAITING_PRECISIONS)).values("pk"),
            answered_at=None,
        )
        .select_related("sheet__establishment", "sheet__network")
        # Neither the request's texts nor the sheet's are shown.
        .defer("comment", "snapshot", "answer", *(f"sheet__{name}" for name in LONG_TEXTS))
        .order_by(F("due_date").asc(nulls_last=True), "created_at")
    )


def _deadline_drafts(drafts, campaign, today, academy_id) -> list[dict]:
    """Drafts whose filing deadline (euros, or HSE/IMP) falls in the next three weeks: those
    requesting euros when the euros' deadline is near, the others when the HSE/IMP one is.
    Chosen by the database: the establishment's other drafts are not read at all."""
    if campaign is None:
        return []
    calendar = calendar_for(campaign, academy_id)
    with_euros = Q(requested_euros__gt=0)
    wanted = Q(pk__in=[])  # none, unless a deadline is near (no query then)
    if today <= calendar.euro_deadline <= today + SOON:
        wanted |= with_euros
    if today <= calendar.hse_imp_deadline <= today + SOON:
        wanted |= ~with_euros
    found = []
    for sheet in drafts.filter(wanted):
        euros = (sheet.requested_euros or 0) > 0
        deadline = calendar.euro_deadline if euros else calendar.hse_imp_deadline
        found.append({"sheet": sheet, "deadline": deadline, "euros": euros})
    return sorted(found, key=lambda item: item["deadline"])


def _bilans_due(sheets, today) -> list[dict]:
    """Validated sheets whose next bilan is not submitted yet, with its due date."""
    submitted = Bilan.objects.filter(sheet=OuterRef("pk"), submitted_at__isnull=False)
    due = []
    # One campaign instance per campaign, so that its calendar (the académie's dates) is read
    # once per campaign, not once per sheet (``calendar_for`` keeps it on the instance).
    campaigns = {}
    for sheet in (
        sheets.filter(status__in=sorted(GRANT_STANDS))
        .annotate(
            final_done=Exists(submitted.filter(stage=Bilan.Stage.FINAL)),
            intermediate_done=Exists(submitted.filter(stage=Bilan.Stage.INTERMEDIATE)),
        )
        .filter(final_done=False)
    ):
        sheet.campaign = campaigns.setdefault(sheet.campaign_id, sheet.campaign)
        stage = Bilan.Stage.FINAL if sheet.intermediate_done else Bilan.Stage.INTERMEDIATE
        day = due_date(sheet, stage)
        due.append(
            {
                "sheet": sheet,
                "stage": stage,
                "label": Bilan.Stage(stage).label,
                "due": day,
                "overdue": day < today,
            }
        )
    return sorted(due, key=lambda item: item["due"])


def establishment_panel(user, membership, campaign, today) -> Panel:
    establishment = membership.establishment
    sheets = listed_sheets(user).filter(establishment=establishment)
    current = sheets.filter(campaign=campaign) if campaign else sheets.none()
    plain = sheets_visible_to(user).filter(establishment=establishment, campaign=campaign)
    return Panel(
        "establishment",
        establishment.name,
        {
            "establishment": establishment,
            "by_status": _by_status(plain),
            "sheets": current.order_by("-updated_at")[:10],
            "requests": _latest_requests(sheets),
            "deadline_drafts": _deadline_drafts(
                sheets.filter(status=S.DRAFT, campaign=campaign),
                campaign,
                today,
                establishment.department.academy_id,
            ),
            "bilans_due": _bilans_due(sheets, today),
            # Whatever the campaign: the DSDEN may write about last year's bilan.
            "unread_messages": with_unread_messages(
                sheets_visible_to(user).filter(establishment=establishment), user
            ).select_related("campaign")[:10],
            "is_head": any(
                m.role == R.HEAD and m.establishment_id == establishment.pk
                for m in memberships_of(user)
            ),
        },
    )


def network_panel(user, membership, campaign, today) -> Panel:
    network = membership.network
    visible = listed_sheets(user)
    members = FoqualeNetwork.members.through.objects.filter(foqualenetwork_id=network.pk)
    return Panel(
        "network",
        network.name,
        {
            "network": network,
            "awaiting_opinion": visible.filter(
                status__in=sorted(AWAITING_OPINION),
                establishment_id__in=members.values("establishment_id"),
            ).order_by("submitted_at", "pk"),
            "own": visible.filter(network=network).order_by("-updated_at")[:10],
            "requests": _latest_requests(visible.filter(network=network)),
            "bilans_due": _bilans_due(visible.filter(network=network), today),
            "unread_messages": with_unread_messages(
                sheets_visible_to(user).filter(network=network), user
            ).select_related("campaign")[:10],
        },
    )


def mlds_panel(user, membership, campaign, today) -> Panel:
    district = membership.district
    sheets = listed_sheets(user).filter(establishment__district=district, campaign=campaign)
    plain = sheets_visible_to(user).filter(establishment__district=district, campaign=campaign)
    return Panel(
        "mlds",
        f"District {district.name}",
        {
            "district": district,
            "by_status": _by_status(plain),
            "drafts": sheets.filter(status=S.DRAFT).order_by("-updated_at")[:10],
            "latest_advice": Advice.objects.filter(
                sheet__in=sheets_visible_to(user).filter(
                    establishment__district=district, campaign=campaign
                )
            )
            .select_related("sheet", "author")
            .order_by("-created_at")[:5],
        },
    )


MY_FILES_SHOWN = 10


def _my_files(user, department) -> tuple[list[int], int]:
    """The ids of the reviewer's files ("Mes dossiers": assigned to them or followed) in
    ``department``, the most recently active first (``MY_FILES_SHOWN`` at most), and how many
    there are."""
    # The reviewer's few ids first, in one query: as a subquery joined to the département's
    # sheets, PostgreSQL would walk all of them (190 ms at 100,000 sheets; 3 ms this way).
    ids = sorted(
        set(
            Assignment.objects.filter(reviewer=user)
            .values_list("sheet_id", flat=True)
            .union(Follow.objects.filter(user=user).values_list("sheet_id", flat=True))
        )
    )
    if not ids:
        return [], 0
    mine = sheets_visible_to(user).filter(department=department, pk__in=ids)
    shown = list(
        mine.order_by(F("activity_at").desc(nulls_last=True), "-pk").values_list("pk", flat=True)[
            :MY_FILES_SHOWN
        ]
    )
    return shown, (mine.count() if len(shown) == MY_FILES_SHOWN else len(shown))


def dsden_panel(user, membership, campaign, today) -> Panel:
    department = membership.department
    sheets = sheets_visible_to(user).filter(department=department)
    awaiting = sheets.filter(status__in=sorted(AWAITING_ANSWER))
    envelope = (
        Envelope.objects.filter(campaign=campaign, department=department).first()
        if campaign
        else None
    )
    mine_ids, mine_count = _my_files(user, department)
    oldest = _longest_waiting(awaiting, 15)
    # The rows of both lists in one query, with the reviewer's marks (one more for their
    # labels). Every row is of ``department``: no campaign, département or district of its own
    # is read (the lines show none of them).
    rows = (
        listed_sheets(user)
        .prefetch_related(None)
        .annotate(**visits.desk_annotations(user))
        .filter(pk__in={*mine_ids, *oldest})
        .in_bulk()
    )
    for sheet in rows.values():
        sheet.department = department
    visits.attach_desk(user, list(rows.values()))
    mine = [rows[pk] for pk in mine_ids if pk in rows]  # left out if changed meanwhile
    mine.sort(key=lambda sheet: not sheet.has_news)  # stable: news first, then by activity
    waiting = [_waiting(rows[pk]) for pk in oldest if pk in rows]
    return Panel(
        "dsden",
        f"DSDEN {department}",
        {
            "department": department,
            "mine": {"sheets": mine, "count": mine_count},
            "awaiting_answer": waiting,
            "awaiting_count": awaiting.count(),
            "requests": _latest_requests(sheets),
            "envelope": envelope_uses([envelope])[0] if envelope else None,
            "campaign": campaign,
        },
    )


def academie_panel(user, membership, campaign, today) -> Panel:
    """The départements the user oversees (its académie's; every one for the ministry) side by
    side for the current campaign."""
    filed_ids = filed_sheets(ProjectSheet.objects.filter(campaign=campaign)).values("pk")
    departments = (
        departments_overseen(user)
        .order_by("code")
        .annotate(
            filed=Count("sheets", filter=Q(sheets__in=filed_ids)),
            awaiting=Count(
                "sheets",
                filter=Q(sheets__campaign=campaign, sheets__status__in=sorted(AWAITING_ANSWER)),
            ),
            needs_info=Count(
                "sheets",
                filter=Q(sheets__campaign=campaign, sheets__status__in=sorted(AWAITING_PRECISIONS)),
            ),
            validated=Count(
                "sheets", filter=Q(sheets__campaign=campaign, sheets__status=S.VALIDATED)
            ),
            rejected=Count(
                "sheets", filter=Q(sheets__campaign=campaign, sheets__status=S.REJECTED)
            ),
        )
    )
    granted = {
        row["sheet__department"]: row
        for row in Grant.objects.filter(sheet__campaign=campaign, sheet__status=S.VALIDATED)
        .values("sheet__department")
        .annotate(euros=Sum("euros"), hse=Sum("hse"), imp=Sum("imp"))
    }
    academy = academy_of_user(user)
    return Panel(
        "academie",
        capfirst(academy.title) if academy else "Académies",
        {
            "departments": [
                {"department": department, "granted": granted.get(department.pk, {})}
                for department in departments
            ],
            "campaign": campaign,
        },
    )


PANELS = {
    R.STAFF: establishment_panel,
    R.HEAD: establishment_panel,
    R.NETWORK_LEAD: network_panel,
    R.MLDS: mlds_panel,
    R.DSDEN: dsden_panel,
    R.ACADEMIE: academie_panel,
    R.NATIONAL: academie_panel,
}


def panels_for(user, campaign, today) -> list[Panel]:
    """One panel per membership, in the order of the memberships (one per establishment even
    when the user is both staff and head there)."""
    panels, seen = [], set()
    for membership in memberships_of(user):
        scope = (membership.role in (R.STAFF, R.HEAD), membership.establishment_id or None)
        key = scope if membership.establishment_id else (membership.role, membership.pk)
        if key in seen:
            continue
        seen.add(key)
        panels.append(PANELS[membership.role](user, membership, campaign, today))
    return panels
