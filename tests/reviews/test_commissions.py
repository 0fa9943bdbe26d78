"""The commission: its agenda, the amounts proposed, its batch decisions (all or nothing,
each sheet through its workflow transition), the envelope locked, its PDF."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from aps.models import User
from funding.models import Envelope, Grant
from projects.models import ProjectSheet
from reviews.desk import commissions
from reviews.desk.commissions import BatchRefused, Proposal
from reviews.desk.models import Commission, CommissionSheet
from reviews.desk.preparation import DeskError
from reviews.models import BulkExport, SheetEvent
from tests.concurrency import needs_shared_database, run_together
from tests.factories import EstablishmentFactory, SheetFactory, department, member

from .conftest import complete_sheet

S = ProjectSheet.Status


def user(email) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def commission(personas):
    return commissions.commission_create(
        by=personas.dsden93,
        department=department("93"),
        campaign=personas.campaign,
        date=datetime.date(2024, 7, 2),
        means="hse_imp",
    )


def on_agenda(commission, count, **proposal):
    """``count`` sheets of the collège under review (20 HSE requested each) on the agenda,
    with ``proposal`` recorded for each when given."""
    sheets = [complete_sheet(state="in_review") for _ in range(count)]
    commissions.sheets_add(commission=commission, by=commission.created_by, sheets=sheets)
    items = list(commission.items.select_related("sheet").order_by("position"))
    if proposal:
        commissions.proposals_record(
            commission=commission,
            by=commission.created_by,
            proposals=[
                Proposal(item, proposal.get("euros"), proposal.get("hse"), proposal.get("imp"))
                for item in items
            ],
        )
    return commission.items.select_related("sheet").order_by("position")


# --- Who -----------------------------------------------------------------------------------


def test_a_dsden_creates_a_commission_of_its_departement(client, personas, today):
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_list"),
        {"department": department("93").pk, "date": "02/07/2024", "means": "credits"},
    )
    commission = Commission.objects.get()
    assert response["Location"] == reverse("reviews:commission_detail", args=[commission.pk])
    assert (commission.department.code, commission.means) == ("93", "credits")
    # Not the 94's: its choice is not offered
    client.post(
        reverse("reviews:commission_list"),
        {"department": department("94").pk, "date": "02/07/2024", "means": "credits"},
    )
    assert Commission.objects.count() == 1


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("dsden93@aps.test", 200),
        ("academie@aps.test", 200),
        ("dsden94@aps.test", 404),
        ("ministere@aps.test", 404),
        ("chef.college@aps.test", 404),
        ("mlds@aps.test", 404),
        ("academie.poitiers@aps.test", 404),
    ],
)
def test_who_opens_a_commission(client, commission, email, status):
    client.force_login(user(email))
    assert client.get(reverse("reviews:commission_detail", args=[commission.pk])).status_code == (
        status
    )


def test_sheets_are_put_on_the_agenda_from_the_list_all_or_none(client, commission, personas):
    ours = [complete_sheet(state="in_review") for _ in range(2)]
    answered = complete_sheet(state="validated")
    client.force_login(personas.dsden93)
    action = {"action": f"commission:{commission.pk}", "query": ""}
    response = client.post(
        reverse("reviews:list_action"),
        action | {"sheets": [s.pk for s in [*ours, answered]]},
        follow=True,
    )
    assert "a déjà reçu une réponse" in response.content.decode()
    assert not commission.items.exists()
    response = client.post(
        reverse("reviews:list_action"), action | {"sheets": [s.pk for s in ours]}, follow=True
    )
    assert "2 fiches inscrites" in response.content.decode()
    assert [i.sheet_id for i in commission.items.order_by("position")] == [s.pk for s in ours]


def test_a_sheet_of_another_departement_is_not_put_on_the_agenda(commission, personas):
    theirs = SheetFactory(
        establishment=EstablishmentFactory(department=department("94")), in_review=True
    )
    with pytest.raises(DeskError, match="autre département"):
        commissions.sheets_add(commission=commission, by=personas.academie, sheets=[theirs])


# --- Proposals ----------------------------------------------------------------------------


def test_proposals_are_typed_the_french_way(client, commission, personas):
    first, second = on_agenda(commission, 2)
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_proposals", args=[commission.pk]),
        {f"p{first.pk}-hse": "12,5", f"p{second.pk}-hse": "20 h", f"p{second.pk}-euros": ""},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.proposed_hse, second.proposed_hse) == (Decimal("12.5"), Decimal("20"))
    assert second.proposed_euros is None and second.proposed_by == personas.dsden93
    page = client.get(reverse("reviews:commission_detail", args=[commission.pk])).content.decode()
    assert 'value="12,5"' in page
    # The envelope's rest after the proposals
    Envelope.objects.create(campaign=commission.campaign, department=commission.department, hse=50)
    page = client.get(reverse("reviews:commission_detail", args=[commission.pk])).content.decode()
    assert "17,5" in page  # 50 − 12,5 − 20


def test_a_proposal_above_the_request_refuses_them_all(client, commission, personas):
    first, second = on_agenda(commission, 2)
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_proposals", args=[commission.pk]),
        {f"p{first.pk}-hse": "10", f"p{second.pk}-hse": "25,5"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le montant proposé en HSE" in page and "dépasse le montant demandé" in page
    assert 'value="25,5"' in page and 'value="10"' in page  # what was typed
    assert not CommissionSheet.objects.filter(proposed_at__isnull=False).exists()


def test_letters_in_a_proposal_are_refused_with_what_was_typed(client, commission, personas):
    (item,) = on_agenda(commission, 1)
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_proposals", args=[commission.pk]), {f"p{item.pk}-hse": "dix"}
    )
    assert response.status_code == 200
    assert 'value="dix"' in response.content.decode()
    assert "Erreur" in response.content.decode()


# --- Batch decisions --------------------------------------------------------------------


def test_a_batch_validates_five_sheets_with_their_proposals(
    client, commission, personas, django_capture_on_commit_callbacks
):
    items = on_agenda(commission, 5, hse=Decimal("15"))
    client.force_login(personas.dsden93)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:commission_decide", args=[commission.pk]),
            {
                "answer": "validate",
                "comment": "Commission du 2 juillet",
                "items": [i.pk for i in items],
                **{f"p{i.pk}-hse": "15" for i in items},
            },
        )
    assert response.status_code == 302
    sheets = [i.sheet for i in items]
    for sheet in sheets:
        sheet.refresh_from_db()
        assert sheet.status == S.VALIDATED
        grant = Grant.objects.get(sheet=sheet)
        assert (grant.hse, grant.is_partial) == (Decimal("15"), True)
        event = SheetEvent.objects.get(sheet=sheet, transition="validate")
        assert event.actor == personas.dsden93 and event.comment == "Commission du 2 juillet"
    told = [m for m in mail.outbox if "validé" in m.subject.lower()]
    assert len(told) >= 5, [m.subject for m in mail.outbox]


def test_a_batch_with_a_sheet_without_proposal_changes_nothing(client, commission, personas):
    items = list(on_agenda(commission, 3))
    commissions.proposals_record(
        commission=commission,
        by=personas.dsden93,
        proposals=[Proposal(i, None, Decimal("10"), None) for i in items[:2]],
    )
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_decide", args=[commission.pk]),
        {
            "answer": "validate",
            "items": [i.pk for i in items],
            f"p{items[0].pk}-hse": "10",
            f"p{items[1].pk}-hse": "10",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Décision refusée pour 1 fiche" in page
    assert (
        f"{items[2].sheet.title} (n°\u00a0{items[2].sheet_id}) : aucun montant n&#x27;est "
        "proposé pour cette fiche" in page
    )
    assert not Grant.objects.exists()
    assert set(ProjectSheet.objects.values_list("status", flat=True)) == {S.IN_REVIEW}


def test_a_batch_refusal_needs_its_comment(commission, personas):
    items = list(on_agenda(commission, 2))
    with pytest.raises(BatchRefused) as refused:
        commissions.decide(commission=commission, by=personas.dsden93, items=items, answer="reject")
    assert len(refused.value.refusals) == 2
    assert "obligatoire" in refused.value.refusals[0][1]
    count = commissions.decide(
        commission=commission,
        by=personas.dsden93,
        items=items,
        answer="reject",
        comment="Hors du champ de la circulaire",
    )
    assert count == 2
    assert set(ProjectSheet.objects.values_list("status", flat=True)) == {S.REJECTED}


def test_a_batch_request_for_precisions(commission, personas):
    items = list(on_agenda(commission, 2))
    with pytest.raises(DeskError, match="Seule la DSDEN"):  # the académie prepares only
        commissions.decide(
            commission=commission, by=personas.academie, items=items, answer="reject"
        )
    commissions.decide(
        commission=commission,
        by=personas.dsden93,
        items=items,
        answer="request_info",
        comment="Joignez le calendrier",
    )
    assert set(ProjectSheet.objects.values_list("status", flat=True)) == {S.NEEDS_INFO}


def test_a_batch_beyond_the_envelope_needs_the_explicit_confirmation(commission, personas):
    Envelope.objects.create(campaign=commission.campaign, department=commission.department, hse=30)
    items = list(on_agenda(commission, 2, hse=Decimal("20")))
    with pytest.raises(BatchRefused) as refused:
        commissions.decide(
            commission=commission, by=personas.dsden93, items=items, answer="validate"
        )
    ((sheet, reason),) = refused.value.refusals
    assert sheet == items[1].sheet and "dépasse ce qui reste de l'enveloppe" in reason
    assert not Grant.objects.exists()
    commissions.decide(
        commission=commission,
        by=personas.dsden93,
        items=items,
        answer="validate",
        confirm_over_envelope=True,
    )
    assert Grant.objects.count() == 2


def test_a_zero_proposal_is_no_validation(commission, personas):
    (item,) = on_agenda(commission, 1, hse=Decimal("0"))
    with pytest.raises(BatchRefused) as refused:
        commissions.decide(
            commission=commission, by=personas.dsden93, items=[item], answer="validate"
        )
    assert "Ne pas valider" in refused.value.refusals[0][1]


def test_a_decision_by_someone_of_another_departement_is_refused(commission, personas):
    items = list(on_agenda(commission, 1, hse=Decimal("5")))
    with pytest.raises(DeskError):
        commissions.decide(
            commission=commission, by=personas.dsden94, items=items, answer="validate"
        )
    assert not Grant.objects.exists()


def test_a_sheet_is_taken_off_the_agenda(client, commission, personas):
    (item,) = on_agenda(commission, 1)
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_remove", args=[commission.pk]), {"item": item.pk}
    )
    assert response.status_code == 302 and not commission.items.exists()


def test_the_commissions_pdf_starts_with_its_agenda(client, commission, personas, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "exports": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    }
    items = list(on_agenda(commission, 2, hse=Decimal("12.5")))
    client.force_login(personas.dsden93)
    with django_on_commit():
        response = client.post(reverse("reviews:commission_pdf", args=[commission.pk]))
    export = BulkExport.objects.get()
    assert response["Location"] == reverse("reviews:bulk_export", args=[export.pk])
    assert export.sheet_ids == [i.sheet_id for i in items]
    assert export.agenda["title"] == str(commission)
    export.refresh_from_db()
    text = subprocess.run(
        ["pdftotext", export.file.path, "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Ordre du jour : 2 fiches" in text
    assert "12,5\u00a0HSE" in text or "12,5 HSE" in text


def django_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(needs_shared_database(), reason="threads need a shared database")
def test_two_batches_at_once_never_overspend_the_envelope(personas):
    """Two reviewers decide at the same moment on two commissions sharing the envelope: the
    second waits for the first's lock and reads what it granted."""
    Envelope.objects.create(campaign=personas.campaign, department=department("93"), hse=30)
    second_reviewer = member(role="dsden", department=department("93"))
    batches = []
    for by in (personas.dsden93, second_reviewer):
        commission = commissions.commission_create(
            by=by,
            department=department("93"),
            campaign=personas.campaign,
            date=datetime.date(2024, 7, 2),
            means="hse_imp",
        )
        batches.append((commission, by, list(on_agenda(commission, 1, hse=Decimal("20")))))

    def decide(commission, by, items):
        return lambda: commissions.decide(
            commission=commission, by=by, items=items, answer="validate"
        )

    outcomes = run_together(*(decide(*batch) for batch in batches))
    refused = [o for o in outcomes if isinstance(o, BatchRefused)]
    assert len(refused) == 1, outcomes
    assert "dépasse ce qui reste de l'enveloppe" in refused[0].refusals[0][1]
    assert Grant.objects.count() == 1


