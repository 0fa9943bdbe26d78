"""Accounts at scale: invitations and their link, the head's team, deactivation."""

import datetime
import html
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aps.invitations import invitation_path
from aps.models import AccountState, User
from projects import accounts
from projects.models import Membership
from tests.factories import SheetFactory

R = Membership.Role
STRONG = "Persévérance-2024!"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _link(message) -> str:
    return re.search(r"https?://\S+(/invitation/\S+/)", message.body).group(1)


@pytest.fixture
def invited(personas, django_capture_on_commit_callbacks):
    """A staff member just invited by the collège's head: (user, path of the mailed link)."""
    with django_capture_on_commit_callbacks(execute=True):
        membership = accounts.team_invite(
            establishment=personas.college,
            by=personas.college_head,
            email=" Lea.Dupre@AC-Creteil.fr ",
            full_name="Léa Dupré",
            title="CPE",
        )
    return membership.user, _link(mail.outbox[-1])


def test_the_invitation_is_mailed_with_its_roles_and_no_password(invited, personas):
    user, link = invited
    assert user.email == "lea.dupre@ac-creteil.fr"
    assert not user.has_usable_password()
    assert user.state == AccountState.INVITED
    message = mail.outbox[-1]
    assert message.to == ["lea.dupre@ac-creteil.fr"]
    assert "Claire Martin vous a ouvert un compte" in message.body
    assert "Personnel d'établissement — Collège Jacques Prévert" in message.body
    assert "académie de Créteil" in message.body
    assert "14 jours" in message.body


