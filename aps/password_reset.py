"""Password reset, out of the request: the page records the request and queues one task,
whatever the address (known or not, the request does the same work, in the same time); the
task finds the account and sends the link, built on ``SITE_URL`` — never on the request's
Host header.

Requests are throttled per address (in any spelling) and per IP through the database (the
``PasswordResetRequest`` rows of the last hour): there is no shared cache, and a count kept
in one process's memory would not hold with several gunicorn workers.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task
from django.utils import timezone

from .models import PasswordResetRequest
from .text import normalised_email

TOO_MANY = (
    "Trop de demandes de réinitialisation ont été faites pour cette adresse ou depuis votre "
    "réseau. Par sécurité, réessayez dans une heure ; le dernier lien reçu reste valable."
)


def refusal(*, email: str, ip_address: str | None) -> str | None:
    """The French reason to refuse a new request for ``email`` from ``ip_address``, if any.
    Counts requests, not accounts: the answer is the same for an unknown address."""
    since = timezone.now() - settings.PASSWORD_RESET_THROTTLE_WINDOW
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    if recent.filter(email=normalised_email(email)).count() >= (
        settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    ):
        return TOO_MANY
    if ip_address and recent.filter(ip_address=ip_address).count() >= (
        settings.PASSWORD_RESET_LIMIT_PER_IP
    ):
        return TOO_MANY
    return None


def request_reset(*, email: str, ip_address: str | None) -> None:
    """Record the request (forgetting those past the window) and queue the e-mail."""
    email = normalised_email(email)
    now = timezone.now()
    PasswordResetRequest.objects.filter(
        requested_at__lt=now - settings.PASSWORD_RESET_THROTTLE_WINDOW
    ).delete()
    PasswordResetRequest.objects.create(email=email, ip_address=ip_address, requested_at=now)
    send_reset_link.enqueue(email)


class ExactEmailResetForm(PasswordResetForm):
    """Django's reset form, finding the account by its one identity (not ``iexact``)."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(
            email=normalised_email(email), is_active=True
        )
        return (user for user in users if user.has_usable_password())


@task()
def send_reset_link(email: str) -> None:
    """Send the reset link to the active account of ``email``, if there is one."""
    form = ExactEmailResetForm(data={"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
    )
