import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.campaigns import calendar_for
from projects.models import Campaign
from projects.services import campaign_make_current
from reviews.demo.directory import CAMPAIGN_2024

pytestmark = pytest.mark.django_db


def make_campaign(year: int, **overrides) -> Campaign:
    shift = datetime.timedelta(days=365 * (year - 2024))
    dates = {
        name: value + shift
        for name, value in CAMPAIGN_2024.items()
        if isinstance(value, datetime.date)
    }
    return Campaign.objects.create(school_year=f"{year}-{year + 1}", **(dates | overrides))


def test_making_a_campaign_current_unsets_the_previous_one():
    old = make_campaign(2024, is_current=True)
    new = make_campaign(2025)
    campaign_make_current(campaign=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)


def test_database_refuses_two_current_campaigns():
    make_campaign(2024, is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(2025, is_current=True)


def test_database_refuses_a_calendar_out_of_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_campaign(2024, euro_deadline=datetime.date(2024, 10, 1))


@pytest.mark.parametrize("year", ["2024", "2024-2026", "24-25", "2025-2024"])
def test_school_year_must_be_two_consecutive_years(year):
    campaign = make_campaign(2024)
    campaign.school_year = year
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "2024-2025" in error.value.message_dict["school_year"][0]


def test_calendar_lists_the_seed_dates_in_order():
    campaign = make_campaign(2024)
    calendar = calendar_for(campaign, None).calendar()
    dates = [date for date, _label, _deadline in calendar]
    assert dates == sorted(dates)
    assert (datetime.date(2024, 6, 23), "Date limite : actions demandant des euros", True) in (
        calendar
    )
