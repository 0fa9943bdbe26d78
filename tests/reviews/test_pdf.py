"""The official PDF "Fiche Projet / Bilan", read back with poppler's pdftotext, and the bulk
PDF of the DSDEN commission."""

import re
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from aps.models import User
from funding.models import Estimate, HseLine, ImpLine
from projects import sections
from projects.models import Membership, ProjectSheet
from reviews.bilans import services as bilans
from reviews.documents import pdf
from reviews.models import Bilan, BulkExport
from tests.factories import SheetFactory, advance, member, transition
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.django_db
R = Membership.Role


def user(email):
    return User.objects.get(email=email)


def pdf_text(data: bytes, *options) -> str:
    result = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def page_count(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return int(re.search(rb"Pages:\s+(\d+)", info.stdout).group(1))


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def render(sheet, email) -> bytes:
    found = pdf.sheets_for_pdf(ProjectSheet.objects.filter(pk=sheet.pk)).get()
    return pdf.sheet_pdf(found, user(email))


@pytest.fixture
def validated(personas):
    sheet = complete_sheet(euros=True)
    sheet.title = "Atelier « Réussir » en 4e"
    sheet.save(update_fields=["title"])
    ImpLine.objects.create(
        estimate=sheet.estimate,
        position=1,
        mission="coordination",
        fraction=Decimal("0.5"),
        beneficiary="Mme Élise Noël",
    )
    Estimate.objects.filter(sheet=sheet).update(total_imp=Decimal("0.5"), imp_euros=Decimal("625"))
    return advance(sheet, "validated", euros=Decimal("250"), hse=Decimal("20"), imp=Decimal("0.5"))


SECTION_TITLES = [
    "Fiche Projet / Bilan",
    "Année scolaire",
    "Département",
    "District",
    "Titre de l'action",
    "Établissement porteur",
    "Ville",
    "Diagnostic",
    "Objectifs de l'action (3 au maximum)",
    "Bilan portant sur les objectifs de l'action",
    "Critères d'évaluation (3 au maximum)",
    "Bilan portant sur les critères d'évaluation",
    "Public ciblé et moyens de repérage",
    "Bilan portant sur le public ciblé",
    "Modalités organisationnelles",
    "Bilan portant sur les modalités organisationnelles",
    "Bilan portant sur le calendrier",
    "Nombre prévisionnel de jeunes",
    "Nombre et qualité des personnels mobilisés",
    "Partenaires associés",
    "Bilan concernant le travail avec les partenaires",
    "Moyens demandés à la DSDEN",
    "Moyens consommés",
    "Bilan général",
    "Réponse de la DSDEN",
    "Annexe — Estimation du coût de l'action",
]


def test_sheet_without_bilan_reads_like_the_empty_official_form(validated):
    text = pdf_text(render(validated, "chef.college@aps.test"))
    flat = " ".join(text.split())
    for title in SECTION_TITLES:
        assert title in flat, title
    assert "Atelier « Réussir » en 4e" in flat
    assert "Collège Jacques Prévert" in flat and "Noisy-le-Sec" in flat
    assert "☒ Collège ☐ Lycée" in flat
    assert flat.count("À renseigner à l'issue de l'action") >= 9
    # Means requested and granted, the IMP beneficiary, the quote's euros
    assert "300,00 €" in flat and "250,00 €" in flat
    assert "Mme Élise Noël" in flat
    assert "Financement partiel" in flat
    pages = page_count(render(validated, "chef.college@aps.test"))
    for number in range(1, pages + 1):
        assert f"Page {number} sur {pages}" in flat
    assert flat.count("générée le") == pages


def test_the_pdf_follows_the_sections_and_rows_of_the_registry(validated):
    flat = " ".join(pdf_text(render(validated, "chef.college@aps.test")).split())
    position = 0
    for title in [
        sections.section("diagnostic").title,
        sections.section("typology").title,
        *(text for row in sections.ROWS for text in (row.title, row.bilan_title)),
        "Bilan général",
    ]:
        position = flat.index(title, position) + len(title)


def test_submitted_bilan_fills_the_grey_column(validated):
    head = user("chef.college@aps.test")
    data = {
        "objectives": "Neuf élèves sur douze ont retrouvé une assiduité régulière.",
        "criteria": "Absentéisme passé de 14 % à 6 %.",
        "public": "Le repérage par le GPDS a bien ciblé les élèves.",
        "organisation": "Deux demi-journées tenues.",
        "calendar": "Restitution le 7 juin.",
        "pupils_reached": 12,
        "staff_mobilised": 4,
        "partners": "La mission locale a reçu chaque élève.",
        "consumed_euros": Decimal("280"),
        "consumed_hse": Decimal("20"),
        "consumed_imp": Decimal("0.5"),
        "means_gap": "Livres moins chers que prévu : 30 € rendus.",
        "general": "Action à reconduire en 2025-2026.",
    }
    bilans.save(sheet=validated, stage=Bilan.Stage.FINAL, by=head, data=data)
    import datetime

    bilans.submit(
        sheet=validated, stage=Bilan.Stage.FINAL, by=head, today=datetime.date(2025, 6, 1)
    )
    flat = " ".join(pdf_text(render(validated, "dsden93@aps.test")).split())
    for value in data.values():
        if isinstance(value, str):
            assert value in flat, value
    assert "Euros : 280,00 €" in flat
    assert "À renseigner à l'issue de l'action" not in flat


def test_draft_bilan_shows_only_to_the_establishment(validated):
    bilans.save(
        sheet=validated,
        stage=Bilan.Stage.FINAL,
        by=user("staff.college@aps.test"),
        data={"objectives": "Brouillon du bilan des objectifs"},
    )
    assert "Brouillon du bilan des objectifs" in pdf_text(
        render(validated, "staff.college@aps.test")
    )
    assert "Brouillon du bilan des objectifs" not in pdf_text(render(validated, "dsden93@aps.test"))


def test_long_texts_are_never_cut(personas):
    vocabulary = [f"mot{n}x" for n in range(3000)]
    chunks = [" ".join(vocabulary[i : i + 300]) for i in range(0, 3000, 300)]
    sheet = SheetFactory(
        establishment=complete_sheet().establishment,
        complete=True,
        problem=chunks[0],
        qualitative_indicators=chunks[1],
        quantitative_indicators=chunks[2],
        pupil_profiles=chunks[3],
        identification=chunks[4],
        organisation=chunks[5],
        key_moments=chunks[6],
        staff_roles=chunks[7],
        partners=chunks[8],
        means_use=chunks[9],
        objectives=["x" * 4000, "Deuxième objectif"],
        criteria=["anticonstitutionnellement" * 60],
    )
    HseLine.objects.filter(estimate__sheet=sheet).update(activity="Activité " * 20)
    data = render(sheet, "chef.college@aps.test")
    found = words(pdf_text(data))
    assert set(vocabulary) <= found
    assert "Deuxième" in found
    # An unbreakable 4,000-character word wraps instead of running off the page.
    assert "".join(pdf_text(data).split()).count("x" * 200) >= 1
    assert page_count(data) >= 4
    # No word runs past the right edge of the A4 page (595 pt), where it would be cut.
    boxes = pdf_text(data, "-bbox")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) < 595 - 14 * 72 / 25.4 + 1