def test_proposals_record_refuses_a_row_of_another_commission(commission, personas):
    other = commissions.commission_create(
        by=personas.dsden93,
        department=department("93"),
        campaign=personas.campaign,
        date=datetime.date(2024, 10, 2),
        means="hse_imp",
    )
    (item,) = on_agenda(other, 1)
    with pytest.raises(DeskError):
        commissions.decide(
            commission=commission, by=personas.dsden93, items=[item], answer="reject"
        )
    with pytest.raises(DeskError, match="pas à l'ordre du jour"):  # even within the request
        commissions.proposals_record(
            commission=commission,
            by=personas.dsden93,
            proposals=[Proposal(item, None, Decimal(5), None)],
        )
    item.refresh_from_db()
    assert item.proposed_at is None


def test_a_row_posted_empty_withdraws_its_proposal(client, commission, personas):
    """Cleared and saved, a proposal is gone: a decision then refuses the row instead of
    granting an amount no longer on the page."""
    (item,) = on_agenda(commission, 1, hse=Decimal("10"))
    client.force_login(personas.dsden93)
    client.post(
        reverse("reviews:commission_proposals", args=[commission.pk]), {f"p{item.pk}-hse": ""}
    )
    item.refresh_from_db()
    assert (item.proposed_hse, item.proposed_at) == (None, None)
    response = client.post(
        reverse("reviews:commission_decide", args=[commission.pk]),
        {"answer": "validate", "items": [item.pk], f"p{item.pk}-hse": ""},
    )
    assert "aucun montant n&#x27;est proposé" in response.content.decode()
    assert not Grant.objects.exists()


