import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from aps.models import User
from funding.models import Envelope, Grant
from projects.models import Campaign, ProjectSheet
from projects.services import sheet_version
from reviews.models import InfoRequest
from reviews.workflow import services

from .conftest import complete_sheet

pytestmark = pytest.mark.django_db
S = ProjectSheet.Status
D = Decimal


def user(email):
    return User.objects.get(email=email)


# --- Deadlines -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "allowed"), [(datetime.date(2024, 6, 23), True), (datetime.date(2024, 6, 24), False)]
)
def test_euro_requests_are_submitted_until_the_euro_deadline(personas, today, day, allowed):
    today(day)
    sheet = complete_sheet(hse=False, euros=True)
    if allowed:
        services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    else:
        with pytest.raises(services.ReviewError) as error:
            services.submit(sheet=sheet, by=user("chef.college@aps.test"))
        assert str(error.value) == (
            "Les actions qui demandent des crédits en euros se déposent jusqu'au 23 juin 2024 : "
            "ce délai est passé."
        )
    sheet.refresh_from_db()
    assert sheet.status == (S.SUBMITTED if allowed else S.DRAFT)


@pytest.mark.parametrize(
    ("day", "allowed"), [(datetime.date(2024, 9, 15), True), (datetime.date(2024, 9, 16), False)]
)
def test_hse_requests_are_submitted_until_the_hse_imp_deadline(personas, today, day, allowed):
    today(day)
    sheet = complete_sheet()
    if allowed:
        services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    else:
        with pytest.raises(
            services.ReviewError, match="HSE ou des IMP se déposent jusqu'au 15 septembre 2024"
        ):
            services.submit(sheet=sheet, by=user("chef.college@aps.test"))


@pytest.mark.parametrize(
    ("day", "allowed"), [(datetime.date(2024, 5, 8), False), (datetime.date(2024, 5, 9), True)]
)
def test_sheets_are_submitted_from_the_filing_opening_date(personas, today, day, allowed):
    today(day)
    sheet = complete_sheet()
    if allowed:
        services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    else:
        with pytest.raises(services.ReviewError) as error:
            services.submit(sheet=sheet, by=user("chef.college@aps.test"))
        assert str(error.value) == "Le dépôt ouvre le 9 mai 2024."
    sheet.refresh_from_db()
    assert sheet.status == (S.SUBMITTED if allowed else S.DRAFT)


def test_the_academy_s_own_filing_opening_date_is_the_one_enforced(personas, today):
    from projects.models import AcademyCampaign

    sheet = complete_sheet()
    AcademyCampaign.objects.create(
        campaign=sheet.campaign,
        academy=sheet.department.academy,
        filing_opens_on=datetime.date(2024, 5, 20),
    )
    with pytest.raises(services.ReviewError, match="Le dépôt ouvre le 20 mai 2024."):
        services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    today(datetime.date(2024, 5, 20))
    services.submit(sheet=sheet, by=user("chef.college@aps.test"))


def test_before_the_opening_a_draft_is_written_and_its_page_says_when_filing_opens(
    client, personas, today
):
    today(datetime.date(2024, 4, 20))
    sheet = complete_sheet()  # drafting is open before the filing opens
    client.force_login(user("chef.college@aps.test"))
    page = client.get(reverse("reviews:sheet_detail", args=[sheet.pk])).content.decode()
    assert "Le dépôt ouvre le 9 mai 2024." in page


def test_after_the_euro_deadline_a_sheet_of_hse_only_can_still_be_submitted(personas, today):
    today(datetime.date(2024, 7, 1))
    sheet = complete_sheet()
    services.submit(sheet=sheet, by=user("chef.college@aps.test"))


def test_an_incomplete_sheet_is_not_submitted_and_the_message_says_what_misses(personas, today):
    sheet = complete_sheet()
    ProjectSheet.objects.filter(pk=sheet.pk).update(partners="")
    with pytest.raises(services.ReviewError) as error:
        services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    assert "Partenaires associés : les partenaires associés" in str(error.value)


def test_without_prevalidation_or_for_a_network_submission_goes_to_the_dsden(personas, today):
    Campaign.objects.filter(is_current=True).update(requires_prevalidation=False)
    sheet = complete_sheet()
    event = services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    assert event.to_status == S.IN_REVIEW


