from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from projects.models import Academy, Department, Establishment
from projects.uai import uai_check_letter
from tests.factories import DistrictFactory

SHARED_CSV = Path(settings.BASE_DIR).parent / "shared" / "data" / "etablissements_creteil.csv"
FIXTURE_CSV = Path(settings.BASE_DIR) / "fixtures" / "etablissements_creteil.csv"
CRETEIL_CSV = SHARED_CSV if SHARED_CSV.exists() else FIXTURE_CSV
POITIERS_SHARED = SHARED_CSV.with_name("etablissements_poitiers.csv")
POITIERS_CSV = FIXTURE_CSV.with_name("etablissements_poitiers.csv")
HEADER = "uai,name,type,public_private,city,postcode,department\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def departments(request):
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("directory_departments")


def run_import(path) -> list[str]:
    out = StringIO()
    call_command("import_establishments", str(path), stdout=out)
    return out.getvalue().splitlines()


def write(tmp_path, content, encoding="utf-8", name="etablissements.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def test_fixture_copy_is_the_shared_file():
    if SHARED_CSV.exists():
        assert FIXTURE_CSV.read_bytes() == SHARED_CSV.read_bytes()
    if POITIERS_SHARED.exists():
        assert POITIERS_CSV.read_bytes() == POITIERS_SHARED.read_bytes()


def test_shared_file_creates_701_establishments_then_changes_nothing():
    assert run_import(CRETEIL_CSV)[-1] == "created=701 updated=0 unchanged=0 rejected=0"
    assert Establishment.objects.count() == 701
    assert Establishment.objects.filter(kind=Establishment.Kind.COLLEGE).count() == 475
    assert Establishment.objects.filter(department__code="93").count() == 266
    lycee = Establishment.objects.get(uai="0930123D")
    assert lycee.kind == Establishment.Kind.LYCEE_GT
    assert (lycee.city, lycee.postcode, lycee.sector) == ("Noisy-le-Sec", "93130", "public")

    assert run_import(CRETEIL_CSV) == ["created=0 updated=0 unchanged=701 rejected=0"]


def test_changed_row_is_updated_and_district_kept(tmp_path):
    run_import(
        write(tmp_path, HEADER + "0931610V,Collège Prévert,Collège,Public,Noisy-le-Sec,93130,093\n")
    )
    district = DistrictFactory()
    Establishment.objects.filter(uai="0931610V").update(district=district)

    lines = run_import(
        write(
            tmp_path,
            HEADER + "0931610V,Collège Jacques Prévert,Collège,Public,Noisy-le-Sec,93130,093\n",
        )
    )

    assert lines[-1] == "created=0 updated=1 unchanged=0 rejected=0"
    college = Establishment.objects.get(uai="0931610V")
    assert college.name == "Collège Jacques Prévert"
    assert college.district == district


def test_bad_rows_are_reported_with_line_and_reason_and_valid_rows_imported(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "0931610V,Collège Jacques Prévert,Collège,Public,Noisy-le-Sec,93130,093\n"  # line 2
        + "0930123E,Lycée mauvaise lettre,Lycée général et technologique,Public,Noisy,93130,093\n"
        + "093012D,Lycée trop court,Lycée professionnel,Public,Noisy,93130,093\n"
        + "0990001N,Lycée de nulle part,Lycée polyvalent,Public,Nulle-part,99001,099\n"
        + "0930123D,,Lycée général et technologique,Public,Noisy-le-Sec,93130,093\n"
        + "0931610V,Doublon,Collège,Public,Noisy-le-Sec,93130,093\n"
        + "0770002J,Collège Denecourt,Collège,Public,Bois-le-Roi,77590,093\n"
        + "0770003K,Collège Jean Rostand,École maternelle,Public,Bray-sur-Seine,77480,077\n"
        + "0770005M,Collège Jean Jaurès,Collège,Public,Brou-sur-Chantereine,77177,077\n",
    )

    lines = run_import(path)

    assert lines == [
        "ligne 3 rejetée : UAI « 0930123E » invalide : la lettre de contrôle devrait être « D ».",
        "ligne 4 rejetée : UAI « 093012D » invalide : 7 chiffres suivis d'une lettre attendus.",
        "ligne 5 rejetée : Département « 099 » inconnu pour l'UAI 0990001N.",
        "ligne 6 rejetée : Nom d'établissement manquant pour l'UAI 0930123D.",
        "ligne 7 rejetée : UAI 0931610V en double (déjà à la ligne 2).",
        "ligne 8 rejetée : L'UAI 0770002J n'appartient pas au département 93.",
        "ligne 9 rejetée : Type d'établissement « École maternelle » non concerné par APS (collège, lycée, lycée agricole, EREA ou maison familiale rurale attendu).",
        "created=2 updated=0 unchanged=0 rejected=7",
    ]
    assert set(Establishment.objects.values_list("uai", flat=True)) == {"0931610V", "0770005M"}


def test_ministry_annuaire_export_is_read(tmp_path):
    path = write(
        tmp_path,
        "Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Statut_public_prive;"
        "Adresse_1;Code_postal;Nom_commune;Code_departement;Voie_generale;Voie_technologique;"
        "Voie_professionnelle\n"
        "0931610V;Collège Jacques Prévert;Collège;Public;1 rue X;93130;Noisy-le-Sec;093;;;\n"
        "0930123D;Lycée Olympe de Gouges;Lycée;Public;2 rue Y;93130;Noisy-le-Sec;093;1;1;0\n"
        "0930133P;Lycée Théodore Monod;Lycée;Public;3 rue Z;93130;Noisy-le-Sec;093;1;0;1\n"
        "0770002J;Lycée des métiers;Lycée;Privé;4 rue W;77590;Bois-le-Roi;077;0;0;1\n"
        "0941918Z;École élémentaire;Ecole;Public;5 rue V;94000;Créteil;094;;;\n",
    )

    lines = run_import(path)

    assert lines[-1] == "created=4 updated=0 unchanged=0 rejected=1"
    assert (
        "ligne 6 rejetée : Type d'établissement « Ecole » non concerné par APS (collège, lycée, lycée agricole, EREA ou maison familiale rurale attendu)."
        in lines
    )
    kinds = dict(Establishment.objects.values_list("uai", "kind"))
    assert kinds == {
        "0931610V": "college",
        "0930123D": "lycee_gt",
        "0930133P": "lycee_polyvalent",
        "0770002J": "lycee_pro",
    }
    assert Establishment.objects.get(uai="0770002J").sector == "private"


def test_latin1_file_is_refused_and_nothing_written(tmp_path):
    path = write(
        tmp_path,
        HEADER + "0931610V,Collège Jacques Prévert,Collège,Public,Noisy-le-Sec,93130,093\n",
        encoding="latin-1",
    )
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert "pas encodé en UTF-8 (caractère illisible à la ligne 2)" in str(error.value)
    assert "Aucun établissement importé" in str(error.value)
    assert not Establishment.objects.exists()


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_empty_file_is_refused(tmp_path, content):
    with pytest.raises(CommandError, match="Le fichier est vide"):
        run_import(write(tmp_path, content))


def test_header_without_rows_is_refused(tmp_path):
    with pytest.raises(CommandError, match="aucune ligne d'établissement"):
        run_import(write(tmp_path, HEADER))


def test_unknown_header_is_refused_and_nothing_written(tmp_path):
    path = write(tmp_path, "code;libelle;ville\n0931610V;Collège;Noisy-le-Sec\n")
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert "En-tête non reconnu (code, libelle, ville)" in str(error.value)
    assert not Establishment.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire"):
        run_import(tmp_path / "absent.csv")


def test_file_holding_only_a_bom_is_empty(tmp_path):
    with pytest.raises(CommandError, match="Le fichier est vide"):
        run_import(write(tmp_path, "\ufeff\n"))


def test_field_spanning_lines_is_rejected_and_later_lines_keep_their_numbers(tmp_path):
    path = write(
        tmp_path,
        HEADER
        + '0931610V,"Collège\nJacques Prévert",Collège,Public,Noisy-le-Sec,93130,093\n'
        + "0930123E,Lycée,Lycée général et technologique,Public,Noisy,93130,093\n",
    )
    lines = run_import(path)
    assert lines == [
        "ligne 2 rejetée : Retour à la ligne à l'intérieur d'un champ.",
        "ligne 4 rejetée : UAI « 0930123E » invalide : la lettre de contrôle devrait être « D ».",
        "created=0 updated=0 unchanged=0 rejected=2",
    ]


def test_another_academies_file_creates_its_departements_and_academie(tmp_path):
    """The académie de Poitiers' 312 collèges and lycées, on a database holding Créteil's:
    each is attached to its département, created with its académie from the reference table
    on first use; a second import changes nothing."""
    assert run_import(CRETEIL_CSV)[-1].endswith("rejected=0")

    assert run_import(POITIERS_CSV) == ["created=312 updated=0 unchanged=0 rejected=0"]

    poitiers = Academy.objects.get(code="poitiers")
    assert (poitiers.name, poitiers.title, poitiers.website) == (
        "Poitiers",
        "académie de Poitiers",
        "https://www.ac-poitiers.fr",
    )
    assert {(d.code, d.name) for d in poitiers.departments.all()} == {
        ("16", "Charente"),
        ("17", "Charente-Maritime"),
        ("79", "Deux-Sèvres"),
        ("86", "Vienne"),
    }
    assert Establishment.objects.filter(department__academy=poitiers).count() == 312
    assert Establishment.objects.get(uai="0160001P").department.code == "16"
    assert set(
        Department.objects.get(code="93").academy.departments.values_list("code", flat=True)
    ) == {"77", "93", "94"}
    assert run_import(POITIERS_CSV) == ["created=0 updated=0 unchanged=312 rejected=0"]


@pytest.mark.parametrize(
    ("line", "code", "academy"),
    [
        (
            "0750001{},Lycée parisien,Lycée polyvalent,Public,Paris,75001,075",
            "75",
            "académie de Paris",
        ),
        (
            "6200001{},Lycée Fesch,Lycée polyvalent,Public,Ajaccio,20000,02A",
            "2A",
            "académie de Corse",
        ),
        (
            "9740001{},Lycée Leconte de Lisle,Lycée polyvalent,Public,Saint-Denis,97400,974",
            "974",
            "académie de La Réunion",
        ),
    ],
)
def test_any_departement_of_france_is_known(tmp_path, line, code, academy):
    uai = line.split(",")[0].format("")
    path = write(tmp_path, HEADER + line.format(uai_check_letter(uai)) + "\n")
    assert run_import(path) == ["created=1 updated=0 unchanged=0 rejected=0"]
    department = Establishment.objects.get().department
    assert (department.code, department.academy.title) == (code, academy)


def test_agricultural_lycees_erea_and_mfr_are_imported_with_their_kind(tmp_path):
    uais = [f"086{n:04d}" for n in (1, 2, 3)]
    uais = [uai + uai_check_letter(uai) for uai in uais]
    path = write(
        tmp_path,
        HEADER
        + f"{uais[0]},LEGTA Xavier Bernard,Lycée agricole,Public,Rouillé,86480,86\n"
        + f"{uais[1]},EREA Anne Frank,EREA,Public,Poitiers,86000,86\n"
        + f"{uais[2]},MFR de Chauvigny,Maison familiale rurale,Privé,Chauvigny,86300,86\n",
    )
    assert run_import(path)[-1] == "created=3 updated=0 unchanged=0 rejected=0"
    kinds = dict(Establishment.objects.filter(uai__in=uais).values_list("uai", "kind"))
    assert kinds == {
        uais[0]: Establishment.Kind.LYCEE_AGRICOLE,
        uais[1]: Establishment.Kind.EREA,
        uais[2]: Establishment.Kind.MFR,
    }
    assert Establishment.objects.get(uai=uais[2]).get_kind_display() == "Maison familiale rurale"
