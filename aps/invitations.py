"""The link of an invitation: single use, valid ``INVITATION_DAYS`` days, through Django's
token mechanism. The token is bound to the account's password (choosing one spends it), last
login, activity and invitation time (sending the invitation again replaces the link)."""

import enum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class Verdict(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # tampered, truncated, already used or replaced by a newer one


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "aps.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        invited = "" if user.invited_at is None else user.invited_at.isoformat()
        return f"{super()._make_hash_value(user, timestamp)}{invited}{user.is_active}"

    def verdict(self, user, token: str) -> Verdict:
        """Why a link does or does not open: its signature first, then its age."""
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return Verdict.INVALID
        if user is None or user.has_usable_password() or not user.is_active:
            return Verdict.INVALID
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, s), token)
            for s in [self.secret, *self.secret_fallbacks]
        ):
            return Verdict.INVALID
        age = self._num_seconds(self._now()) - timestamp
        if age > settings.INVITATION_DAYS * 24 * 3600:
            return Verdict.EXPIRED
        return Verdict.VALID

    def check_token(self, user, token):
        return user is not None and token is not None and self.verdict(user, token) is Verdict.VALID


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    return reverse(
        "invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