# --- Answers ---------------------------------------------------------------------------


def test_a_second_answer_is_refused_and_overwrites_nothing(personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    services.validate(sheet=sheet, by=user("dsden93@aps.test"), euros=D(0), hse=D(10), imp=D(0))
    with pytest.raises(services.ReviewError, match="Ce projet a déjà reçu une réponse."):
        services.reject(sheet=sheet, by=user("dsden93@aps.test"), comment="Non")
    sheet.refresh_from_db()
    assert sheet.status == S.VALIDATED
    assert Grant.objects.get(sheet=sheet).hse == D(10)


def test_a_validation_granting_nothing_is_refused_and_points_to_the_refusal(personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    with pytest.raises(services.ReviewError) as error:
        services.validate(sheet=sheet, by=user("dsden93@aps.test"), euros=D(0), hse=D(0), imp=D(0))
    assert str(error.value) == (
        "Une validation accorde des moyens : au moins un montant doit être supérieur à zéro. "
        "Pour refuser le financement, choisissez « Ne pas valider le projet »."
    )
    sheet.refresh_from_db()
    assert sheet.status == S.IN_REVIEW
    assert not Grant.objects.exists()


def test_a_validation_granting_half_an_hse_alone_is_allowed(personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    services.validate(sheet=sheet, by=user("dsden93@aps.test"), euros=D(0), hse=D("0.5"), imp=D(0))
    sheet.refresh_from_db()
    assert sheet.status == S.VALIDATED
    assert Grant.objects.get(sheet=sheet).hse == D("0.5")


def test_validation_above_the_envelope_needs_confirmation(personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    Envelope.objects.create(campaign=sheet.campaign, department=sheet.department, hse=D(5))
    with pytest.raises(
        services.ReviewError, match="dépasse ce qui reste de l'enveloppe du département \\(HSE\\)"
    ):
        services.validate(sheet=sheet, by=user("dsden93@aps.test"), euros=D(0), hse=D(20), imp=D(0))
    assert not Grant.objects.exists()
    services.validate(
        sheet=sheet,
        by=user("dsden93@aps.test"),
        euros=D(0),
        hse=D(20),
        imp=D(0),
        confirm_over_envelope=True,
    )
    assert Grant.objects.get(sheet=sheet).is_partial is False


def test_grant_above_request_is_refused(personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    with pytest.raises(services.ReviewError, match="dépasse le montant demandé"):
        services.validate(sheet=sheet, by=user("dsden93@aps.test"), euros=D(0), hse=D(21), imp=D(0))
    sheet.refresh_from_db()
    assert sheet.status == S.IN_REVIEW


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("reject", {"comment": "  "}),
        ("request_info", {"comment": ""}),
        ("reopen", {"reason": ""}),
    ],
)
def test_comment_is_required(personas, today, name, kwargs):
    state = S.VALIDATED if name == "reopen" else S.IN_REVIEW
    sheet = complete_sheet(state=state)
    with pytest.raises(services.ReviewError, match="est obligatoire"):
        getattr(services, name)(sheet=sheet, by=user("dsden93@aps.test"), **kwargs)


# --- Request for information, resubmission, what changed --------------------------------


def test_the_dsden_sees_what_changed_since_its_request(client, personas, today):
    sheet = complete_sheet(state=S.IN_REVIEW)
    services.request_info(
        sheet=sheet,
        by=user("dsden93@aps.test"),
        comment="Précisez les partenaires",
        sections=["partners"],
        due_date=datetime.date(2024, 6, 1),
    )
    client.force_login(user("staff.college@aps.test"))
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "La DSDEN demande des précisions" in page and "Précisez les partenaires" in page
    # The establishment edits the sheet (allowed again), then the head resubmits.
    client.post(
        reverse("projects:sheet_edit", args=[sheet.pk]),
        {
            **{
                f: getattr(sheet, f)
                for f in (
                    "title",
                    "problem",
                    "qualitative_indicators",
                    "quantitative_indicators",
                    "field",
                    "typology",
                    "pupil_levels",
                    "pupil_profiles",
                    "identification",
                    "organisation",
                    "key_moments",
                    "staff_roles",
                    "means_use",
                )
            },
            "expected_pupils": 12,
            "staff_count": 4,
            "start_date": "2024-10-01",
            "end_date": "2025-06-01",
            "partners": "Mission locale et compagnie de théâtre",
            "objective_1": "Objectif un",
            "criterion_1": "Critère un",
            "version": sheet_version(ProjectSheet.objects.get(pk=sheet.pk)),
        },
    )
    services.resubmit(sheet=sheet, by=user("chef.college@aps.test"), answer="Partenaires ajoutés")
    assert InfoRequest.objects.get(sheet=sheet).answer == "Partenaires ajoutés"

    client.force_login(user("dsden93@aps.test"))
    page = client.get(reverse("reviews:answer", args=[sheet.pk])).content.decode()
    assert "Ce qui a changé depuis votre demande" in page
    assert "Partenaires associés" in page
    assert "Mission locale et compagnie de théâtre" in page and "Mission locale</td>" in page
    assert "Titre de l&#x27;action" not in page.split("Ce qui a changé")[1].split("</table>")[0]


# --- E-mails ---------------------------------------------------------------------------


def test_emails_go_to_the_right_people_in_french(
    personas, today, django_capture_on_commit_callbacks
):
    sheet = complete_sheet()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    announced = [m for m in mail.outbox if "Nouveau projet déposé" in m.subject]
    assert [m.to for m in announced] == [["foquale@aps.test"]]
    assert announced[0].subject == f"APS — Nouveau projet déposé : {sheet.title}"
    assert "attend l'avis du comité de pilotage" in announced[0].body
    # The acknowledgement (tests/reviews/test_submission.py) goes to the establishment.
    acknowledged = [m for m in mail.outbox if m not in announced]
    assert sorted(m.to[0] for m in acknowledged) == [
        "chef.college@aps.test",
        "staff.college@aps.test",
    ]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.prevalidate(
            sheet=sheet, by=user("foquale@aps.test"), value="reserve", comment="À préciser"
        )
    # The DSDEN, which now studies it, and everyone who works on the sheet.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chef.college@aps.test",
        "dsden93@aps.test",
        "staff.college@aps.test",
    ]
    assert all("avis réservé" in m.body for m in mail.outbox)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.validate(sheet=sheet, by=user("dsden93@aps.test"), euros=D(0), hse=D(15), imp=D(0))
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "chef.college@aps.test" in recipients
    assert sheet.created_by.email in recipients
    assert all(
        "financement partiel" in m.body
        and "Moyens accordés : 0,00\xa0€, 15\xa0HSE, 0\xa0IMP." in m.body
        for m in mail.outbox
    ), mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.advise(sheet=sheet, by=user("mlds@aps.test"), text="Pensez au bilan")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chef.college@aps.test",
        "staff.college@aps.test",
    ]


def test_the_demo_day_setting_places_the_rules_on_that_day(personas, settings):
    settings.APS_TODAY = "2024-06-03"
    sheet = complete_sheet(hse=False, euros=True)
    services.submit(sheet=sheet, by=user("chef.college@aps.test"))
    settings.APS_TODAY = "2024-06-24"
    late = complete_sheet(hse=False, euros=True)
    with pytest.raises(services.ReviewError, match="23 juin 2024"):
        services.submit(sheet=late, by=user("chef.college@aps.test"))


def test_a_network_sheet_goes_straight_to_the_dsden(personas, today):
    from projects.models import FoqualeNetwork
    from tests.factories import SheetFactory, add_estimate

    network = FoqualeNetwork.objects.get(memberships__user__email="foquale@aps.test")
    sheet = SheetFactory(establishment=None, network=network, complete=True, estimate=False)
    add_estimate(
        sheet,
        hse=[
            {
                "activity": "Tutorat",
                "speaker": "titulaire",
                "hour_kind": "peripherique",
                "weeks": 10,
                "hours_per_week": D("2"),
                "speakers": 1,
            }
        ],
    )
    event = services.submit(sheet=sheet, by=user("foquale@aps.test"))
    assert event.to_status == S.IN_REVIEW
