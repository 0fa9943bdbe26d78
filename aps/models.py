import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .single_line import validate_single_line
from .text import normalised_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not normalised_email(email):
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=normalised_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Every spelling of an address is one identity ("Chef.College@…" logs in too), the very
        # one django-axes counts failures under: an exact match on the stored, normalised
        # address — never ``iexact``, whose database folding (UPPER on PostgreSQL) differs
        # from Python's and would let a spelling the lock does not count log in.
        return self.get(email=normalised_email(username))


class AccountState(models.TextChoices):
    """Where an account stands, from its fields (``User.state``)."""

    ACTIVE = "active", "Actif"
    INVITED = "invited", "Invité"
    EXPIRED = "expired", "Invitation expirée"
    NOT_INVITED = "not_invited", "Sans invitation"
    DEACTIVATED = "deactivated", "Désactivé"


def invitation_deadline(now=None) -> datetime.datetime:
    """Invitations sent before this instant have expired."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.INVITATION_DAYS)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address. Identity only: roles are memberships."""

    email = models.EmailField("adresse électronique", unique=True)
    full_name = models.CharField("nom complet", max_length=150, validators=[validate_single_line])
    is_staff = models.BooleanField(
        "accès à l'administration",
        default=False,
        help_text="Réservé au personnel académique chargé du paramétrage.",
    )
    is_active = models.BooleanField(
        "actif",
        default=True,
        help_text="Un compte désactivé ne peut plus se connecter ; son nom reste dans "
        "l'historique des fiches.",
    )
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)
    invited_at = models.DateTimeField(
        "invitation envoyée le",
        null=True,
        blank=True,
        editable=False,
        help_text="Le lien de l'invitation vaut INVITATION_DAYS jours à partir de cet instant.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.full_name or self.email

    @property
    def state(self) -> AccountState:
        """Active once a password is chosen or the account signed in (with ProConnect);
        until then invited (the link still valid), its invitation expired, or never
        invited."""
        if not self.is_active:
            return AccountState.DEACTIVATED
        if self.password and self.has_usable_password():  # "" (never set) is no password
            return AccountState.ACTIVE
        if self.last_login is not None:  # signed in with ProConnect, without a password
            return AccountState.ACTIVE
        if self.invited_at is None:
            return AccountState.NOT_INVITED
        if self.invited_at < invitation_deadline():
            return AccountState.EXPIRED
        return AccountState.INVITED

    @property
    def may_be_invited(self) -> bool:
        """An invitation can be sent (again): the account is active and has no password."""
        return self.state in (AccountState.INVITED, AccountState.EXPIRED, AccountState.NOT_INVITED)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = normalised_email(self.email)

    def save(self, *args, **kwargs):
        # Whatever wrote it (a form, the admin, a script), an address is stored normalised:
        # the login looks it up exactly.
        self.email = normalised_email(self.email)
        super().save(*args, **kwargs)


class PasswordResetRequest(models.Model):
    """A password reset asked for (known address or not), kept for an hour to throttle them
    per address and per IP across every worker process."""

    email = models.CharField("adresse demandée", max_length=254)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    requested_at = models.DateTimeField("demandée le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "demande de réinitialisation du mot de passe"
        verbose_name_plural = "demandes de réinitialisation du mot de passe"
        indexes = [
            models.Index(fields=["email", "requested_at"], name="reset_email_idx"),
            models.Index(fields=["ip_address", "requested_at"], name="reset_ip_idx"),
        ]

    def __str__(self):
        return f"{self.email} ({self.requested_at:%d/%m/%Y %H:%M})"
