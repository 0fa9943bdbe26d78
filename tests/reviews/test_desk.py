"""The reviewers' desk: private notes, assignment, follows, labels, news since a visit — who
may, who may not, and that none of it ever reaches the establishment."""

import subprocess
from io import BytesIO

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from aps.models import User
from projects.models import Establishment
from reviews.desk import preparation
from reviews.desk.models import Assignment, Follow, Label, SheetLabel
from reviews.desk.preparation import DeskError
from reviews.workflow.models import Note
from tests.factories import EstablishmentFactory, SheetFactory, department, member, transition
from tests.reviews.conftest import complete_sheet

NOTE = "Porteur fragile : vérifier le devis du transporteur"


def user(email) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def sheet(personas):
    return complete_sheet(state="in_review")


@pytest.fixture
def labels(personas):
    preparation.default_labels_create(department("93"))
    preparation.default_labels_create(department("94"))
    return {
        code: {label.name: label for label in Label.objects.filter(department__code=code)}
        for code in ("93", "94")
    }


def page(client, email, sheet) -> str:
    client.force_login(user(email))
    response = client.get(sheet.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- Private notes -----------------------------------------------------------------------


@pytest.mark.parametrize("email", ["dsden93@aps.test", "academie@aps.test"])
def test_reviewers_write_a_private_note(client, sheet, email):
    client.force_login(user(email))
    response = client.post(reverse("reviews:note_add", args=[sheet.pk]), {"text": NOTE})
    assert response.status_code == 302
    note = Note.objects.get(sheet=sheet)
    assert (note.text, note.author.email) == (NOTE, email)
    assert NOTE in page(client, "dsden93@aps.test", sheet)
    assert "Note interne" in page(client, "academie@aps.test", sheet)


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("chef.college@aps.test", 403),
        ("staff.college@aps.test", 403),
        ("foquale@aps.test", 403),
        ("mlds@aps.test", 403),
        ("ministere@aps.test", 403),
        ("dsden94@aps.test", 404),
        ("chef.lycee@aps.test", 404),
    ],
)
def test_nobody_else_writes_a_note(client, sheet, email, status):
    client.force_login(user(email))
    response = client.post(reverse("reviews:note_add", args=[sheet.pk]), {"text": NOTE})
    assert response.status_code == status
    assert not Note.objects.exists()


def test_an_empty_note_is_refused_on_the_page(client, sheet):
    client.force_login(user("dsden93@aps.test"))
    response = client.post(reverse("reviews:note_add", args=[sheet.pk]), {"text": "   "})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Note.objects.exists()


def test_no_note_on_a_draft_even_for_the_academie_that_sees_it(personas):
    draft = complete_sheet()
    with pytest.raises(Exception, match="notes internes"):
        from reviews.workflow.notes import note_add

        note_add(sheet=draft, by=personas.academie, text=NOTE)


@pytest.fixture
def annotated(sheet, labels, personas):
    """A sheet with a note, a label and a reviewer in charge, then answered with a request for
    precisions (an e-mail to the establishment)."""
    from reviews.workflow.notes import note_add

    note_add(sheet=sheet, by=personas.dsden93, text=NOTE)
    preparation.sheet_labels_set(
        sheet=sheet, by=personas.dsden93, labels=[labels["93"]["À revoir"]]
    )
    preparation.assign(sheet=sheet, by=personas.dsden93, reviewer=personas.dsden93)
    return sheet


