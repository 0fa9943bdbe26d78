"""The sections of the sheet in the review: a request for precisions stores their keys and
shows their titles; the diff, the bilan and the PDF follow the registry (projects.sections)."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from aps.models import User
from projects import sections
from reviews.bilans import services as bilans
from reviews.bilans.models import Bilan
from reviews.models import InfoRequest, SheetEvent
from reviews.workflow import services
from reviews.workflow.diff import changes

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db


def user(email):
    return User.objects.get(email=email)


def test_the_request_form_offers_every_section_then_the_documents(client, personas):
    sheet = complete_sheet(state="in_review")
    client.force_login(user("dsden93@aps.test"))
    page = client.get(reverse("reviews:answer", args=[sheet.pk])).content.decode()
    offered = re.findall(r'name="info-sections" value="([^"]+)"', page)
    assert offered == [section.key for section in sections.ASKABLE]
    labels = [
        html.unescape(label)
        for label in re.findall(r'for="id_info-sections_\d+"[^>]*>\s*([^<]+?)\s*<', page)
    ]
    assert labels == [section.title for section in sections.ASKABLE]


def test_a_request_stores_keys_and_the_page_and_email_show_titles(
    client, personas, today, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="in_review")
    client.force_login(user("dsden93@aps.test"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reviews:answer", args=[sheet.pk]),
            {
                "action": "request_info",
                "info-comment": "Précisez le calendrier et joignez le devis.",
                "info-sections": ["calendar", "attachments"],
                "info-due_date": "2024-06-20",
            },
        )
    request = InfoRequest.objects.get(sheet=sheet)
    assert request.sections == ["calendar", "attachments"]
    event = SheetEvent.objects.get(sheet=sheet, transition="request_info")
    assert event.details["sections"] == ["calendar", "attachments"]

    body = mail.outbox[0].body
    assert "Rubriques ou documents concernés : Calendrier, Pièces jointes." in body
    assert "À renvoyer avant le 20 juin 2024." in body  # not "2024-06-20"

    client.force_login(user("staff.college@aps.test"))
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Rubriques ou documents concernés :" in page
    assert '<a href="#section-calendar">Calendrier</a>' in page
    assert '<a href="#attachments">Pièces jointes</a>' in page
    shown = re.sub(r"<[^>]+>", " ", page.split("La DSDEN demande des précisions")[1])
    assert "calendar" not in shown.split("Ce que signifie")[0]  # keys stored, titles shown


def test_a_request_naming_a_title_instead_of_a_key_is_refused(personas, today):
    sheet = complete_sheet(state="in_review")
    with pytest.raises(services.ReviewError, match="Rubrique inconnue : Calendrier"):
        services.request_info(
            sheet=sheet, by=user("dsden93@aps.test"), comment="?", sections=["Calendrier"]
        )
    assert not InfoRequest.objects.filter(sheet=sheet).exists()


def test_what_changed_is_listed_in_the_order_of_the_sections_then_the_documents(personas):
    before = services.sheet_snapshot(complete_sheet())
    after = {
        **before,
        "partners": "Mission locale et théâtre",
        "title": "Nouveau titre",
        "objectives": ["Objectif un", "Objectif deux"],
        "total_hse": "30.00",
        "attachments": ["devis.pdf"],
    }
    assert [change.field for change in changes(before, after)] == [
        "title",
        "objectives",
        "partners",
        "attachments",
        "total_hse",
    ]


def test_the_bilan_fills_the_rows_of_the_official_form_in_their_order():
    assert bilans.rows(Bilan.Stage.FINAL) == list(sections.ROWS)
    assert bilans.rows(Bilan.Stage.INTERMEDIATE) == [sections.row("means")]
    every_field = [name for row in sections.ROWS for name in row.bilan_fields]
    assert bilans.FIELDS[Bilan.Stage.FINAL] == [*every_field, "general"]
    model_fields = {field.name for field in Bilan._meta.fields}
    assert set(every_field) <= model_fields


def test_a_bilan_event_stores_its_stage_and_the_history_shows_its_label(
    client, personas, django_capture_on_commit_callbacks
):
    sheet = complete_sheet(state="validated", grant={"hse": Decimal(16)})
    bilans.save(
        sheet=sheet,
        stage=Bilan.Stage.INTERMEDIATE,
        by=user("chef.college@aps.test"),
        data={"consumed_euros": 0, "consumed_hse": 10, "consumed_imp": 0},
    )
    with django_capture_on_commit_callbacks(execute=True):
        bilans.submit(
            sheet=sheet,
            stage=Bilan.Stage.INTERMEDIATE,
            by=user("chef.college@aps.test"),
            today=datetime.date(2025, 3, 1),
        )
    event = SheetEvent.objects.get(sheet=sheet, kind="bilan")
    assert event.details == {"stage": "intermediaire", "late": False}
    assert "a déposé le bilan intermédiaire financier du projet" in mail.outbox[0].body
    client.force_login(user("dsden93@aps.test"))
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Bilan intermédiaire financier déposé" in page
