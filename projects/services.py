"""Writes of the projects app: one function per use case."""

from dataclasses import dataclass

from django.db import transaction

from .directory_import import EstablishmentRow
from .models import Campaign, Department, Establishment
from .reference import DEPARTMENTS

UPSERT_FIELDS = ("name", "kind", "sector", "city", "postcode", "department_id")


@dataclass(frozen=True)
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def establishments_upsert(*, rows: list[EstablishmentRow]) -> UpsertCounts:
    """Create or update establishments by UAI. Districts set by hand are left alone."""
    departments = {d.code: d.pk for d in Department.objects.all()}
    existing = Establishment.objects.select_for_update().in_bulk(
        [row.uai for row in rows], field_name="uai"
    )
    to_create, to_update, unchanged = [], [], 0
    for row in rows:
        values = {
            "name": row.name,
            "kind": row.kind,
            "sector": row.sector,
            "city": row.city,
            "postcode": row.postcode,
            "department_id": departments[row.department_code],
        }
        establishment = existing.get(row.uai)
        if establishment is None:
            to_create.append(Establishment(uai=row.uai, **values))
        elif any(getattr(establishment, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(establishment, name, value)
            to_update.append(establishment)
        else:
            unchanged += 1
    Establishment.objects.bulk_create(to_create, batch_size=500)
    Establishment.objects.bulk_update(to_update, UPSERT_FIELDS, batch_size=500)
    return UpsertCounts(created=len(to_create), updated=len(to_update), unchanged=unchanged)


@transaction.atomic
def campaign_make_current(*, campaign: Campaign) -> None:
    """Make ``campaign`` the current one (and no other)."""
    Campaign.objects.select_for_update().filter(is_current=True).exclude(pk=campaign.pk).update(
        is_current=False
    )
    if not campaign.is_current:
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])


def departments_ensure() -> None:
    """Create the académie's départements if missing (after a test flush, for instance)."""
    for code, name, email in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "dsden_email": email})
