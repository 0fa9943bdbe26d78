"""The sheet's search text (projects.search): composed by the services that write a title or a
carrier, kept up to date when its carrier changes, never written back stale."""

import io

import pytest
from django.core.management import call_command

from aps.text import folded, search_condition, searchable, words
from projects.directory_import import EstablishmentRow
from projects.models import Establishment, Membership, ProjectSheet
from projects.services import (
    carrier_save,
    establishments_upsert,
    sheet_correct,
    sheet_update,
    sheet_version,
)
from tests.factories import EstablishmentFactory, NetworkFactory, SheetFactory, member

pytestmark = pytest.mark.django_db


def stored(sheet) -> str:
    return ProjectSheet.objects.values_list("search_text", flat=True).get(pk=sheet.pk)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Lycée  d’Œuvre ", "lycee d'oeuvre"),
        ("CŒUR ÆTHER", "coeur aether"),
        ("İstanbul Straße", "istanbul strasse"),
        (None, ""),
    ],
)
def test_folded(text, expected):
    assert folded(text) == expected


def test_words_and_searchable_text():
    assert words("Sécuriser la 3e-2de, n°12 d’Œuvre") == [
        *("securiser", "la", "3e", "2de", "n", "12", "d", "oeuvre")
    ]
    assert searchable("Théâtre-forum", "", "Noisy-le-Sec") == " theatre forum noisy le sec"


def test_a_search_reads_each_word_once_and_ten_at_most():
    assert len(search_condition("search_text", "la la 3e la").children) == 2
    assert len(search_condition("search_text", " ".join(f"w{n}" for n in range(12))).children) == 10
    assert not search_condition("search_text", "% — _")  # no word: no condition


def test_the_title_then_the_carrier():
    college = EstablishmentFactory(name="Collège Jean Moulin", city="Montreuil", uai="0931234A")
    sheet = SheetFactory(establishment=college, title="Théâtre forum")
    assert stored(sheet) == " theatre forum college jean moulin montreuil 0931234a"
    network = NetworkFactory(name="Réseau Est")
    on_network = SheetFactory(establishment=None, network=network, title="Tutorat")
    assert stored(on_network) == " tutorat reseau est"


def test_a_new_title_is_searched_at_once():
    sheet = SheetFactory(title="Ancien titre")
    head = member(role=Membership.Role.HEAD, establishment=sheet.establishment)
    sheet_update(
        sheet=sheet,
        by=head,
        content={"title": "Nouveau"},
        objectives=[],
        criteria=[],
        opened_version=current_version(sheet),
    )
    assert stored(sheet).startswith(" nouveau college")
    sheet.title = "Par les champs"  # corrected in the administration
    sheet_correct(sheet=sheet, changed=["title"])
    assert stored(sheet).startswith(" par les champs college")


def test_a_sheet_opened_before_its_carrier_was_renamed_does_not_write_the_old_name_back():
    sheet = SheetFactory(title="Théâtre")
    head = member(role=Membership.Role.HEAD, establishment=sheet.establishment)
    opened_early = ProjectSheet.objects.select_related("establishment").get(pk=sheet.pk)
    college = sheet.establishment
    college.name = "Collège Renommé"
    carrier_save(carrier=college, changed=["name"])
    assert "college renomme" in stored(sheet)
    sheet_update(
        sheet=opened_early,
        by=head,
        content={"problem": "Absentéisme"},
        objectives=[],
        criteria=[],
        opened_version=current_version(sheet),
    )
    assert "college renomme" in stored(sheet)


def test_saving_another_field_of_a_carrier_leaves_its_sheets_alone(django_assert_max_num_queries):
    sheet = SheetFactory()
    college = sheet.establishment
    college.postcode = "93100"
    # The establishment's UPDATE, and the statistics' stored figures forgotten (its district
    # may have changed: reviews.desk.statistics_store); never its sheets.
    with django_assert_max_num_queries(4) as queries:
        carrier_save(carrier=college, changed=["postcode"])
    assert not any("projects_projectsheet" in query["sql"] for query in queries.captured_queries)
    college.name = "Collège Louise Michel"
    with django_assert_max_num_queries(10) as queries:
        carrier_save(carrier=college, changed=["name"])
    assert any("projects_projectsheet" in query["sql"] for query in queries.captured_queries)
    assert "college louise michel" in stored(sheet)


def _row(establishment, **changes) -> EstablishmentRow:
    values = {
        "line": 2,
        "uai": establishment.uai,
        "name": establishment.name,
        "kind": establishment.kind,
        "sector": establishment.sector,
        "city": establishment.city,
        "postcode": establishment.postcode,
        "department_code": establishment.department.code,
    } | changes
    return EstablishmentRow(**values)


def test_an_import_refreshes_the_sheets_of_renamed_establishments_only():
    renamed, moved = SheetFactory(), SheetFactory()
    ProjectSheet.objects.filter(pk=moved.pk).update(search_text="left as it was")
    counts = establishments_upsert(
        rows=[
            _row(renamed.establishment, name="Collège Louise Michel"),
            _row(moved.establishment, postcode="93100"),
        ]
    )
    assert counts.updated == 2
    assert "college louise michel" in stored(renamed)
    assert stored(moved) == "left as it was"


def test_an_establishment_is_searched_by_its_current_name():
    college = EstablishmentFactory(name="Collège Jean Moulin", city="Montreuil", uai="0931234A")
    assert college.search_text == " college jean moulin montreuil 0931234a"
    college.name = "Collège Lucie Aubrac"
    carrier_save(carrier=college, changed=["name"])
    establishments_upsert(rows=[_row(college, city="Créteil")])
    college.refresh_from_db()
    assert college.search_text == " college lucie aubrac creteil 0931234a"


def test_the_command_writes_every_search_text_again():
    sheets = [SheetFactory(title="Théâtre"), SheetFactory(title="Cœur")]
    ProjectSheet.objects.update(search_text="")
    Establishment.objects.update(search_text="")
    out = io.StringIO()
    call_command("refresh_search_text", stdout=out)
    assert "2 établissement(s) et 2 fiche(s)" in out.getvalue()
    assert [stored(s).split()[0] for s in sheets] == ["theatre", "coeur"]
    establishment = Establishment.objects.get(pk=sheets[0].establishment_id)
    assert establishment.search_text.startswith(" college numero")


def current_version(sheet) -> str:
    """The version a form opened now would send."""
    return sheet_version(ProjectSheet.objects.get(pk=sheet.pk))
