"""Each demo account lands on a dashboard that tells it what to do next — and shows nothing
outside its scope."""

import datetime
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aps.models import User
from funding.models import Envelope
from projects.models import Establishment, ProjectSheet
from reviews.desk.dashboards import PLURAL_LABELS, counted_label
from reviews.models import Advice, InfoRequest
from reviews.workflow import services
from tests.factories import EstablishmentFactory, SheetFactory, department

pytestmark = pytest.mark.django_db
HOME = reverse("home")
S = ProjectSheet.Status


def user(email):
    return User.objects.get(email=email)


def home(client, email) -> str:
    client.force_login(user(email))
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def titles(**filters) -> set[str]:
    return set(ProjectSheet.objects.filter(**filters).values_list("title", flat=True))


@pytest.fixture
def elsewhere(personas):
    """A sheet of another establishment, in another département, awaiting an answer."""
    other = EstablishmentFactory(department=department("94"), name="Collège Ailleurs")
    return SheetFactory(establishment=other, in_review=True, title="Projet d'ailleurs 94")


def test_establishment_sees_its_campaign_sheets_and_the_calendar(
    client, demo_sheets, elsewhere, today
):
    today(datetime.date(2024, 6, 3))
    page = home(client, "staff.college@aps.test")
    for title in titles(establishment__uai="0931610V", campaign__is_current=True):
        assert title.replace("'", "&#x27;") in page
    for title in titles(establishment__uai="0930123D") - titles(establishment__uai="0931610V"):
        assert title.replace("'", "&#x27;") not in page
    assert "Projet d&#x27;ailleurs 94" not in page
    # The next date of the calendar is marked
    assert 'aria-current="date"' in page and "prochaine étape" in page


def test_establishment_is_told_of_a_request_and_its_due_date(client, demo_sheets, today):
    sheet = ProjectSheet.objects.filter(establishment__uai="0930123D", status="in_review").first()
    services.request_info(
        sheet=sheet,
        by=user("dsden93@aps.test"),
        comment="Joignez le devis.",
        due_date=datetime.date(2024, 6, 20),
    )
    page = home(client, "chef.lycee@aps.test")
    assert "Précisions demandées par la DSDEN" in page
    assert "20 juin 2024" in page
    assert "Précisions demandées par la DSDEN" not in home(client, "chef.college@aps.test")


def test_drafts_near_a_deadline_are_flagged(client, demo_sheets, today):
    today(datetime.date(2024, 9, 1))  # two weeks before the HSE/IMP deadline
    page = home(client, "staff.college@aps.test")
    assert "Brouillons proches d'une date limite" in page
    today(datetime.date(2024, 5, 10))
    assert "Brouillons proches d'une date limite" not in home(client, "staff.college@aps.test")


def test_each_draft_is_flagged_by_its_own_deadline(client, demo_sheets, today):
    """A draft asking for euros is due by the euros' deadline (23 June), another by the
    HSE/IMP one (15 September): each is flagged in the three weeks before its own."""
    college = Establishment.objects.get(uai="0931610V")
    SheetFactory(establishment=college, title="Sortie au musée", requested_euros=Decimal("1800"))

    def flagged() -> str:
        page = home(client, "staff.college@aps.test")
        start = page.find("Brouillons proches d'une date limite")
        return page[start : page.find("</ul>", start)] if start >= 0 else ""

    today(datetime.date(2024, 6, 10))
    near = flagged()
    assert "Sortie au musée" in near and "23 juin 2024" in near and "demande d'euros" in near
    assert "Café des familles" not in near
    today(datetime.date(2024, 9, 1))
    near = flagged()
    assert "Café des familles" in near and "15 septembre 2024" in near
    assert "Sortie au musée" not in near


def test_head_sees_the_bilan_due(client, demo_sheets, today):
    page = home(client, "chef.lycee@aps.test")
    assert "Bilans attendus" in page
    assert "Bilan intermédiaire financier" in page and "(2023-2024)" in page


def test_network_lead_sees_sheets_awaiting_its_opinion(client, demo_sheets):
    page = home(client, "foquale@aps.test")
    awaiting = titles(status="submitted", establishment__foquale_networks__isnull=False)
    assert awaiting and all(t.replace("'", "&#x27;") in page for t in awaiting)
    assert "En attente de l'avis du comité de pilotage" in page
    for title in titles(network__isnull=False):
        assert title.replace("'", "&#x27;") in page


