"""The sheet keeps when it last came (back) to the DSDEN, the DSDEN's first answer and its last
news for the reviewers, written by the workflow with the history line of the same moment."""

from decimal import Decimal

import pytest

from aps.models import User
from projects.models import ProjectSheet
from reviews.bilans import services as bilans
from reviews.workflow import services

from .conftest import complete_sheet
from .test_bilan import FINAL, FULL_FINAL, granted

pytestmark = pytest.mark.django_db


def user(email):
    return User.objects.get(email=email)


def columns(sheet):
    sheet = ProjectSheet.objects.get(pk=sheet.pk)
    return sheet.arrived_at, sheet.first_answered_at, sheet.activity_at


def test_each_transition_dates_the_arrival_the_first_answer_and_the_news(personas, today):
    sheet = complete_sheet()
    assert columns(sheet) == (None, None, None)
    filed = services.submit(sheet=sheet, by=user("chef.college@aps.test")).created_at
    assert columns(sheet) == (filed, None, filed)

    opinion = services.prevalidate(
        sheet=sheet, by=user("foquale@aps.test"), value="favorable", comment="Soutenu"
    ).created_at
    assert columns(sheet) == (opinion, None, opinion)

    asked = services.request_info(
        sheet=sheet, by=user("dsden93@aps.test"), comment="Le calendrier ?"
    ).created_at
    assert columns(sheet) == (opinion, asked, opinion)  # the answer is the DSDEN's: no news

    back = services.resubmit(
        sheet=sheet, by=user("chef.college@aps.test"), answer="Voici"
    ).created_at
    assert columns(sheet) == (back, asked, back)

    services.validate(
        sheet=sheet, by=user("dsden93@aps.test"), euros=Decimal(0), hse=Decimal(20), imp=Decimal(0)
    )
    assert columns(sheet) == (back, asked, back)  # the first answer stays the first

    reopened = services.reopen(
        sheet=sheet, by=user("dsden93@aps.test"), reason="Erreur de saisie"
    ).created_at
    assert columns(sheet) == (reopened, asked, back)  # waiting again, since the reopening


def test_advice_and_a_bilan_are_news_but_no_arrival(personas, today):
    sheet = complete_sheet(state="validated", grant={"hse": Decimal(16)})
    arrived, answered, _ = columns(sheet)
    advice = services.advise(sheet=sheet, by=user("mlds@aps.test"), text="Associez le CIO.")
    assert columns(sheet) == (arrived, answered, advice.created_at)

    bilans.save(
        sheet=sheet, stage=FINAL, by=user("staff.college@aps.test"), data=FULL_FINAL | granted()
    )
    bilan = bilans.submit(sheet=sheet, stage=FINAL, by=user("chef.college@aps.test"))
    assert columns(sheet) == (arrived, answered, bilan.submitted_at)


def test_a_refused_transition_writes_none_of_them(personas, today):
    sheet = complete_sheet(state="in_review")
    before = columns(sheet)
    with pytest.raises(services.ReviewError):
        services.validate(
            sheet=sheet, by=user("dsden93@aps.test"), euros=Decimal(0), hse=Decimal(0), imp=0
        )
    assert columns(sheet) == before


def test_the_index_of_waiting_sheets_holds_what_the_dsden_home_lists():
    from django.db.models import Q

    from reviews.workflow.table import AWAITING_ANSWER

    index = next(i for i in ProjectSheet._meta.indexes if i.name == "sheet_awaiting_answer")
    # The same states in the same order: PostgreSQL reads the partial index for the home's
    # query only when the query's condition is the index's.
    assert index.condition == Q(status__in=sorted(AWAITING_ANSWER))