@pytest.mark.parametrize(
    "email",
    [
        "chef.college@aps.test",
        "staff.college@aps.test",
        "foquale@aps.test",
        "mlds@aps.test",
        "ministere@aps.test",
    ],
)
def test_notes_labels_and_assignment_never_reach_the_others_page(client, annotated, email):
    shown = page(client, email, annotated)
    for secret in (NOTE, "Note interne", "À revoir", "Préparation", "Instruit par"):
        assert secret not in shown, secret
    listing = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
    assert annotated.title in listing
    assert "À revoir" not in listing and "Étiquette" not in listing


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_notes_and_labels_are_in_no_pdf_export_or_email(
    client, annotated, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            "request_info", sheet=annotated, by=personas.dsden93, comment="Précisez le calendrier"
        )
    assert mail.outbox, "the establishment is told of the request"
    for message in mail.outbox:
        assert NOTE not in message.body and "À revoir" not in message.body
    for email in ("chef.college@aps.test", "dsden93@aps.test"):
        client.force_login(user(email))
        text = pdf_text(b"".join(client.get(reverse("reviews:sheet_pdf", args=[annotated.pk]))))
        assert annotated.title[:20] in text.replace("\n", " ")
        assert NOTE not in text and "À revoir" not in text
    client.force_login(user("chef.college@aps.test"))
    response = client.get(reverse("reviews:sheet_list_export"), {"campaign": ""})
    workbook = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    cells = [str(c.value) for row in workbook.active.iter_rows() for c in row if c.value]
    assert "Étiquettes" not in cells and "À revoir" not in cells
    assert not any(NOTE in cell for cell in cells)


def test_the_reviewers_export_has_labels_and_who_is_in_charge(client, annotated):
    client.force_login(user("dsden93@aps.test"))
    response = client.get(reverse("reviews:sheet_list_export"), {"campaign": ""})
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[7] == annotated.title)
    assert row[header.index("Étiquettes")] == "À revoir"
    assert row[header.index("Instruit par")] == user("dsden93@aps.test").full_name


# --- Assignment and follows -----------------------------------------------------------------


def test_a_reviewer_puts_a_colleague_in_charge(client, sheet, personas):
    colleague = member(role="dsden", department=department("93"))
    client.force_login(personas.dsden93)
    response = client.post(reverse("reviews:assign", args=[sheet.pk]), {"reviewer": colleague.pk})
    assert response.status_code == 302
    assert Assignment.objects.get(sheet=sheet).reviewer == colleague
    assert (
        f"Instruit par {colleague.full_name}"
        in client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
    )
    client.post(reverse("reviews:assign", args=[sheet.pk]), {"reviewer": ""})
    assert not Assignment.objects.exists()


def test_a_reviewer_of_another_departement_cannot_be_put_in_charge(client, sheet, personas):
    client.force_login(personas.dsden93)
    client.post(reverse("reviews:assign", args=[sheet.pk]), {"reviewer": personas.dsden77.pk})
    assert not Assignment.objects.exists()
    with pytest.raises(DeskError, match="n'instruit pas"):
        preparation.assign(sheet=sheet, by=personas.dsden93, reviewer=personas.dsden77)


def test_my_files_are_assigned_or_followed(client, personas):
    assigned, followed, other = (complete_sheet(state="in_review") for _ in range(3))
    preparation.assign(sheet=assigned, by=personas.academie, reviewer=personas.dsden93)
    preparation.follow(sheet=followed, by=personas.dsden93)
    preparation.follow(sheet=other, by=personas.academie)  # someone else's
    client.force_login(personas.dsden93)
    listing = client.get(reverse("reviews:sheet_list"), {"desk": "mine"}).content.decode()
    assert assigned.title in listing and followed.title in listing
    assert "<strong>2</strong> fiches" in listing
    home = client.get(reverse("home")).content.decode()
    assert "Mes dossiers (2)" in home
    client.post(reverse("reviews:follow", args=[followed.pk]), {"on": "0"})
    assert not Follow.objects.filter(user=personas.dsden93).exists()


def test_news_since_the_last_visit_is_marked_then_cleared(client, personas):
    sheet = complete_sheet(state="needs_info")
    client.force_login(personas.dsden93)
    client.get(sheet.get_absolute_url())  # opened: nothing new
    listing = client.get(reverse("reviews:sheet_list"), {"desk": "news"}).content.decode()
    assert sheet.title not in listing
    transition("resubmit", sheet=sheet, by=user("chef.college@aps.test"), answer="Voici")
    listing = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
    assert "Nouveau" in listing
    news = client.get(reverse("reviews:sheet_list"), {"desk": "news"}).content.decode()
    assert sheet.title in news
    client.get(sheet.get_absolute_url())
    listing = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
    assert "Nouveau" not in listing


