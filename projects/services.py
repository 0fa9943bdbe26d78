"""Writes of the projects app: one function per use case."""

import datetime
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from . import reference, search
from .directory_import import EstablishmentRow
from .file_checks import RefusedFile, check_upload
from .locks import locked_sheet
from .models import (
    Academy,
    Attachment,
    Campaign,
    Department,
    Establishment,
    EvaluationCriterion,
    FoqualeNetwork,
    Objective,
    ProjectSheet,
)
from .names import readable_city, readable_name
from .rules import (
    can_delete_sheet,
    can_edit_sheet,
    can_manage_attachments,
    can_renew_sheet,
    carriers_for,
    current_campaign,
)

UPSERT_FIELDS = (
    "name",
    "official_name",
    "kind",
    "sector",
    "city",
    "official_city",
    "postcode",
    "department_id",
    "search_text",
    "sort_name",
)


@dataclass(frozen=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def establishments_upsert(*, rows: list[EstablishmentRow]) -> UpsertCounts:
    """Create or update establishments by UAI: the official name and city as the file writes
    them, and their readable form (``projects.names``). Districts set by hand are left alone,
    and so is a name or city corrected by hand while the file's text has not changed."""
    codes = {row.department_code for row in rows}
    departments = {d.code: d.pk for d in Department.objects.filter(code__in=codes)}
    # A département of the reference table seen for the first time: created, with its académie.
    departments |= {code: department_for(code).pk for code in codes - departments.keys()}
    existing = Establishment.objects.select_for_update().in_bulk(
        [row.uai for row in rows], field_name="uai"
    )
    to_create, to_update, renamed, unchanged = [], [], [], 0
    for row in rows:
        establishment = existing.get(row.uai)
        values = {
            "name": _shown(establishment, "name", row.name, readable_name),
            "official_name": row.name,
            "kind": row.kind,
            "sector": row.sector,
            "city": _shown(establishment, "city", row.city, readable_city),
            "official_city": row.city,
            "postcode": row.postcode,
            "department_id": departments[row.department_code],
        }
        if establishment is None:
            to_create.append(Establishment(uai=row.uai, **values))
        elif any(getattr(establishment, name) != value for name, value in values.items()):
            if (establishment.name, establishment.city) != (values["name"], values["city"]):
                renamed.append(establishment)
            for name, value in values.items():
                setattr(establishment, name, value)
            to_update.append(establishment)
        else:
            unchanged += 1
    for establishment in to_create + to_update:
        search.compose_carrier(establishment)
    Establishment.objects.bulk_create(to_create, batch_size=500)
    Establishment.objects.bulk_update(to_update, UPSERT_FIELDS, batch_size=500)
    # Their sheets are searched by their name and city.
    search.refresh_sheets(ProjectSheet.objects.filter(establishment__in=renamed))
    return UpsertCounts(created=len(to_create), updated=len(to_update), unchanged=unchanged)


def _shown(establishment, field: str, official: str, readable) -> str:
    """The name or city shown: the readable form of the file's text, or the one already
    shown when the file's text is the one imported before (it may have been corrected)."""
    if establishment is not None and getattr(establishment, f"official_{field}") == official:
        return getattr(establishment, field)
    return readable(official)


@transaction.atomic
def carrier_save(*, carrier: Establishment | FoqualeNetwork, changed=None) -> None:
    """Save an establishment or a network corrected by hand (the administration); when
    ``changed`` (the fields changed on an existing one) holds a searched field, its sheets
    are searched by the new name."""
    search.compose_carrier(carrier)
    carrier.save()
    if changed:
        search.carrier_saved(carrier, changed)


@transaction.atomic
def sheet_correct(*, sheet: ProjectSheet, changed) -> None:
    """Save the fields ``changed`` of a sheet corrected in the administration (states,
    dates and copies stay the workflow's and the estimate's)."""
    fields = set(changed)
    if search.SHEET_FIELDS & fields:
        search.compose_sheets([sheet])
        fields.add("search_text")
    if fields:
        fields.add("updated_at")  # "Modifiée le" moves, and so does the edit form's version
        sheet.save(update_fields=sorted(fields))


@transaction.atomic
def campaign_make_current(*, campaign: Campaign) -> None:
    """Make ``campaign`` the current one (and no other)."""
    Campaign.objects.select_for_update().filter(is_current=True).exclude(pk=campaign.pk).update(
        is_current=False
    )
    if not campaign.is_current:
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])