def test_html_typed_into_fields_prints_as_text(personas):
    sheet = complete_sheet()
    sheet.title = "<b>Gras</b> & <script>alert('x')</script>"
    sheet.problem = "<img src=x onerror=alert(1)> <i>italique</i>"
    sheet.save(update_fields=["title", "problem"])
    flat = " ".join(pdf_text(render(sheet, "chef.college@aps.test")).split())
    assert "<b>Gras</b> & <script>alert('x')</script>" in flat
    assert "<img src=x onerror=alert(1)> <i>italique</i>" in flat


def test_network_sheet_names_the_network(personas):
    network_lead = user("foquale@aps.test")
    sheet = SheetFactory(establishment=None, network=personas.network, complete=True)
    flat = " ".join(pdf_text(render(sheet, network_lead.email)).split())
    assert "☐ Collège ☐ Lycée ☒ Réseau FOQUALE" in flat
    assert sheet.network.name in flat


# --- The download view -------------------------------------------------------------------


def test_pdf_download_for_who_sees_the_sheet(client, validated):
    url = reverse("reviews:sheet_pdf", kwargs={"pk": validated.pk})
    for email in [
        "staff.college@aps.test",
        "chef.college@aps.test",
        "dsden93@aps.test",
        "mlds@aps.test",
        "academie@aps.test",
    ]:
        client.force_login(user(email))
        response = client.get(url)
        assert response.status_code == 200, email
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response).startswith(b"%PDF")
        assert "attachment;" in response["Content-Disposition"]
    for email in ["chef.lycee@aps.test", "dsden77@aps.test"]:
        client.force_login(user(email))
        assert client.get(url).status_code == 404, email


