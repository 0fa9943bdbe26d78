"""A real OpenID provider for the tests, started by the suite itself (oidc-provider-mock: a
Flask application signing RS256 tokens, on a free port of the loopback), and what a test
needs to sign in through it as ProConnect's agents do."""

import contextlib
import logging
import os
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import requests
from oidc_provider_mock import run_server_in_thread

# The mock refuses plain HTTP unless told (authlib's check); the loopback is not a network.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

CLIENT_ID = "aps-tests"
CLIENT_SECRET = "aps-tests-secret"


@contextlib.contextmanager
def provider(token_lifetime: timedelta = timedelta(hours=1)):
    """A provider running until the end of the block: its issuer's URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    with run_server_in_thread(access_token_max_age=token_lifetime) as server:
        yield f"http://localhost:{server.server_port}"


def set_agent(issuer: str, sub: str, **claims) -> None:
    """The provider's identity ``sub`` with its claims (``email``, ``given_name``…)."""
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()


def authorize(authorization_url: str, sub: str) -> str:
    """The agent ``sub`` consents on the provider's page: the address it sends the browser
    back to (the application's callback, with the code and the state)."""
    response = requests.post(
        authorization_url, data={"sub": sub}, allow_redirects=False, timeout=10
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def local(url: str) -> str:
    """``url`` without its scheme and host, for Django's test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
