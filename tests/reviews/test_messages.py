"""The message thread of a sheet between the establishment and the DSDEN, the MLDS's advice
joining it: who posts, files checked by their content (all or nothing), e-mails to the other
side, downloads inside the scope, « Nouveau » on the sheet page and the establishment's home."""

import datetime
import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews.desk.models import Visit
from reviews.workflow import messages as thread
from reviews.workflow.models import Message, MessageAttachment
from reviews.workflow.services import ReviewError, advise
from tests.factories import SheetFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="compte-rendu.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf(name="devis.pdf"):
    return SimpleUploadedFile(name, b"not a PDF at all", content_type="application/pdf")


@pytest.fixture
def sheet(personas):
    return SheetFactory(establishment=personas.college, in_review=True)


def post(client, user, sheet, **data):
    client.force_login(user)
    return client.post(reverse("reviews:message_post", args=[sheet.pk]), data)


# --- Who posts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, side",
    [
        ("college_head", "carrier"),
        ("college_staff", "carrier"),
        ("dsden93", "reviewer"),
        ("academie", "reviewer"),
    ],
)
def test_the_two_sides_post_a_message_on_a_filed_sheet(client, personas, sheet, who, side):
    response = post(client, getattr(personas, who), sheet, text="Pouvez-vous préciser le public ?")
    assert response.status_code == 302
    assert response["Location"].endswith(f"{sheet.get_absolute_url()}#messages")
    message = Message.objects.get(sheet=sheet)
    assert (message.side, message.author, message.text) == (
        side,
        getattr(personas, who),
        "Pouvez-vous préciser le public ?",
    )


@pytest.mark.parametrize(
    "who, status",
    [
        ("network_lead", 403),  # reads the thread, does not write in it
        ("mlds", 403),  # advises instead
        ("national", 403),  # reads
        ("dsden94", 404),  # another département's sheet does not exist for them
        ("outsider_head", 404),  # another establishment's
        ("lycee_head", 404),
    ],
)
def test_others_cannot_post_a_message(client, personas, sheet, who, status):
    response = post(client, getattr(personas, who), sheet, text="Bonjour")
    assert response.status_code == status
    assert not Message.objects.exists()


def test_no_message_on_a_draft_but_the_answer_to_an_mlds_advice(client, personas):
    draft = SheetFactory(establishment=personas.college, complete=True)
    assert post(client, personas.college_head, draft, text="Bonjour").status_code == 403
    assert post(client, personas.academie, draft, text="Bonjour").status_code == 403
    assert post(client, personas.dsden93, draft, text="Bonjour").status_code == 404
    advice = advise(sheet=draft, by=personas.mlds, text="Associez le CIO.")
    response = post(
        client, personas.college_staff, draft, text="C'est fait.", in_reply_to=advice.pk
    )
    assert response.status_code == 302
    assert Message.objects.get().in_reply_to == advice


def test_only_the_establishment_answers_an_mlds_advice(client, personas, sheet):
    advice = advise(sheet=sheet, by=personas.mlds, text="Associez le CIO.")
    response = post(client, personas.dsden93, sheet, text="Noté.", in_reply_to=advice.pk)
    assert response.status_code == 403
    other = SheetFactory(establishment=personas.college, in_review=True)
    elsewhere = advise(sheet=other, by=personas.mlds, text="Autre conseil.")
    response = post(client, personas.college_head, sheet, text="Oui.", in_reply_to=elsewhere.pk)
    assert response.status_code == 404  # the advice of another sheet
    assert not Message.objects.exists()


def test_the_network_lead_posts_on_the_networks_own_sheet(client, personas):
    own = SheetFactory(establishment=None, network=personas.network, in_review=True)
    assert post(client, personas.network_lead, own, text="Bonjour").status_code == 302
    assert Message.objects.get().side == "carrier"


def test_an_empty_message_is_refused_with_the_page_again(client, personas, sheet):
    response = post(client, personas.college_head, sheet, text="   ")
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Message.objects.exists()


def test_the_service_refuses_an_empty_text_in_french(personas, sheet):
    with pytest.raises(ReviewError, match="Le message est obligatoire"):
        thread.post_message(sheet, personas.college_head, " ")


# --- Files -------------------------------------------------------------------------------


def test_a_message_keeps_its_files_checked_by_content(client, personas, sheet):
    response = post(
        client,
        personas.college_head,
        sheet,
        text="Le compte rendu du GPDS.",
        files=[pdf(), pdf("annexe.pdf")],
    )
    assert response.status_code == 302
    attachments = list(MessageAttachment.objects.order_by("pk"))
    assert [(a.original_name, a.content_type, a.size) for a in attachments] == [
        ("compte-rendu.pdf", "application/pdf", len(PDF)),
        ("annexe.pdf", "application/pdf", len(PDF)),
    ]
    assert attachments[0].file.read() == PDF


