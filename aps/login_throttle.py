"""The login lock, on top of django-axes (settings ``AXES_*``).

Two locks, both on the site's login page and the admin's:

- per address and IP: ``AXES_FAILURE_LIMIT`` failures for one address from one IP lock that
  pair. The address is counted under its one identity (``aps.text.normalised_email``), the
  very string the login looks up: every spelling of it shares the counter.
- per IP alone: ``AXES_IP_FAILURE_LIMIT`` failures from one IP, whatever the addresses, lock
  that IP (password spraying: a few guesses on each of many accounts). Higher than the first,
  since a school's staff may share one IP.

Both counters live in django-axes' table (``AccessAttempt``), shared by every process.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db.models import Sum

from .text import normalised_email


def client_ip(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address, for the locks and the password
    reset's limits. Behind ``AXES_PROXY_COUNT`` proxies of ours (nginx, a load balancer), the
    address the outermost one saw: that many entries from the right of X-Forwarded-For (each
    proxy appends the address it was reached from; what the client wrote itself is further
    left, and ignored). Directly, or with a header too short to hold them, REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.AXES_IPWARE_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def not_counted(request, credentials=None) -> bool:
    """``AXES_WHITELIST_CALLABLE``: ProConnect's callback guesses nothing (its state is bound
    to the session): a refused agent neither counts as a failed login of the IP nor is locked
    out of ProConnect by others' failures."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "proconnect_callback")


def axes_username(request, credentials=None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the address django-axes counts failures under."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return normalised_email(value) if value is not None else None


def ip_failures(request) -> int:
    """Recent failures from the request's IP, every address taken together."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def ip_is_locked(request) -> bool:
    return ip_failures(request) >= settings.AXES_IP_FAILURE_LIMIT


class AddressAndIpHandler(AxesDatabaseHandler):
    """``AXES_HANDLER``: django-axes' database handler, plus the lock per IP alone.

    django-axes compares one failure count with one limit; with ``AXES_LOCKOUT_PARAMETERS``
    listing the IP alone, an IP would lock at the address's low limit and a success would
    wipe the IP's count. So the parameters stay (address, IP) and the IP's own, higher limit
    is checked here: once reached, the count reported is at least ``AXES_FAILURE_LIMIT``.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if ip_is_locked(request):
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