def test_mlds_sees_the_districts_drafts_and_its_advice(client, demo_sheets):
    draft = ProjectSheet.objects.filter(establishment__uai="0931610V", status="draft").first()
    Advice.objects.create(
        sheet=draft,
        text="Pensez au partenariat avec la mission locale.",
        author=user("mlds@aps.test"),
    )
    page = home(client, "mlds@aps.test")
    assert "Brouillons à accompagner" in page and draft.title.replace("'", "&#x27;") in page
    assert "Pensez au partenariat avec la mission locale." in page
    assert "Projet d&#x27;ailleurs 94" not in page


def test_dsden_sees_its_answers_to_give_oldest_first_and_its_envelope(
    client, demo_sheets, elsewhere
):
    Envelope.objects.create(
        campaign=ProjectSheet.objects.filter(status="in_review").first().campaign,
        department=department("93"),
        euros=Decimal(50000),
        hse=Decimal(3000),
        imp=Decimal(20),
    )
    page = home(client, "dsden93@aps.test")
    awaiting = titles(
        status__in=["submitted", "in_review"], department__code="93", campaign__is_current=True
    )
    assert all(t.replace("'", "&#x27;") in page for t in awaiting)
    assert f"En attente de réponse ({len(awaiting)})" in page
    assert "Projet d&#x27;ailleurs 94" not in page
    assert '<td class="aps-num">50 000,00 €</td>' in page  # aps.numbers (spaces folded by home())
    assert '<td class="aps-num">3 000</td>' in page
    assert "Brouillon" not in page.split("En attente de réponse")[1].split("Enveloppe")[0]


def test_dsden_list_is_oldest_first(personas, today):
    from reviews.desk.dashboards import dsden_panel

    dsden = user("dsden93@aps.test")
    sheets = [
        SheetFactory(establishment=personas.college, submitted=True),
        SheetFactory(establishment=personas.lycee, in_review=True),
    ]
    for days, sheet in zip((5, 1), sheets, strict=True):
        # Their arrivals at the DSDEN (the submission, the network's opinion), days apart
        ProjectSheet.objects.filter(pk=sheet.pk).update(
            arrived_at=datetime.datetime(2024, 6, days, tzinfo=datetime.UTC)
        )
    membership = dsden.memberships.get()
    panel = dsden_panel(dsden, membership, sheets[0].campaign, datetime.date(2024, 6, 10))
    listed = [s for s in panel.data["awaiting_answer"] if s.pk in {x.pk for x in sheets}]
    assert [s.pk for s in listed] == [sheets[1].pk, sheets[0].pk]
    assert [s.waiting_since.day for s in listed] == [1, 5]


def test_dsden_list_says_since_when_a_reopened_sheet_waits(client, personas, today):
    sheet = SheetFactory(establishment=personas.college, rejected=True, title="Rouverte")
    with time_machine.travel(datetime.datetime(2024, 6, 20, 10, tzinfo=datetime.UTC)):
        services.reopen(sheet=sheet, by=user("dsden93@aps.test"), reason="Erreur")
    panel = home(client, "dsden93@aps.test").split("En attente de réponse")[1]
    line = panel.split("Rouverte")[1].split("</li>")[0]
    assert "à la DSDEN depuis le 20 juin 2024" in line


def test_academie_sees_the_three_departements_side_by_side(client, elsewhere):
    page = home(client, "academie@aps.test")
    for name in ["77 Seine-et-Marne", "93 Seine-Saint-Denis", "94 Val-de-Marne"]:
        assert name in page


