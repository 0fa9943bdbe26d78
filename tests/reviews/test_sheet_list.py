"""The list of sheets: scope, filters, search, sorting, its .xlsx export, and a number of
queries that does not grow with the number of sheets."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aps.models import User
from funding.models import Estimate, Grant
from projects import search
from projects.directory_import import EstablishmentRow
from projects.models import Campaign, Establishment, FoqualeNetwork, ProjectSheet
from projects.rules import sheets_visible_to
from projects.services import carrier_save, establishments_upsert, sheet_correct
from reviews.desk import listing
from tests.factories import (
    EstablishmentFactory,
    SheetFactory,
    current_campaign,
    department,
    transition,
)

pytestmark = pytest.mark.django_db
LIST = reverse("reviews:sheet_list")
EXPORT = reverse("reviews:sheet_list_export")


def user(email):
    return User.objects.get(email=email)


def many_sheets(
    count,
    *,
    establishment,
    by,
    status="in_review",
    euros=Decimal(0),
    hse=Decimal(0),
    title="Fiche",
    **fields,
):
    """``count`` sheets in bulk, each with its estimate (and a grant when validated): hundreds
    of rows for the list's scale, without the workflow (the factories' states take a few
    queries a sheet). A filed sheet has its first submission's date, as the workflow writes."""
    campaign = current_campaign()
    if status not in ("draft", "withdrawn"):
        fields.setdefault("submitted_at", datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC))
    sheets = [
        ProjectSheet(
            campaign=campaign,
            establishment=establishment,
            department=establishment.department,
            title=f"{title} {n}",
            status=status,
            requested_euros=euros,
            requested_hse=hse,
            created_by=by,
            updated_by=by,
            **fields,
        )
        for n in range(count)
    ]
    search.compose_sheets(sheets)  # as the services do, one by one
    sheets = ProjectSheet.objects.bulk_create(sheets)
    Estimate.objects.bulk_create(
        [Estimate(sheet=sheet, total_euros=euros, total_hse=hse, updated_by=by) for sheet in sheets]
    )
    if status == "validated":
        Grant.objects.bulk_create(
            [
                Grant(
                    sheet=s,
                    requested_euros=euros,
                    requested_hse=hse,
                    requested_imp=0,
                    euros=euros,
                    hse=hse,
                    granted_by=by,
                )
                for s in sheets
            ]
        )
    return sheets


@pytest.fixture
def data(personas):
    """Three sheets of the 93 with distinct features, one of the 94, beside the demo ones."""
    dsden = user("dsden93@aps.test")
    college = Establishment.objects.get(uai="0931610V")
    lycee = Establishment.objects.get(uai="0930123D")
    other = EstablishmentFactory(
        department=department("94"), name="Collège Voltaire", city="Ivry-sur-Seine"
    )
    return {
        "euros": many_sheets(
            1,
            establishment=college,
            by=dsden,
            euros=Decimal(900),
            title="Théâtre",
            typology="module_relais",
            field="intervention",
        )[0],
        "hse": many_sheets(
            1,
            establishment=lycee,
            by=dsden,
            hse=Decimal(40),
            title="Tutorat",
            typology="pafi",
            field="remediation",
            is_renewal=True,
        )[0],
        "validated": many_sheets(
            1, establishment=lycee, by=dsden, status="validated", hse=Decimal(12), title="Validée"
        )[0],
        "draft": many_sheets(1, establishment=college, by=dsden, status="draft", title="Brouillon")[
            0
        ],
        "94": many_sheets(1, establishment=other, by=dsden, title="Val-de-Marne")[0],
    }


def listed(client, params="") -> list[str]:
    response = client.get(f"{LIST}?{params}")
    assert response.status_code == 200
    return [sheet.title for sheet in response.context["page_obj"]]


def test_dsden_lists_its_departments_filed_sheets_only(client, data):
    client.force_login(user("dsden93@aps.test"))
    titles = listed(client)
    assert {"Théâtre 0", "Tutorat 0", "Validée 0"} <= set(titles)
    assert "Brouillon 0" not in titles and "Val-de-Marne 0" not in titles


