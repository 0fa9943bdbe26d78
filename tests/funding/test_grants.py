from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from aps.models import User
from funding.models import Envelope, Grant
from funding.services import FundingError, envelope_use, grant_record
from projects.models import Attachment, Campaign, Department, Establishment
from tests.factories import (
    EstablishmentFactory,
    SheetFactory,
    add_estimate,
    advance,
    department,
    dsden_of,
    transition,
)

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
    """A submitted sheet requesting 1,000 €, 20 HSE and 0.5 IMP."""
    sheet = SheetFactory(
        complete=True,
        estimate=False,
        **({"establishment": establishment} if establishment else {}),
        **kwargs,
    )
    quote = Attachment.objects.create(
        sheet=sheet,
        kind="quote",
        original_name="devis.pdf",
        content_type="application/pdf",
        size=3,
        uploaded_by=sheet.created_by,
        file="attachments/q.pdf",
    )
    add_estimate(
        sheet,
        hse=[ATELIER],
        imp=[{"mission": "coordination", "fraction": D("0.5"), "beneficiary": "Mme A"}],
        euro=[{"nature": "outils", "label": "Livres", "amount": D("1000.00"), "quote": quote}],
    )
    return advance(sheet, "submitted")


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
            "Le montant accordé en euros (1\xa0000,01\xa0€) dépasse le montant demandé "
            "(1\xa0000,00\xa0€).",
        ),
        (
            "0",
            "20.5",
            "0",
            "Le montant accordé en HSE (20,5\xa0HSE) dépasse le montant demandé (20\xa0HSE).",
        ),
        (
            "0",
            "0",
            "1",
            "Le montant accordé en IMP (1\xa0IMP) dépasse le montant demandé (0,5\xa0IMP).",
        ),
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
    campaign = SheetFactory().campaign
    seine_saint_denis, val_de_marne = department("93"), department("94")
    envelope = Envelope.objects.create(
        campaign=campaign, department=seine_saint_denis, euros=D("5000"), hse=D("30"), imp=D("1")
    )
    # Grants are recorded when the DSDEN validates; a reopened sheet's grant is suspended.
    advance(requested_sheet(), "validated", euros=D("1000"), hse=D("20"), imp=D("0.5"))
    advance(requested_sheet(), "validated", euros=D("500"), hse=D("15"), imp=D("0.25"))
    other = requested_sheet(EstablishmentFactory(department=val_de_marne, city="Créteil"))
    advance(other, "validated", euros=D("999"), hse=D("1"), imp=D("0"))
    reopened = advance(requested_sheet(), "validated", euros=D("700"), hse=D("1"), imp=D("0"))
    transition("reopen", sheet=reopened, by=dsden_of(reopened), reason="Montants à revoir")

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


def test_envelope_page_dsden_sees_its_department_and_academie_all(client, personas):
    campaign = Campaign.objects.get(is_current=True)
    for dept in Department.objects.all():
        Envelope.objects.create(
            campaign=campaign, department=dept, euros=D("1000"), hse=D("10"), imp=D("2")
        )
    sheet = requested_sheet(Establishment.objects.get(uai="0931610V"))
    advance(sheet, "validated", euros=D("250"), hse=D("4"), imp=D("0.5"))

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
    ("euros", "hse", "imp", "message"),
    [
        ("999999", "20", "0.5", "Le montant accordé en euros (999\xa0999,00\xa0€) dépasse"),
        ("1000", "21", "0.5", "Le montant accordé en HSE (21\xa0HSE) dépasse"),
        ("1000", "20", "-1", "Le montant accordé en IMP ne peut pas être négatif"),
    ],
)
def test_admin_grant_above_request_is_a_form_error_not_a_500(
    client, personas, euros, hse, imp, message
):
    sheet = advance(requested_sheet(), "validated", euros=D("800"), hse=D("20"), imp=D("0.5"))
    grant = Grant.objects.get(sheet=sheet)
    client.force_login(User.objects.get(email="academie@aps.test"))
    url = reverse("admin:funding_grant_change", args=[grant.pk])
    response = client.post(url, {"euros": euros, "hse": hse, "imp": imp, "_save": "Enregistrer"})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert f'value="{euros}"' in page  # what was typed is kept
    grant.refresh_from_db()
    assert (grant.euros, grant.hse, grant.imp) == (D("800"), D("20"), D("0.5"))


def test_admin_grant_within_request_goes_through_the_service(client, personas):
    sheet = advance(requested_sheet(), "validated", euros=D("800"), hse=D("20"), imp=D("0.5"))
    grant = Grant.objects.get(sheet=sheet)
    academie = User.objects.get(email="academie@aps.test")
    client.force_login(academie)
    url = reverse("admin:funding_grant_change", args=[grant.pk])
    response = client.post(url, {"euros": "900", "hse": "10", "imp": "0", "_save": "Enregistrer"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.euros, grant.hse, grant.imp, grant.granted_by) == (
        D("900"),
        D("10"),
        D("0"),
        academie,
    )


def test_admin_grant_beyond_the_envelope_is_a_form_error(client, personas):
    sheet = advance(requested_sheet(), "validated", euros=D("800"), hse=D("20"), imp=D("0.5"))
    # What remains of the envelope once this grant counts: 100 €, 0 HSE, 0 IMP.
    Envelope.objects.create(
        campaign=sheet.campaign,
        department=sheet.department,
        euros=D("900"),
        hse=D("20"),
        imp=D("0.5"),
    )
    grant = Grant.objects.get(sheet=sheet)
    client.force_login(User.objects.get(email="academie@aps.test"))
    url = reverse("admin:funding_grant_change", args=[grant.pk])
    response = client.post(url, {"euros": "1000", "hse": "20", "imp": "0.5", "_save": "x"})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "dépasse ce qui reste de l'enveloppe du département (euros)" in page
    grant.refresh_from_db()
    assert grant.euros == D("800")
    # Within what remains, once its own grant is given back: saved.
    response = client.post(url, {"euros": "900", "hse": "20", "imp": "0.5", "_save": "x"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.euros == D("900")