def test_user_without_role_is_told_so(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert "Aucun rôle ne vous est attribué" in client.get(HOME).content.decode()


def test_info_request_of_another_establishment_stays_hidden(client, personas):
    other = SheetFactory(
        establishment=Establishment.objects.get(uai="0930123D"), needs_info=True, title="Autre"
    )
    InfoRequest.objects.create(
        sheet=other,
        comment="x",
        requested_by=user("dsden93@aps.test"),
        due_date=datetime.date(2024, 7, 1),
    )
    assert "1 juillet 2024" not in home(client, "staff.college@aps.test")


def test_dsden_list_says_each_sheet_by_its_state(client, demo_sheets):
    """A sheet still awaiting the network's opinion is not "at the DSDEN": its line says when it
    was filed; a sheet under review says since when the DSDEN has it."""
    page = home(client, "dsden93@aps.test")
    panel = page.split("En attente de réponse")[1].split("Enveloppe")[0]
    lines = {line.split("</a>")[0].rsplit(">", 1)[-1]: line for line in panel.split("<li>")[1:]}
    submitted = lines[demo_sheets["college_transition"].title]
    assert "déposé le" in submitted and "à la DSDEN depuis" not in submitted
    under_review = lines[demo_sheets["lycee_fls"].title]
    assert "à la DSDEN depuis le" in under_review and "déposé le" not in under_review


COUNT = re.compile(r"<strong>([\d\s]+)</strong> ([^<]+)</a>")


def counts(page) -> dict[str, int]:
    """The counts of a home page's lines of states, by their label as shown."""
    found = {}
    for block in page.split('<ul class="aps-counts')[1:]:
        for number, label in COUNT.findall(block.split("</ul>")[0]):
            found[html.unescape(label.strip())] = int(number.replace(" ", ""))
    return found


def test_each_count_agrees_with_its_label(client, demo_sheets):
    """ "2 Brouillons", "1 Déposé …": the label after a count of two or more in the plural, after
    0 or 1 as the state's own label, for each role that sees the counts."""
    seen = {}
    for email in ("chef.college@aps.test", "staff.college@aps.test", "mlds@aps.test"):
        found = counts(home(client, email))
        assert found, email
        for label, count in found.items():
            status = next(s for s in S.values if label in {S(s).label, PLURAL_LABELS[s]})
            assert label == (PLURAL_LABELS[status] if count > 1 else S(status).label), email
        seen[email] = found
    # The collège's two drafts and its submitted sheet
    assert seen["chef.college@aps.test"]["Brouillons"] == 2
    assert seen["chef.college@aps.test"]["Déposé — en attente de l'avis du réseau FOQUALE"] == 1
    assert "Brouillon" not in seen["chef.college@aps.test"]


def test_every_state_has_its_plural_and_singular_stays_for_0_and_1():
    assert set(PLURAL_LABELS) == set(S.values)
    assert counted_label(S.DRAFT, 0) == counted_label(S.DRAFT, 1) == "Brouillon"
    assert counted_label(S.DRAFT, 2) == "Brouillons"
    assert counted_label(S.VALIDATED, 3) == "Projets validés"
    assert counted_label(S.REJECTED, 1) == "Projet non validé"


def test_roles_say_the_title_then_the_scope_without_nested_parentheses(client, demo_sheets):
    def roles(email):
        page = home(client, email)
        return page.split('id="roles-title"')[1].split("</section>")[0]

    head = roles("chef.college@aps.test")
    assert "Principale — Collège Jacques Prévert (Noisy-le-Sec)" in head
    assert "Chef·fe d&#x27;établissement" in head  # the role still said, apart
    mlds = roles("mlds@aps.test")
    assert "Coordonnateur-conseil MLDS — Montreuil - Noisy-le-Sec (93)" in mlds
    for block in (head, mlds, roles("staff.college@aps.test"), roles("dsden93@aps.test")):
        assert ") (" not in block


def test_the_bilans_due_cost_the_same_queries_whatever_their_number(
    client, personas, today, django_assert_num_queries
):
    """Each validated sheet's bilan due date comes from its campaign's calendar (the
    académie's own dates): read once per campaign, not once per sheet."""
    college = Establishment.objects.get(uai="0931610V")
    SheetFactory(establishment=college, validated=True, title="Action validée 1")
    client.force_login(personas.college_head)
    client.get(HOME)  # the session and the calendars' first reading
    with CaptureQueriesContext(connection) as one:
        assert "Action validée 1" in client.get(HOME).content.decode()
    for number in range(2, 6):
        SheetFactory(establishment=college, validated=True, title=f"Action validée {number}")
    with django_assert_num_queries(len(one)):
        page = client.get(HOME).content.decode()
    assert page.count("Bilan intermédiaire") >= 5
