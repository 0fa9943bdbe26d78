"""The load part of ``make bench``: gunicorn (2 workers, production settings on loopback
HTTP) under locust, headless, 50 users for 60 seconds."""

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


def run_load(database_url: str) -> list[str]:
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
            "2",
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
            env={**os.environ},
            check=False,
            capture_output=True,
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    total = rows["Aggregated"]
    lines = [
        f"bench: load users={USERS} seconds={SECONDS} workers=2 "
        f"requests={total['Request Count']} errors={total['Failure Count']} "
        f"rps={float(total['Requests/s']):.1f} p50_ms={total['50%']} p95_ms={total['95%']} "
        f"p99_ms={total['99%']}"
    ]
    for name, row in sorted(rows.items()):
        if name != "Aggregated":
            lines.append(
                f"bench: load_{name.replace(' ', '_')} requests={row['Request Count']} "
                f"errors={row['Failure Count']} p50_ms={row['50%']} p95_ms={row['95%']}"
            )
    return lines
