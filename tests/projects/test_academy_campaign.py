"""Each académie's campaign: its own calendar, pre-validation rule and rates, the campaign's
wherever it set none."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funding.models import Rates
from funding.services import sheet_rates
from projects.campaigns import calendar_for
from projects.models import AcademyCampaign, ProjectSheet
from reviews.workflow import services
from tests.factories import (
    ONE_HSE_LINE,
    EstablishmentFactory,
    NetworkFactory,
    SheetFactory,
    add_estimate,
    department,
    member,
)

S = ProjectSheet.Status


@pytest.fixture
def vienne(personas):
    """A collège of the Vienne in a FOQUALE network, its head, and a complete draft there."""
    school = EstablishmentFactory(department=department("86"))
    NetworkFactory(department=school.department, members=[school])
    head = member(role="chef_etablissement", establishment=school)
    sheet = SheetFactory(establishment=school, complete=True, created_by=head)
    return school.department.academy, head, sheet


def _own(academy, campaign, **values):
    settings = AcademyCampaign(academy=academy, campaign=campaign, **values)
    settings.full_clean()
    settings.save()
    return settings


def test_without_its_own_the_academy_lives_the_campaigns_calendar(personas, vienne):
    academy, _head, _sheet = vienne
    calendar = calendar_for(personas.campaign, academy.pk)
    assert calendar.euro_deadline == personas.campaign.euro_deadline
    assert calendar.requires_prevalidation and not calendar.own


def test_an_earlier_deadline_of_the_academy_refuses_its_sheets_only(personas, vienne, today):
    academy, head, sheet = vienne
    _own(academy, personas.campaign, hse_imp_deadline=datetime.date(2024, 6, 30))
    today(datetime.date(2024, 7, 1))
    with pytest.raises(services.ReviewError, match="se déposent jusqu'au 30 juin 2024"):
        services.submit(sheet=sheet, by=head)
    sheet.refresh_from_db()
    assert sheet.status == S.DRAFT
    creteil = SheetFactory(establishment=personas.college, complete=True)
    services.submit(sheet=creteil, by=personas.college_head)  # the campaign's 15 September
    creteil.refresh_from_db()
    assert creteil.status == S.SUBMITTED


def test_an_academy_without_prevalidation_sends_its_sheets_to_the_dsden(personas, vienne, today):
    academy, head, sheet = vienne
    _own(academy, personas.campaign, requires_prevalidation=False)
    today(datetime.date(2024, 6, 3))
    services.submit(sheet=sheet, by=head)
    sheet.refresh_from_db()
    assert sheet.status == S.IN_REVIEW  # no network's opinion awaited


def test_its_pages_show_the_academies_dates(client, personas, vienne, today):
    academy, head, _sheet = vienne
    _own(academy, personas.campaign, euro_deadline=datetime.date(2024, 6, 14))
    today(datetime.date(2024, 6, 3))
    client.force_login(head)
    home = html.unescape(client.get(reverse("home")).content.decode())
    assert "14 juin 2024" in home and "23 juin 2024" not in home
    guide = html.unescape(client.get(reverse("reviews:guide_calendar")).content.decode())
    assert "jusqu'au 14 juin 2024" in guide
    client.force_login(personas.college_head)
    assert "23 juin 2024" in client.get(reverse("home")).content.decode()


def test_an_academies_calendar_out_of_order_is_refused_in_french(personas, vienne):
    academy, _head, _sheet = vienne
    with pytest.raises(ValidationError) as refused:
        _own(academy, personas.campaign, euro_deadline=datetime.date(2024, 10, 1))
    assert "la date limite euros (01/10/2024) vient après la date limite HSE/IMP" in str(
        refused.value
    )
    assert not AcademyCampaign.objects.exists()


def test_an_academies_rates_compute_its_estimates(personas, vienne):
    academy, _head, sheet = vienne
    Rates.objects.create(
        campaign=personas.campaign,
        academy=academy,
        face_to_face_hours_per_hse=2,
        imp_fractions=["0.5", "1"],
    )
    assert sheet_rates(sheet).academy == academy
    estimate = add_estimate(sheet, hse=[ONE_HSE_LINE])  # 20 hours in front of pupils
    assert estimate.total_hse == 10
    creteil = SheetFactory(establishment=personas.college)
    assert add_estimate(creteil, hse=[ONE_HSE_LINE]).total_hse == 20
    assert sheet_rates(creteil).academy is None


def test_academie_staff_set_their_calendar_and_rates_not_anothers(client, personas, vienne):
    academy, _head, _sheet = vienne
    client.force_login(personas.poitiers_academie)
    add = reverse("admin:projects_academycampaign_add")
    form = client.get(add).content.decode()
    assert "Poitiers" in form and "Créteil" not in form
    done = client.post(
        add,
        {
            "academy": academy.pk,
            "campaign": personas.campaign.pk,
            "euro_deadline": "14/06/2024",
            "requires_prevalidation": "unknown",
        },
    )
    assert done.status_code == 302, html.unescape(done.content.decode())[:3000]
    assert calendar_for(personas.campaign, academy.pk).euro_deadline == datetime.date(2024, 6, 14)
    creteil = personas.college.department.academy
    refused = client.post(add, {"academy": creteil.pk, "campaign": personas.campaign.pk})
    assert refused.status_code == 200
    assert not AcademyCampaign.objects.filter(academy=creteil).exists()
    # The campaign's rates are read, not written, by an académie's staff.
    default = Rates.objects.get_or_create(campaign=personas.campaign, academy=None)[0]
    change = reverse("admin:funding_rates_change", args=[default.pk])
    client.post(change, {"campaign": personas.campaign.pk, "hse_euro_rate": "1"})
    default.refresh_from_db()
    assert default.hse_euro_rate != 1
