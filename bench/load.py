"""The load part of ``make bench``: gunicorn (2 workers, production settings on loopback
HTTP) under locust, headless, 50 users for 60 seconds. The users sign in with ProConnect,
through the test suite's local OpenID provider started here (``BENCH_SSO=0``: with their
passwords, as before ProConnect); each page's p50, p95 and p99 are printed beside the
trivial page's."""

import contextlib
import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SSO = os.environ.get("BENCH_SSO", "1") == "1"
# The demo accounts the locust users sign in as (bench/locustfile.py).
AGENTS = ("dsden93@aps.test", "mlds@aps.test", "staff.college@aps.test")


@contextlib.contextmanager
def provider():
    """The local OpenID provider, knowing each agent by its address; none without SSO."""
    if not SSO:
        yield ""
        return
    sys.path.insert(0, str(ROOT))
    from tests import oidc

    with oidc.provider() as issuer:
        for email in AGENTS:
            oidc.set_agent(issuer, email, email=email, email_verified=True)
        yield issuer


def run_load(database_url: str) -> list[str]:
    with provider() as issuer:
        return _run(database_url, issuer)


def _run(database_url: str, issuer: str) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="aps-load-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        # The load logs in repeatedly from one address: no throttling here.
        "AXES_FAILURE_LIMIT": "100000",
        "PROCONNECT_URL": issuer,
        "PROCONNECT_CLIENT_ID": "aps-bench",
        "PROCONNECT_CLIENT_SECRET": "aps-bench-secret",
    }
    env.pop("APS_TODAY", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "aps.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/connexion/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        prefix = work / "locust"
        subprocess.run(
            [
                python,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                "10",
                "-t",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
            ],
            cwd=ROOT,
            env={**os.environ, "APS_LOAD_PROVIDER": issuer},
            check=False,
            capture_output=True,
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total = rows["Aggregated"]
    trivial = rows.get("trivial page", {}).get("95%", "?")
    lines = [
        f"bench: load users={USERS} seconds={SECONDS} workers={WORKERS} "
        f"login={'proconnect' if issuer else 'password'} "
        f"requests={total['Request Count']} errors={total['Failure Count']} "
        f"rps={float(total['Requests/s']):.1f} p50_ms={total['50%']} p95_ms={total['95%']} "
        f"p99_ms={total['99%']} trivial_p95_ms={trivial}"
    ]
    for name, row in sorted(rows.items()):
        if name != "Aggregated":
            lines.append(
                f"bench: load_{name.replace(' ', '_').replace(':', '')} "
                f"requests={row['Request Count']} errors={row['Failure Count']} "
                f"p50_ms={row['50%']} p95_ms={row['95%']} p99_ms={row['99%']}"
            )
    return lines
