"""Sign-in with ProConnect, the State's identity federation for its agents (OpenID Connect),
through mozilla-django-oidc: the authorization code flow with state, nonce and PKCE.

On when ``PROCONNECT_URL`` (the provider's issuer) is set. The provider's endpoints are read
from its discovery document (``/.well-known/openid-configuration``) when first needed, then
kept by the process for a day, as its key set: ProConnect's and the test suite's local provider
lay them out differently. An agent is matched to an existing account (created by an invitation or an
import) by its e-mail address, normalised as everywhere; no account is ever created here, so
that nobody gets rights by signing in. Logging out also ends the ProConnect session
(``end_session_endpoint``)."""

import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render, resolve_url
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .text import normalised_email

logger = logging.getLogger(__name__)

# Seconds of difference tolerated between the provider's clock and ours (a token "issued
# at" a moment ahead of ours is not forged).
CLOCK_LEEWAY = 60

# The settings mozilla-django-oidc reads, and the provider metadata they come from.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

# Why a sign-in was refused, as the refusal page says it (title, text, HTTP status).
REFUSALS = {
    "unknown": (
        "Aucun compte APS pour cette adresse",
        "ProConnect vous a bien identifié·e, mais aucun compte APS ne correspond à votre "
        "adresse électronique {email}. Les comptes sont ouverts par invitation : demandez à "
        "votre chef·fe d'établissement (personnels d'un établissement), à votre DSDEN "
        "(coordonnateurs MLDS, réseaux FOQUALE) ou au service académique qui administre APS "
        "de vous inviter avec cette adresse, puis reconnectez-vous.",
        403,
    ),
    "unverified": (
        "Adresse électronique non vérifiée",
        "ProConnect n'a pas pu garantir votre adresse électronique {email} : votre compte APS "
        "ne peut pas y être rattaché. Vérifiez cette adresse auprès de votre fournisseur "
        "d'identité, puis reconnectez-vous.",
        403,
    ),
    "inactive": (
        "Compte désactivé",
        "Votre compte APS est désactivé. Adressez-vous à la personne qui vous avait invité·e "
        "ou au service académique qui administre APS.",
        403,
    ),
    "expired": (
        "Demande de connexion expirée",
        "La demande de connexion a expiré ou a déjà servi. Recommencez la connexion avec "
        "ProConnect.",
        400,
    ),
    "invalid": (
        "Connexion refusée",
        "La réponse de ProConnect n'a pas pu être vérifiée (lien modifié, réponse altérée ou "
        "trop ancienne) : vous n'êtes pas connecté·e. Recommencez la connexion avec ProConnect.",
        400,
    ),
    "denied": (
        "Connexion annulée",
        "La connexion avec ProConnect a été annulée : vous n'êtes pas connecté·e.",
        400,
    ),
    "unavailable": (
        "ProConnect est indisponible",
        "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes{password_hint}.",
        503,
    ),
}


def enabled() -> bool:
    return bool(settings.PROCONNECT_URL)


class ProviderError(Exception):
    """The provider answered something unusable (a discovery document or key set without
    what it must hold)."""


# What the process keeps of the provider: its discovery document and its key set, read
# again after a day (a key it withdrew stops being trusted), never kept when unusable.
KEPT_SECONDS = 24 * 3600
_kept: dict[str, tuple[float, object]] = {}


def _fetch_json(url: str) -> object:
    response = requests.get(url, timeout=(3.05, settings.OIDC_TIMEOUT))
    response.raise_for_status()
    try:
        return response.json()
    except ValueError as error:
        raise ProviderError(f"{url} answered no JSON") from error


def _kept_or_fetched(url: str, check, *, fresh: bool = False):
    kept = _kept.get(url)
    if not fresh and kept and time.monotonic() - kept[0] < KEPT_SECONDS:
        return kept[1]
    value = check(_fetch_json(url))
    _kept[url] = (time.monotonic(), value)
    return value


def forget_provider() -> None:
    """Forget the provider's documents (the tests switch providers)."""
    _kept.clear()


def _checked_metadata(issuer: str):
    def check(data):
        wanted = ("issuer", *ENDPOINTS.values())
        if not isinstance(data, dict) or any(not isinstance(data.get(k), str) for k in wanted):
            raise ProviderError(f"incomplete discovery document at {issuer}")
        # OpenID Connect Discovery: the document is the issuer's own.
        if data["issuer"].rstrip("/") != issuer:
            raise ProviderError(f"discovery document of {data['issuer']} at {issuer}")
        return data

    return check


