"""Readable names: establishments' names and cities shown in a readable case, the official text
kept as imported, the directory and the lists sorted whatever the case and accents."""

import csv
import importlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from aps.text import words
from projects.models import Establishment
from projects.names import readable_city, readable_name
from tests.factories import EstablishmentFactory, UserFactory

FILES = [
    Path(settings.BASE_DIR) / "fixtures" / "etablissements_creteil.csv",
    Path(settings.BASE_DIR).parent / "shared" / "data" / "etablissements_poitiers.csv",
]
HEADER = "uai,name,type,public_private,city,postcode,department\n"


@pytest.fixture(autouse=True)
def departments(request):
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("directory_departments")


@pytest.mark.parametrize(
    ("official", "shown"),
    [
        (
            "LYCEE GENERAL ET TECHNOLOGIQUE OLYMPE DE GOUGES",
            "Lycée général et technologique Olympe de Gouges",
        ),
        (
            "LYCEE POLYVALENT DU GUE A TRESMES LYCEE DES METIERS DE L HOTELLERIE ET RESTAURATION"
            " - DES ARTS ET DESIGN - DE L AMENAGEMENT ET FINITION DU BATIMENT",
            "Lycée polyvalent du Gué à Tresmes, lycée des métiers de l'hôtellerie et restauration"
            " - des arts et design - de l'aménagement et finition du bâtiment",
        ),
        (
            "LYCEE PROFESSIONNEL JEAN BAPTISTE CLEMENT LYCEE DES METIERS DE LA VENTE ET DU COMMERCE",
            "Lycée professionnel Jean-Baptiste Clément, lycée des métiers de la vente et du "
            "commerce",
        ),
        (
            "LYCEE GENERAL INTERNAT D EXCELLENCE DE SOURDUN",
            "Lycée général internat d'excellence de Sourdun",
        ),
        (
            "LYCEE GENERAL PRIVE NOTRE DAME DE LA PROVIDENCE",
            "Lycée général privé Notre-Dame de la Providence",
        ),
        (
            "ENSEMBLE SCOLAIRE SAINT JACQUES DE COMPOSTELLE",
            "Ensemble scolaire Saint-Jacques de Compostelle",
        ),
        ("LYCEE POLYVALENT PRIVE SAINT ANDRE", "Lycée polyvalent privé Saint-André"),
        ("LYCEE GENERAL ET TECHNOLOGIQUE ELIE VINET", "Lycée général et technologique Élie Vinet"),
        ("LYCEE GENERAL INTERNATIONAL FRANCOIS 1ER", "Lycée général international François 1er"),
        ("LYCEE HENRI IV", "Lycée Henri IV"),
        ("LYCEE PROFESSIONNEL PRIVE ORT", "Lycée professionnel privé ORT"),
        ("LYCEE INTERNATIONAL DE L EST PARISIEN", "Lycée international de l'Est parisien"),
        ("LYCEE POLYVALENT FREDERIC JOLIOT CURIE", "Lycée polyvalent Frédéric Joliot-Curie"),
        (
            "LYCEE PROFESSIONNEL VOILLAUME LYC METIERS MANAGEMENT GESTION",
            "Lycée professionnel Voillaume, lycée des métiers management gestion",
        ),
        ("LYCEE POLYVALENT L ARMAND", "Lycée polyvalent L. Armand"),
        (
            "LYCEE GENERAL ET TECHNOLOGIQUE DU BOIS D AMOUR",
            "Lycée général et technologique du bois d'Amour",
        ),
        # Written in lower and upper case: kept, its capitals given back their accents
        ("Collège Jacques Prévert", "Collège Jacques Prévert"),
        ("College Trait d'Union", "Collège Trait d'Union"),
        (
            "Ecole secondaire privée Ecole de la Neuville",
            "École secondaire privée École de la Neuville",
        ),
        (
            "Collège privé Sainte Marie - La Roche aux Coqs",
            "Collège privé Sainte Marie - La Roche aux Coqs",
        ),
    ],
)
def test_names_in_capitals_are_shown_in_a_readable_case(official, shown):
    assert readable_name(official) == shown


@pytest.mark.parametrize(
    ("official", "shown"),
    [
        ("NOISY-LE-SEC", "Noisy-le-Sec"),
        ("CONGIS SUR THEROUANNE", "Congis-sur-Thérouanne"),
        ("SAINT YRIEIX SUR CHARENTE", "Saint-Yrieix-sur-Charente"),
        ("BOURCEFRANC LE CHAPUS", "Bourcefranc-le-Chapus"),
        ("LA ROCHETTE", "La Rochette"),
        ("LE KREMLIN BICETRE", "Le Kremlin-Bicêtre"),
        ("PONT L ABBE D ARNOULT", "Pont-l'Abbé-d'Arnoult"),
        ("L ILE SAINT DENIS", "L'Île-Saint-Denis"),
        ("Saint-Maixent-l'Ecole", "Saint-Maixent-l'École"),
        ("Saint-Pierre-lès-Nemours", "Saint-Pierre-lès-Nemours"),
    ],
)
def test_cities_in_capitals_are_shown_in_a_readable_case(official, shown):
    assert readable_city(official) == shown