def department_for(code: str) -> Department:
    """The département of ``code`` (a code of the reference table), created with its
    académie from ``projects.reference`` on first use."""
    department = Department.objects.filter(code=code).first()
    if department is not None:
        return department
    name, academy_code = reference.DEPARTMENTS_BY_CODE[code]
    known = reference.ACADEMIES[academy_code]
    academy, _ = Academy.objects.get_or_create(
        code=known.code,
        defaults={"name": known.name, "of_name": known.of_name, "website": known.website},
    )
    department, _ = Department.objects.get_or_create(
        code=code, defaults={"name": name, "academy": academy}
    )
    return department


def departments_ensure(codes) -> list[Department]:
    """The départements of ``codes``, created if missing (the demo's, after a test flush)."""
    return [department_for(code) for code in codes]


class SheetError(Exception):
    """A refused action on a sheet; the message is French and shown to the user."""


# The content of a sheet: what the edit form writes and a renewal copies.
CONTENT_FIELDS = (
    "title",
    "problem",
    "qualitative_indicators",
    "quantitative_indicators",
    "gpds_associated",
    "gpds_consulted_on",
    "field",
    "typology",
    "expected_pupils",
    "pupil_levels",
    "pupil_profiles",
    "identification",
    "organisation",
    "start_date",
    "end_date",
    "key_moments",
    "staff_count",
    "staff_roles",
    "partners",
    "means_use",
)


# Who changed the sheet last, and when: written with every change of its content.
SHEET_STAMP = ("updated_by", "updated_at")


def sheet_version(sheet: ProjectSheet) -> str:
    """What the edit form remembers to detect a save made meanwhile."""
    return sheet.updated_at.isoformat()


def _is_version(value) -> bool:
    try:
        datetime.datetime.fromisoformat(value or "")
    except ValueError:
        return False
    return True


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise SheetError(message)


def _write_numbered(sheet, model, texts: list[str]) -> None:
    """Replace the sheet's objectives (or criteria) by the non-empty texts, ranked 1, 2, 3."""
    model.objects.filter(sheet=sheet).delete()
    model.objects.bulk_create(
        model(sheet=sheet, position=position, text=text)
        for position, text in enumerate((t.strip() for t in texts if t and t.strip()), start=1)
    )


@transaction.atomic
def sheet_create(
    *, carrier, by, content: dict, objectives: list[str], criteria: list[str], is_renewal=False
) -> ProjectSheet:
    """A new draft in the current campaign, carried by an establishment or a network."""
    campaign = current_campaign()
    _require(campaign is not None, "Aucune campagne n'est ouverte : impossible de créer une fiche.")
    _require(carrier in carriers_for(by), "Vous ne pouvez pas déposer de fiche pour ce porteur.")
    carrier_field = "network" if isinstance(carrier, FoqualeNetwork) else "establishment"
    sheet = ProjectSheet(
        campaign=campaign,
        department_id=carrier.department_id,
        is_renewal=is_renewal,
        created_by=by,
        updated_by=by,
        **{carrier_field: carrier},
        **{name: content[name] for name in CONTENT_FIELDS if name in content},
    )
    search.compose_sheets([sheet])
    sheet.save()
    _write_numbered(sheet, Objective, objectives)
    _write_numbered(sheet, EvaluationCriterion, criteria)
    return sheet


class SheetChangedMeanwhile(SheetError):
    """Someone saved the sheet after the form was opened: nothing is overwritten."""


