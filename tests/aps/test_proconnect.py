"""Sign-in with ProConnect (aps/proconnect.py) against the suite's own OpenID provider
(tests/oidc.py): the code flow with state, nonce and PKCE, the agent matched to an account by
e-mail, the refusals said in French, the end of the ProConnect session at logout, and the
password login turned off."""

import base64
import datetime
import hashlib
import re

import pytest
import requests
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from aps import proconnect
from aps.models import AccountState, User
from aps.proconnect import ProConnectBackend
from tests import oidc

LOGIN = reverse("login")
START = reverse("proconnect_login")


def start(client, next_url=None):
    """The login page's ProConnect button: the provider's authorization address."""
    response = client.get(START, {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, issuer, sub, next_url=None, **claims):
    """An agent goes through the whole flow: the application's answer to the callback."""
    if claims:
        oidc.set_agent(issuer, sub, **claims)
    back = oidc.authorize(start(client, next_url), sub)
    return client.get(oidc.local(back))


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def test_the_login_page_offers_proconnect_only_when_configured(client, db, settings):
    settings.PROCONNECT_URL = ""
    page = client.get(LOGIN).content.decode()
    assert "S’identifier avec" not in page
    assert client.get(START).status_code == 404


def test_the_button_as_proconnect_draws_it(client, db, proconnect):
    page = client.get(LOGIN).content.decode()
    assert 'class="aps-proconnect"' in page
    assert "S’identifier avec" in page and "ProConnect" in page
    assert "Qu’est-ce que ProConnect ?" in page
    # The password form stays beside it.
    assert 'name="password"' in page


def test_the_authorization_request_carries_state_nonce_and_pkce(client, db, proconnect):
    location = start(client)
    params = oidc.query(location)
    assert location.startswith(f"{proconnect}/")
    assert params["response_type"] == "code"
    assert params["client_id"] == oidc.CLIENT_ID
    assert set(params["scope"].split()) >= {"openid", "email", "given_name", "usual_name"}
    assert params["redirect_uri"] == "http://testserver/connexion/proconnect/retour/"
    kept = client.session["oidc_states"][params["state"]]
    assert kept["nonce"] == params["nonce"] and len(params["nonce"]) >= 32
    # PKCE: the challenge is the S256 digest of the verifier the session keeps for the token.
    digest = hashlib.sha256(kept["code_verifier"].encode()).digest()
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_the_code_is_redeemed_with_the_verifier_of_its_challenge(
    client, personas, proconnect, monkeypatch
):
    """PKCE's second half: the token request proves the code is ours with the verifier whose
    digest the authorization request announced (the suite's provider does not check it)."""
    sent = []
    real_get_token = ProConnectBackend.get_token

    def recording(backend, payload):
        sent.append(dict(payload))
        return real_get_token(backend, payload)

    monkeypatch.setattr(ProConnectBackend, "get_token", recording)
    oidc.set_agent(proconnect, "agent-pkce", email="dsden93@aps.test")
    location = start(client)
    challenge = oidc.query(location)["code_challenge"]
    client.get(oidc.local(oidc.authorize(location, "agent-pkce")))
    assert signed_in_as(client) == str(personas.dsden93.pk)
    [payload] = sent
    digest = hashlib.sha256(payload["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
    assert payload["grant_type"] == "authorization_code" and payload["code"]


def test_an_agent_with_an_account_is_signed_in_by_email(client, personas, proconnect):
    # The provider spells the address its own way: matched as every address is.
    response = sign_in(
        client, proconnect, "agent-1", email=" Chef.College@APS.test", email_verified=True
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == str(personas.college_head.pk)
    assert "oidc_id_token" in client.session
    page = client.get(reverse("home")).content.decode()
    assert personas.college_head.full_name in page


def test_the_page_asked_for_is_opened_after_signing_in(client, personas, proconnect):
    response = sign_in(
        client, proconnect, "agent-2", next_url="/projets/", email="dsden93@aps.test"
    )
    assert response["Location"] == "/projets/"
    assert signed_in_as(client) == str(personas.dsden93.pk)


def test_an_invited_account_signs_in_and_takes_its_name(client, personas, proconnect):
    invited = User.objects.create_user(email="nouvelle.cpe@aps.test", full_name="")
    invited.set_unusable_password()
    invited.save()
    sign_in(
        client,
        proconnect,
        "agent-3",
        email="nouvelle.cpe@aps.test",
        given_name="Inès",
        usual_name="Benali",
    )
    assert signed_in_as(client) == str(invited.pk)
    invited.refresh_from_db()
    assert invited.full_name == "Inès Benali"


def test_an_unknown_agent_is_told_who_to_ask_and_gets_no_account(client, personas, proconnect):
    before = User.objects.count()
    response = sign_in(client, proconnect, "agent-4", email="inconnu@education.gouv.fr")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Aucun compte APS pour cette adresse" in page
    assert "inconnu@education.gouv.fr" in page
    assert "chef·fe d&#x27;établissement" in page and "DSDEN" in page
    assert User.objects.count() == before
    assert signed_in_as(client) is None


def test_an_address_the_provider_says_unverified_is_refused(client, personas, proconnect):
    response = sign_in(
        client, proconnect, "agent-5", email="chef.lycee@aps.test", email_verified=False
    )
    assert response.status_code == 403
    assert "Adresse électronique non vérifiée" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_deactivated_account_is_refused(client, personas, proconnect):
    User.objects.filter(pk=personas.mlds.pk).update(is_active=False)
    response = sign_in(client, proconnect, "agent-6", email="mlds@aps.test")
    assert response.status_code == 403
    assert "Compte désactivé" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_tampered_state_is_refused(client, personas, proconnect):
    oidc.set_agent(proconnect, "agent-7", email="chef.college@aps.test")
    back = oidc.authorize(start(client), "agent-7")
    params = oidc.query(back)
    response = client.get(
        reverse("proconnect_callback"), {"code": params["code"], "state": "forged-state"}
    )
    assert response.status_code == 400
    assert "Connexion refusée" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_callback_replayed_is_refused(client, personas, proconnect, caplog):
    oidc.set_agent(proconnect, "agent-8", email="chef.college@aps.test")
    back = oidc.authorize(start(client), "agent-8")
    assert client.get(oidc.local(back)).status_code == 302
    # The state served once.
    assert oidc.query(back)["state"] not in client.session.get("oidc_states", {})
    client.logout()
    # The old code with a new sign-in's state: the provider refuses a code already used.
    new_state = oidc.query(start(client))["state"]
    response = client.get(
        reverse("proconnect_callback"), {"code": oidc.query(back)["code"], "state": new_state}
    )
    assert response.status_code == 400
    assert "ProConnect refused the code" in caplog.text
    assert signed_in_as(client) is None


def test_a_nonce_that_is_not_the_sessions_is_refused(client, personas, proconnect):
    oidc.set_agent(proconnect, "agent-9", email="chef.college@aps.test")
    back = oidc.authorize(start(client), "agent-9")
    # The session's nonce replaced (a token issued for another sign-in): refused.
    session = client.session
    state = oidc.query(back)["state"]
    session["oidc_states"][state]["nonce"] = "another-nonce"
    session.save()
    response = client.get(oidc.local(back))
    assert response.status_code == 400
    assert "n&#x27;a pas pu être vérifiée" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_sign_in_that_took_too_long_has_expired(client, personas, proconnect, settings):
    oidc.set_agent(proconnect, "agent-10", email="chef.college@aps.test")
    back = oidc.authorize(start(client), "agent-10")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=settings.PROCONNECT_STATE_MAX_AGE + 60
    )
    with time_machine.travel(later, tick=False):
        response = client.get(oidc.local(back))
    assert response.status_code == 400
    assert "Demande de connexion expirée" in response.content.decode()
    assert signed_in_as(client) is None


def test_an_expired_id_token_is_refused(client, personas, settings, caplog):
    # A provider whose tokens are already expired when issued.
    with oidc.provider(token_lifetime=datetime.timedelta(seconds=-60)) as issuer:
        settings.PROCONNECT_URL = issuer
        settings.OIDC_RP_CLIENT_ID = oidc.CLIENT_ID
        proconnect.forget_provider()
        try:
            response = sign_in(client, issuer, "agent-11", email="chef.college@aps.test")
        finally:
            proconnect.forget_provider()
    assert response.status_code == 400
    assert "Signature has expired" in caplog.text
    assert signed_in_as(client) is None


def test_a_code_the_provider_refuses_is_refused(client, personas, proconnect, settings, caplog):
    oidc.set_agent(proconnect, "agent-12", email="chef.college@aps.test")
    back = oidc.authorize(start(client), "agent-12")
    # The code was issued to "aps-tests": redeemed by another client, the provider refuses it.
    settings.OIDC_RP_CLIENT_ID = "another-application"
    response = client.get(oidc.local(back))
    assert response.status_code == 400
    assert "ProConnect refused the code" in caplog.text
    assert signed_in_as(client) is None


def test_an_agent_who_cancels_is_told(client, personas, proconnect):
    params = oidc.query(start(client))
    response = client.get(
        reverse("proconnect_callback"), {"error": "access_denied", "state": params["state"]}
    )
    assert response.status_code == 400
    assert "Connexion annulée" in response.content.decode()
    assert params["state"] not in client.session.get("oidc_states", {})


def test_logout_also_ends_the_proconnect_session(client, personas, proconnect):
    sign_in(client, proconnect, "agent-13", email="chef.college@aps.test")
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    # A page moving on to ProConnect (a redirect after the form would be held to the
    # policy's form-action), its link for a browser that does not follow it.
    assert response.status_code == 200
    page = response.content.decode()
    location = re.search(r'content="0;url=([^"]+)"', page).group(1).replace("&amp;", "&")
    assert f'href="{location}"'.replace("&", "&amp;") in page
    assert location.startswith(f"{proconnect}/oauth2/end_session?")
    params = oidc.query(location)
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == "http://testserver/connexion/"
    assert params["state"]
    assert signed_in_as(client) is None
    # The provider ends its session and comes back to the login page.
    confirm = requests.post(
        f"{proconnect}/oauth2/end_session/confirm",
        data={"redirect_uri": params["post_logout_redirect_uri"]},
        allow_redirects=False,
        timeout=10,
    )
    assert confirm.headers["Location"] == "http://testserver/connexion/"


def test_a_password_session_logs_out_locally(client, personas, proconnect):
    client.force_login(personas.college_head)
    response = client.post(reverse("logout"))
    assert response["Location"] == LOGIN


def test_a_provider_that_does_not_answer_is_said(client, db, settings):
    settings.PROCONNECT_URL = "http://127.0.0.1:9"  # nothing listens there
    proconnect.forget_provider()
    response = client.get(START)
    assert response.status_code == 503
    page = response.content.decode()
    assert "ProConnect est indisponible" in page
    assert "mot de passe" in page


@pytest.fixture
def passwords_off(settings):
    settings.PASSWORD_LOGIN = False


def test_password_login_can_be_turned_off(client, personas, proconnect, passwords_off):
    page = client.get(LOGIN).content.decode()
    assert 'name="password"' not in page
    assert "S’identifier avec" in page
    assert "Mot de passe oublié" not in page
    response = client.post(LOGIN, {"username": "chef.college@aps.test", "password": "demo-aps"})
    assert response.status_code == 403
    assert "connexion par mot de passe est désactivée" in response.content.decode()
    assert signed_in_as(client) is None
    assert client.get(reverse("password_reset")).status_code == 404
    # ProConnect still signs in; the name in the header no longer leads to a password.
    sign_in(client, proconnect, "agent-14", email="chef.college@aps.test")
    assert signed_in_as(client) == str(personas.college_head.pk)
    assert client.get(reverse("password_change")).status_code == 404
    assert reverse("password_change") not in client.get(reverse("home")).content.decode()


def test_no_password_opens_anything_when_they_are_off(client, personas, passwords_off):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post(LOGIN)
    assert authenticate(request, username="academie@aps.test", password="demo-aps") is None
    # A session a password opened before no longer opens.
    client.force_login(personas.academie, backend="aps.backends.PasswordBackend")
    assert client.get(reverse("home")).status_code == 302


def test_the_admin_sends_to_proconnect_when_passwords_are_off(client, personas, passwords_off):
    response = client.get(reverse("admin:login"), {"next": "/admin/projects/"})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/projects/"
    evil = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert evil["Location"] == f"{LOGIN}?next=/admin/"
    response = client.post(
        reverse("admin:login"), {"username": "academie@aps.test", "password": "demo-aps"}
    )
    assert signed_in_as(client) is None


def test_an_invitation_signs_in_with_proconnect_when_passwords_are_off(
    client, personas, proconnect, passwords_off
):
    from aps.invitations import invitation_path

    invited = User.objects.create_user(email="nouvelle.cpe@aps.test", full_name="Inès Benali")
    invited.set_unusable_password()
    invited.invited_at = timezone.now()
    invited.save()
    page = client.get(invitation_path(invited))
    assert page.status_code == 200
    text = page.content.decode()
    assert "nouvelle.cpe@aps.test" in text and "S’identifier avec" in text
    assert 'name="new_password1"' not in text
    sign_in(client, proconnect, "agent-15", email="nouvelle.cpe@aps.test")
    invited.refresh_from_db()
    assert signed_in_as(client) == str(invited.pk)
    assert invited.state == AccountState.ACTIVE  # no more invitations to send


def test_a_password_login_never_asks_the_provider(client, personas, proconnect, caplog):
    # A "code" in the query string of the password form's address is not a ProConnect answer.
    response = client.post(
        f"{LOGIN}?code=forged&state=forged",
        {"username": "chef.college@aps.test", "password": "demo-aps"},
    )
    assert response.status_code == 302
    assert signed_in_as(client) == str(personas.college_head.pk)
    assert "oauth2/token" not in caplog.text


def test_refused_agents_are_not_counted_as_failed_logins(client, personas, proconnect):
    for number in range(7):  # more than AXES_FAILURE_LIMIT
        response = sign_in(client, proconnect, f"stranger-{number}", email="inconnu@ac.fr")
        assert response.status_code == 403
    assert AccessAttempt.objects.count() == 0
    assert sign_in(client, proconnect, "agent-16", email="chef.lycee@aps.test").status_code == 302


def test_a_refused_agents_session_keeps_no_token(client, personas, proconnect):
    sign_in(client, proconnect, "agent-17", email="inconnu@ac.fr")
    assert "oidc_id_token" not in client.session


def test_an_error_answer_from_elsewhere_logs_nobody_out(client, personas, proconnect):
    client.force_login(personas.college_head)
    response = client.get(reverse("proconnect_callback"), {"error": "access_denied"})
    assert response.status_code == 400
    assert signed_in_as(client) == str(personas.college_head.pk)


def test_a_next_address_elsewhere_is_not_followed(client, personas, proconnect):
    response = sign_in(
        client, proconnect, "agent-18", next_url="https://evil.example/", email="mlds@aps.test"
    )
    assert response["Location"] == reverse("home")


def test_a_provider_answering_nonsense_is_said(client, db, settings, oidc_issuer):
    # An address that answers, but not a discovery document.
    settings.PROCONNECT_URL = f"{oidc_issuer}/jwks"
    proconnect.forget_provider()
    response = client.get(START)
    assert response.status_code == 503
    assert "ProConnect est indisponible" in response.content.decode()
    proconnect.forget_provider()