def test_every_name_of_the_real_files_is_found_by_its_official_words():
    """What finds the official name finds the readable one (each of its words starts a word
    of the readable name: "LYC" → "lycée"), which starts with a capital."""
    rows = [row for path in FILES if path.exists() for row in csv.DictReader(path.open())]
    assert len(rows) > 700
    for row in rows:
        for official, shown in (
            (row["name"], readable_name(row["name"])),
            (row["city"], readable_city(row["city"])),
        ):
            assert all(
                any(word.startswith(part) for word in words(shown)) for part in words(official)
            ), official
            assert shown[:1].isupper() and (shown == official or not shown.isupper()), official


@pytest.mark.django_db
def test_the_import_shows_a_readable_name_and_keeps_the_official_text(tmp_path, client):
    path = tmp_path / "etablissements.csv"
    path.write_text(
        HEADER + "0930123D,LYCEE GENERAL ET TECHNOLOGIQUE OLYMPE DE GOUGES,"
        "Lycée général et technologique,Public,NOISY-LE-SEC,93130,093\n"
    )
    call_command("import_establishments", str(path), stdout=StringIO())
    lycee = Establishment.objects.get(uai="0930123D")
    assert (lycee.name, lycee.city) == (
        "Lycée général et technologique Olympe de Gouges",
        "Noisy-le-Sec",
    )
    assert (lycee.official_name, lycee.official_city) == (
        "LYCEE GENERAL ET TECHNOLOGIQUE OLYMPE DE GOUGES",
        "NOISY-LE-SEC",
    )
    assert lycee.sort_name == "lycee general et technologique olympe de gouges"
    client.force_login(UserFactory())
    page = client.get(lycee.get_absolute_url()).content.decode()
    assert "<h1>Lycée général et technologique Olympe de Gouges</h1>" in page
    assert (
        "Libellé officiel (annuaire) : LYCEE GENERAL ET TECHNOLOGIQUE OLYMPE DE GOUGES, "
        "NOISY-LE-SEC</p>"
    ) in page


@pytest.mark.django_db
def test_a_name_corrected_by_hand_stays_until_the_official_text_changes(tmp_path):
    path = tmp_path / "etablissements.csv"

    def run(name):
        path.write_text(HEADER + f"0930123D,{name},Lycée,Public,Noisy-le-Sec,93130,093\n")
        return call_command("import_establishments", str(path), stdout=StringIO())

    run("LYCEE POLYVALENT L ARMAND")
    Establishment.objects.filter(uai="0930123D").update(name="Lycée polyvalent Louis-Armand")
    run("LYCEE POLYVALENT L ARMAND")
    assert Establishment.objects.get(uai="0930123D").name == "Lycée polyvalent Louis-Armand"
    run("LYCEE POLYVALENT LOUIS ARMAND")
    lycee = Establishment.objects.get(uai="0930123D")
    assert (lycee.name, lycee.official_name) == (
        "Lycée polyvalent Louis Armand",
        "LYCEE POLYVALENT LOUIS ARMAND",
    )


@pytest.mark.django_db
def test_the_directory_is_sorted_whatever_the_case_and_accents(client):
    for name in ["Collège Fanny Deschamps", "Collège Émile Zola", "COLLEGE ELSA TRIOLET"]:
        EstablishmentFactory(name=name)
    EstablishmentFactory(name="collège Zélie")
    EstablishmentFactory(name="Collège - Groupe scolaire")  # punctuation is not a letter
    client.force_login(UserFactory())
    page = client.get(reverse("projects:establishment_list")).content.decode()
    listed = re.findall(r'<a href="/etablissements/\w+/">([^<]+)</a></td>', page)
    assert listed == [
        "COLLEGE ELSA TRIOLET",
        "Collège Émile Zola",
        "Collège Fanny Deschamps",
        "Collège - Groupe scolaire",
        "collège Zélie",
    ]


@pytest.mark.django_db
def test_the_migration_fills_existing_establishments_and_their_sheets_search_texts():
    """projects 0013's data step on rows written by the code before it (the name as
    imported, no official text, no sort key). The step itself, on today's models: migrating
    back and forth would need a transactional test, which empties the tables the migrations
    filled (départements) for the tests after it."""
    from django.apps import apps

    from tests.factories import SheetFactory

    migration = importlib.import_module(
        "projects.migrations.0013_establishment_official_and_sort_names"
    )
    sheet = SheetFactory(title="Atelier théâtre")
    Establishment.objects.filter(pk=sheet.establishment_id).update(
        name="LYCEE PROFESSIONNEL VOILLAUME LYC METIERS MANAGEMENT",
        city="AULNAY SOUS BOIS",
        official_name="",
        official_city="",
        sort_name="",
    )
    migration.fill(apps, None)
    lycee = Establishment.objects.get(pk=sheet.establishment_id)
    assert (lycee.name, lycee.city, lycee.official_name, lycee.official_city) == (
        "Lycée professionnel Voillaume, lycée des métiers management",
        "Aulnay-sous-Bois",
        "LYCEE PROFESSIONNEL VOILLAUME LYC METIERS MANAGEMENT",
        "AULNAY SOUS BOIS",
    )
    assert lycee.sort_name == "lycee professionnel voillaume lycee des metiers management"
    assert " lycee des metiers management aulnay sous bois" in lycee.search_text
    sheet.refresh_from_db()
    assert " des metiers " in sheet.search_text and " theatre" in sheet.search_text
    migration.restore(apps, None)
    lycee.refresh_from_db()
    assert lycee.name == "LYCEE PROFESSIONNEL VOILLAUME LYC METIERS MANAGEMENT"
