"""ProConnect's tokens as aps/proconnect.py checks them, served by a small provider of the
test's own on the loopback (its discovery document, key set and userinfo answer, signed with a
key made here): ProConnect signs its userinfo answer (application/jwt), which the suite's
general provider (tests/oidc.py) does not; and tokens forged the usual ways are refused."""

import http.server
import json
import threading
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation

from aps import proconnect

CLIENT = "aps-tests"


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key, kid):
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return jwk | {"kid": kid, "alg": "RS256", "use": "sig"}


class Provider:
    """A provider answering fixed documents: ``answers[path] = (content type, body)``."""

    def __init__(self):
        self.answers = {}
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 -- http.server's name
                content_type, body = provider.answers[self.path.split("?")[0]]
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    served = Provider()
    key = rsa_key()
    served.key = key
    served.answers["/.well-known/openid-configuration"] = (
        "application/json",
        {
            "issuer": served.issuer,
            "authorization_endpoint": f"{served.issuer}/authorize",
            "token_endpoint": f"{served.issuer}/token",
            "userinfo_endpoint": f"{served.issuer}/userinfo",
            "jwks_uri": f"{served.issuer}/jwks",
            "end_session_endpoint": f"{served.issuer}/session/end",
        },
    )
    served.answers["/jwks"] = ("application/json", {"keys": [public_jwk(key, "k1")]})
    settings.PROCONNECT_URL = served.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT
    settings.OIDC_RP_CLIENT_SECRET = "the-client-secret"
    proconnect.forget_provider()
    yield served
    proconnect.forget_provider()
    served.close()


def signed(claims, key, *, kid="k1", algorithm="RS256"):
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


def id_claims(issuer, **changes):
    now = int(time.time())
    claims = {"iss": issuer, "aud": CLIENT, "sub": "agent-1", "iat": now, "exp": now + 60}
    claims["nonce"] = "the-nonce"
    return claims | changes


def backend():
    from django.test import RequestFactory

    found = proconnect.ProConnectBackend()
    found.request = RequestFactory().get("/connexion/proconnect/retour/")
    return found


def test_proconnects_signed_userinfo_is_read(provider):
    claims = {"sub": "agent-1", "aud": CLIENT, "iss": provider.issuer, "email": "a@ac.fr"}
    provider.answers["/userinfo"] = ("application/jwt", signed(claims, provider.key))
    found = backend().get_userinfo("access", "id", {"sub": "agent-1"})
    assert found["email"] == "a@ac.fr"


@pytest.mark.parametrize(
    "change, why",
    [
        ({"sub": "agent-2"}, "about another agent"),
        ({"aud": "another-application"}, "for another application"),
        ({"iss": "https://elsewhere.example"}, "from another issuer"),
    ],
)
def test_a_signed_userinfo_not_ours_is_refused(provider, change, why):
    claims = {"sub": "agent-1", "aud": CLIENT, "iss": provider.issuer, "email": "a@ac.fr"}
    provider.answers["/userinfo"] = ("application/jwt", signed(claims | change, provider.key))
    with pytest.raises(SuspiciousOperation):
        backend().get_userinfo("access", "id", {"sub": "agent-1"})


def test_a_userinfo_signed_with_another_key_is_refused(provider):
    claims = {"sub": "agent-1", "aud": CLIENT, "iss": provider.issuer}
    provider.answers["/userinfo"] = ("application/jwt", signed(claims, rsa_key(), kid="k1"))
    with pytest.raises(SuspiciousOperation):
        backend().get_userinfo("access", "id", {"sub": "agent-1"})


def test_a_new_key_of_the_provider_is_read_again(provider):
    checker = backend()
    checker.verify_token(signed(id_claims(provider.issuer), provider.key), nonce="the-nonce")
    # The provider rotates its keys: a token naming the new one makes the set read again.
    new = rsa_key()
    provider.answers["/jwks"] = ("application/json", {"keys": [public_jwk(new, "k2")]})
    token = signed(id_claims(provider.issuer), new, kid="k2")
    assert checker.verify_token(token, nonce="the-nonce")["sub"] == "agent-1"


def test_the_id_token_is_checked(provider):
    checker = backend()
    good = id_claims(provider.issuer)
    assert checker.verify_token(signed(good, provider.key), nonce="the-nonce")["sub"] == "agent-1"
    forged = [
        signed(good, provider.key) + "x",  # its signature altered
        signed(id_claims(provider.issuer, aud="another-application"), provider.key),
        signed(id_claims(provider.issuer, iss="https://elsewhere.example"), provider.key),
        signed(id_claims(provider.issuer, exp=int(time.time()) - 3600), provider.key),
        signed({k: v for k, v in good.items() if k != "sub"}, provider.key),
        # Several audiences, not authorized for this application.
        signed(id_claims(provider.issuer, aud=[CLIENT, "other"], azp="other"), provider.key),
        # Signed with the client's secret instead of the provider's key (algorithm confusion).
        jwt.encode(good, "the-client-secret", algorithm="HS256", headers={"kid": "k1"}),
        # Not signed at all.
        jwt.encode(good, None, algorithm="none", headers={"kid": "k1"}),
    ]
    for token in forged:
        with pytest.raises(SuspiciousOperation):
            checker.verify_token(token, nonce="the-nonce")
    # Its nonce must be the sign-in's.
    with pytest.raises(SuspiciousOperation):
        checker.verify_token(signed(good, provider.key), nonce="another-nonce")


def test_a_clock_a_little_behind_the_providers_is_tolerated(provider):
    ahead = id_claims(provider.issuer, iat=int(time.time()) + 20)
    assert backend().verify_token(signed(ahead, provider.key), nonce="the-nonce")


def test_a_discovery_document_of_another_issuer_is_refused(provider):
    provider.answers["/.well-known/openid-configuration"] = (
        "application/json",
        {"issuer": "https://elsewhere.example", "authorization_endpoint": "x"},
    )
    with pytest.raises(proconnect.ProviderError):
        proconnect.provider()
