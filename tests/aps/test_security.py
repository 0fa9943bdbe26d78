"""Production settings and login throttling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from aps.models import User

ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("login")


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value.strip().strip('"')
    return values


def test_check_deploy_is_clean_with_the_production_example(tmp_path):
    env = {
        **os.environ,
        **env_example(),
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-1234567890",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.db",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("APS_TODAY", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the test suite for Playwright only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_settings(settings):
    """What the production example sets, read back through Django's own settings module."""
    env = {**env_example(), "SECRET_KEY": "s" * 60}
    code = (
        "import django, json; from django.conf import settings as s; django.setup();"
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_AGE,"
        " s.SECURE_CSP['script-src']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "aps.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    debug, secure, httponly, csrf_secure, hsts, redirect, age, scripts = json.loads(result.stdout)
    assert (debug, secure, httponly, csrf_secure, redirect) == (False, True, True, True, True)
    assert hsts >= 31536000 and age <= 8 * 3600
    assert "'unsafe-inline'" not in scripts


def test_secret_key_is_required_without_debug():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "",
            "DJANGO_SETTINGS_MODULE": "aps.settings",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY doit être défini" in result.stderr


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    User.objects.create_user(
        email="cible@aps.test", password="bon-mot-de-passe-42", full_name="Cible"
    )
    for attempt in range(1, 4):
        response = client.post(LOGIN, {"username": "cible@aps.test", "password": "mauvais"})
        assert response.status_code == (429 if attempt == 3 else 200)
    # Locked out now, even with the right password; a French page, HTTP 429
    response = client.post(LOGIN, {"username": "cible@aps.test", "password": "bon-mot-de-passe-42"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address from the same place is not blocked
    User.objects.create_user(
        email="autre@aps.test", password="bon-mot-de-passe-43", full_name="Autre"
    )
    response = client.post(LOGIN, {"username": "autre@aps.test", "password": "bon-mot-de-passe-43"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_admin_is_reserved_to_academie_staff(client, personas):
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]
    # Even flagged as staff by mistake, a DSDEN account stays out.
    User.objects.filter(email="dsden93@aps.test").update(is_staff=True)
    client.force_login(User.objects.get(email="dsden93@aps.test"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    academie = User.objects.get(email="academie@aps.test")
    assert academie.is_staff
    client.force_login(academie)
    assert client.get(reverse("admin:index")).status_code == 200


def test_placeholder_secret_key_of_the_example_is_refused_without_debug(tmp_path):
    env = {
        **os.environ,
        **env_example(),  # SECRET_KEY left as the example's placeholder
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.db",
        "DJANGO_SETTINGS_MODULE": "aps.settings",
    }
    env.pop("APS_TODAY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY vaut encore l'exemple de .env.example" in result.stderr