def test_a_refused_decision_says_which_proposal_is_wrong(client, commission, personas):
    first, second = on_agenda(commission, 2)
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_decide", args=[commission.pk]),
        {
            "answer": "validate",
            "items": [first.pk],
            f"p{first.pk}-hse": "10",
            f"p{second.pk}-hse": "25,5",  # above the 20 requested, on a row not ticked
        },
    )
    page = response.content.decode()
    assert "1 proposition refusée" in page
    assert "Le montant proposé en HSE" in page and 'value="25,5"' in page
    assert (
        not Grant.objects.exists()
        and not CommissionSheet.objects.filter(proposed_at__isnull=False).exists()
    )


def test_a_decided_sheet_stays_on_the_agenda(commission, personas):
    (item,) = on_agenda(commission, 1, hse=Decimal("20"))  # all it requests
    commissions.decide(commission=commission, by=personas.dsden93, items=[item], answer="validate")
    item.refresh_from_db()
    with pytest.raises(DeskError, match="reste à l'ordre du jour"):
        commissions.sheet_remove(commission=commission, by=personas.dsden93, item=item)


@pytest.mark.parametrize("value", [None, Decimal("1800.50"), '12" onmouseover="x', "<b>&</b>'"])
def test_a_proposal_input_is_written_as_django_writes_it(value):
    """The agenda's inputs are written in Python (600 on a page of 200 sheets): the same HTML
    as Django's own templates, escaped alike, with the error attributes of a refused value."""
    from django import forms

    from reviews.desk.forms import AgendaAmountInput

    attrs = {"class": "fr-input aps-amount", "id": "id_p1-euros", "aria-invalid": "true"}
    ours = AgendaAmountInput(attrs)
    django = forms.TextInput(ours.attrs)  # its format_value aside, the same widget
    django.format_value = ours.format_value
    assert ours.render("p1-euros", value, {"required": True, "disabled": False}) == (
        django.render("p1-euros", value, {"required": True, "disabled": False})
    )