def provider() -> dict:
    """The provider's metadata (its discovery document)."""
    issuer = settings.PROCONNECT_URL
    return _kept_or_fetched(f"{issuer}/.well-known/openid-configuration", _checked_metadata(issuer))


def _checked_keys(data):
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise ProviderError("key set without keys")
    # Signing keys only ("enc" ones encrypt).
    return [key for key in keys if isinstance(key, dict) and key.get("use", "sig") == "sig"]


def _key_set(url: str, *, fresh: bool) -> list:
    return _kept_or_fetched(url, _checked_keys, fresh=fresh)


def _setting(attr, *args):
    """mozilla-django-oidc's settings, with the endpoints read from the provider."""
    if attr in ENDPOINTS:
        return provider()[ENDPOINTS[attr]]
    return OIDCAuthenticationBackend.get_settings(attr, *args)


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of ProConnect; every other authentication (the password
    form, the admin's) passes through it untouched, without reading the provider."""

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads the endpoints here, for every authentication Django
        # attempts: read lazily instead (the properties below), so that a password login
        # never asks the provider anything.
        ModelBackend.__init__(self, *args, **kwargs)
        self.UserModel = auth.get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    get_settings = staticmethod(_setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 -- the name mozilla-django-oidc reads
        return _setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return _setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return _setting("OIDC_OP_JWKS_ENDPOINT")

    def retrieve_matching_jwk(self, token):
        """The provider's key that signed ``token``, from its key set kept by the process (read
        again once when the token names a key it does not hold: the provider rotated them)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ProConnect token unreadable: {error}") from error
        for fresh in (False, True):
            for key in _key_set(self.OIDC_OP_JWKS_ENDPOINT, fresh=fresh):
                if key.get("kid") == header.get("kid") and key.get("alg", header.get("alg")) == (
                    header.get("alg")
                ):
                    try:
                        return jwt.PyJWK(key)
                    except jwt.PyJWTError as error:
                        raise SuspiciousOperation(f"ProConnect key unusable: {error}") from error
        raise SuspiciousOperation("ProConnect token signed with an unknown key")

    def authenticate(self, request, *, nonce, code_verifier):
        """Only the callback's credentials (Django skips a backend whose signature does not
        take the ones given: a password login never reaches this one)."""
        if request is None or not enabled():
            return None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def get_token(self, payload):
        info = super().get_token(payload)
        if not isinstance(info, dict) or not isinstance(info.get("id_token"), str):
            raise SuspiciousOperation("ProConnect token answer without an ID token")
        return info

    def store_tokens(self, access_token, id_token):
        # Kept in the session only once the account is accepted (LoginCallback): a refused
        # agent's session holds no token of theirs.
        self.request.proconnect_id_token = id_token

    def _verify_jws(self, payload, key):
        """The signature, and the claims a token must hold: issued by the provider, for this
        application, not expired (an expired or foreign token is refused, not an error)."""
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider()["issuer"],
                options={"require": ["exp", "iat", "sub"]},
                leeway=CLOCK_LEEWAY,
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ProConnect token refused: {error}") from error
        # Issued to several audiences, it must have been requested by this application.
        if len(_audiences(claims["aud"])) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ProConnect token authorized for another party")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The agent's claims from the userinfo endpoint: ProConnect signs them (a JWT, checked
        like the ID token but without its nonce and lifetime); a generic provider may answer
        JSON. They must be about the subject of the ID token."""
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            claims = self._signed_claims(response.text)
        else:
            try:
                claims = response.json()
            except ValueError as error:
                raise SuspiciousOperation("ProConnect userinfo unreadable") from error
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("ProConnect userinfo about another subject")
        return claims

    def _signed_claims(self, token: str) -> dict:
        key = self.retrieve_matching_jwk(token)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                issuer=provider()["issuer"],
                options={"verify_aud": False},
                leeway=CLOCK_LEEWAY,
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ProConnect userinfo refused: {error}") from error
        if "aud" in claims and self.OIDC_RP_CLIENT_ID not in _audiences(claims["aud"]):
            raise SuspiciousOperation("ProConnect userinfo for another application")
        return claims

    def verify_claims(self, claims):
        """An address, and one the provider does not say unverified. (ProConnect's identity
        providers are the administrations: their agents' addresses are theirs; it sends no
        ``email_verified``, a generic provider may send false.)"""
        email = normalised_email(claims.get("email"))
        self.request.proconnect_email = email
        if not email:
            return False
        if claims.get("email_verified") in (False, "false"):
            self.request.proconnect_refusal = "unverified"
            return False
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email=normalised_email(claims.get("email")))

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            self.request.proconnect_refusal = "unknown"
        elif not user.is_active:
            self.request.proconnect_refusal = "inactive"
        return user

    def update_user(self, user, claims):
        """An account without a name takes the one ProConnect gives (first and usual names)."""
        if not user.full_name:
            name = " ".join(
                part.strip()
                for part in (claims.get("given_name"), claims.get("usual_name"))
                if part and part.strip()
            )
            if name:
                user.full_name = name[: user._meta.get_field("full_name").max_length]
                user.save(update_fields=["full_name"])
        return user

    def get_user(self, user_id):
        # As the password's backend: a deactivated account's session no longer opens.
        return ModelBackend.get_user(self, user_id)


