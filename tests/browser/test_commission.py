"""A commission of the DSDEN 93 played in Chromium by its two reviewers: the first labels sheets
from the list and writes a private note; the second records proposed amounts typed the French
way (one above the request is refused, what was typed kept); a batch including a sheet without
proposal is refused naming it, and nothing changes; then five sheets are validated at once
with their proposals. The establishments get their answers by e-mail, and the collège's head
reads the answer on the sheet — never the note nor the labels, on the page, in the PDF or in
the list's export. Screenshots of the desk's pages at 1280 and 375 px (``APS_SCREENSHOTS``)."""

import datetime
import io
import os
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from aps.numbers import euros
from funding.models import Envelope, Grant
from projects.models import Membership, ProjectSheet
from reviews.desk import commissions, preparation
from reviews.desk.models import CommissionSheet, Label, SheetLabel
from reviews.workflow.models import Note
from tests.factories import UserFactory, department, member
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.browser

D = Decimal
NOTE = "Devis du prestataire élevé : négocier avant la commission (note confidentielle)."
READY = "Prêt pour la commission"
SECOND_REVIEWER = "dsden93.instructeur@aps.test"


def sheet_requesting(establishment, title: str) -> ProjectSheet:
    """A complete sheet under review asking 1 500 € (one quoted line) and 20 HSE."""
    return complete_sheet(
        state="in_review",
        euros=True,
        nature="prestataire",
        label="Compagnie de théâtre",
        amount=D("1500"),
        voted_on=datetime.date(2024, 5, 16),
        establishment=establishment,
        title=title,
    )


@pytest.fixture
def commission(personas):
    """The credits commission of the 93 on 4 July 2024: six sheets of the collège and the
    lycée on its agenda, the département's envelope and default labels, a second reviewer."""
    p = personas
    ninety_three = department("93")
    Envelope.objects.create(
        campaign=p.campaign, department=ninety_three, euros=D("60000"), hse=D("4200"), imp=D("30")
    )
    preparation.default_labels_create(ninety_three)
    member(
        UserFactory(email=SECOND_REVIEWER, full_name="Camille Instructrice", password="demo-aps"),
        role=Membership.Role.DSDEN,
        department=ninety_three,
    )
    sheets = [
        sheet_requesting(p.college if index < 3 else p.lycee, f"Atelier théâtre n° {index}")
        for index in range(1, 7)
    ]
    commission = commissions.commission_create(
        by=p.dsden93,
        department=ninety_three,
        campaign=p.campaign,
        date=datetime.date(2024, 7, 4),
        means="credits",
    )
    commissions.sheets_add(commission=commission, by=p.dsden93, sheets=sheets)
    return commission


def shoot(page, name: str, shots: Path, locator=None) -> None:
    (locator or page).screenshot(
        path=str(shots / f"{name}.png"), **({} if locator else {"full_page": True})
    )


CUT_TABLES = """() => [...document.querySelectorAll('.fr-table__container')]
    .filter(c => c.scrollWidth > c.clientWidth + 1).length"""