def test_establishment_lists_its_own_sheets_with_drafts(client, data):
    client.force_login(user("staff.college@aps.test"))
    titles = listed(client)
    assert {"Théâtre 0", "Brouillon 0"} <= set(titles)
    assert "Tutorat 0" not in titles and "Val-de-Marne 0" not in titles


def test_academie_lists_everything_filed_and_drafted(client, data):
    client.force_login(user("academie@aps.test"))
    assert {"Théâtre 0", "Brouillon 0", "Val-de-Marne 0"} <= set(listed(client))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("means=euros", {"Théâtre 0"}),
        ("means=hse", {"Tutorat 0", "Validée 0"}),
        ("means=euros&means=hse", {"Théâtre 0", "Tutorat 0", "Validée 0"}),
        ("typology=pafi", {"Tutorat 0"}),
        ("field=intervention", {"Théâtre 0"}),
        ("status=validated", {"Validée 0"}),
        ("renewal=true", {"Tutorat 0"}),
        ("kind=lycee_gt", {"Tutorat 0", "Validée 0"}),
        ("q=tutorat", {"Tutorat 0"}),
        ("q=0930123D", {"Tutorat 0", "Validée 0"}),
        ("q=Prévert", {"Théâtre 0"}),
        ("q=noisy théâtre", {"Théâtre 0"}),
    ],
)
def test_filters_and_search(client, data, params, expected):
    client.force_login(user("dsden93@aps.test"))
    assert set(listed(client, params)) - _demo_titles() == expected


def _demo_titles():
    return set(ProjectSheet.objects.exclude(title__regex=r" \d+$").values_list("title", flat=True))


def test_department_and_campaign_filters(client, data):
    last_year = SheetFactory(
        establishment=data["euros"].establishment,
        campaign=Campaign.objects.get(school_year="2023-2024"),
        title="Action de 2023-2024",
        validated=True,
    )
    client.force_login(user("academie@aps.test"))
    assert last_year.title in listed(client, "campaign=2023-2024")
    assert "Val-de-Marne 0" in listed(client, "department=94")
    assert "Théâtre 0" not in listed(client, "department=94")
    old = Campaign.objects.get(school_year="2023-2024")
    assert set(listed(client, "campaign=2023-2024")) == set(
        ProjectSheet.objects.filter(campaign=old).values_list("title", flat=True)
    )


def test_sorting_by_requested_euros(client, data):
    client.force_login(user("dsden93@aps.test"))
    ascending = listed(client, "o=euros&q=0")
    descending = listed(client, "o=-euros&q=0")
    assert ascending[-1] == "Théâtre 0" and descending[0] == "Théâtre 0"
    page = client.get(f"{LIST}?o=euros").content.decode()
    assert 'aria-sort="ascending"' in page


def test_pagination_keeps_filters(client, personas):
    dsden = user("dsden93@aps.test")
    many_sheets(
        30, establishment=Establishment.objects.get(uai="0931610V"), by=dsden, title="Série"
    )
    client.force_login(dsden)
    first = listed(client, "q=Série")
    second = listed(client, "q=Série&page=2")
    assert len(first) == 25 and len(second) == 5 and not set(first) & set(second)


def _pagination_link(html, label):
    return re.search(rf'<a class="fr-pagination__link[^"]*"([^>]*)>\s*{label}\s*</a>', html)[1]


def test_pagination_links_keep_filters_and_the_missing_pages_are_disabled(client, personas):
    """A link to a page that does not exist is a disabled link (role="link",
    aria-disabled): assistive technologies and axe-core do not take it for an active one."""
    dsden = user("dsden93@aps.test")
    many_sheets(
        30, establishment=Establishment.objects.get(uai="0931610V"), by=dsden, title="Série"
    )
    client.force_login(dsden)
    first = client.get(f"{LIST}?q=Série").text
    assert _pagination_link(first, "Page précédente").strip() == 'role="link" aria-disabled="true"'
    assert 'href="?q=S%C3%A9rie&amp;page=2"' in _pagination_link(first, "Page suivante")
    last = client.get(f"{LIST}?q=Série&page=2").text
    assert 'aria-disabled="true"' in _pagination_link(last, "Dernière page")
    assert "page=1" in _pagination_link(last, "Première page")


