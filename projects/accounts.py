"""Accounts at scale: invitations, the head's team, imports of accounts, the head accounts made
from an académie's pattern of functional addresses, deactivation.

Nobody is given a known password: an account is created without a usable one and its owner
chooses it through the link of their invitation (``aps.invitations``)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from aps.invitations import invitation_path
from aps.models import AccountState
from aps.text import normalised_email

from .models import Academy, Establishment, Membership
from .rules import memberships_of

R = Membership.Role


class AccountError(Exception):
    """A change of accounts refused, with the French reason."""


# --- Invitations ------------------------------------------------------------------------------


def invite(*, user, by=None) -> None:
    """(Re)send ``user`` the invitation to choose a password: a new link, the former one void."""
    if not user.may_be_invited:
        raise AccountError(f"{user.email} : compte {user.state.label.lower()}, rien à envoyer.")
    user.invited_at = timezone.now()
    user.save(update_fields=["invited_at"])
    by_pk = by.pk if by is not None else None
    transaction.on_commit(lambda: send_invitation.enqueue(user.pk, by_pk))


def invite_all(*, users, by=None) -> tuple[int, int]:
    """Invite each of ``users`` that can be: (sent, skipped: active or deactivated)."""
    sent = skipped = 0
    for user in users:
        if not user.may_be_invited:
            skipped += 1
        else:
            invite(user=user, by=by)
            sent += 1
    return sent, skipped


def describe_roles(user) -> list[str]:
    """``"Chef·fe d'établissement — Collège X (0931610V)"``, one per membership."""
    return [f"{m.get_role_display()} — {m.scope_label}" for m in memberships_of(user)]


@task()
def send_invitation(user_pk: int, by_pk: int | None) -> None:
    User = get_user_model()
    user = User.objects.filter(pk=user_pk).first()
    if user is None or user.state is not AccountState.INVITED:
        return
    by = User.objects.filter(pk=by_pk).first() if by_pk else None
    academies = {m.academy_of for m in memberships_of(user)} - {None}
    body = render_to_string(
        "projects/email/invitation.txt",
        {
            "user": user,
            "by": by,
            "roles": describe_roles(user),
            "academy": next(iter(academies)) if len(academies) == 1 else None,
            "link": settings.SITE_URL.rstrip("/") + invitation_path(user),
            "days": settings.INVITATION_DAYS,
            "login_url": settings.SITE_URL.rstrip("/") + "/connexion/",
            "password_login": settings.PASSWORD_LOGIN,
            "proconnect": bool(settings.PROCONNECT_URL),
        },
    )
    subject = (
        "Votre compte APS : choisissez votre mot de passe"
        if settings.PASSWORD_LOGIN
        else "Votre compte APS est ouvert"
    )
    send_mail(subject, body, None, [user.email])


# --- Accounts ----------------------------------------------------------------------------------


def clean_email(value: str) -> str:
    email = normalised_email(value)
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(f"Adresse électronique « {value or 'vide'} » invalide.") from None
    return email


def account_ensure(*, email: str, full_name: str, staff: bool = False):
    """The account of ``email``, created without a usable password if missing; (user, created,
    name changed)."""
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, is_staff=staff)
        user.set_unusable_password()
        user.save()
        return user, True, False
    changed = bool(full_name) and user.full_name != full_name
    if changed or (staff and not user.is_staff):
        user.full_name = full_name or user.full_name
        user.is_staff = user.is_staff or staff
        user.save(update_fields=["full_name", "is_staff"])
    return user, False, changed


@transaction.atomic
def accounts_deactivate(*, users) -> int:
    """Deactivated accounts cannot log in; their names stay in the history they wrote."""
    return (
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users], is_active=True)
        .update(is_active=False)
    )


@transaction.atomic
def accounts_reactivate(*, users) -> int:
    return (
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users], is_active=False)
        .update(is_active=True)
    )


# --- The head's team ----------------------------------------------------------------------------


def team_of(establishment: Establishment):
    """Who works on the establishment's sheets: its head(s) first, then its staff."""
    return (
        Membership.objects.filter(establishment=establishment, role__in=[R.HEAD, R.STAFF])
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


@transaction.atomic
def team_invite(*, establishment: Establishment, by, email: str, full_name: str, title: str):
    """Add a staff member to the establishment's team, inviting them if they have no
    password yet; an existing account keeps its password and gains the role."""
    email = clean_email(email)
    user, created, _ = account_ensure(email=email, full_name=full_name)
    if not user.is_active:
        raise AccountError(
            f"Le compte {email} est désactivé : demandez à l'académie de le réactiver."
        )
    if Membership.objects.filter(
        user=user, establishment=establishment, role__in=[R.HEAD, R.STAFF]
    ).exists():
        raise AccountError(f"{user.full_name or email} fait déjà partie de l'équipe.")
    membership = Membership.objects.create(
        user=user, role=R.STAFF, establishment=establishment, title=title
    )
    if user.may_be_invited:
        invite(user=user, by=by)
    return membership


@transaction.atomic
def team_remove(*, membership: Membership, by) -> None:
    """Remove a staff member from the team: the role goes, the account and the history stay."""
    if membership.role != R.STAFF:
        raise AccountError("Seul un membre du personnel peut être retiré de l'équipe.")
    membership.delete()


# --- Head accounts from the académie's pattern ------------------------------------------------


@dataclass(frozen=True)
class HeadAccounts:
    created: int
    existing: int  # the establishment already had a head
    without_pattern: int  # its académie has no pattern of functional addresses


@transaction.atomic
def head_accounts_create(*, establishments, by) -> HeadAccounts:
    """One head account per establishment, at the address its académie's pattern gives (for
    example ``ce.{uai}@ac-poitiers.fr``), invited; an establishment with a head is skipped."""
    created = existing = without_pattern = 0
    for establishment in establishments.select_related("department__academy"):
        academy: Academy = establishment.department.academy
        if not academy.head_email_pattern:
            without_pattern += 1
            continue
        if Membership.objects.filter(establishment=establishment, role=R.HEAD).exists():
            existing += 1
            continue
        email = academy.head_email_for(establishment.uai)
        user, _, _ = account_ensure(email=email, full_name=f"Direction — {establishment.name}")
        Membership.objects.create(
            user=user, role=R.HEAD, establishment=establishment, title="Chef·fe d'établissement"
        )
        if user.may_be_invited:
            invite(user=user, by=by)
        created += 1
    return HeadAccounts(created, existing, without_pattern)