@transaction.atomic
def sheet_update(
    *,
    sheet: ProjectSheet,
    by,
    content: dict,
    objectives: list[str],
    criteria: list[str],
    is_renewal: bool | None = None,
    opened_version: str | None,
) -> ProjectSheet:
    """Save a draft as it is: any part may be empty. ``opened_version`` is the sheet's
    version when the form was opened; if the sheet was saved since — or the version is
    missing or malformed, so that nobody can tell —, nothing is written."""
    locked = locked_sheet(sheet.pk, "updated_by", "establishment", "network")
    _require(
        can_edit_sheet(by, locked),
        "Cette fiche n'est plus modifiable : elle n'est plus à l'état de brouillon.",
    )
    if opened_version != sheet_version(locked):
        saved = (
            f"{locked.updated_by} l'a enregistrée le "
            f"{timezone.localtime(locked.updated_at):%d/%m/%Y à %H:%M}"
        )
        told = (
            f"Cette fiche a été modifiée entre-temps : {saved}, depuis que vous l'avez ouverte."
            if _is_version(opened_version)
            else "Le formulaire envoyé ne dit pas quelle version de la fiche vous aviez "
            f"ouverte : elle a peut-être été modifiée entre-temps ({saved})."
        )
        raise SheetChangedMeanwhile(
            f"{told} Votre saisie n'a pas été enregistrée : elle est conservée ci-dessous ; "
            "ouvrez la fiche dans un autre onglet pour voir la version enregistrée, puis "
            "reportez vos modifications."
        )
    for name in CONTENT_FIELDS:
        if name in content:
            setattr(locked, name, content[name])
    if is_renewal is not None and locked.renewal_of_id is None:
        locked.is_renewal = is_renewal
    locked.updated_by = by
    search.compose_sheets([locked])
    # The content and its search text only: the copies kept by other writers (the means
    # requested, the first submission) are never written back from here.
    locked.save(update_fields=[*CONTENT_FIELDS, *SHEET_STAMP, "is_renewal", "search_text"])
    _write_numbered(locked, Objective, objectives)
    _write_numbered(locked, EvaluationCriterion, criteria)
    return locked


@transaction.atomic
def sheet_delete(*, sheet: ProjectSheet, by) -> None:
    locked = ProjectSheet.objects.select_for_update().get(pk=sheet.pk)
    _require(
        can_delete_sheet(by, locked),
        "Seul le chef ou la cheffe d'établissement peut supprimer un brouillon.",
    )
    # Its files (attachments, messages') leave the storage once this commits: aps.stored_files.
    locked.delete()


@transaction.atomic
def sheet_renew(*, sheet: ProjectSheet, by) -> ProjectSheet:
    """A draft in the current campaign with the previous sheet's sections copied."""
    previous = ProjectSheet.objects.select_for_update().get(pk=sheet.pk)
    _require(
        can_renew_sheet(by, previous),
        "Cette action ne peut pas être renouvelée (déjà renouvelée, ou d'une campagne en cours).",
    )
    renewal = sheet_create(
        carrier=previous.carrier,
        by=by,
        content={name: getattr(previous, name) for name in CONTENT_FIELDS},
        objectives=[o.text for o in previous.objectives.all()],
        criteria=[c.text for c in previous.criteria.all()],
        is_renewal=True,
    )
    # The calendar belongs to the previous year: the new one is to be set.
    renewal.start_date = renewal.end_date = None
    renewal.renewal_of = previous
    renewal.save(update_fields=["start_date", "end_date", "renewal_of"])
    return renewal


def attachment_add(*, sheet: ProjectSheet, by, kind: str, uploaded) -> Attachment:
    """Store an uploaded file checked by its content; nothing is kept if anything fails."""
    try:
        document = check_upload(uploaded)
    except RefusedFile as refusal:
        raise SheetError(str(refusal)) from None
    attachment = Attachment(
        kind=kind,
        original_name=PurePath(uploaded.name).name[:255],
        content_type=document.content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            # Checked on the locked row: a sheet submitted meanwhile takes no more files.
            locked = ProjectSheet.objects.select_for_update().get(pk=sheet.pk)
            _require(
                can_manage_attachments(by, locked),
                "Les pièces jointes de cette fiche ne sont plus modifiables.",
            )
            attachment.sheet = locked
            attachment.file.save(uploaded.name, uploaded, save=False)
            attachment.save()
    except Exception:
        if attachment.file:
            attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    _require(
        can_manage_attachments(by, attachment.sheet),
        "Les pièces jointes de cette fiche ne sont plus modifiables.",
    )
    attachment.delete()  # its file goes once this commits (aps.stored_files)
