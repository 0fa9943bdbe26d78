"""The académie a page speaks for is data: the header's logo, the title, the footer's DSDEN
mailboxes, the PDF and the e-mails read it from the directory (``projects.academies``)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from projects.academies import academy_of_user, instance_academy
from projects.models import Membership
from reviews.workflow import services
from tests.factories import EstablishmentFactory, SheetFactory, department, head_of, member
from tests.reviews.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


def page_of(client, user, url=None) -> str:
    client.force_login(user)
    return client.get(url or reverse("home")).content.decode()


def test_a_creteil_user_reads_creteil_and_its_dsden_mailboxes_from_the_data(client, personas):
    seine_saint_denis = department("93")
    seine_saint_denis.dsden_email = "dsden93.aps@example.fr"
    seine_saint_denis.save()
    page = page_of(client, head_of(SheetFactory(establishment=personas.college)))
    assert '<p class="fr-logo">Académie<br>de Créteil</p>' in page
    assert "— APS, académie de Créteil</title>" in page
    assert "de l'académie de Créteil de solliciter des moyens" in page.replace("&#x27;", "'")
    assert 'href="mailto:dsden93.aps@example.fr">DSDEN 93 : dsden93.aps@example.fr</a>' in page
    assert 'href="https://www.ac-creteil.fr"' in page


def test_a_poitiers_user_reads_poitiers(client, personas):
    vienne = department("86")
    lycee = EstablishmentFactory(department=vienne, name="Lycée Camille Guérin", city="Poitiers")
    head = member(role=Membership.Role.HEAD, establishment=lycee)
    page = page_of(client, head)
    assert '<p class="fr-logo">Académie<br>de Poitiers</p>' in page
    assert "— APS, académie de Poitiers</title>" in page
    assert "Créteil" not in page
    assert academy_of_user(head).code == "poitiers"


def test_with_two_academies_a_visitor_reads_the_republic(client, personas):
    assert instance_academy().code == "creteil"  # the demo's directory: Créteil alone
    EstablishmentFactory(department=department("86"))
    assert instance_academy() is None
    page = client.get(reverse("login")).content.decode()
    assert '<p class="fr-logo">République<br>française</p>' in page
    assert "Créteil" not in page and "Poitiers" not in page


def test_the_sheets_pdf_and_e_mails_name_the_sheets_academie(
    client, personas, today, django_capture_on_commit_callbacks
):
    vienne = department("86")
    sheet = SheetFactory(establishment=EstablishmentFactory(department=vienne), complete=True)
    head = head_of(sheet)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(sheet=sheet, by=head)
    assert mail.outbox
    for message in mail.outbox:
        assert message.body.rstrip().endswith(
            "— Actions Persévérance Scolaire, académie de Poitiers"
        )
    client.force_login(head)
    sheet_pdf = client.get(reverse("reviews:sheet_pdf", args=[sheet.pk]))
    assert "Académie de Poitiers — SAIO / MLDS" in pdf_text(sheet_pdf.content, "-raw")
    receipt = client.get(reverse("reviews:receipt_pdf", args=[sheet.pk]))
    assert "Académie de Poitiers — SAIO / MLDS" in pdf_text(receipt.content, "-raw")


def sheet_routes():
    """Every address of the URLconf about one sheet (``projets/<pk>/…``), by name."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    f"{prefix}{pattern.namespace or ''}:" if pattern.namespace else prefix,
                )
            elif isinstance(pattern, URLPattern) and str(pattern.pattern).startswith(
                "projets/<int:pk>/"
            ):
                yield f"{prefix}{pattern.name}", str(pattern.pattern)

    return sorted(dict(walk(get_resolver().url_patterns)).items())


def test_another_academies_sheets_are_404_for_an_academie_and_seen_by_the_ministry(
    client, personas
):
    """The académie role covers its académie: a sheet of another one answers 404 at every
    address of a sheet, and is left out of its list, statistics and envelopes; the ministry's
    role reads both."""
    poitiers_sheet = SheetFactory(
        establishment=EstablishmentFactory(department=department("86"), name="Collège Rabelais"),
        title="Atelier de Poitiers",
        submitted=True,
    )
    creteil_sheet = SheetFactory(
        establishment=personas.college, title="Atelier de Créteil", submitted=True
    )
    client.force_login(personas.academie)
    routes = sheet_routes()
    assert len(routes) >= 15
    for name, route in routes:
        # Any other part of the address names something of the sheet: its lookup comes after.
        kwargs = {
            part: 1 if kind == "int" else "final"
            for kind, part in re.findall(r"<(\w+):(\w+)>", route)
        }
        kwargs["pk"] = poitiers_sheet.pk
        url = reverse(name, kwargs=kwargs)
        answers = {client.get(url).status_code, client.post(url).status_code}
        assert 404 in answers and answers <= {404, 405}, (name, answers)
    assert client.get(creteil_sheet.get_absolute_url()).status_code == 200
    listed = client.get(reverse("reviews:sheet_list")).content.decode()
    assert "Atelier de Créteil" in listed and "Atelier de Poitiers" not in listed
    statistics = client.get(reverse("reviews:statistics")).content.decode()
    assert "86 Vienne" not in statistics

    ministry = member(role=Membership.Role.NATIONAL)
    client.force_login(ministry)
    assert client.get(poitiers_sheet.get_absolute_url()).status_code == 200
    listed = client.get(reverse("reviews:sheet_list")).content.decode()
    assert "Atelier de Créteil" in listed and "Atelier de Poitiers" in listed