ORDERS = {
    # The expected order of the sheets n = 0..29 (ties: the newest, the highest n, first)
    "-hse": lambda n: -n,
    "euros": lambda n: (n % 7, -n),
    "carrier": lambda n: (n % 3 == 0, -n),  # "Collège Jacques Prévert" < "LYCEE GENERAL…"
    # Never submitted (n % 4 == 0, withdrawn drafts): last, whatever the direction
    "-submitted": lambda n: (n % 4 == 0, 0 if n % 4 == 0 else -(n % 5), -n),
    "submitted": lambda n: (n % 4 == 0, 0 if n % 4 == 0 else n % 5, -n),
    "title": lambda n: n,
}


@pytest.mark.parametrize("cap", [500, 10])
@pytest.mark.parametrize("order", ORDERS)
def test_pages_follow_the_order_across_pages(client, personas, order, cap, monkeypatch):
    """A page's ids are sorted on the bare sheets, then their rows fetched: the pages put
    together are the whole list in order, as the export's rows. Under the cap, a search's
    sheets are sorted from their ids; over it, from the search's condition."""
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", cap)
    dsden = user("dsden93@aps.test")
    college = Establishment.objects.get(uai="0931610V")
    lycee = Establishment.objects.get(uai="0930123D")
    for n in range(30):
        many_sheets(
            1,
            establishment=college if n % 3 else lycee,
            by=dsden,
            euros=Decimal(n % 7 * 100),
            hse=Decimal(n),
            title=f"Ordre {n:02d}",
            **(
                {"status": "withdrawn", "submitted_at": None}
                if n % 4 == 0
                else {"submitted_at": datetime.datetime(2024, 10, 1 + n % 5, tzinfo=datetime.UTC)}
            ),
        )
    client.force_login(dsden)
    pages = listed(client, f"q=Ordre&o={order}")
    if cap == 500:
        pages += listed(client, f"q=Ordre&o={order}&page=2")
    # Capped, the list counts 10 sheets: a single page
    expected = [f"Ordre {n:02d} 0" for n in sorted(range(30), key=ORDERS[order])]
    assert pages == expected[: len(pages)] and len(pages) == (30 if cap == 500 else 10)
    header, rows = export_rows(client, f"q=Ordre&o={order}")  # the same order, in one query
    assert [row[header.index("Titre de l'action")] for row in rows] == expected


def test_an_empty_sort_value_is_left_out(client, data):
    client.force_login(user("dsden93@aps.test"))
    assert listed(client, "o=title,") == listed(client, "o=title")
    assert client.get(f"{EXPORT}?o=,").status_code == 200