def test_the_agenda_writes_a_stored_proposal_as_its_form_would(commission, personas):
    """On the page as first opened, the rows' inputs are written from the stored proposals,
    without forms: the same markup as the forms write."""
    from reviews.desk.forms import ProposalForm
    from reviews.templatetags.desk_tags import _agenda_amount, _stored_amount

    (item,) = on_agenda(commission, 1, hse=Decimal("12.5"))
    item.awaiting = True
    form = ProposalForm(item=item)
    for kind in ("euros", "hse", "imp"):
        assert _stored_amount(item, kind) == _agenda_amount(item, form[kind]), kind
    item.awaiting = False
    for kind in ("euros", "hse", "imp"):
        assert _stored_amount(item, kind) == _agenda_amount(item, form[kind]), kind


@pytest.mark.parametrize("count", [2, 12])
def test_the_commission_page_costs_the_same_whatever_its_agenda(
    client, commission, personas, count, django_assert_num_queries
):
    """Its rows read only what they show (``commissions.AGENDA_COLUMNS``): a column read
    outside it would cost a query per row."""
    on_agenda(commission, count, hse=Decimal("5"))
    Envelope.objects.create(campaign=commission.campaign, department=commission.department, hse=90)
    client.force_login(personas.dsden93)
    url = reverse("reviews:commission_detail", args=[commission.pk])
    client.get(url)
    with django_assert_num_queries(9):  # 9 for 2 sheets as for 12
        page = client.get(url).content.decode()
    assert page.count('data-aps-proposal="hse"') == count