def test_a_reviewers_own_answer_is_no_news(client, personas):
    sheet = complete_sheet(state="in_review")
    client.force_login(personas.dsden93)
    client.get(sheet.get_absolute_url())
    transition("request_info", sheet=sheet, by=personas.dsden93, comment="Le calendrier ?")
    listing = client.get(reverse("reviews:sheet_list"), {"desk": "news"}).content.decode()
    assert sheet.title not in listing


# --- Labels ----------------------------------------------------------------------------------


def test_labels_of_a_departement_are_made_on_their_page(client, personas):
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:labels"),
        {"department": department("93").pk, "name": "  Prioritaire ", "colour": "blue-ecume"},
    )
    assert response.status_code == 302
    assert Label.objects.get(department__code="93").name == "Prioritaire"
    again = client.post(
        reverse("reviews:labels"),
        {"department": department("93").pk, "name": "prioritaire", "colour": "blue-ecume"},
    )
    assert again.status_code == 200
    assert "a déjà une étiquette" in again.content.decode()
    # Not another département's
    refused = client.post(
        reverse("reviews:labels"),
        {"department": department("94").pk, "name": "Autre", "colour": "blue-ecume"},
    )
    assert refused.status_code == 200
    assert not Label.objects.filter(department__code="94").exists()


def test_labels_are_set_on_one_sheet_and_filter_the_list(client, sheet, labels, personas):
    other = complete_sheet(state="in_review")
    client.force_login(personas.dsden93)
    chosen = [labels["93"]["À revoir"].pk, labels["93"]["Dossier incomplet"].pk]
    client.post(reverse("reviews:sheet_labels", args=[sheet.pk]), {"labels": chosen})
    assert set(SheetLabel.objects.values_list("label_id", flat=True)) == set(chosen)
    listing = client.get(
        reverse("reviews:sheet_list"), {"label": chosen[0], "campaign": ""}
    ).content.decode()
    assert sheet.title in listing and other.title not in listing
    assert "fr-badge--orange-terre-battue" in listing
    # A label of the 94 is not a choice on a 93 sheet
    client.post(
        reverse("reviews:sheet_labels", args=[sheet.pk]),
        {"labels": [labels["94"]["À revoir"].pk]},
    )
    assert set(SheetLabel.objects.values_list("label_id", flat=True)) == set(chosen)