def export_rows(client, params=""):
    response = client.get(f"{EXPORT}?{params}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook["Fiches"].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_export_rows_equal_the_filtered_list(client, data):
    client.force_login(user("dsden93@aps.test"))
    for params in ["", "means=hse&o=-hse", "status=validated", "q=théâtre"]:
        header, rows = export_rows(client, params)
        titles = [row[header.index("Titre de l'action")] for row in rows]
        assert titles == listed(client, params)
    header, rows = export_rows(client, "status=validated")
    row = dict(zip(header, rows[0], strict=True))
    assert (
        row["Porteur"] == "Lycée général et technologique Olympe de Gouges"
        or row["UAI"] == "0930123D"
    )
    assert (
        row["HSE demandées"] == 12 and row["HSE accordées"] == 12 and row["État"] == "Projet validé"
    )


def test_export_keeps_formulas_out(client, data):
    sheet = data["euros"]
    sheet.title = '=HYPERLINK("http://x","clic")'
    sheet_correct(sheet=sheet, changed=["title"])
    client.force_login(user("dsden93@aps.test"))
    response = client.get(f"{EXPORT}?q=HYPERLINK")
    fiches = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Fiches"]
    header = [cell.value for cell in fiches[1]]
    cell = fiches.cell(row=2, column=header.index("Titre de l'action") + 1)
    assert cell.value == '=HYPERLINK("http://x","clic")' and cell.data_type == "s"


def test_export_of_another_scope_is_empty(client, data):
    client.force_login(user("dsden77@aps.test"))
    _header, rows = export_rows(client, "q=Théâtre")
    assert rows == []


@pytest.mark.parametrize("count", [10, 500])
def test_list_and_export_queries_do_not_grow(
    client, personas, count, django_assert_max_num_queries
):
    dsden = user("dsden93@aps.test")
    many_sheets(
        count, establishment=Establishment.objects.get(uai="0931610V"), by=dsden, hse=Decimal(5)
    )
    client.force_login(dsden)
    client.get(LIST)  # session and caches warm
    # The list: session, user, memberships, the reach of the scope (its filters' choices),
    # campaign ×2, count, three filter choices, the page and the page's campaigns,
    # départements and districts; and the reviewer's: their labels (filter and selection),
    # the page's labels, the commissions to come.
    with django_assert_max_num_queries(16):
        assert client.get(f"{LIST}?means=hse&o=-hse").status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(f"{EXPORT}?means=hse")
        b"".join(response.streaming_content)


def test_reopened_sheet_shows_no_grant(client, data):
    transition(
        "reopen", sheet=data["validated"], by=user("dsden93@aps.test"), reason="Erreur de saisie"
    )
    client.force_login(user("dsden93@aps.test"))
    response = client.get(f"{LIST}?q=Validée")
    assert "accordé" not in response.content.decode()
    header, rows = export_rows(client, "q=Validée")
    assert rows[0][header.index("HSE accordées")] is None


def test_bulk_pdf_from_a_sorted_list_filtered_by_means(client, data, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "exports": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
    }
    from reviews.models import BulkExport

    client.force_login(user("dsden93@aps.test"))
    response = client.post(
        reverse("reviews:bulk_pdf"), {"query": "means=hse&means=euros&o=-hse&renewal=true"}
    )
    assert response.status_code == 302
    export = BulkExport.objects.get()
    assert "Moyens demandés : HSE, Euros" in export.description
    assert "Renouvellement" in export.description
    assert export.sheet_ids == [data["hse"].pk]


def test_a_search_matching_many_sheets_is_counted_up_to_the_cap(client, personas, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 20)
    dsden = user("dsden93@aps.test")
    many_sheets(
        30, establishment=Establishment.objects.get(uai="0931610V"), by=dsden, title="Série"
    )
    client.force_login(dsden)
    response = client.get(f"{LIST}?q=Série&o=title")
    page = response.content.decode()
    assert "Plus de 20</strong> fiches correspondent à la recherche" in page
    titles = [sheet.title for sheet in response.context["page_obj"]]
    assert titles == sorted(f"Série {n}" for n in range(30))[:20]  # the first 20, in order
    assert "page=2" not in page  # one page of 20
    # Without a search, or with fewer results, the count is exact
    visible = sheets_visible_to(dsden).filter(campaign=current_campaign()).count()
    assert visible > 20
    plain = client.get(f"{LIST}?o=title").content.decode()
    assert f"<strong>{visible}</strong> fiches" in plain and "Plus de" not in plain
    assert "<strong>1</strong> fiche" in client.get(f"{LIST}?q=Série+29").content.decode()
    # The export has them all
    header, rows = export_rows(client, "q=Série")
    assert len(rows) == 30


def test_search_words_shorter_than_three_letters_match_the_start_of_a_word(client, personas):
    dsden = user("dsden93@aps.test")
    many_sheets(
        25, establishment=Establishment.objects.get(uai="0931610V"), by=dsden, title="Série"
    )
    client.force_login(dsden)
    expected = sorted(f"Série {n}" for n in (2, 20, 21, 22, 23, 24))
    assert sorted(listed(client, "q=série+2")) == expected
    assert listed(client, "q=Série+24") == ["Série 24"]
    # Not inside a word: "13", "23" nor the college's UAI, 0931610V (every UAI of 93 has a 3)
    assert listed(client, "q=série+3") == ["Série 3"]
    # Punctuation separates words; LIKE's wildcards are no words
    assert listed(client, "q=série-3") == ["Série 3"]
    assert len(listed(client, "q=série+%25")) == len(listed(client, "q=série+_")) == 25


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=THEATRE", {"Théâtre 0"}),  # neither case nor accents
        ("q=prevert+theatre", {"Théâtre 0"}),  # the carrier's name, without its accent
        ("q=coeur", {"Cœur d'élève 0"}),  # the ligature spelled out
        ("q=Cœur+d’élève", {"Cœur d'élève 0"}),  # and the typographic apostrophe
        ("q=noisy-le-sec+tutorat", {"Tutorat 0"}),  # the city and the title together
    ],
)
def test_search_ignores_case_accents_and_ligatures(client, data, query, expected):
    dsden = user("dsden93@aps.test")
    many_sheets(1, establishment=data["euros"].establishment, by=dsden, title="Cœur d'élève")
    client.force_login(dsden)
    assert set(listed(client, query)) - _demo_titles() == expected