def _audiences(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def refused(request, reason: str, *, email: str = ""):
    title, text, status = REFUSALS[reason]
    password_hint = (
        ", ou connectez-vous avec votre adresse et votre mot de passe"
        if settings.PASSWORD_LOGIN
        else ""
    )
    return render(
        request,
        "registration/proconnect_refused.html",
        {
            "title": title,
            "text": text.format(email=email or "(inconnue)", password_hint=password_hint),
        },
        status=status,
    )


@method_decorator(login_not_required, name="dispatch")
class LoginStart(OIDCAuthenticationRequestView):
    """ "S'identifier avec ProConnect": to the provider, with a new state, nonce and PKCE
    challenge kept in the session."""

    get_settings = staticmethod(_setting)

    def __init__(self, *args, **kwargs):
        # The parent reads the provider's endpoint here: read at the request instead.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not enabled():
            raise Http404("ProConnect n'est pas configuré sur cette instance.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = _setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ProviderError):
            logger.warning("ProConnect discovery failed", exc_info=True)
            return refused(request, "unavailable")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class LoginCallback(OIDCAuthenticationCallbackView):
    """ProConnect's answer: the account signed in, or a French page saying why not."""

    get_settings = staticmethod(_setting)

    def get(self, request):
        if not enabled():
            raise Http404("ProConnect n'est pas configuré sur cette instance.")
        state = request.GET.get("state")
        pending = request.session.get("oidc_states", {})
        if state not in pending:
            # A link modified, replayed, or opened in another browser: nothing happens to the
            # session (an error answer from another site does not log anyone out).
            return refused(request, "invalid" if pending else "expired")
        if request.GET.get("error"):
            del pending[state]
            request.session.save()
            return refused(request, "denied")
        if "code" not in request.GET:
            return refused(request, "invalid")
        if time.time() - pending[state].get("added_on", 0) > settings.PROCONNECT_STATE_MAX_AGE:
            del pending[state]
            request.session.save()
            return refused(request, "expired")
        try:
            response = super().get(request)
        except (SuspiciousOperation, jwt.PyJWTError):
            logger.warning("ProConnect answer refused", exc_info=True)
            return refused(request, "invalid")
        except requests.HTTPError as error:
            # The provider answered, and refused (a code already used, another client's).
            status = error.response.status_code if error.response is not None else 500
            logger.warning("ProConnect refused the code", exc_info=True)
            return refused(request, "invalid" if status < 500 else "unavailable")
        except (requests.RequestException, ProviderError):
            logger.warning("ProConnect unreachable at the callback", exc_info=True)
            return refused(request, "unavailable")
        reason = getattr(request, "proconnect_refusal", None)
        if reason:
            return refused(request, reason, email=getattr(request, "proconnect_email", ""))
        if not request.user.is_authenticated:
            return refused(request, "invalid")
        # For the end of the ProConnect session at logout (id_token_hint).
        request.session["oidc_id_token"] = request.proconnect_id_token
        return response


def end_session_url(request) -> str:
    """Where logging out goes when the session came from ProConnect: its end of session,
    which comes back to the login page (mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD)."""
    id_token = request.session.get("oidc_id_token")
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    try:
        endpoint = provider().get("end_session_endpoint") if id_token and enabled() else None
    except (requests.RequestException, ProviderError):
        logger.warning("ProConnect discovery failed at logout", exc_info=True)
        endpoint = None
    if not endpoint:
        return back
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": back,
        }
    )
    return f"{endpoint}?{query}"