def test_a_bad_file_refuses_the_whole_message_and_keeps_the_text(
    client, personas, sheet, media_root
):
    response = post(
        client,
        personas.dsden93,
        sheet,
        text="Voici la grille, et le devis corrigé.",
        files=[pdf(), fake_pdf()],
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Voici la grille, et le devis corrigé." in page  # as typed
    assert "« devis.pdf » est refusé" in page
    assert "Le message n&#x27;a pas été envoyé" in page
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()
    folder = media_root / "messages"
    assert not folder.exists() or not any(folder.iterdir())


def test_an_office_file_with_macros_is_refused(personas, sheet):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00")
    upload = SimpleUploadedFile("lettre.docx", buffer.getvalue())
    with pytest.raises(ReviewError, match="macros"):
        thread.post_message(sheet, personas.college_head, "Lettre", [upload])
    assert not Message.objects.exists()


def test_at_most_five_files(personas, sheet):
    with pytest.raises(ReviewError, match="au plus 5 fichiers"):
        thread.post_message(
            sheet, personas.college_head, "Tout", [pdf(f"{n}.pdf") for n in range(6)]
        )


# --- E-mails -----------------------------------------------------------------------------


def test_the_establishments_message_is_mailed_to_the_dsden_reviewers(
    client, personas, sheet, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://aps.example"
    from tests.factories import member

    second = member(role="dsden", department=sheet.department)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, personas.college_staff, sheet, text="Le devis arrive.", files=[pdf()])
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == sorted([personas.dsden93.email, second.email])
    email = mail.outbox[0]
    assert email.subject == f"APS — Nouveau message sur le projet : {sheet.title}"
    assert "Le devis arrive." in email.body
    assert "compte-rendu.pdf" in email.body
    assert f"https://aps.example/projets/{sheet.pk}/#messages" in email.body


def test_the_reviewers_message_is_mailed_to_the_establishments_team(
    client, personas, sheet, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, personas.dsden93, sheet, text="Merci de joindre le devis.")
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == sorted([personas.college_head.email, personas.college_staff.email])
    assert "vous a écrit" in mail.outbox[0].body


def test_the_answer_to_an_mlds_advice_is_mailed_to_its_author(
    client, personas, sheet, django_capture_on_commit_callbacks
):
    advice = advise(sheet=sheet, by=personas.mlds, text="Associez le CIO.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, personas.college_head, sheet, text="Le CIO vient.", in_reply_to=advice.pk)
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == sorted([personas.dsden93.email, personas.mlds.email])
    assert mail.outbox[0].subject.startswith("APS — Réponse à un conseil MLDS")
    assert "répond au conseil MLDS" in mail.outbox[0].body


def test_a_former_mlds_coordinator_is_no_longer_mailed_the_answers(
    client, personas, sheet, django_capture_on_commit_callbacks
):
    advice = advise(sheet=sheet, by=personas.mlds, text="Associez le CIO.")
    personas.mlds.memberships.filter(role="mlds").delete()  # left the district
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, personas.college_head, sheet, text="Le CIO vient.", in_reply_to=advice.pk)
    recipients = sorted(address for email in mail.outbox for address in email.to)
    assert recipients == [personas.dsden93.email]


def test_a_message_makes_news_for_the_reviewers_only_from_the_establishment(personas, sheet):
    sheet.refresh_from_db()
    before = sheet.activity_at
    thread.post_message(sheet, personas.dsden93, "Question")
    sheet.refresh_from_db()
    assert sheet.activity_at == before
    message = thread.post_message(sheet, personas.college_head, "Réponse")
    sheet.refresh_from_db()
    assert sheet.activity_at == message.created_at


# --- Downloads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        ("college_head", 200),
        ("college_staff", 200),
        ("dsden93", 200),
        ("academie", 200),
        ("mlds", 200),
        ("network_lead", 200),
        ("dsden94", 404),
        ("outsider_head", 404),
    ],
)
def test_a_messages_file_is_downloaded_inside_the_scope(client, personas, sheet, who, status):
    message = thread.post_message(sheet, personas.dsden93, "La grille", [pdf("grille.pdf")])
    attachment = message.attachments.get()
    client.force_login(getattr(personas, who))
    url = reverse("reviews:message_attachment", args=[sheet.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert 'filename="grille.pdf"' in response["Content-Disposition"]


def test_a_file_is_downloaded_only_through_its_own_sheet(client, personas, sheet):
    message = thread.post_message(sheet, personas.dsden93, "La grille", [pdf("grille.pdf")])
    other = SheetFactory(establishment=personas.college, in_review=True)
    client.force_login(personas.college_head)
    url = reverse("reviews:message_attachment", args=[other.pk, message.attachments.get().pk])
    assert client.get(url).status_code == 404


# --- The page ----------------------------------------------------------------------------


def test_the_thread_shows_messages_and_advice_in_order(client, personas, sheet):
    advice = advise(sheet=sheet, by=personas.mlds, text="Associez le CIO.")
    thread.post_message(sheet, personas.college_head, "Le CIO vient.", in_reply_to=advice)
    thread.post_message(sheet, personas.dsden93, "La grille", [pdf("grille.pdf")])
    client.force_login(personas.college_staff)
    page = client.get(sheet.get_absolute_url()).content.decode()
    panel = page[page.index('id="messages"') :]
    assert panel.index("Conseil MLDS") < panel.index("Établissement") < panel.index("DSDEN")
    assert "En réponse au conseil MLDS du" in panel
    assert "grille.pdf" in panel
    assert "Répondre à ce conseil" in panel
    assert 'name="files"' in panel and "multiple" in panel
    assert "Envoyer le message" in panel


def test_the_dsden_does_not_answer_advice_and_the_network_only_reads(client, personas, sheet):
    advise(sheet=sheet, by=personas.mlds, text="Associez le CIO.")
    client.force_login(personas.dsden93)
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Répondre à ce conseil" not in page
    assert "Envoyer le message" in page
    client.force_login(personas.network_lead)
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Associez le CIO." in page[page.index('id="messages"') :]
    assert "Envoyer le message" not in page


def test_what_the_other_side_wrote_since_the_last_visit_is_marked_new(client, personas, sheet):
    client.force_login(personas.college_head)
    client.get(sheet.get_absolute_url())  # a first visit
    Visit.objects.filter(user=personas.college_head, sheet=sheet).update(
        seen_at=timezone.now() - datetime.timedelta(hours=1)
    )
    old = thread.post_message(sheet, personas.dsden93, "Ancienne question")
    Message.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    thread.post_message(sheet, personas.dsden93, "Nouvelle question")
    thread.post_message(sheet, personas.college_staff, "Réponse de l'équipe")
    page = client.get(sheet.get_absolute_url()).content.decode()
    panel = page[page.index('id="messages"') :]
    assert panel.count(">Nouveau</span>") == 1
    new_at = panel.index("Nouvelle question")
    assert panel.rindex(">Nouveau</span>", 0, new_at) > panel.index("Ancienne question")
    # Opened again: nothing new any more.
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert ">Nouveau</span>" not in page[page.index('id="messages"') :]


def test_the_establishments_home_lists_sheets_with_unread_dsden_messages(client, personas):
    sheets = [SheetFactory(establishment=personas.college, in_review=True) for _ in range(3)]
    thread.post_message(sheets[0], personas.dsden93, "Question sur le public")
    thread.post_message(sheets[1], personas.college_head, "Notre message")  # our own side
    client.force_login(personas.college_head)
    page = client.get(reverse("home")).content.decode()
    assert "Nouveaux messages de la DSDEN" in page
    block = page[page.index("aps-unread-messages") :]
    block = block[: block.index("</div>")]
    assert sheets[0].title in block
    assert sheets[1].title not in block and sheets[2].title not in block
    client.get(sheets[0].get_absolute_url())  # read
    assert "Nouveaux messages de la DSDEN" not in client.get(reverse("home")).content.decode()


def test_the_unread_list_costs_one_query_whatever_the_number_of_sheets(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.rules import sheets_visible_to
    from reviews.desk.thread import with_unread_messages

    head = personas.college_head

    def count(n):
        for _ in range(n):
            thread.post_message(
                SheetFactory(establishment=personas.college, in_review=True),
                personas.dsden93,
                "Question",
            )
        sheets = with_unread_messages(sheets_visible_to(head), head)
        with CaptureQueriesContext(connection) as queries:
            found = list(sheets)
        return len(found), len(queries)

    assert count(1) == (1, 1)
    assert count(4) == (5, 1)


def test_the_home_page_costs_the_same_with_more_unread_sheets(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def home_queries(n):
        for _ in range(n):
            sheet = SheetFactory(establishment=personas.college, in_review=True)
            thread.post_message(sheet, personas.dsden93, "Question")
        client.force_login(personas.college_head)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("home")).content.decode()
        return page.count("#messages"), len(queries)

    one, few = home_queries(1), home_queries(3)
    assert (one[0], few[0]) == (1, 4)
    assert one[1] == few[1]


def test_the_network_lead_hears_of_messages_on_the_networks_own_sheets(client, personas):
    own = SheetFactory(establishment=None, network=personas.network, in_review=True)
    thread.post_message(own, personas.dsden93, "Question au réseau")
    client.force_login(personas.network_lead)
    page = client.get(reverse("home")).content.decode()
    block = page[page.index("aps-unread-messages") :]
    assert own.title in block[: block.index("</div>")]


def test_the_thread_says_who_each_reviewer_speaks_for(
    client, personas, sheet, django_capture_on_commit_callbacks
):
    thread.post_message(sheet, personas.dsden93, "De la DSDEN")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread.post_message(sheet, personas.academie, "De l'académie")
    assert "(académie) vous a écrit" in mail.outbox[0].body
    client.force_login(personas.college_head)
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "<strong>DSDEN</strong>" in page and "<strong>Académie</strong>" in page
