"""Settings of the APS project, read from the environment (see .env.example).

With no variable set, a fresh checkout runs in debug mode on SQLite.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# The value .env.example shows: copied as is, it would sign sessions and reset links with a
# key anyone can read.
EXAMPLE_SECRET_KEY = "change-me-to-a-long-random-string"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY doit être défini lorsque DEBUG est désactivé.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
elif SECRET_KEY.strip() == EXAMPLE_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY vaut encore l'exemple de .env.example (« change-me-… ») : "
        "remplacez-la par une longue chaîne aléatoire gardée secrète."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "dsfr",
    "crispy_forms",
    "django_filters",
    "django_tasks_db",
    "axes",
    "aps",
    "projects",
    "funding",
    "reviews",
]

MIDDLEWARE = [
    # First: the request's id and its log line cover every other middleware's answer.
    "aps.activity_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aps.middleware.NoStoreWhenSignedInMiddleware",
    "aps.middleware.FrenchMethodNotAllowedMiddleware",
    "aps.middleware.SignedInMarkMiddleware",
    "aps.post_keeper.LoginRequiredKeepingPostMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its French 429 page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes, see aps/login_throttle.py): after AXES_FAILURE_LIMIT failed
# attempts for the same address (in any spelling) and IP, that pair is refused for
# AXES_COOLOFF_TIME, and a success resets its count; after AXES_IP_FAILURE_LIMIT failed
# attempts from one IP, whatever the addresses, that IP is refused too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "aps.proconnect.ProConnectBackend",
    "aps.backends.PasswordBackend",
]

# Sign-in with ProConnect (aps/proconnect.py, mozilla-django-oidc): offered on the login page
# when PROCONNECT_URL, the provider's issuer, is set (its endpoints are read from its
# discovery document). PASSWORD_LOGIN=0 turns the e-mail and password login off (the login
# page, the admin's, the password reset): ProConnect is then the only way in.
PROCONNECT_URL = os.environ.get("PROCONNECT_URL", "").rstrip("/")
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)
OIDC_RP_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("PROCONNECT_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name")
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
# Accounts come from invitations and imports only: signing in never creates one.
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "proconnect_callback"
OIDC_TIMEOUT = int(os.environ.get("PROCONNECT_TIMEOUT", "10"))
# A sign-in started more than this many seconds ago is refused when it comes back.
PROCONNECT_STATE_MAX_AGE = int(os.environ.get("PROCONNECT_STATE_MAX_AGE", "600"))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "aps.login_throttle.AddressAndIpHandler"
AXES_USERNAME_CALLABLE = "aps.login_throttle.axes_username"
# The login form posts the e-mail address as "username" (the User model names it "email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aps.views.locked_out"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))
# Read by our own function (django-ipware, which reads the count above, is not installed).
AXES_CLIENT_IP_CALLABLE = "aps.login_throttle.client_ip"
AXES_WHITELIST_CALLABLE = "aps.login_throttle.not_counted"
AXES_VERBOSE = False

ROOT_URLCONF = "aps.urls"
WSGI_APPLICATION = "aps.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projects.context_processors.navigation",
                "projects.context_processors.academy",
                "aps.context_processors.sign_in",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other instead of failing with "database is locked":
    # each transaction takes the write lock when it begins (IMMEDIATE; a reader turning
    # writer mid-transaction cannot wait, SQLite refuses it at once), waits up to 20 s for
    # it, and readers never block the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "aps.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# --- Object storage --------------------------------------------------------------------
# Uploaded files (sheet attachments, messages' files, bulk PDF exports) go to an S3-compatible
# bucket when one is named, else to MEDIA_ROOT. Either way they are private: read back through
# the storage by the views that check access, never linked to, so no object is public and a
# signed URL, were one ever made, would expire within minutes.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # No ACL sent unless asked: objects are private by default on every S3 store,
            # and Amazon's buckets refuse ACLs by default ("bucket owner enforced").
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Names are random already: an existing key is never written over.
            "file_overwrite": False,
            # A file read back is spooled to disk past 2.5 MB (0 would keep it all in memory).
            "max_memory_size": 2_621_440,
            # Unset ones are left to boto3 (AWS's endpoint, the instance's credentials…).
            **{
                option: os.environ[name]
                for option, name in [
                    ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
                    ("region_name", "AWS_S3_REGION_NAME"),
                    ("access_key", "AWS_ACCESS_KEY_ID"),
                    ("secret_key", "AWS_SECRET_ACCESS_KEY"),
                    ("addressing_style", "AWS_S3_ADDRESSING_STYLE"),
                ]
                if os.environ.get(name)
            },
        },
    }

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND,
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 10,
        }
        if EMAIL_BACKEND_PATH == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "APS <ne-pas-repondre@aps.test>")
# E-mails are dated in French time: one sent at 0:30 in Paris says the day its reader lives.
EMAIL_USE_LOCALTIME = True
# Development only: the day the application believes it is (see aps/clock.py).
APS_TODAY = os.environ.get("APS_TODAY", "")
if APS_TODAY and not DEBUG:
    raise ImproperlyConfigured("APS_TODAY ne sert qu'en développement (DEBUG activé).")

# The address of the site, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The publisher of the service, named by the guide and the legal pages; empty, they name the
# académie the page speaks for (projects.academies), as the header and footer do. The other
# four are the operator's to set: left empty, the legal pages say "à compléter par l'exploitant".
ACADEMIE_NAME = os.environ.get("ACADEMIE_NAME", "")
# The rectorat's postal address, the host's name, address and telephone, the service's
# mailbox, the académie's data protection officer's address.
LEGAL_PUBLISHER_ADDRESS = os.environ.get("LEGAL_PUBLISHER_ADDRESS", "")
LEGAL_HOSTING = os.environ.get("LEGAL_HOSTING", "")
LEGAL_CONTACT_EMAIL = os.environ.get("LEGAL_CONTACT_EMAIL", "")
DPO_CONTACT = os.environ.get("DPO_CONTACT", "")
# Password reset: at most so many requests an hour per address (in any spelling) and per IP.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3"))
PASSWORD_RESET_LIMIT_PER_IP = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10"))
PASSWORD_RESET_THROTTLE_WINDOW = datetime.timedelta(hours=1)
# An invitation's link (choose a password, once) stays valid this many days; it can be sent again.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "14"))
# Background work. E-mails ("default"): run at once in development; stored in the database
# and sent by `manage.py db_worker` when DEBUG is off (a reset e-mail sent inside the request
# would tell known addresses from unknown ones by its time). Long exports ("exports": the
# bulk PDF): always stored in the database and run by `manage.py db_worker --backend exports`,
# so that no request waits for them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    },
    "exports": {
        "BACKEND": os.environ.get("EXPORTS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    },
}

# The DSFR's integrity hashes do not match files rewritten by whitenoise's manifest storage.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Forms checked by the server only: no browser-native "required" bubble (aps/form_renderer.py).
FORM_RENDERER = "aps.form_renderer.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = ("dsfr_crispy",)
CRISPY_TEMPLATE_PACK = "dsfr_crispy"

# Scripts only from our origin or carrying the request's nonce; DSFR styles its components
# with inline style attributes, hence 'unsafe-inline' for styles only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Bounded requests. An estimate of the import's 500 lines posts about 3,600 fields (7 per HSE
# line); Django refuses more fields with a 400. Uploads above 2.5 Mo are streamed to a temporary
# file, and their size is checked before they are read (projects.file_checks, the workbook
# import). The front proxy refuses larger bodies first (README, "Mise en production").
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every layout step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Observability (aps.health, aps.logs, aps.activity_log, aps.observability).
# /healthz answers 503 when the oldest task waiting in the database has waited longer than
# this many seconds (no worker takes them); 0 reports the age without counting it as down.
HEALTHZ_MAX_TASK_AGE = int(os.environ.get("HEALTHZ_MAX_TASK_AGE", "900"))
# The load balancer probes the application over plain HTTP: /healthz, which holds no data,
# answers it instead of redirecting to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# "json": every log line one JSON object, with one line per request and per task run
# carrying the request's, user's and task's ids; "text" (default): the plain lines above.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT vaut « text » ou « json ».")
if LOG_FORMAT == "json":
    from aps.logs import json_logging

    LOGGING = json_logging(LOGGING)
else:
    # runserver, gunicorn's access log and django.tasks already say it in text.
    LOGGING["loggers"].update(
        {"aps.requests": {"level": "WARNING"}, "aps.tasks": {"level": "WARNING"}}
    )
# Errors reported to Sentry when SENTRY_DSN is set, personal data removed (aps.observability).
from aps.observability import init_sentry  # noqa: E402

init_sentry(os.environ)
