"""Imports of accounts and of districts and networks: whole or nothing, idempotent, narrowed to
the importer's académie; the head accounts made from an académie's pattern."""

import html
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from aps.models import AccountState, User
from projects.account_import import accounts_import, networks_import
from projects.directory_import import ImportFileError
from projects.models import District, FoqualeNetwork, Membership
from tests.factories import EstablishmentFactory, department

R = Membership.Role

ACCOUNTS = (
    "email;nom;rôle;périmètre;fonction\n"
    "Jeanne.Roy@ac-creteil.fr;Jeanne Roy;Chef·fe d'établissement;0931610v;Principale\n"
    "paul.blanc@ac-creteil.fr;Paul Blanc;personnel;0931610V;CPE\n"
    "paul.blanc@ac-creteil.fr;Paul Blanc;personnel;0930123D;CPE\n"
    "ines.morel@ac-creteil.fr;Inès Morel;MLDS;Montreuil - Noisy-le-Sec;\n"
    "marc.noir@ac-creteil.fr;Marc Noir;dsden;093;Inspecteur\n"
    "sophie.gris@ac-creteil.fr;Sophie Gris;réseau FOQUALE;93 / Réseau FOQUALE Montreuil - Noisy-le-Sec;\n"
    "anne.vert@ac-creteil.fr;Anne Vert;Académie;creteil;SAIO\n"
)


def _run(data: str, **options):
    return accounts_import(data.encode(), **options)


def test_a_valid_file_creates_accounts_and_roles_then_changes_nothing(personas):
    report = _run(ACCOUNTS)
    assert report.summary == "created=7 updated=0 unchanged=0 rejected=0"
    paul = User.objects.get(email="paul.blanc@ac-creteil.fr")
    assert not paul.has_usable_password()
    assert paul.state == AccountState.NOT_INVITED
    assert sorted(m.establishment.uai for m in paul.memberships.all()) == ["0930123D", "0931610V"]
    head = Membership.objects.get(user__email="jeanne.roy@ac-creteil.fr")
    assert (head.role, head.establishment, head.title) == (R.HEAD, personas.college, "Principale")
    assert (
        Membership.objects.get(user__email="ines.morel@ac-creteil.fr").district == personas.district
    )
    assert (
        Membership.objects.get(user__email="sophie.gris@ac-creteil.fr").network == personas.network
    )
    assert User.objects.get(email="anne.vert@ac-creteil.fr").is_staff  # the admin through the role
    assert _run(ACCOUNTS).summary == "created=0 updated=0 unchanged=7 rejected=0"
    renamed = ACCOUNTS.replace("Marc Noir;dsden;093;Inspecteur", "Marc Noir-Lebrun;dsden;93;IEN")
    assert _run(renamed).summary == "created=0 updated=1 unchanged=6 rejected=0"
    assert Membership.objects.get(user__email="marc.noir@ac-creteil.fr").title == "IEN"


def test_one_bad_line_and_nothing_is_written_each_line_saying_why(personas):
    bad = ACCOUNTS + (
        "pas-une-adresse;X;personnel;0931610V;\n"
        "a@ac-creteil.fr;A;stagiaire;0931610V;\n"
        "b@ac-creteil.fr;B;personnel;0999999A;\n"
        "c@ac-creteil.fr;C;personnel;0861234Z;\n"
        "d@ac-creteil.fr;D;dsden;99;\n"
        "e@ac-creteil.fr;;personnel;0931610V;\n"
        "paul.blanc@ac-creteil.fr;Paul Blanc;personnel;0931610V;\n"
        "f@ac-creteil.fr;F;ministère;;\n"
    )
    report = _run(bad, by=personas.academie)
    reasons = dict(report.rejected)
    assert report.summary == "created=0 updated=0 unchanged=0 rejected=8"
    assert reasons[9] == "Adresse électronique « pas-une-adresse » invalide."
    assert reasons[10] == "Rôle « stagiaire » inconnu pour a@ac-creteil.fr."
    assert "0999999A" in reasons[11]
    assert reasons[12] == "UAI 0861234Z inconnue dans votre annuaire."  # not Poitiers' to see
    assert reasons[13] == "Département « 99 » inconnu."
    assert reasons[14] == "Nom manquant pour le nouveau compte e@ac-creteil.fr."
    assert reasons[15] == "paul.blanc@ac-creteil.fr a déjà ce rôle à la ligne 3."
    assert reasons[16] == "Seul le ministère donne le rôle ministère."
    assert not User.objects.filter(email__endswith="@ac-creteil.fr").exists()


