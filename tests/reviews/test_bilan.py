"""The bilan: who drafts, who submits, what it must explain, when it is late, who sees it;
and the renewal rule that depends on it."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from aps.models import User
from projects.models import Attachment, Campaign, Establishment, Membership
from reviews.bilans import services as bilans
from reviews.demo.directory import CAMPAIGN_2023
from reviews.models import Bilan
from reviews.workflow import services
from tests.factories import DistrictFactory, SheetFactory, advance, member
from tests.reviews.conftest import complete_sheet

pytestmark = pytest.mark.django_db
R = Membership.Role
FINAL, INTERMEDIATE = Bilan.Stage.FINAL, Bilan.Stage.INTERMEDIATE

FULL_FINAL = {
    "objectives": "Objectifs atteints pour neuf élèves sur douze.",
    "criteria": "Absentéisme passé de 14 % à 6 %.",
    "public": "Repérage efficace par le GPDS.",
    "organisation": "Deux demi-journées tenues toute l'année.",
    "calendar": "Calendrier respecté.",
    "pupils_reached": 12,
    "staff_mobilised": 4,
    "partners": "Mission locale présente.",
    "general": "Action à reconduire.",
}


def user(email):
    return User.objects.get(email=email)


@pytest.fixture
def validated(personas):
    """A validated sheet of the demo collège: 20 HSE requested, 16 granted."""
    return complete_sheet(state="validated", grant={"hse": Decimal(16)})


def granted(**extra):
    return {
        "consumed_euros": Decimal(0),
        "consumed_hse": Decimal(16),
        "consumed_imp": Decimal(0),
    } | extra


def write(sheet, stage, data, by="staff.college@aps.test"):
    return bilans.save(sheet=sheet, stage=stage, by=user(by), data=data)


def submit(sheet, stage, on=datetime.date(2025, 6, 1), by="chef.college@aps.test"):
    return bilans.submit(sheet=sheet, stage=stage, by=user(by), today=on)


# --- Drafting --------------------------------------------------------------------------


def test_staff_and_head_draft_a_partial_bilan(validated):
    write(validated, FINAL, {"objectives": "En cours"})
    write(
        validated,
        FINAL,
        {"objectives": "Terminé", "pupils_reached": 10},
        by="chef.college@aps.test",
    )
    bilan = Bilan.objects.get(sheet=validated, stage=FINAL)
    assert (bilan.objectives, bilan.pupils_reached, bilan.submitted_at) == ("Terminé", 10, None)


@pytest.mark.parametrize("email", ["dsden93@aps.test", "mlds@aps.test", "academie@aps.test"])
def test_reviewers_do_not_write_the_bilan(validated, email):
    with pytest.raises(services.ReviewError, match="Seule l'équipe de l'établissement"):
        write(validated, FINAL, {"objectives": "x"}, by=email)
    assert not Bilan.objects.exists()


@pytest.mark.parametrize("status", ["draft", "in_review", "needs_info", "rejected", "withdrawn"])
def test_no_bilan_before_validation(personas, status):
    sheet = complete_sheet(state=status)
    with pytest.raises(services.ReviewError):
        write(sheet, FINAL, {"objectives": "x"})
    assert not Bilan.objects.exists()


# --- Submission ------------------------------------------------------------------------


def test_head_submits_a_complete_final_bilan(validated):
    write(validated, FINAL, FULL_FINAL | granted())
    bilan = submit(validated, FINAL)
    assert bilan.is_submitted and not bilan.is_late
    assert bilan.submitted_by == user("chef.college@aps.test")
    assert validated.events.filter(kind="bilan").get().details["stage"] == FINAL


def test_staff_cannot_submit(validated):
    write(validated, FINAL, FULL_FINAL | granted())
    with pytest.raises(services.ReviewError, match="Seul le chef ou la cheffe"):
        submit(validated, FINAL, by="staff.college@aps.test")
    assert not Bilan.objects.get().is_submitted


def test_submitted_bilan_is_closed(validated):
    write(validated, FINAL, FULL_FINAL | granted())
    submit(validated, FINAL)
    with pytest.raises(services.ReviewError, match="plus modifiable"):
        write(validated, FINAL, {"objectives": "Réécrit"})
    with pytest.raises(services.ReviewError, match="déjà été déposé"):
        submit(validated, FINAL)
    assert Bilan.objects.get().objectives == FULL_FINAL["objectives"]


def test_incomplete_final_bilan_is_refused_with_each_missing_item(validated):
    write(validated, FINAL, {"objectives": "Atteints"})
    with pytest.raises(services.ReviewError) as refused:
        submit(validated, FINAL)
    message = str(refused.value)
    assert "Renseignez le bilan portant sur les critères d'évaluation." in message
    assert "Indiquez le nombre de jeunes réellement concernés." in message
    assert "Indiquez les HSE consommés (0 si aucun)." in message
    assert "objectifs" not in message
    assert not Bilan.objects.get().is_submitted


def test_gap_between_consumed_and_granted_needs_an_explanation(validated):
    write(validated, FINAL, FULL_FINAL | granted(consumed_hse=Decimal(12)))
    with pytest.raises(
        services.ReviewError,
        match=r"Expliquez l'écart entre les moyens consommés et accordés \(HSE\)",
    ):
        submit(validated, FINAL)
    write(
        validated,
        FINAL,
        FULL_FINAL | granted(consumed_hse=Decimal(12), means_gap="Atelier annulé."),
    )
    assert submit(validated, FINAL).is_submitted


def test_gap_in_pupils_and_staff_needs_an_explanation(validated):
    write(validated, FINAL, FULL_FINAL | granted(pupils_reached=9, staff_mobilised=3))
    with pytest.raises(services.ReviewError) as refused:
        submit(validated, FINAL)
    assert "Expliquez l'écart avec le nombre prévu de jeunes (12)." in str(refused.value)
    assert "Expliquez l'écart avec le nombre prévu de personnels (4)." in str(refused.value)
    write(
        validated,
        FINAL,
        FULL_FINAL
        | granted(
            pupils_reached=9,
            staff_mobilised=3,
            pupils_gap="Trois départs.",
            staff_gap="Une mutation.",
        ),
    )
    assert submit(validated, FINAL).is_submitted


def test_intermediate_bilan_explains_only_an_overspend(validated):
    write(validated, INTERMEDIATE, granted(consumed_hse=Decimal(8)))
    assert submit(validated, INTERMEDIATE, on=datetime.date(2025, 3, 1)).is_submitted
    other = advance(
        SheetFactory(establishment=validated.establishment, complete=True),
        "validated",
        euros=0,
        hse=1,  # a validation grants something (an under-use needs no explanation)
        imp=0,
    )
    write(other, INTERMEDIATE, {"consumed_euros": 50, "consumed_hse": 0, "consumed_imp": 0})
    with pytest.raises(services.ReviewError, match=r"Expliquez l'écart .*\(euros\)"):
        submit(other, INTERMEDIATE, on=datetime.date(2025, 3, 1))


@pytest.mark.parametrize(
    ("stage", "day", "late"),
    [
        (FINAL, datetime.date(2025, 6, 30), False),
        (FINAL, datetime.date(2025, 7, 1), True),
        (INTERMEDIATE, datetime.date(2025, 3, 31), False),
        (INTERMEDIATE, datetime.date(2025, 4, 1), True),
    ],
)
def test_late_submission_is_accepted_and_flagged(validated, stage, day, late):
    write(validated, stage, FULL_FINAL | granted())
    bilan = submit(validated, stage, on=day)
    assert bilan.is_submitted and bilan.is_late is late


def test_dsden_and_mlds_are_told_of_a_submitted_bilan(
    validated, django_capture_on_commit_callbacks
):
    write(validated, FINAL, FULL_FINAL | granted())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit(validated, FINAL)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["dsden93@aps.test", "mlds@aps.test"]
    assert "a déposé le bilan final" in mail.outbox[0].body


# --- Pages -----------------------------------------------------------------------------


def bilan_url(sheet, stage=FINAL):
    return reverse("reviews:bilan", kwargs={"pk": sheet.pk, "stage": stage})


@pytest.mark.parametrize("stage", [FINAL, INTERMEDIATE])
def test_the_bilan_page_shows_the_rows_of_the_registry_in_order(client, validated, stage):
    client.force_login(user("staff.college@aps.test"))
    page = client.get(bilan_url(validated, stage)).content.decode()
    shown = re.findall(r'<h2 class="fr-h6" id="row-([a-z]+)">([^<]+)</h2>', page)
    assert [(key, html.unescape(title)) for key, title in shown] == [
        (row.key, row.title) for row in bilans.rows(stage)
    ]


def test_refused_submission_keeps_what_was_typed(client, validated):
    client.force_login(user("chef.college@aps.test"))
    response = client.post(
        bilan_url(validated),
        {"objectives": "Neuf élèves sur douze", "consumed_hse": "12", "action": "submit"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Neuf élèves sur douze" in page
    assert "Renseignez le bilan portant sur les critères d&#x27;évaluation." in page
    assert "Expliquez l&#x27;écart entre les moyens consommés et accordés (HSE)." in page
    bilan = Bilan.objects.get()
    assert bilan.objectives == "Neuf élèves sur douze" and not bilan.is_submitted


def test_head_submits_from_the_page(client, validated, today):
    today(datetime.date(2025, 6, 10))
    client.force_login(user("chef.college@aps.test"))
    data = FULL_FINAL | granted() | {"consumed_hse": "16,00", "action": "submit"}
    response = client.post(bilan_url(validated), data, follow=True)
    assert "Bilan déposé" in response.content.decode()
    assert Bilan.objects.get().is_submitted


def test_staff_page_has_no_submit_button(client, validated):
    client.force_login(user("staff.college@aps.test"))
    page = client.get(bilan_url(validated)).content.decode()
    assert "Enregistrer le brouillon" in page and "déposer le bilan" not in page


def test_negative_amount_is_refused_and_nothing_written(client, validated):
    client.force_login(user("staff.college@aps.test"))
    response = client.post(
        bilan_url(validated), {"objectives": "Texte", "consumed_euros": "-5", "action": "save"}
    )
    assert response.status_code == 200
    assert "supérieure ou égale à 0" in response.content.decode()
    assert not Bilan.objects.exists()


def test_draft_bilan_is_private_to_the_establishment(client, validated):
    write(validated, FINAL, {"objectives": "Brouillon"})
    for email, status in [
        ("staff.college@aps.test", 200),
        ("chef.college@aps.test", 200),
        ("dsden93@aps.test", 403),
        ("mlds@aps.test", 403),
        ("academie@aps.test", 403),
        ("chef.lycee@aps.test", 404),
    ]:
        client.force_login(user(email))
        assert client.get(bilan_url(validated)).status_code == status, email


def test_submitted_bilan_is_seen_by_reviewers_of_its_scope(client, validated):
    write(validated, FINAL, FULL_FINAL | granted())
    submit(validated, FINAL)
    other_mlds = member(role=R.MLDS, district=DistrictFactory())
    dsden77 = user("dsden77@aps.test")
    for who, status in [
        (user("dsden93@aps.test"), 200),
        (user("mlds@aps.test"), 200),
        (user("academie@aps.test"), 200),
        (other_mlds, 404),
        (dsden77, 404),
    ]:
        client.force_login(who)
        response = client.get(bilan_url(validated))
        assert response.status_code == status, who
        if status == 200:
            assert "Objectifs atteints pour neuf élèves sur douze." in response.content.decode()
            assert "Enregistrer" not in response.content.decode()


def test_reviewer_cannot_post_a_bilan(client, validated):
    write(validated, FINAL, FULL_FINAL | granted())
    submit(validated, FINAL)
    client.force_login(user("dsden93@aps.test"))
    assert client.post(bilan_url(validated), {"objectives": "x"}).status_code == 403
    assert Bilan.objects.get().objectives == FULL_FINAL["objectives"]


def test_unknown_stage_is_404(client, validated):
    client.force_login(user("chef.college@aps.test"))
    assert client.get(bilan_url(validated, "annuel")).status_code == 404


def test_sheet_page_shows_the_bilan_box(client, validated):
    client.force_login(user("staff.college@aps.test"))
    page = client.get(validated.get_absolute_url()).content.decode()
    assert 'id="bilans-title"' in page
    assert "Rédiger le bilan final" in page and "Rédiger le bilan intermédiaire financier" in page


# --- Renewal rule ----------------------------------------------------------------------


@pytest.fixture
def renewal(validated):
    previous_campaign, _ = Campaign.objects.get_or_create(
        school_year="2023-2024", defaults=CAMPAIGN_2023
    )
    validated.campaign = previous_campaign
    validated.save(update_fields=["campaign"])
    sheet = complete_sheet()
    sheet.is_renewal, sheet.renewal_of = True, validated
    sheet.save(update_fields=["is_renewal", "renewal_of"])
    return sheet


def test_renewal_waits_for_the_previous_final_bilan(renewal, today):
    head = user("chef.college@aps.test")
    with pytest.raises(services.ReviewError, match="bilan final de l'action 2023-2024"):
        services.submit(sheet=renewal, by=head)
    renewal.refresh_from_db()
    assert renewal.status == "draft"
    write(renewal.renewal_of, FINAL, FULL_FINAL | granted())
    with pytest.raises(services.ReviewError, match="bilan final"):  # drafted is not enough
        services.submit(sheet=renewal, by=head)
    submit(renewal.renewal_of, FINAL, on=datetime.date(2024, 6, 20))
    services.submit(sheet=renewal, by=head)
    renewal.refresh_from_db()
    assert renewal.status != "draft"


def test_renewal_of_an_action_older_than_the_application_needs_a_bilan_file(personas, today):
    sheet = complete_sheet()
    sheet.is_renewal = True
    sheet.save(update_fields=["is_renewal"])
    head = user("chef.college@aps.test")
    with pytest.raises(services.ReviewError, match="bilan de l'action de l'année précédente"):
        services.submit(sheet=sheet, by=head)
    Attachment.objects.create(
        sheet=sheet,
        kind=Attachment.Kind.PREVIOUS_BILAN,
        original_name="bilan-2023.pdf",
        content_type="application/pdf",
        size=3,
        uploaded_by=head,
        file="attachments/b.pdf",
    )
    services.submit(sheet=sheet, by=head)
    sheet.refresh_from_db()
    assert sheet.status != "draft"


def test_checklist_links_to_the_previous_bilan(client, renewal):
    client.force_login(user("staff.college@aps.test"))
    page = client.get(renewal.get_absolute_url()).content.decode()
    assert "Renouvellement" in page
    assert bilan_url(renewal.renewal_of) in page


def test_new_action_needs_no_bilan(personas, today):
    sheet = complete_sheet()
    services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    sheet.refresh_from_db()
    assert sheet.status != "draft"
    assert Establishment.objects.get(uai="0931610V") == sheet.establishment


def test_staff_forcing_a_submission_writes_nothing(client, validated):
    client.force_login(user("staff.college@aps.test"))
    data = FULL_FINAL | granted() | {"consumed_hse": "16", "action": "submit"}
    response = client.post(bilan_url(validated), data)
    assert "Seul le chef ou la cheffe" in response.content.decode()
    assert not Bilan.objects.exists()


def test_text_longer_than_5000_characters_is_refused(client, validated):
    client.force_login(user("staff.college@aps.test"))
    response = client.post(bilan_url(validated), {"objectives": "a" * 5001, "action": "save"})
    assert "5000 caractères" in response.content.decode()
    assert not Bilan.objects.exists()


def test_renewal_of_a_sheet_never_validated_waits_for_no_bilan(renewal, today):
    rejected = complete_sheet(state="rejected")
    rejected.campaign = renewal.renewal_of.campaign
    rejected.save(update_fields=["campaign"])
    renewal.renewal_of = rejected
    renewal.save(update_fields=["renewal_of"])
    services.submit(sheet=renewal, by=user("chef.college@aps.test"))
    renewal.refresh_from_db()
    assert renewal.status != "draft"


def test_intermediate_bilan_is_not_offered_after_the_final_one(client, validated):
    write(validated, FINAL, FULL_FINAL | granted())
    submit(validated, FINAL)
    client.force_login(user("staff.college@aps.test"))
    page = client.get(validated.get_absolute_url()).content.decode()
    assert "Consulter le bilan final" in page
    assert "bilan intermédiaire" not in page


def test_refused_bilan_says_its_errors_at_the_top(client, validated):
    from tests.form_errors import assert_error_links

    client.force_login(user("staff.college@aps.test"))
    response = client.post(
        bilan_url(validated),
        {"objectives": "Texte gardé", "consumed_euros": "cinq", "action": "save"},
    )
    assert response.status_code == 200
    assert_error_links(response, "id_consumed_euros")
    page = response.content.decode()
    assert "Texte gardé" in page and 'value="cinq"' in page
