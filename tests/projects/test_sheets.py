import datetime
import html
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from aps.models import User
from projects.checklist import missing_by_section, missing_items
from projects.models import Campaign, EvaluationCriterion, Objective, ProjectSheet
from projects.services import SheetError, sheet_renew, sheet_version
from tests.factories import NetworkFactory, SheetFactory, current_campaign

pytestmark = pytest.mark.django_db


def user(email):
    return User.objects.get(email=email)


@pytest.fixture
def college(personas):
    from projects.models import Establishment

    return Establishment.objects.get(uai="0931610V")


# --- Database constraints -------------------------------------------------------------


def test_database_refuses_a_fourth_objective_and_a_fourth_criterion():
    sheet = SheetFactory(objectives=["Un", "Deux", "Trois"], criteria=["Un", "Deux", "Trois"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(sheet=sheet, position=4, text="Quatre")
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationCriterion.objects.create(sheet=sheet, position=4, text="Quatre")
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(sheet=sheet, position=2, text="Deux bis")
    assert sheet.objectives.count() == 3


def test_database_refuses_a_sheet_with_two_carriers_or_none():
    sheet = SheetFactory()
    network = NetworkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectSheet.objects.filter(pk=sheet.pk).update(network=network)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectSheet.objects.filter(pk=sheet.pk).update(establishment=None)


def test_database_refuses_an_end_before_the_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        SheetFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 1, 1))


# --- Saving drafts ---------------------------------------------------------------------


def test_staff_saves_a_new_draft_with_every_section_empty(client, college):
    client.force_login(user("staff.college@aps.test"))
    response = client.post(reverse("projects:sheet_create"), {})
    sheet = ProjectSheet.objects.filter(establishment=college).latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:sheet_edit", args=[sheet.pk])
    assert sheet.status == ProjectSheet.Status.DRAFT
    assert sheet.title == "" and sheet.expected_pupils is None
    assert sheet.department.code == "93"
    assert sheet.created_by == sheet.updated_by == user("staff.college@aps.test")
    assert sheet.campaign == Campaign.objects.get(is_current=True)


def test_saving_keeps_objectives_in_order_and_drops_empty_ones(client, college):
    client.force_login(user("staff.college@aps.test"))
    sheet = SheetFactory(establishment=college)
    client.post(
        reverse("projects:sheet_edit", args=[sheet.pk]),
        {
            "title": "Module relais",
            "objective_1": "",
            "objective_2": "Estime de soi",
            "objective_3": "Orientation",
            "criterion_1": "Absences",
            "version": sheet_version(sheet),
        },
    )
    assert [o.text for o in sheet.objectives.all()] == ["Estime de soi", "Orientation"]
    assert [o.position for o in sheet.objectives.all()] == [1, 2]
    assert [c.text for c in sheet.criteria.all()] == ["Absences"]