def test_the_two_waves_credits_in_july_then_hse_and_imp_in_october(
    personas, django_capture_on_commit_callbacks
):
    """A credits commission validates a sheet with its credits alone; the October commission
    then grants its HSE (its second wave): the sheet stays validated, its grant holds both,
    its history and its establishment are told."""
    sheet = complete_sheet(state="in_review", euros=True)  # 300 € and 20 HSE requested
    july = commissions.commission_create(
        by=personas.dsden93,
        department=department("93"),
        campaign=personas.campaign,
        date=datetime.date(2024, 7, 2),
        means="credits",
    )
    (item,) = on_agenda_of(july, [sheet])
    commissions.proposals_record(
        commission=july,
        by=personas.dsden93,
        proposals=[Proposal(item, Decimal("250"), Decimal("20"), None)],  # HSE not its own
    )
    item.refresh_from_db()
    assert (item.proposed_euros, item.proposed_hse) == (Decimal("250"), None)
    commissions.decide(commission=july, by=personas.dsden93, items=[item], answer="validate")
    grant = Grant.objects.get(sheet=sheet)
    assert (grant.euros, grant.hse) == (Decimal("250"), Decimal("0"))
    october = commissions.commission_create(
        by=personas.dsden93,
        department=department("93"),
        campaign=personas.campaign,
        date=datetime.date(2024, 10, 8),
        means="hse_imp",
    )
    sheet.refresh_from_db()
    (item,) = on_agenda_of(october, [sheet])  # validated, its HSE still to grant
    commissions.proposals_record(
        commission=october,
        by=personas.dsden93,
        proposals=[Proposal(item, None, Decimal("15"), None)],
    )
    item = commissions.agenda(october)[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        commissions.decide(commission=october, by=personas.dsden93, items=[item], answer="validate")
    sheet.refresh_from_db()
    grant.refresh_from_db()
    assert sheet.status == S.VALIDATED
    assert (grant.euros, grant.hse, grant.imp) == (Decimal("250"), Decimal("15"), Decimal("0"))
    event = sheet.events.get(kind="grant")
    assert event.details["hse"] == "15.00" and event.actor == personas.dsden93
    assert any("HSE et IMP accordées" in m.subject for m in mail.outbox)
    # Not a third time in full, nor by a credits commission
    with pytest.raises(DeskError, match="ne demande pas de crédits|a déjà reçu une réponse"):
        commissions.sheets_add(commission=july, by=personas.dsden93, sheets=[sheet])


def on_agenda_of(commission, sheets):
    commissions.sheets_add(commission=commission, by=commission.created_by, sheets=sheets)
    return commissions.agenda(commission)


def test_a_sheet_requesting_none_of_a_commissions_means_is_refused(personas):
    credits = commissions.commission_create(
        by=personas.dsden93,
        department=department("93"),
        campaign=personas.campaign,
        date=datetime.date(2024, 7, 2),
        means="credits",
    )
    hours_only = complete_sheet(state="in_review")  # 20 HSE, no credits
    with pytest.raises(DeskError, match="ne demande pas de crédits"):
        commissions.sheets_add(commission=credits, by=personas.dsden93, sheets=[hours_only])


def test_the_grant_is_completed_by_the_dsden_only(personas):
    from reviews.workflow.services import ReviewError, complete_grant

    sheet = complete_sheet(state="validated", grant={"hse": Decimal("5")})
    with pytest.raises(ReviewError, match="Seule la DSDEN"):
        complete_grant(sheet=sheet, by=personas.dsden94, hse=Decimal("20"), imp=Decimal("0"))
    with pytest.raises(ReviewError, match="Seule la DSDEN"):
        complete_grant(sheet=sheet, by=personas.academie, hse=Decimal("20"), imp=Decimal("0"))
    with pytest.raises(ReviewError, match="dépasse le montant demandé"):
        complete_grant(sheet=sheet, by=personas.dsden93, hse=Decimal("25"), imp=Decimal("0"))
    complete_grant(sheet=sheet, by=personas.dsden93, hse=Decimal("20"), imp=Decimal("0"))
    assert Grant.objects.get(sheet=sheet).hse == 20
    draft = complete_sheet(state="in_review")
    with pytest.raises(ReviewError, match="Seul un projet validé"):
        complete_grant(sheet=draft, by=personas.dsden93, hse=Decimal("1"), imp=Decimal("0"))
