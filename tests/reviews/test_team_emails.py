"""The network's opinion and the DSDEN's requests for precisions reach everyone who works on
the sheet: the establishment's head and staff (the network's lead on a network's sheet)."""

import pytest
from django.core import mail

from aps.models import User
from projects.models import FoqualeNetwork
from reviews.workflow import services
from tests.factories import SheetFactory, member

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db


def user(email) -> User:
    return User.objects.get(email=email)


def sent_to(capture, action) -> list[str]:
    mail.outbox.clear()
    with capture(execute=True):
        action()
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_networks_opinion_reaches_the_head_and_the_staff(
    personas, today, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="submitted")
    second_staff = member(role="etablissement", establishment=personas.college)
    recipients = sent_to(
        django_capture_on_commit_callbacks,
        lambda: services.prevalidate(
            sheet=sheet, by=user("foquale@aps.test"), value="favorable", comment="Cohérent."
        ),
    )
    assert recipients == sorted(
        ["chef.college@aps.test", "staff.college@aps.test", "dsden93@aps.test", second_staff.email]
    )
    assert "staff.lycee@aps.test" not in recipients  # another establishment of the network
    assert all("avis favorable" in m.body for m in mail.outbox)


def test_a_request_for_precisions_reaches_the_head_and_the_staff(
    personas, today, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="in_review")
    recipients = sent_to(
        django_capture_on_commit_callbacks,
        lambda: services.request_info(
            sheet=sheet, by=user("dsden93@aps.test"), comment="Précisez le calendrier."
        ),
    )
    assert {"chef.college@aps.test", "staff.college@aps.test"} <= set(recipients)
    assert "dsden93@aps.test" not in recipients  # the author
    assert not {"staff.lycee@aps.test", "chef.lycee@aps.test", "foquale@aps.test"} & set(recipients)
    assert all("Précisez le calendrier." in m.body for m in mail.outbox)


def test_a_request_on_a_network_sheet_reaches_its_lead(
    personas, today, django_capture_on_commit_callbacks
):
    network = FoqualeNetwork.objects.get(memberships__user__email="foquale@aps.test")
    sheet = SheetFactory(establishment=None, network=network, complete=True)
    services.submit(sheet=sheet, by=user("foquale@aps.test"))
    recipients = sent_to(
        django_capture_on_commit_callbacks,
        lambda: services.request_info(
            sheet=sheet, by=user("dsden93@aps.test"), comment="Précisez les partenaires."
        ),
    )
    assert "foquale@aps.test" in recipients
    assert not {"staff.college@aps.test", "staff.lycee@aps.test"} & set(recipients)