def test_another_academie_is_invisible_to_the_importer(personas):
    poitiers = EstablishmentFactory(department=department("86"))
    line = f"email,nom,role,perimetre\nx@ac-poitiers.fr,X,personnel,{poitiers.uai}\n"
    assert _run(line, by=personas.academie).rejected == [
        (2, f"UAI {poitiers.uai} inconnue dans votre annuaire.")
    ]
    assert _run(line, by=personas.poitiers_academie).created == 1
    other = "email,nom,role,perimetre\ny@ac-poitiers.fr,Y,academie,creteil\n"
    assert _run(other, by=personas.poitiers_academie).rejected == [
        (2, "Académie « creteil » inconnue.")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "email;nom;role;perimetre\n".encode("cp1252")
            + "é@x.fr;É;chef;0931610V\n".encode("cp1252"),
            "n'est pas encodé en UTF-8",
        ),
        (
            b"email;nom;role;perimetre;mot_de_passe\na@b.fr;A;chef;0931610V;x\n",
            "Colonne(s) inconnue(s) : mot_de_passe",
        ),
        (b"email;nom;perimetre\na@b.fr;A;0931610V\n", "obligatoire(s) absente(s) : role"),
        (b"", "Le fichier est vide."),
        (b"email;nom;role;perimetre\n", "aucune ligne"),
    ],
)
def test_a_bad_file_is_refused_whole(personas, data, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        accounts_import(data)
    assert not User.objects.filter(email="a@b.fr").exists()


def test_the_import_invites_whoever_has_no_password_once(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _run(ACCOUNTS, by=personas.academie, invite=True)
    assert report.invited == 6  # Paul Blanc, two roles: one invitation
    assert {m.to[0] for m in mail.outbox} == {
        "jeanne.roy@ac-creteil.fr",
        "paul.blanc@ac-creteil.fr",
        "ines.morel@ac-creteil.fr",
        "marc.noir@ac-creteil.fr",
        "sophie.gris@ac-creteil.fr",
        "anne.vert@ac-creteil.fr",
    }
    paul = next(m for m in mail.outbox if m.to == ["paul.blanc@ac-creteil.fr"])
    assert "Collège Jacques Prévert" in paul.body and "Olympe de Gouges" in paul.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _run(ACCOUNTS, invite=True).invited == 0  # still invited: not sent again
    assert mail.outbox == []


def test_the_command_prints_the_lines_and_the_summary(personas, tmp_path, capsys):
    good = tmp_path / "comptes.csv"
    good.write_text(ACCOUNTS, encoding="utf-8")
    call_command("import_accounts", str(good))
    assert capsys.readouterr().out.strip().endswith("created=7 updated=0 unchanged=0 rejected=0")
    bad = tmp_path / "erreurs.csv"
    bad.write_text("email;nom;role;perimetre\nz@b.fr;Z;chef;0000000A\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 ligne\\(s\\) rejetée\\(s\\), rien n'a été importé"):
        call_command("import_accounts", str(bad))
    out = capsys.readouterr().out
    assert "ligne 2 rejetée" in out and "created=0 updated=0 unchanged=0 rejected=1" in out


# --- Districts and networks -------------------------------------------------------------------


def test_districts_and_networks_are_created_with_their_members_and_lead(personas, tmp_path, capsys):
    vienne = department("86")
    a = EstablishmentFactory(department=vienne, city="Châtellerault")
    b = EstablishmentFactory(department=vienne, city="Châtellerault")
    data = (
        "uai;district;réseau;tête de réseau\n"
        f"{a.uai};Châtellerault;Réseau FOQUALE Châtellerault;oui\n"
        f"{b.uai};Châtellerault;Réseau FOQUALE Châtellerault;\n"
    )
    path = tmp_path / "reseaux.csv"
    path.write_text(data, encoding="utf-8")
    call_command("import_networks", str(path))
    assert capsys.readouterr().out.strip() == "created=2 updated=0 unchanged=0 rejected=0"
    district = District.objects.get(department=vienne, name="Châtellerault")
    network = FoqualeNetwork.objects.get(department=vienne)
    assert set(district.establishments.all()) == {a, b}
    assert set(network.members.all()) == {a, b} and network.lead_establishment == a
    assert networks_import(data.encode()).summary == "created=0 updated=0 unchanged=2 rejected=0"
    moved = data.replace(";oui\n", ";\n").replace(
        f"{b.uai};Châtellerault;Réseau FOQUALE Châtellerault;",
        f"{b.uai};Loudun;Réseau FOQUALE Châtellerault;oui",
    )
    assert networks_import(moved.encode()).summary == "created=1 updated=0 unchanged=1 rejected=0"
    network.refresh_from_db()
    assert network.lead_establishment == b


def test_a_bad_networks_file_writes_nothing(personas):
    data = (
        "uai,district,reseau,tete_de_reseau\n"
        "0931610V,Nord,Réseau Nord,oui\n"
        "0930123D,Nord,Réseau Nord,oui\n"
        "0861234Z,Nord,,\n"
        "0931610V,,,\n"
        "0931610V,Nord,Réseau Nord,peut-être\n"
    )
    report = networks_import(data.encode(), by=personas.academie)
    assert dict(report.rejected) == {
        3: "Le réseau « Réseau Nord » a déjà une tête à la ligne 2.",
        4: "UAI 0861234Z inconnue dans votre annuaire.",
        5: "Ni district ni réseau pour l'UAI 0931610V.",
        6: "Tête de réseau « peut-être » : oui ou non attendu.",
    }
    assert not District.objects.filter(name="Nord").exists()
    assert not FoqualeNetwork.objects.filter(name="Réseau Nord").exists()


# --- The administration ---------------------------------------------------------------------------


def _upload(client, url, text: str, **data):
    upload = SimpleUploadedFile("fichier.csv", text.encode(), content_type="text/csv")
    return html.unescape(client.post(url, {"file": upload, **data}).content.decode())


def test_academie_staff_import_accounts_from_the_admin(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.academie)
    url = reverse("admin:aps_user_import")
    assert "Importer des comptes" in client.get(url).content.decode()
    assert url in client.get(reverse("admin:aps_user_changelist")).content.decode()
    refused = _upload(client, url, ACCOUNTS + "x@y.fr;X;chef;0861234Z;\n")
    assert "Fichier refusé : 1 ligne rejetée, rien n'a été importé" in refused
    assert "UAI 0861234Z inconnue dans votre annuaire." in refused
    with django_capture_on_commit_callbacks(execute=True):
        done = _upload(client, url, ACCOUNTS, invite="on")
    assert "Import terminé : 7 créés, 0 mis à jour, 0 inchangé, 6 invitations envoyées." in done
    assert len(mail.outbox) == 6  # Paul Blanc's two roles: one invitation
    bad_file = _upload(client, url, "courriel;mot de passe\n")
    assert (
        "Colonne(s) inconnue(s) : mot de passe" in bad_file and "Rien n'a été importé" in bad_file
    )


def test_the_admin_lists_the_state_of_each_account(client, personas):
    _run(ACCOUNTS)
    client.force_login(personas.academie)
    listed = client.get(reverse("admin:aps_user_changelist"), {"etat": "not_invited"})
    text = listed.content.decode()
    assert "jeanne.roy@ac-creteil.fr" in text and "staff.college@aps.test" not in text
    active = client.get(reverse("admin:aps_user_changelist"), {"etat": "active"})
    assert "staff.college@aps.test" in active.content.decode()


def test_the_admin_invites_and_deactivates_a_selection(
    client, personas, django_capture_on_commit_callbacks
):
    _run(ACCOUNTS)
    client.force_login(personas.academie)
    url = reverse("admin:aps_user_changelist")
    roy = User.objects.get(email="jeanne.roy@ac-creteil.fr")
    chosen = [roy.pk, personas.college_staff.pk]
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url, {"action": "send_invitations", "_selected_action": chosen}, follow=True
        )
    assert "1 invitation envoyée ; 1 compte ignoré (actif ou désactivé)." in html.unescape(
        page.content.decode()
    )
    assert [m.to for m in mail.outbox] == [["jeanne.roy@ac-creteil.fr"]]
    client.post(url, {"action": "deactivate", "_selected_action": [personas.college_staff.pk]})
    assert not User.objects.get(pk=personas.college_staff.pk).is_active
    # An account that wrote history is deactivated, never deleted, by the académie's staff.
    delete = reverse("admin:aps_user_delete", args=[roy.pk])
    assert client.get(delete).status_code == 403


def test_the_networks_import_page_is_the_academies(client, personas):
    client.force_login(personas.dsden93)
    assert client.get(reverse("admin:projects_district_import")).status_code == 302
    client.force_login(personas.academie)
    url = reverse("admin:projects_district_import")
    done = _upload(client, url, "uai;district;reseau\n0931610V;Noisy;Réseau Noisy\n")
    assert "Import terminé : 1 créé, 0 mis à jour, 0 inchangé." in done
    assert personas.college.foquale_networks.filter(name="Réseau Noisy").exists()


# --- Head accounts from the académie's pattern ---------------------------------------------------


def test_head_accounts_are_made_from_the_pattern_and_invited(
    client, personas, django_capture_on_commit_callbacks
):
    poitiers = department("86").academy
    poitiers.head_email_pattern = "ce.{uai}@ac-poitiers.fr"
    poitiers.full_clean()
    poitiers.save()
    first = EstablishmentFactory(department=department("86"))
    second = EstablishmentFactory(department=department("86"))
    client.force_login(personas.poitiers_academie)
    url = reverse("admin:projects_establishment_changelist")
    chosen = {"action": "create_head_accounts", "_selected_action": [first.pk, second.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, chosen, follow=True)
    assert "2 comptes créés et invités." in html.unescape(page.content.decode())
    head = Membership.objects.get(role=R.HEAD, establishment=first).user
    assert head.email == f"ce.{first.uai.lower()}@ac-poitiers.fr"
    assert head.state == AccountState.INVITED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"ce.{e.uai.lower()}@ac-poitiers.fr" for e in (first, second)
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, chosen, follow=True)
    assert "0 compte créé et invité ; 2 établissements ont déjà un chef." in html.unescape(
        again.content.decode()
    )
    # Créteil has no pattern: said, nothing made.
    client.force_login(personas.academie)
    other = EstablishmentFactory(department=department("93"))
    page = client.post(url, {**chosen, "_selected_action": [other.pk]}, follow=True)
    assert "1 établissement sans adresse fonctionnelle" in html.unescape(page.content.decode())


@pytest.mark.parametrize(
    "pattern", ["ce.@ac-poitiers.fr", "ce.{uai}.{uai}@ac-poitiers.fr", "ce {uai} ac-poitiers"]
)
def test_a_bad_pattern_is_refused(pattern, db):
    academy = department("86").academy
    academy.head_email_pattern = pattern
    with pytest.raises(Exception, match="uai"):
        academy.full_clean()


def test_a_network_name_holding_a_slash_is_found(personas):
    from tests.factories import NetworkFactory

    NetworkFactory(department=department("93"), name="Réseau Bondy/Bobigny")
    data = "email,nom,role,perimetre\nr@ac-creteil.fr,R,reseau,Réseau Bondy/Bobigny\n"
    assert _run(data).summary == "created=1 updated=0 unchanged=0 rejected=0"
    again = "email,nom,role,perimetre\ns@ac-creteil.fr,S,reseau,93 / Réseau Bondy/Bobigny\n"
    assert _run(again).summary == "created=1 updated=0 unchanged=0 rejected=0"