def test_refused_save_keeps_what_was_typed_and_writes_nothing(client, college):
    client.force_login(user("staff.college@aps.test"))
    sheet = SheetFactory(establishment=college, title="Avant")
    response = client.post(
        reverse("projects:sheet_edit", args=[sheet.pk]),
        {
            "title": "Après",
            "start_date": "2025-06-01",
            "end_date": "2025-01-01",
            "problem": "Texte saisi",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "La date de fin doit suivre la date de lancement." in page
    assert "Texte saisi" in page and 'value="Après"' in page
    sheet.refresh_from_db()
    assert sheet.title == "Avant" and sheet.problem == ""


def test_an_overlong_text_is_refused_in_french(client, college):
    client.force_login(user("staff.college@aps.test"))
    sheet = SheetFactory(establishment=college)
    response = client.post(
        reverse("projects:sheet_edit", args=[sheet.pk]), {"problem": "x" * 100_000}
    )
    assert "au plus 5000 caractères" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.problem == ""


def test_head_of_several_establishments_chooses_the_carrier(client, college):
    from projects.models import Establishment, Membership

    head = user("chef.college@aps.test")
    lycee = Establishment.objects.get(uai="0930123D")
    Membership.objects.create(user=head, role=Membership.Role.HEAD, establishment=lycee)
    client.force_login(head)
    page = client.get(reverse("projects:sheet_create")).content.decode()
    assert "Porteur de l&#x27;action" in page or "Porteur de l'action" in page
    client.post(
        reverse("projects:sheet_create"), {"carrier": f"establishment-{lycee.pk}", "title": "X"}
    )
    assert ProjectSheet.objects.get(title="X").establishment == lycee


def test_network_lead_files_a_network_sheet(client, personas):
    lead = user("foquale@aps.test")
    client.force_login(lead)
    client.post(reverse("projects:sheet_create"), {"title": "Action du réseau"})
    sheet = ProjectSheet.objects.get(title="Action du réseau")
    assert sheet.network == lead.memberships.get().network and sheet.establishment is None


# --- Checklist -------------------------------------------------------------------------


def test_checklist_names_exactly_what_is_missing():
    sheet = SheetFactory(complete=True)
    assert missing_items(sheet) == []

    sheet.partners = ""
    sheet.expected_pupils = None
    sheet.save()
    sheet.criteria.all().delete()
    missing = [(item.section, item.label, item.anchor) for item in missing_items(sheet)]
    assert {item.url for item in missing_items(sheet)} == {
        reverse("projects:sheet_edit", args=[sheet.pk])
    }
    assert missing == [
        ("criteria", "au moins un critère d'évaluation", "id_criterion_1"),
        ("public", "le nombre prévisionnel d'élèves", "id_expected_pupils"),
        ("partners", "les partenaires associés", "id_partners"),
    ]
    assert [(section.title, len(items)) for section, items in missing_by_section(sheet)] == [
        ("Critères d'évaluation", 1),
        ("Public ciblé et moyens de repérage", 1),
        ("Partenaires associés", 1),
    ]


def test_edit_page_links_each_missing_item_to_its_field(client, college):
    client.force_login(user("staff.college@aps.test"))
    sheet = SheetFactory(establishment=college, complete=True, partners="")
    page = client.get(reverse("projects:sheet_edit", args=[sheet.pk])).content.decode()
    edit_url = reverse("projects:sheet_edit", args=[sheet.pk])
    assert f'<a href="{edit_url}#id_partners">Les partenaires associés</a>' in page
    assert 'id="id_partners"' in page
    assert "Avant le dépôt" in page


# --- Session expired while typing ------------------------------------------------------


def expire_session_while_typing(client, email, url, data):
    """Open the form logged in, lose the session, then post what was typed."""
    client.force_login(user(email))
    page = client.get(url).content.decode()
    token = re.search(r'name="_aps_owner" value="([^"]+)"', page)[1]
    client.logout()
    return client.post(url, {**data, "_aps_owner": token})


def test_content_posted_after_session_expiry_comes_back_after_login(client, college):
    sheet = SheetFactory(establishment=college, title="Titre enregistré")
    edit_url = reverse("projects:sheet_edit", args=[sheet.pk])
    response = expire_session_while_typing(
        client,
        "staff.college@aps.test",
        edit_url,
        {"title": "Titre tapé pendant l'expiration", "objective_1": "Mon objectif"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={edit_url}"
    sheet.refresh_from_db()
    assert sheet.title == "Titre enregistré"

    response = client.post(
        response["Location"],
        {"username": "staff.college@aps.test", "password": "demo-aps", "next": edit_url},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == edit_url
    assert "Votre saisie a été conservée" in page
    assert 'value="Titre tapé pendant l&#x27;expiration"' in page
    assert "Mon objectif" in page
    assert "data-dirty" in page
    # Shown once: reloading gives the saved sheet back.
    assert "Votre saisie a été conservée" not in client.get(edit_url).content.decode()


def test_kept_content_is_never_shown_to_another_user(client, college):
    create_url = reverse("projects:sheet_create")
    expire_session_while_typing(
        client, "staff.college@aps.test", create_url, {"title": "Secret du collège"}
    )
    # Someone else logs in on the same browser and opens the same page.
    client.post(reverse("login"), {"username": "chef.lycee@aps.test", "password": "demo-aps"})
    page = client.get(create_url).content.decode()
    assert "Secret du collège" not in page
    assert "Votre saisie a été conservée" not in page


def test_unsigned_anonymous_posts_are_not_kept(client, college):
    client.post(reverse("projects:sheet_create"), {"title": "Sans signature"})
    assert "aps_kept_post" not in client.session


# --- Renewal ---------------------------------------------------------------------------


def test_renewal_copies_the_sections_into_a_draft_of_the_current_campaign(client, demo_sheets):
    previous = ProjectSheet.objects.get(
        campaign__school_year="2023-2024", establishment__uai="0931610V"
    )
    client.force_login(user("staff.college@aps.test"))
    response = client.post(reverse("projects:sheet_renew", args=[previous.pk]))
    renewal = ProjectSheet.objects.get(renewal_of=previous)
    assert response["Location"] == reverse("projects:sheet_edit", args=[renewal.pk])
    assert renewal.campaign == Campaign.objects.get(is_current=True)
    assert renewal.status == ProjectSheet.Status.DRAFT
    assert renewal.is_renewal
    assert (renewal.title, renewal.problem, renewal.partners) == (
        previous.title,
        previous.problem,
        previous.partners,
    )
    assert [o.text for o in renewal.objectives.all()] == [o.text for o in previous.objectives.all()]
    assert [c.text for c in renewal.criteria.all()] == [c.text for c in previous.criteria.all()]
    assert renewal.start_date is None and renewal.end_date is None
    assert renewal.created_by == user("staff.college@aps.test")


def test_an_action_is_renewed_once(demo_sheets):
    previous = ProjectSheet.objects.get(
        campaign__school_year="2023-2024", establishment__uai="0931610V"
    )
    sheet_renew(sheet=previous, by=user("chef.college@aps.test"))
    with pytest.raises(SheetError, match="ne peut pas être renouvelée"):
        sheet_renew(sheet=previous, by=user("chef.college@aps.test"))


def test_a_sheet_of_the_current_campaign_cannot_be_renewed(personas):
    sheet = SheetFactory(
        submitted=True, establishment=user("chef.college@aps.test").memberships.get().establishment
    )
    with pytest.raises(SheetError):
        sheet_renew(sheet=sheet, by=user("chef.college@aps.test"))
    assert current_campaign() == sheet.campaign


# --- Delete ----------------------------------------------------------------------------


def test_head_deletes_a_draft_after_confirmation(client, college):
    sheet = SheetFactory(establishment=college, title="À supprimer")
    client.force_login(user("chef.college@aps.test"))
    confirm = client.get(reverse("projects:sheet_delete", args=[sheet.pk])).content.decode()
    assert "Supprimer le brouillon ?" in confirm
    response = client.post(reverse("projects:sheet_delete", args=[sheet.pk]), follow=True)
    assert "Le brouillon « À supprimer » a été supprimé." in response.content.decode()
    assert not ProjectSheet.objects.filter(pk=sheet.pk).exists()


def test_staff_cannot_delete_a_draft(client, college):
    sheet = SheetFactory(establishment=college)
    client.force_login(user("staff.college@aps.test"))
    assert client.post(reverse("projects:sheet_delete", args=[sheet.pk])).status_code == 403
    assert ProjectSheet.objects.filter(pk=sheet.pk).exists()


# --- List and detail -------------------------------------------------------------------


def test_my_projects_lists_the_current_campaign_and_filters_by_state(client, demo_sheets):
    client.force_login(user("chef.college@aps.test"))
    page = client.get(reverse("reviews:sheet_list")).content.decode()
    assert "Parcours individualisés pour élèves absentéistes" in page
    assert "Sécuriser la transition 3e-2de" in page
    assert "Module relais « Cap sur l&#x27;avenir »" not in page  # 2023-2024
    assert "Atelier FLS" not in page  # the lycée's

    drafts = client.get(reverse("reviews:sheet_list"), {"status": "draft"}).content.decode()
    assert "Sécuriser la transition 3e-2de" not in drafts
    assert "Café des familles et coéducation" in drafts

    previous = client.get(reverse("reviews:sheet_list"), {"campaign": "2023-2024"}).content.decode()
    assert "Module relais « Cap sur l&#x27;avenir »" in previous


def test_detail_shows_the_sheet_in_the_official_order(client, demo_sheets):
    sheet = ProjectSheet.objects.get(title="Parcours individualisés pour élèves absentéistes")
    client.force_login(user("mlds@aps.test"))
    page = html.unescape(client.get(sheet.get_absolute_url()).content.decode())
    headings = [
        "Identification de l'action",
        "Diagnostic",
        "Champ et typologie",
        "Objectifs de l'action",
        "Critères d'évaluation",
        "Public ciblé et moyens de repérage",
        "Modalités organisationnelles",
        "Calendrier",
        "Personnels mobilisés",
        "Partenaires associés",
        "Moyens demandés à la DSDEN",
    ]
    positions = [page.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "Collège Jacques Prévert" in page and "Noisy-le-Sec" in page
    assert "Proposer à chaque élève un emploi du temps aménagé et un tuteur." in page
    assert "Modifier" not in page  # the MLDS coordinator reads only


def test_html_typed_in_a_field_is_shown_as_text(client, college):
    sheet = SheetFactory(establishment=college, problem="<script>alert(1)</script><b>gras</b>")
    client.force_login(user("staff.college@aps.test"))
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_save_made_meanwhile_is_not_overwritten(client, college):
    sheet = SheetFactory(establishment=college, title="Version de départ")
    edit_url = reverse("projects:sheet_edit", args=[sheet.pk])
    client.force_login(user("staff.college@aps.test"))
    page = client.get(edit_url).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', page)[1]
    # The head saves the sheet in the meantime.
    other = Client()
    other.force_login(user("chef.college@aps.test"))
    other_page = other.get(edit_url).content.decode()
    other_version = re.search(r'name="version" value="([^"]+)"', other_page)[1]
    other.post(edit_url, {"title": "Version du chef", "version": other_version})

    response = client.post(edit_url, {"title": "Version du référent", "version": version})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Cette fiche a été modifiée entre-temps : Claire Martin l&#x27;a enregistrée le" in page
    assert 'value="Version du référent"' in page
    sheet.refresh_from_db()
    assert sheet.title == "Version du chef"


def test_refused_save_says_its_errors_at_the_top_with_links_to_the_fields(client, college):
    from tests.form_errors import assert_error_links, assert_no_error_alert

    client.force_login(user("staff.college@aps.test"))
    sheet = SheetFactory(establishment=college, title="Avant")
    url = reverse("projects:sheet_edit", args=[sheet.pk])
    assert_no_error_alert(client.get(url))
    response = client.post(
        url,
        {
            "title": "Après",
            "expected_pupils": "douze",
            "start_date": "2025-06-01",
            "end_date": "2025-01-01",
            "problem": "Texte saisi",
            "version": sheet_version(sheet),
        },
    )
    assert response.status_code == 200
    alert = assert_error_links(response, "id_expected_pupils", "id_end_date")
    assert "Le formulaire contient 2 erreurs" in alert
    assert "La date de fin doit suivre la date de lancement." in alert
    page = response.content.decode()
    # Letters in a number field are an error, not a silent blank; nothing typed is lost.
    assert 'value="douze"' in page and 'value="Après"' in page and "Texte saisi" in page
    sheet.refresh_from_db()
    assert sheet.title == "Avant" and sheet.expected_pupils is None