def test_a_renamed_establishment_is_found_by_its_new_name(client, data):
    college = data["euros"].establishment
    college.name = "Collège Marie Curie"
    carrier_save(carrier=college, changed=["name"])  # as the admin does
    client.force_login(user("dsden93@aps.test"))
    assert set(listed(client, "q=Curie")) - _demo_titles() == {"Théâtre 0"}
    assert "Théâtre 0" not in listed(client, "q=Prévert")


def test_an_import_renaming_an_establishment_updates_its_sheets_search(client, data):
    lycee = data["hse"].establishment
    row = EstablishmentRow(
        line=2,
        uai=lycee.uai,
        name="Lycée Olympe de Gouges",
        kind=lycee.kind,
        sector=lycee.sector,
        city="Noisy-le-Sec",
        postcode=lycee.postcode,
        department_code="93",
    )
    assert establishments_upsert(rows=[row]).updated == 1
    client.force_login(user("dsden93@aps.test"))
    found = set(listed(client, "q=olympe+noisy-le-sec")) - _demo_titles()
    assert found == {"Tutorat 0", "Validée 0"}


def test_a_network_sheet_is_found_by_the_networks_name(client, personas):
    network = FoqualeNetwork.objects.filter(department__code="93").first()
    SheetFactory(network=network, establishment=None, title="Action réseau", in_review=True)
    network.name = "Réseau Persévérance Nord"
    carrier_save(carrier=network, changed=["name"])  # as the admin does
    client.force_login(user("dsden93@aps.test"))
    assert listed(client, "q=perseverance+nord") == ["Action réseau"]


@pytest.mark.parametrize("order", ["submitted", "-submitted"])
def test_sheets_never_submitted_come_last_sorted_by_submission(client, data, order):
    college = data["euros"].establishment
    for day in (3, 1, 2):
        when = datetime.datetime(2024, 10, day, 9, tzinfo=datetime.UTC)
        many_sheets(1, establishment=college, by=data["euros"].created_by, submitted_at=when)
    client.force_login(user("staff.college@aps.test"))
    sheets = list(client.get(f"{LIST}?o={order}").context["page_obj"])
    dates = [sheet.submitted_at for sheet in sheets]
    dated = [date for date in dates if date is not None]
    assert "Brouillon 0" in [sheet.title for sheet in sheets]
    assert len(dated) >= 3 and dates[: len(dated)] == dated  # the undated ones at the end
    assert dated == sorted(dated, reverse=order.startswith("-"))


def test_amounts_are_written_in_euros_with_cents_and_the_grant_below(client, personas):
    dsden = user("dsden93@aps.test")
    many_sheets(
        1,
        establishment=Establishment.objects.get(uai="0931610V"),
        by=dsden,
        title="Fresque",
        status="validated",
        euros=Decimal("1800.5"),
        hse=Decimal("12.5"),
    )
    client.force_login(dsden)
    page = client.get(f"{LIST}?q=Fresque").content.decode()
    assert (
        '<td class="aps-num">1\xa0800,50\xa0€<br><span class="fr-text--xs">accordé 1\xa0800,50\xa0€'
        in page
    )
    assert '<td class="aps-num">12,5<br><span class="fr-text--xs">accordé 12,5</span>' in page