def serious_violations(page) -> list[str]:
    return [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def amount(page, kind: str, sheet):
    return page.get_by_label(f"{kind} — {sheet.title} (n°\u00a0{sheet.pk})", exact=True)


def test_two_reviewers_play_a_commission_and_the_head_reads_only_the_answer(
    live_server, signed_in, commission, today, tmp_path
):
    today(datetime.date(2024, 6, 3))
    shots = Path(os.environ.get("APS_SCREENSHOTS", tmp_path))
    items = list(commission.items.select_related("sheet").order_by("position"))
    sheets = [item.sheet for item in items]
    ready = Label.objects.get(department=commission.department, name=READY)

    # The first reviewer ticks three sheets on the list and labels them.
    first = signed_in("dsden93@aps.test", 1280)
    first.goto(f"{live_server.url}{reverse('reviews:sheet_list')}?q=Atelier+théâtre")
    for sheet in sheets[:3]:
        first.locator(f"#pick-{sheet.pk}").check(force=True)
    selection = first.locator("#selection")
    selection.get_by_label("Pour les fiches cochées").select_option(f"label_add:{ready.pk}")
    shoot(first, "list-selection-1280", shots)
    selection.get_by_role("button", name="Appliquer").click()
    expect(first.get_by_text(f"Étiquette « {READY} » ajoutée à 3 fiches.")).to_be_visible()
    assert set(SheetLabel.objects.filter(label=ready).values_list("sheet_id", flat=True)) == {
        sheet.pk for sheet in sheets[:3]
    }
    expect(first.locator(f"tr:has(#pick-{sheets[0].pk})")).to_contain_text(READY)

    # … and writes a private note on the first sheet.
    first.goto(f"{live_server.url}{sheets[0].get_absolute_url()}")
    panel = first.locator("#preparation")
    expect(panel.locator(".fr-badge", has_text=READY)).to_be_visible()
    panel.get_by_label("Note interne").fill(NOTE)
    panel.get_by_role("button", name="Enregistrer la note").click()
    expect(first.get_by_text("Note interne enregistrée")).to_be_visible()
    expect(first.locator("#preparation")).to_contain_text(NOTE)
    assert Note.objects.get(sheet=sheets[0]).text == NOTE
    shoot(first, "preparation-1280", shots, first.locator("#preparation"))
    first.goto(f"{live_server.url}{reverse('reviews:labels')}")
    expect(first.get_by_role("heading", level=1)).to_be_visible()
    shoot(first, "labels-1280", shots)

    # The second reviewer records the proposals, typed the French way; one exceeds its request.
    second = signed_in(SECOND_REVIEWER, 1280)
    second.goto(f"{live_server.url}{reverse('reviews:commission_detail', args=[commission.pk])}")
    amount(second, "Euros proposés", sheets[0]).fill("1 200,50")
    # A credits commission proposes credits only: the HSE and IMP wait for October's.
    expect(amount(second, "HSE proposées", sheets[0])).to_have_count(0)
    amount(second, "Euros proposés", sheets[1]).fill("2 000")
    for sheet in sheets[2:5]:
        amount(second, "Euros proposés", sheet).fill("1 500")
    second.get_by_role("button", name="Enregistrer les propositions").click()
    expect(second.locator("main")).to_contain_text(
        "dépasse le montant demandé (1\u00a0500,00\u00a0€)"
    )
    expect(amount(second, "Euros proposés", sheets[0])).to_have_value("1 200,50")
    expect(amount(second, "Euros proposés", sheets[1])).to_have_value("2 000")
    assert not CommissionSheet.objects.filter(commission=commission, proposed_at__isnull=False)
    assert not serious_violations(second)  # the page with its errors, as much as without
    amount(second, "Euros proposés", sheets[1]).fill("900")
    second.get_by_role("button", name="Enregistrer les propositions").click()
    expect(second.get_by_text("5 propositions enregistrées.")).to_be_visible()
    proposed = CommissionSheet.objects.get(commission=commission, sheet=sheets[0])
    assert (proposed.proposed_euros, proposed.proposed_hse) == (D("1200.50"), None)
    assert CommissionSheet.objects.get(commission=commission, sheet=sheets[1]).proposed_euros == 900
    # The envelope's remaining amount once the proposals are granted: 60 000 − 6 600,50
    expect(second.locator(".aps-envelope-summary")).to_contain_text(euros(D("53399.50")))
    shoot(second, "commission-1280", shots)
    assert not second.evaluate(CUT_TABLES), "a table of the commission is cut at 1280 px"

    # A batch with the sixth sheet, which has no proposal: refused, naming it; nothing changes.
    for item in items:
        second.locator(f"#item-{item.pk}").check(force=True)
    second.locator("#decision").get_by_role("combobox", name="Décision").select_option("validate")
    apply = second.get_by_role("button", name="Appliquer la décision aux fiches cochées")
    apply.click()
    alert = second.locator("#decision .fr-alert--error")
    expect(alert).to_contain_text("Décision refusée pour 1 fiche")
    expect(alert).to_contain_text(
        f"{sheets[5].title} (n°\u00a0{sheets[5].pk}) : aucun montant n'est proposé pour cette fiche"
    )
    assert set(
        ProjectSheet.objects.filter(pk__in=[s.pk for s in sheets]).values_list("status", flat=True)
    ) == {"in_review"}
    assert not Grant.objects.filter(sheet__in=sheets).exists()

    # The five sheets with a proposal, validated at once.
    mail.outbox.clear()
    expect(second.locator(f"#item-{items[5].pk}")).to_be_checked()
    second.locator(f"#item-{items[5].pk}").uncheck(force=True)
    second.locator("#decision").get_by_role("combobox", name="Décision").select_option("validate")
    second.get_by_role("button", name="Appliquer la décision aux fiches cochées").click()
    expect(
        second.get_by_text("Décision « Valider avec les montants proposés » appliquée à 5 fiches")
    ).to_be_visible()
    for sheet, (granted_euros, granted_hse) in zip(
        sheets[:5],
        [(D("1200.50"), D("0")), (D("900"), D("0")), *[(D("1500"), D("0"))] * 3],
        strict=True,
    ):
        sheet.refresh_from_db()
        assert sheet.status == "validated"
        grant = Grant.objects.get(sheet=sheet)
        assert (grant.euros, grant.hse, grant.imp, grant.granted_by.email) == (
            granted_euros,
            granted_hse,
            D("0"),
            SECOND_REVIEWER,
        )
        assert sheet.events.filter(transition="validate").count() == 1
    sheets[5].refresh_from_db()
    assert sheets[5].status == "in_review"
    # Each establishment is told, and no e-mail carries the note or a label.
    for sheet in sheets[:5]:
        head = (
            "chef.college@aps.test"
            if sheet.establishment.uai == "0931610V"
            else "chef.lycee@aps.test"
        )
        assert any(head in message.to and sheet.title in message.body for message in mail.outbox), (
            sheet
        )
    for message in mail.outbox:
        assert NOTE not in message.body and READY not in message.body

    # The collège's head opens the first sheet: the answer, never the note nor the labels.
    head = signed_in("chef.college@aps.test", 375)
    head.goto(f"{live_server.url}{sheets[0].get_absolute_url()}")
    main = head.locator("main")
    expect(main).to_contain_text("Projet validé")
    expect(main).to_contain_text(euros(D("1200.50")))
    assert NOTE not in main.inner_text()
    assert READY not in main.inner_text()
    expect(head.locator("#preparation")).to_have_count(0)
    pdf = head.request.get(f"{live_server.url}{reverse('reviews:sheet_pdf', args=[sheets[0].pk])}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "1 200,50" in re.sub(r"\s", " ", text)
    assert "négocier" not in text and READY not in text
    export = head.request.get(f"{live_server.url}{reverse('reviews:sheet_list_export')}")
    assert export.ok
    cells = [
        str(value)
        for sheet in openpyxl.load_workbook(io.BytesIO(export.body())).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert any(sheets[0].title in cell for cell in cells)
    assert not any(NOTE in cell or READY in cell or "Étiquette" in cell for cell in cells)


def test_the_desk_pages_at_375_px(live_server, signed_in, commission, today, tmp_path):
    """The same pages on a phone, to look at (the sweep checks they fit)."""
    today(datetime.date(2024, 6, 3))
    shots = Path(os.environ.get("APS_SCREENSHOTS", tmp_path))
    sheet = commission.items.order_by("position").first().sheet
    phone = signed_in("dsden93@aps.test", 375)
    wide = {}
    for name, url in (
        ("commission-375", reverse("reviews:commission_detail", args=[commission.pk])),
        ("labels-375", reverse("reviews:labels")),
        ("list-selection-375", f"{reverse('reviews:sheet_list')}?q=Atelier+théâtre"),
    ):
        phone.goto(f"{live_server.url}{url}")
        shoot(phone, name, shots)
        wide[name] = phone.evaluate("document.documentElement.scrollWidth")
    phone.goto(f"{live_server.url}{sheet.get_absolute_url()}")
    shoot(phone, "preparation-375", shots, phone.locator("#preparation"))
    wide["sheet"] = phone.evaluate("document.documentElement.scrollWidth")
    assert all(width <= 375 for width in wide.values()), wide


def test_the_envelope_follows_the_proposals_as_they_are_typed(
    live_server, signed_in, commission, today
):
    """Before saving, « Proposé » and « Reste après propositions » add up what is typed, the
    French way, in whole hundredths; a word is not counted, and the page says so."""
    today(datetime.date(2024, 6, 3))
    first, second = (item.sheet for item in commission.items.order_by("position")[:2])
    page = signed_in("dsden93@aps.test", 1280)
    page.goto(f"{live_server.url}{reverse('reviews:commission_detail', args=[commission.pk])}")
    after = page.locator('[data-aps-after="euros"]')
    assert after.inner_text().strip() == "60\u00a0000,00\u00a0€"
    amount(page, "Euros proposés", first).fill("1 200,50")
    amount(page, "Euros proposés", second).fill("300 €")
    assert page.locator('[data-aps-proposed="euros"]').inner_text() == "1\u00a0500,50\u00a0€"
    assert after.inner_text() == "58\u00a0499,50\u00a0€"
    amount(page, "Euros proposés", second).fill("trois cents")
    assert after.inner_text() == "58\u00a0799,50\u00a0€"
    assert "n'est pas un nombre" in page.locator("#proposals-typed").inner_text()
    amount(page, "Euros proposés", first).fill("70 000")
    assert "dépassement" in after.inner_text()