def test_a_label_on_a_selection_is_all_or_nothing(client, labels, personas):
    ours = [complete_sheet(state="in_review") for _ in range(2)]
    theirs = SheetFactory(
        establishment=EstablishmentFactory(department=department("94")), in_review=True
    )
    client.force_login(personas.academie)  # sees both départements
    label = labels["93"]["Prêt pour la commission"]
    response = client.post(
        reverse("reviews:list_action"),
        {
            "action": f"label_add:{label.pk}",
            "sheets": [s.pk for s in [*ours, theirs]],
            "query": "campaign=",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "ne s&#x27;applique pas" in text and theirs.title in text
    assert not SheetLabel.objects.exists()
    response = client.post(
        reverse("reviews:list_action"),
        {"action": f"label_add:{label.pk}", "sheets": [s.pk for s in ours], "query": ""},
        follow=True,
    )
    assert "ajoutée à 2 fiches" in response.content.decode()
    assert SheetLabel.objects.filter(label=label).count() == 2


def test_a_selection_never_reaches_sheets_outside_the_scope(client, labels, personas):
    theirs = SheetFactory(
        establishment=EstablishmentFactory(department=department("94")), in_review=True
    )
    client.force_login(personas.dsden93)
    label = labels["93"]["À revoir"]
    client.post(
        reverse("reviews:list_action"), {"action": f"label_add:{label.pk}", "sheets": [theirs.pk]}
    )
    assert not SheetLabel.objects.exists()
    # Nor a label of another département
    client.post(
        reverse("reviews:list_action"),
        {"action": f"label_add:{labels['94']['À revoir'].pk}", "sheets": [theirs.pk]},
    )
    assert not SheetLabel.objects.exists()


def test_the_establishment_has_no_selection_nor_desk_filters(client, annotated):
    client.force_login(user("chef.college@aps.test"))
    listing = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
    assert 'form="selection"' not in listing and "Mes dossiers" not in listing
    assert client.post(reverse("reviews:list_action"), {"action": ""}).status_code == 403
    assert client.get(reverse("reviews:labels")).status_code == 403


def test_deleting_a_label_takes_it_off_every_sheet(client, annotated, labels, personas):
    client.force_login(personas.dsden93)
    label = labels["93"]["À revoir"]
    assert client.post(reverse("reviews:label_delete", args=[label.pk])).status_code == 302
    assert not SheetLabel.objects.exists()
    client.force_login(personas.dsden94)
    other = labels["94"]["À revoir"]
    assert client.post(reverse("reviews:label_delete", args=[other.pk])).status_code == 302
    assert client.post(reverse("reviews:label_delete", args=[other.pk])).status_code == 404


def test_the_establishment_kind_does_not_matter_to_labels(labels, personas):
    """A lycée's sheet of the 93 takes the 93's labels too."""
    sheet = SheetFactory(establishment=Establishment.objects.get(uai="0930123D"), in_review=True)
    preparation.sheet_labels_set(
        sheet=sheet, by=personas.dsden93, labels=[labels["93"]["À revoir"]]
    )
    assert SheetLabel.objects.get().sheet == sheet


# --- Hostile inputs ------------------------------------------------------------------------

XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def test_html_in_a_note_and_a_label_is_text(client, sheet, personas):
    client.force_login(personas.dsden93)
    client.post(reverse("reviews:note_add", args=[sheet.pk]), {"text": XSS})
    client.post(
        reverse("reviews:labels"),
        {"department": department("93").pk, "name": XSS[:60], "colour": "blue-ecume"},
    )
    label = Label.objects.get()
    preparation.sheet_labels_set(sheet=sheet, by=personas.dsden93, labels=[label])
    for url in (sheet.get_absolute_url(), reverse("reviews:sheet_list") + "?campaign="):
        shown = client.get(url).content.decode()
        assert "<script>alert" not in shown and "<img src=x" not in shown
        assert "&lt;script&gt;" in shown


def test_a_line_break_in_a_label_name_is_refused_and_kept(client, personas):
    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:labels"),
        {"department": department("93").pk, "name": "À\nrevoir", "colour": "blue-ecume"},
    )
    assert response.status_code == 200 and not Label.objects.exists()
    assert "Erreur" in response.content.decode()


@pytest.mark.parametrize("date", ["31/02/2024", "02/07/9999", "02/07/1900", "demain"])
def test_an_absurd_commission_date_is_refused_and_kept(client, personas, date):
    from reviews.desk.models import Commission

    client.force_login(personas.dsden93)
    response = client.post(
        reverse("reviews:commission_list"),
        {"department": department("93").pk, "date": date, "means": "credits"},
    )
    assert response.status_code == 200 and not Commission.objects.exists()
    assert f'value="{date}"' in response.content.decode()


def test_a_forged_selection_reaches_nothing(client, labels, personas):
    client.force_login(personas.dsden93)
    label = labels["93"]["À revoir"]
    for sheets in (["x", "-1", "1e9"], ["99999999"]):
        response = client.post(
            reverse("reviews:list_action"), {"action": f"label_add:{label.pk}", "sheets": sheets}
        )
        assert response.status_code == 302
    for action in ("label_add:x", "label_add:", "commission:1 OR 1=1", "drop"):
        response = client.post(reverse("reviews:list_action"), {"action": action, "sheets": []})
        assert response.status_code == 302
    assert not SheetLabel.objects.exists()


def test_a_reviewer_with_another_role_elsewhere_sees_no_other_dsdens_desk(client, labels, personas):
    """The DSDEN 93's reviewer is also staff of a school of the 94: its sheet is on their list,
    but the DSDEN 94's labels and assignment of it are not theirs to read."""
    school = EstablishmentFactory(department=department("94"))
    member(personas.dsden93, role="etablissement", establishment=school)
    theirs = SheetFactory(establishment=school, in_review=True)
    preparation.sheet_labels_set(
        sheet=theirs, by=personas.dsden94, labels=[labels["94"]["À revoir"]]
    )
    preparation.assign(sheet=theirs, by=personas.dsden94, reviewer=personas.dsden94)
    client.force_login(personas.dsden93)
    listing = client.get(reverse("reviews:sheet_list"), {"campaign": ""}).content.decode()
    assert theirs.title in listing
    assert "À revoir" not in listing.split("<tbody>")[1] and "Instruit par" not in listing
    assert f'id="pick-{theirs.pk}"' not in listing
    response = client.get(reverse("reviews:sheet_list_export"), {"campaign": ""})
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[7] == theirs.title)
    assert row[header.index("Étiquettes")] is None and row[header.index("Instruit par")] is None
    page_text = page(client, "dsden93@aps.test", theirs)
    assert "Préparation" not in page_text and "À revoir" not in page_text


