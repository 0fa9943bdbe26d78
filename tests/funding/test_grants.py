from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from aps.models import User
from funding.models import Envelope, Grant
from funding.services import FundingError, envelope_use, grant_record
from projects.models import Campaign, Department, Establishment, ProjectSheet
from tests.factories import EstablishmentFactory, SheetFactory, add_estimate, department

pytestmark = pytest.mark.django_db
D = Decimal
ATELIER = {
    "activity": "Atelier",
    "speaker": "titulaire",
    "hour_kind": "face",
    "weeks": 10,
    "hours_per_week": D("2"),
    "speakers": 1,
}  # 20 HSE


def requested_sheet(establishment=None, **kwargs):
    sheet = SheetFactory(
        submitted=True, **({"establishment": establishment} if establishment else {}), **kwargs
    )
    add_estimate(
        sheet,
        hse=[ATELIER],
        imp=[{"mission": "coordination", "fraction": D("0.5"), "beneficiary": "Mme A"}],
        euro=[{"nature": "outils", "label": "Livres", "amount": D("1000.00")}],
    )
    return sheet


def test_grant_at_most_what_was_requested_and_partial_when_lower(db):
    reviewer = User.objects.create_user(email="r@aps.test", password="x", full_name="R")
    sheet = requested_sheet()
    grant = grant_record(sheet=sheet, by=reviewer, euros=D("800"), hse=D("20"), imp=D("0.5"))
    assert (grant.requested_euros, grant.requested_hse, grant.requested_imp) == (
        D("1000.00"),
        D("20.00"),
        D("0.50"),
    )
    assert grant.is_partial
    full = grant_record(sheet=sheet, by=reviewer, euros=D("1000"), hse=D("20"), imp=D("0.5"))
    assert full.pk == grant.pk and not full.is_partial


@pytest.mark.parametrize(
    ("euros", "hse", "imp", "message"),
    [
        (
            "1000.01",
            "0",
            "0",
            "Le montant accordé en euros (1000.01) dépasse le montant demandé (1000.00).",
        ),
        ("0", "20.5", "0", "Le montant accordé en HSE (20.5) dépasse le montant demandé (20.00)."),
        ("0", "0", "1", "Le montant accordé en IMP (1) dépasse le montant demandé (0.50)."),
        ("-1", "0", "0", "Le montant accordé en euros ne peut pas être négatif."),
    ],
)
def test_grant_above_request_is_refused_and_nothing_written(db, euros, hse, imp, message):
    reviewer = User.objects.create_user(email="r@aps.test", password="x", full_name="R")
    sheet = requested_sheet()
    with pytest.raises(FundingError) as error:
        grant_record(sheet=sheet, by=reviewer, euros=D(euros), hse=D(hse), imp=D(imp))
    assert str(error.value) == message
    assert not Grant.objects.exists()


def test_database_refuses_a_grant_above_request(db):
    reviewer = User.objects.create_user(email="r@aps.test", password="x", full_name="R")
    sheet = requested_sheet()
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(
            sheet=sheet,
            requested_euros=D("10"),
            requested_hse=D("1"),
            requested_imp=D("0"),
            euros=D("11"),
            granted_by=reviewer,
        )


def test_envelope_granted_and_remaining_per_department_and_campaign(db):
    reviewer = User.objects.create_user(email="r@aps.test", password="x", full_name="R")
    campaign = SheetFactory().campaign
    seine_saint_denis, val_de_marne = department("93"), department("94")
    envelope = Envelope.objects.create(
        campaign=campaign, department=seine_saint_denis, euros=D("5000"), hse=D("30"), imp=D("1")
    )
    a, b = requested_sheet(), requested_sheet()
    other = requested_sheet(EstablishmentFactory(department=val_de_marne, city="Créteil"))
    grant_record(sheet=a, by=reviewer, euros=D("1000"), hse=D("20"), imp=D("0.5"))
    grant_record(sheet=b, by=reviewer, euros=D("500"), hse=D("15"), imp=D("0.25"))
    grant_record(sheet=other, by=reviewer, euros=D("999"), hse=D("1"), imp=D("0"))
    # Grants are recorded when the DSDEN validates; a reopened sheet's grant is suspended.
    ProjectSheet.objects.filter(pk__in=[a.pk, b.pk, other.pk]).update(status="validated")
    reopened = requested_sheet()
    grant_record(sheet=reopened, by=reviewer, euros=D("700"), hse=D("1"), imp=D("0"))
    ProjectSheet.objects.filter(pk=reopened.pk).update(status="in_review")

    use = envelope_use(campaign=campaign, department=seine_saint_denis)
    assert use.envelope == envelope
    assert (use.granted_euros, use.granted_hse, use.granted_imp) == (
        D("1500.00"),
        D("35.00"),
        D("0.75"),
    )
    assert (use.remaining_euros, use.remaining_hse, use.remaining_imp) == (
        D("3500.00"),
        D("-5.00"),
        D("0.25"),
    )
    assert envelope_use(campaign=campaign, department=val_de_marne) is None


def test_envelope_page_dsden_sees_its_department_and_academie_all(client, demo):
    campaign = Campaign.objects.get(is_current=True)
    for dept in Department.objects.all():
        Envelope.objects.create(
            campaign=campaign, department=dept, euros=D("1000"), hse=D("10"), imp=D("2")
        )
    sheet = requested_sheet(Establishment.objects.get(uai="0931610V"))
    grant_record(
        sheet=sheet,
        by=User.objects.get(email="dsden93@aps.test"),
        euros=D("250"),
        hse=D("4"),
        imp=D("0.5"),
    )
    ProjectSheet.objects.filter(pk=sheet.pk).update(status="validated")

    client.force_login(User.objects.get(email="dsden93@aps.test"))
    page = client.get(reverse("funding:envelope_list")).content.decode()
    assert "93 Seine-Saint-Denis — campagne 2024-2025" in page
    assert "77 Seine-et-Marne" not in page
    assert "750,00" in page  # 1000 - 250 €

    client.force_login(User.objects.get(email="academie@aps.test"))
    page = client.get(reverse("funding:envelope_list")).content.decode()
    assert all(
        name in page
        for name in ("77 Seine-et-Marne —", "93 Seine-Saint-Denis —", "94 Val-de-Marne —")
    )


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("chef.college@aps.test", 403),
        ("staff.lycee@aps.test", 403),
        ("foquale@aps.test", 403),
        ("mlds@aps.test", 403),
        ("dsden77@aps.test", 200),
        ("academie@aps.test", 200),
    ],
)
def test_envelope_page_access(client, demo, email, status):
    client.force_login(User.objects.get(email=email))
    assert client.get(reverse("funding:envelope_list")).status_code == status