def test_sheet_page_links_to_its_pdf(client, validated):
    client.force_login(user("staff.college@aps.test"))
    page = client.get(validated.get_absolute_url()).content.decode()
    assert reverse("reviews:sheet_pdf", kwargs={"pk": validated.pk}) in page


# --- Bulk PDF ----------------------------------------------------------------------------


def filed_sheets(count):
    establishment = complete_sheet().establishment
    return [
        SheetFactory(
            establishment=establishment,
            in_review=True,
            title=f"Projet groupé {n}",
        )
        for n in range(count)
    ]


def test_bulk_pdf_of_the_filtered_list(
    client, personas, media_root, django_capture_on_commit_callbacks
):
    sheets = filed_sheets(3)
    client.force_login(user("dsden93@aps.test"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:bulk_pdf"), {"query": "status=in_review"})
    export = BulkExport.objects.get()
    assert response["Location"] == reverse("reviews:bulk_export", kwargs={"pk": export.pk})
    visible_in_review = ProjectSheet.objects.filter(
        status="in_review", department__code="93"
    ).count()
    assert export.sheet_count == visible_in_review and export.state == "ready"
    download = client.get(reverse("reviews:bulk_export_download", kwargs={"pk": export.pk}))
    data = b"".join(download.streaming_content)
    assert page_count(data) == export.page_count
    # A contents page, then each sheet starting on its own page
    single = [
        page_count(render(sheet, "dsden93@aps.test"))
        for sheet in ProjectSheet.objects.filter(pk__in=export.sheet_ids)
    ]
    assert export.page_count == 1 + sum(single)
    flat = " ".join(pdf_text(data).split())
    for sheet in sheets:
        assert sheet.title in flat
    page_one = pdf_text(data, "-f", "1", "-l", "1")
    assert all(sheet.title in page_one for sheet in sheets)


def test_export_page_waits_then_offers_the_file(client, personas, media_root, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "exports": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
    }
    filed_sheets(1)
    client.force_login(user("dsden93@aps.test"))
    response = client.post(reverse("reviews:bulk_pdf"), {"query": "status=in_review"}, follow=True)
    page = response.content.decode()
    assert "Document en préparation" in page and 'http-equiv="refresh"' in page
    export = BulkExport.objects.get()
    assert (
        client.get(reverse("reviews:bulk_export_download", kwargs={"pk": export.pk})).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_database_worker_builds_the_export(client, personas, media_root, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "exports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    filed_sheets(2)
    client.force_login(user("dsden93@aps.test"))
    client.post(reverse("reviews:bulk_pdf"), {"query": "status=in_review"})
    export = BulkExport.objects.get()
    assert export.state == "pending"  # the request did not build it
    call_command("db_worker", "--batch", "--backend", "exports", "--no-startup-delay", verbosity=0)
    export.refresh_from_db()
    assert export.state == "ready" and export.page_count > 2


def test_bulk_pdf_is_for_reviewers(client, personas):
    filed_sheets(1)
    for email in [
        "chef.college@aps.test",
        "staff.college@aps.test",
        "mlds@aps.test",
        "foquale@aps.test",
    ]:
        client.force_login(user(email))
        assert client.post(reverse("reviews:bulk_pdf"), {"query": ""}).status_code == 403, email
    assert not BulkExport.objects.exists()


def test_bulk_pdf_of_nothing_is_refused(client, personas):
    client.force_login(user("dsden93@aps.test"))
    response = client.post(
        reverse("reviews:bulk_pdf"), {"query": "status=withdrawn&campaign=2024-2025"}, follow=True
    )
    assert "Aucune fiche ne correspond à ces filtres" in response.content.decode()
    assert not BulkExport.objects.exists()


def test_export_belongs_to_its_requester(
    client, personas, media_root, django_capture_on_commit_callbacks
):
    filed_sheets(1)
    client.force_login(user("dsden93@aps.test"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:bulk_pdf"), {"query": ""})
    export = BulkExport.objects.get()
    colleague = member(role=R.DSDEN, department=export.requested_by.memberships.get().department)
    client.force_login(colleague)
    assert client.get(reverse("reviews:bulk_export", kwargs={"pk": export.pk})).status_code == 404
    assert (
        client.get(reverse("reviews:bulk_export_download", kwargs={"pk": export.pk})).status_code
        == 404
    )


def test_list_offers_the_bulk_pdf_to_reviewers_only(client, personas):
    filed_sheets(1)
    client.force_login(user("dsden93@aps.test"))
    assert "PDF de ces fiches" in client.get(reverse("reviews:sheet_list")).content.decode()
    client.force_login(user("chef.college@aps.test"))
    assert "PDF de ces fiches" not in client.get(reverse("reviews:sheet_list")).content.decode()


def test_reopened_sheet_prints_no_grant(validated):
    transition(
        "reopen",
        sheet=validated,
        by=user("dsden93@aps.test"),
        reason="Montants à revoir après la commission.",
    )
    flat = " ".join(pdf_text(render(validated, "dsden93@aps.test")).split())
    assert "Accordé" not in flat and "250,00 €" not in flat
    assert "Montants à revoir après la commission." in flat


def test_pdf_queries_do_not_grow_with_sheets(personas, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sheets = filed_sheets(1)
    renewal_of = sheets[0]
    sheets += filed_sheets(4)
    ProjectSheet.objects.filter(pk=sheets[-1].pk).update(is_renewal=True, renewal_of=renewal_of)
    reviewer = user("dsden93@aps.test")

    def count(pks):
        with CaptureQueriesContext(connection) as queries:
            pdf.bulk_pdf(
                list(pdf.sheets_for_pdf(ProjectSheet.objects.filter(pk__in=pks))), reviewer
            )
        return len(queries)

    count([sheets[0].pk])  # the lists of champs and typologies, read once per process
    assert count([s.pk for s in sheets]) == count([sheets[0].pk])


def test_stalled_export_says_so(client, personas, settings):
    import datetime

    from django.utils import timezone

    client.force_login(user("dsden93@aps.test"))
    export = BulkExport.objects.create(requested_by=user("dsden93@aps.test"), sheet_ids=[1])
    BulkExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    page = client.get(reverse("reviews:bulk_export", kwargs={"pk": export.pk})).content.decode()
    assert "La préparation n'a pas commencé" in page and 'http-equiv="refresh"' not in page


def test_the_gpds_association_is_printed_in_the_diagnostic(validated):
    flat = " ".join(pdf_text(render(validated, "dsden93@aps.test")).split())
    assert "Association du GPDS Oui, consulté le 11 avril 2024" in flat


def test_the_intermediate_bilan_is_printed_beside_the_final_one(validated):
    import datetime

    head = user("chef.college@aps.test")
    _bilan, missing = bilans.save_and_submit(
        sheet=validated,
        stage=Bilan.Stage.INTERMEDIATE,
        by=head,
        data={
            "consumed_euros": Decimal("120"),
            "consumed_hse": Decimal("8"),
            "consumed_imp": Decimal("0"),
            "means_gap": "Premier trimestre : ateliers lancés en novembre.",
            "general": "Mi-parcours conforme.",
        },
        today=datetime.date(2025, 3, 1),
    )
    assert missing == []
    final = {
        "objectives": "Objectifs atteints.",
        "criteria": "Absentéisme en baisse.",
        "public": "Bien ciblé.",
        "organisation": "Tenue.",
        "calendar": "Tenu.",
        "pupils_reached": 12,
        "staff_mobilised": 4,
        "partners": "Présents.",
        "consumed_euros": Decimal("250"),
        "consumed_hse": Decimal("20"),
        "consumed_imp": Decimal("0.5"),
        "general": "À reconduire.",
    }
    bilans.save(sheet=validated, stage=Bilan.Stage.FINAL, by=head, data=final)
    bilans.submit(
        sheet=validated, stage=Bilan.Stage.FINAL, by=head, today=datetime.date(2025, 6, 1)
    )
    flat = " ".join(pdf_text(render(validated, "dsden93@aps.test")).split())
    assert "Bilan intermédiaire financier Déposé le" in flat
    assert "Euros : 120,00 €" in flat and "Euros : 250,00 €" in flat
    assert "Premier trimestre : ateliers lancés en novembre." in flat


def test_each_row_of_the_official_form_stays_on_one_page(validated):
    """Long cells: a row moves whole to the next page rather than split its two columns."""
    long = "\n".join(f"Critère détaillé numéro {n} : " + "mesure " * 25 for n in range(12))
    ProjectSheet.objects.filter(pk=validated.pk).update(
        organisation=long, key_moments=long, partners=long
    )
    data = render(validated, "chef.college@aps.test")
    pages = [
        " ".join(pdf_text(data, "-f", str(n), "-l", str(n)).split())
        for n in range(1, page_count(data) + 1)
    ]
    for title, bilan_title in [
        ("Modalités organisationnelles", "Bilan portant sur les modalités organisationnelles"),
        ("Partenaires associés", "Bilan concernant le travail avec les partenaires"),
    ]:
        holding = [n for n, text in enumerate(pages) if title in text]
        assert holding and all(bilan_title in pages[n] for n in holding), title