def test_the_link_lets_choose_a_password_once_then_signs_in(client, invited):
    user, link = invited
    page = client.get(link)
    assert page.status_code == 200
    assert "Choisir votre mot de passe" in page.content.decode()

    refused = client.post(link, {"new_password1": "court", "new_password2": "court"})
    assert refused.status_code == 200
    assert "au minimum 12 caractères" in refused.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()

    done = client.post(link, {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("home")
    assert "Bonjour Léa Dupré" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert user.state == AccountState.ACTIVE

    client.logout()
    again = client.get(link)
    assert again.status_code == 400
    assert "Lien d'invitation invalide" in _text(again)
    assert (
        client.post(link, {"new_password1": "x" * 20, "new_password2": "x" * 20}).status_code == 400
    )
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_an_expired_link_says_so_and_a_new_invitation_replaces_it(
    client, invited, personas, django_capture_on_commit_callbacks
):
    user, link = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        page = client.get(link)
        assert page.status_code == 410
        assert "Invitation expirée" in page.content.decode()
        assert User.objects.get(pk=user.pk).state == AccountState.EXPIRED
        with django_capture_on_commit_callbacks(execute=True):
            accounts.invite(user=user, by=personas.college_head)
        fresh = _link(mail.outbox[-1])
        assert client.get(link).status_code in (400, 410)  # the former link stays void
        assert client.get(fresh).status_code == 200
        assert User.objects.get(pk=user.pk).state == AccountState.INVITED


def test_a_tampered_or_truncated_link_answers_a_clear_page(client, invited):
    user, link = invited
    token = link.rstrip("/").rsplit("/", 1)[1]
    uid = link.split("/")[2]
    for bad in (
        link.replace(token, token[:-1] + ("0" if token[-1] != "0" else "1")),
        link.replace(token, token[:10]),
        link.replace(uid, "OTk5OTk"),
        reverse("invitation_accept", kwargs={"uidb64": "!!", "token": "x-y"}),
    ):
        page = client.get(bad)
        assert page.status_code == 400, bad
        assert "Lien d'invitation invalide" in _text(page)


def test_an_active_account_is_never_sent_an_invitation(personas):
    with pytest.raises(accounts.AccountError, match="actif"):
        accounts.invite(user=personas.college_staff)
    assert accounts.invite_all(users=[personas.college_staff, personas.dsden93]) == (0, 2)


def test_a_deactivated_account_cannot_log_in_and_keeps_its_history(client, personas):
    sheet = SheetFactory(establishment=personas.college, created_by=personas.college_staff)
    accounts.accounts_deactivate(users=[personas.college_staff])
    staff = User.objects.get(pk=personas.college_staff.pk)
    assert staff.state == AccountState.DEACTIVATED
    page = client.post(
        reverse("login"), {"username": staff.email, "password": "demo-aps"}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert "incorrect" in page.content.decode()
    sheet.refresh_from_db()
    assert sheet.created_by == staff
    link = invitation_path(staff)
    assert client.get(link).status_code == 400
    accounts.accounts_reactivate(users=[staff])
    assert User.objects.get(pk=staff.pk).state == AccountState.ACTIVE


# --- The team on "Mon établissement" ------------------------------------------------------


def _team_url(personas):
    return reverse("projects:establishment_detail", kwargs={"uai": personas.college.uai})


def test_the_head_sees_the_team_and_invites_a_staff_member(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.college_head)
    page = client.get(_team_url(personas)).content.decode()
    assert "Équipe" in page and "Karim Benali" in page and "Inviter un membre" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("projects:team_invite", kwargs={"uai": personas.college.uai}),
            {"email": "Nouveau.Venu@ac-creteil.fr", "full_name": "Noé Venu", "title": "AED"},
            follow=True,
        )
    text = done.content.decode()
    assert "Noé Venu rejoint l&#x27;équipe : une invitation est envoyée" in text
    assert "Invité" in text
    membership = Membership.objects.get(user__email="nouveau.venu@ac-creteil.fr")
    assert (membership.role, membership.establishment, membership.title) == (
        R.STAFF,
        personas.college,
        "AED",
    )
    assert mail.outbox[-1].to == ["nouveau.venu@ac-creteil.fr"]


def test_a_refused_invitation_keeps_what_was_typed(client, personas):
    client.force_login(personas.college_head)
    url = reverse("projects:team_invite", kwargs={"uai": personas.college.uai})
    page = client.post(url, {"email": "pas-une-adresse", "full_name": "Léa Dupré"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Saisissez une adresse de courriel valide" in text
    assert 'value="Léa Dupré"' in text and 'value="pas-une-adresse"' in text
    again = client.post(url, {"email": personas.college_staff.email, "full_name": "Karim"})
    assert "fait déjà partie de l&#x27;équipe" in again.content.decode()
    assert not User.objects.filter(full_name="Léa Dupré").exists()


def test_an_existing_account_joins_without_an_invitation(
    client, personas, django_capture_on_commit_callbacks
):
    """Someone with a password already (the lycée's CPE also helps at the collège)."""
    client.force_login(personas.college_head)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("projects:team_invite", kwargs={"uai": personas.college.uai}),
            {"email": personas.lycee_staff.email, "full_name": "Autre nom"},
        )
    assert personas.lycee_staff.memberships.filter(establishment=personas.college).exists()
    assert User.objects.get(pk=personas.lycee_staff.pk).check_password("demo-aps")
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["college_staff", "lycee_head", "dsden93", "academie"])
def test_only_the_head_manages_the_team(client, personas, who):
    client.force_login(getattr(personas, who))
    page = client.get(_team_url(personas)).content.decode()
    assert "Inviter un membre" not in page
    staff = personas.college_staff.memberships.get()
    for url, data in (
        (reverse("projects:team_invite", kwargs={"uai": "0931610V"}), {"email": "a@b.fr"}),
        (
            reverse("projects:team_remove", kwargs={"uai": "0931610V", "membership_pk": staff.pk}),
            {},
        ),
    ):
        assert client.post(url, {**data, "full_name": "X"}).status_code == 403
    assert Membership.objects.filter(pk=staff.pk).exists()


def test_the_team_is_read_by_its_people_and_overseers_only(client, personas):
    for who, sees in (
        ("college_staff", True),
        ("dsden93", True),
        ("academie", True),
        ("lycee_head", False),
        ("dsden94", False),
        ("poitiers_academie", False),
        ("mlds", False),
    ):
        client.force_login(getattr(personas, who))
        page = client.get(_team_url(personas)).content.decode()
        assert ("staff.college@aps.test" in page) is sees, who


def test_the_head_removes_a_staff_member_whose_name_stays_in_the_history(client, personas):
    sheet = SheetFactory(establishment=personas.college, created_by=personas.college_staff)
    staff = personas.college_staff.memberships.get()
    client.force_login(personas.college_head)
    done = client.post(
        reverse("projects:team_remove", kwargs={"uai": "0931610V", "membership_pk": staff.pk}),
        follow=True,
    )
    assert "Karim Benali ne fait plus partie de l&#x27;équipe" in done.content.decode()
    assert not Membership.objects.filter(pk=staff.pk).exists()
    assert User.objects.filter(pk=personas.college_staff.pk, is_active=True).exists()
    sheet.refresh_from_db()
    assert sheet.created_by.full_name == "Karim Benali"
    # The head cannot be removed through this way.
    head = personas.college_head.memberships.get()
    url = reverse("projects:team_remove", kwargs={"uai": "0931610V", "membership_pk": head.pk})
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=head.pk).exists()


def test_the_head_sends_the_invitation_again(
    client, personas, invited, django_capture_on_commit_callbacks
):
    user, first = invited
    membership = user.memberships.get()
    client.force_login(personas.college_head)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse(
                "projects:team_reinvite", kwargs={"uai": "0931610V", "membership_pk": membership.pk}
            ),
            follow=True,
        )
    assert "Invitation renvoyée à lea.dupre@ac-creteil.fr" in done.content.decode()
    assert _link(mail.outbox[-1]) != first


def test_an_account_whose_password_was_never_set_is_not_active(db):
    """Accounts made by ``get_or_create`` (the demo's referents) hold an empty password."""
    user = User.objects.create(email="referent@aps.test", full_name="Référent")
    assert user.password == ""
    assert user.state == AccountState.NOT_INVITED
