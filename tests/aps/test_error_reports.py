"""Error reports to Sentry (SENTRY_DSN): nothing about a person but their id. The end-to-end
test runs Django in a process of its own, reporting to a local HTTP server that stands for
Sentry's, and reads what reached it."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk

from aps.observability import init_sentry, scrub_event

ROOT = Path(__file__).resolve().parents[2]
PERSON = "jean.dupont@example.fr"


def test_the_scrubber_removes_bodies_cookies_queries_and_addresses():
    event = {
        "request": {
            "url": "https://aps.ac-creteil.fr/fiches/?q=Dupont&email=jean.dupont%40example.fr",
            "method": "POST",
            "query_string": "q=Dupont",
            "cookies": {"sessionid": "abc"},
            "data": {"full_name": "Jean Dupont"},
            "env": {"REMOTE_ADDR": "10.0.0.8"},
            "headers": {
                "Cookie": "sessionid=abc",
                "Referer": "https://aps.ac-creteil.fr/fiches/?q=Dupont",
                "User-Agent": "Firefox",
            },
        },
        "user": {"id": 42, "email": PERSON, "ip_address": "10.0.0.8"},
        "exception": {"values": [{"type": "ValueError", "value": f"no account for {PERSON}"}]},
        "logentry": {"message": "E-mail not sent to %s", "params": [PERSON]},
        "breadcrumbs": {"values": [{"message": f"sent to <{PERSON}>", "category": "mail"}]},
        "extra": {"to": [PERSON]},
    }
    scrubbed = scrub_event(event, {})
    assert scrubbed["request"] == {
        "url": "https://aps.ac-creteil.fr/fiches/",
        "method": "POST",
        "headers": {"User-Agent": "Firefox"},
    }
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["exception"]["values"][0]["value"] == "no account for [e-mail]"
    assert scrubbed["logentry"]["params"] == ["[e-mail]"]
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "sent to <[e-mail]>"
    assert "Dupont" not in json.dumps(scrubbed) and "dupont" not in json.dumps(scrubbed)


def test_the_secret_of_a_reset_link_is_not_reported(db):
    event = {"request": {"url": "https://aps.test/mot-de-passe/nouveau/MQ/cdz3kq-5d1c0f/"}}
    assert (
        scrub_event(event)["request"]["url"] == "https://aps.test/mot-de-passe/nouveau/MQ/[token]/"
    )


def test_a_user_without_id_is_reported_as_nobody():
    assert scrub_event({"user": {"ip_address": "10.0.0.8"}})["user"] == {}


def test_nothing_is_reported_without_a_dsn():
    assert init_sentry({}) is False
    assert init_sentry({"SENTRY_DSN": "  "}) is False
    assert not sentry_sdk.get_client().is_active()


class FakeSentry(BaseHTTPRequestHandler):
    """Keeps each envelope posted to it, uncompressed."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK's choice when brotli is installed (as here)
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    FakeSentry.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# A view failing with a person's address in its error, after a log line naming another,
# requested through Django's WSGI application, as gunicorn does.
FAILING_PAGE = f"""
import io, logging, wsgiref.util
import django, sentry_sdk
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
from django.contrib.auth.decorators import login_not_required
from django.test import override_settings
from django.urls import include, path

@login_not_required
def fails(request):
    logging.getLogger("reviews").warning("E-mail not sent to m.durand@ac-creteil.fr")
    raise ValueError("no account for {PERSON}")

urlpatterns = [path("echoue/", fails), path("", include("aps.urls"))]
environ = {{
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/echoue/",
    "QUERY_STRING": "nom=Dupont&email={PERSON}",
    "HTTP_HOST": "localhost",
    "HTTP_COOKIE": "aps_signed_in=1; note={PERSON}",
    "HTTP_REFERER": "http://localhost/fiches/?q=Dupont",
    "HTTP_X_REQUEST_ID": "req-0123456789",
    "REMOTE_ADDR": "10.0.0.8",
    "wsgi.input": io.BytesIO(),
}}
wsgiref.util.setup_testing_defaults(environ)
statuses = []
with override_settings(ROOT_URLCONF="__main__"):
    b"".join(application(environ, lambda status, headers: statuses.append(status)))
assert statuses == ["500 Internal Server Error"], statuses
sentry_sdk.flush()
"""


def events_in(envelopes: list[bytes]) -> list[dict]:
    events = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def test_an_error_reaches_sentry_without_personal_data(sentry_server, tmp_path):
    host, port = sentry_server.server_address
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aps.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path}/sentry.sqlite3",
        "SENTRY_DSN": f"http://public-key@{host}:{port}/7",
        "SENTRY_ENVIRONMENT": "recette",
    }
    result = subprocess.run(
        [sys.executable, "-c", FAILING_PAGE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    raw = b"\n".join(FakeSentry.received).decode()
    [event] = events_in(FakeSentry.received)
    assert event["environment"] == "recette"
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["exception"]["values"][-1]["value"] == "no account for [e-mail]"
    assert event["tags"]["request_id"] == "req-0123456789"  # to find the request's log lines
    assert event["request"]["url"] == "http://localhost/echoue/"
    assert not {"query_string", "cookies", "data"} & set(event["request"])
    assert "Referer" not in event["request"].get("headers", {})
    breadcrumbs = [crumb.get("message") for crumb in event["breadcrumbs"]["values"]]
    assert "E-mail not sent to [e-mail]" in breadcrumbs
    assert "vars" not in json.dumps(event["exception"])  # no local variables
    for revealing in ("Dupont", "dupont", "durand", "example.fr", "note="):
        assert revealing not in raw, revealing