def test_a_labels_list_is_in_the_lists_order_and_pages(client, labels, personas):
    """A label's sheets are counted and sorted from their ids (reviews.desk.listing): the
    newest changed first by default, any column's order when chosen."""
    label = labels["93"]["À revoir"]
    sheets = [complete_sheet(state="in_review") for _ in range(3)]
    for index, sheet in enumerate(sheets):
        sheet.title = f"Action {'CBA'[index]}"
        sheet.save(update_fields=["title", "updated_at"])
    preparation.labels_apply(sheets=sheets, by=personas.dsden93, label=label)
    client.force_login(personas.dsden93)
    listing = client.get(reverse("reviews:sheet_list"), {"label": label.pk}).content.decode()
    assert [listing.index(f"Action {c}") for c in "ABC"] == sorted(
        listing.index(f"Action {c}") for c in "ABC"
    )  # the newest changed (the last saved: A) first
    by_title = client.get(reverse("reviews:sheet_list"), {"label": label.pk, "o": "-title"})
    text = by_title.content.decode()
    assert text.index("Action C") < text.index("Action B") < text.index("Action A")
    assert "<strong>3</strong> fiches" in text


def test_a_labels_list_keeps_the_other_filters_and_the_scope(client, labels, personas):
    """The label's sheets are read from its rows (reviews.desk.listing._labelled): the other
    filters and the reviewer's scope still narrow them."""
    label = labels["93"]["À revoir"]
    waiting = complete_sheet(state="in_review", title="Action à l'étude")
    answered = complete_sheet(state="rejected", title="Action refusée")
    draft = complete_sheet(state="draft", title="Action en brouillon")
    preparation.labels_apply(sheets=[waiting, answered], by=personas.dsden93, label=label)
    # A row on a draft (never offered: the rows are written by hand here) stays out of the list.
    SheetLabel.objects.create(sheet=draft, label=label, added_by=personas.dsden93)
    client.force_login(personas.dsden93)
    listing = client.get(reverse("reviews:sheet_list"), {"label": label.pk}).content.decode()
    assert "Action à l&#x27;étude" in listing and "Action refusée" in listing
    assert "Action en brouillon" not in listing
    assert "<strong>2</strong> fiches" in listing
    narrowed = client.get(
        reverse("reviews:sheet_list"), {"label": label.pk, "status": "in_review"}
    ).content.decode()
    assert "Action à l&#x27;étude" in narrowed and "Action refusée" not in narrowed
    assert "<strong>1</strong> fiche" in narrowed
