# SPDX-FileCopyrightText: 2026 The Vakmanschap contributors
#
# SPDX-License-Identifier: EUPL-1.2

import hashlib
import re
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from vakmanschap.lib.env import (
    env_bool,
    env_choice,
    env_db,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    env_timezone,
    read_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
read_env_file(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", True)
# The development key is only ever used with DEBUG on; production.py refuses it.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "organisation",
    "competencies",
    "assessments",
    "learning",
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session middleware: saving the session does not count as a write that pins to the primary.
    "vakmanschap.db_router.ReplicaMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vakmanschap.middleware.IdleTimeoutMiddleware",
    # After authentication (it needs request.user), before anything that may set its own caching.
    "vakmanschap.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The disclosure layer's answers per viewer, worked out once per request (reports/disclosure.py).
    "reports.middleware.DisclosureMemoMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must come last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vakmanschap.urls"
WSGI_APPLICATION = "vakmanschap.wsgi.application"

EXTRA_TEMPLATES_DIR = env_str("EXTRA_TEMPLATES_DIR", "")
_extra_templates = [Path(EXTRA_TEMPLATES_DIR)] if EXTRA_TEMPLATES_DIR else []

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An organisation overrides a template (e.g. pages/privacy.html) by putting its own
        # version in EXTRA_TEMPLATES_DIR, which is searched first.
        "DIRS": [*_extra_templates, BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.roles",
                "vakmanschap.context_processors.session",
                "vakmanschap.context_processors.theme",
            ],
        },
    },
]

DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several requests write at once (failed logins, autosaves, the access log). WAL lets readers
    # go on while one writes; IMMEDIATE takes the write lock when a transaction starts, so a second
    # writer waits up to `timeout` seconds instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Reports and exports may read from a replica; writes and reads after a write go to the primary
# (vakmanschap/db_router.py). A browser that wrote reads from the primary for REPLICA_PIN_SECONDS.
READ_REPLICA = ""
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = env_db("DATABASE_REPLICA_URL", "")
    READ_REPLICA = "replica"
# Keep each PostgreSQL connection (primary and replica) per worker thread for DB_CONN_MAX_AGE seconds instead of
# opening one per request: a new connection starts a server process and fills its catalogue caches, which under
# load cost more than the request's own queries. It is checked before reuse, so a restarted database server costs
# a reconnect, not an error. 0 opens a connection per request (behind a pooler such as PgBouncer in transaction mode).
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _database.update(CONN_MAX_AGE=DB_CONN_MAX_AGE, CONN_HEALTH_CHECKS=True)
DATABASE_ROUTERS = ["vakmanschap.db_router.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10, minimum=1)
# With REDIS_URL the cache (charts, the login throttle) is shared by every app server; sessions stay in the database.
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.Person"
AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt from an address with too many failures across usernames.
    "organisation.logins.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Optional single sign-on through OpenID Connect (Entra ID, Keycloak): on when a client id is set.
# People are matched on e-mail or a personnel-number claim, never created at login (the
# organisation import decides who exists and where they work).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_MATCH_CLAIM = env_choice("OIDC_MATCH_CLAIM", "email", ["email", "personnel_number"])
OIDC_PERSONNEL_NUMBER_CLAIM = env_str("OIDC_PERSONNEL_NUMBER_CLAIM", "employee_id")
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_ENABLED:
    _missing = [
        name
        for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_USER_ENDPOINT")
        if not globals()[name]
    ]
    if OIDC_RP_SIGN_ALGO.startswith("RS") and not OIDC_OP_JWKS_ENDPOINT:
        _missing.append("OIDC_OP_JWKS_ENDPOINT")
    if _missing:
        raise ImproperlyConfigured(f"OIDC_RP_CLIENT_ID is set, so these must be set too: {', '.join(_missing)}.")
    AUTHENTICATION_BACKENDS.append("organisation.oidc.PersonOIDCBackend")
# OpenID Connect providers vouch for an e-mail address only when they say email_verified. Switch
# this off only for a provider that never sends the claim (organisation/apps.py warns at start-up).
OIDC_REQUIRE_EMAIL_VERIFIED = env_bool("OIDC_REQUIRE_EMAIL_VERIFIED", True)

# The client address (login lockout, access log): 0 = REMOTE_ADDR; behind n reverse proxies,
# the n-th address from the right in X-Forwarded-For (vakmanschap/lib/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Brute-force protection: after LOGIN_FAILURE_LIMIT failures for one username from one address,
# that username is locked for LOGIN_LOCKOUT_MINUTES from that address, also for the right
# password. Locking the username alone would let anyone lock HR out from anywhere; locking
# the address alone would lock whole offices behind one NAT address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "vakmanschap.lib.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Password spraying tries one password on many usernames: after this many failed logins from one
# address (any usernames) within LOGIN_LOCKOUT_MINUTES, that address may not try again until the
# period is over (organisation/logins.py, counted in Django's cache).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after SESSION_IDLE_TIMEOUT minutes without a request, and at the
# latest after SESSION_MAX_AGE_HOURS whatever happens (absolute lifetime).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30, minimum=1)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_HOURS", 10, minimum=1) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django 6.1 mailers; in development mail goes to the console (password reset links).
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_smtp_options = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25, minimum=1),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
}
_email_options = _smtp_options if _email_backend.endswith("smtp.EmailBackend") else {}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vakmanschap@localhost")
# The portal's address as people reach it, for the links in e-mail reminders.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# No inline scripts or styles anywhere: everything comes from our own static files.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Framework content may be read through the CASE API without logging in when set.
CASE_API_PUBLIC = env_bool("CASE_API_PUBLIC", False)

# Pseudonyms in exports are an HMAC of the person's id with this key: stable across exports and rounds, and
# irreversible without it. Derived from SECRET_KEY unless set; set it to keep pseudonyms when SECRET_KEY changes.
EXPORT_PSEUDONYM_KEY = (
    env_str("EXPORT_PSEUDONYM_KEY", "")
    or hashlib.sha256(f"vakmanschap.export-pseudonym:{SECRET_KEY}".encode()).hexdigest()
)

# Groups that carry a role; their permissions are set by a data migration.
HR_GROUP = "HR"
ADMIN_GROUP = "Functioneel beheer"

# Self-assessments are deleted this many days after their round closed (manage.py purge_expired,
# run daily by the task worker: manage.py db_worker).
ASSESSMENT_RETENTION_DAYS = env_int("ASSESSMENT_RETENTION_DAYS", 3 * 365, minimum=1)
# Access log entries and django-axes' login records are deleted this many days after they were
# written (the same nightly task; BIO2 8.15 asks for a fixed retention term for logs).
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 2 * 365, minimum=1)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MAX_IMPORT_BYTES = env_int("MAX_IMPORT_MB", 5, minimum=1) * 1024 * 1024

# Reports show no figure over fewer respondents than this (privacy: people must not be recognisable).
# At least 3: with 2, a withheld count of people ("fewer than 2") could only mean 1.
REPORT_MIN_GROUP_SIZE = env_int("REPORT_MIN_GROUP_SIZE", 5, minimum=3)
# A request makes a release of at most this many self-assessments itself; a bigger one (a ministry's round that
# has just closed) goes to the task worker, because it takes longer than a proxy lets a request run.
RELEASE_IN_REQUEST_MAX = env_int("RELEASE_IN_REQUEST_MAX", 5000, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; lockouts still come through as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# /.well-known/security.txt (RFC 9116): where to report a vulnerability. Comma-separated e-mail addresses or
# https:// URLs; empty answers 404 there. Expires lies this many days ahead (the RFC advises less than a year).
SECURITY_CONTACT = env_list("SECURITY_CONTACT")
SECURITY_TXT_EXPIRES_DAYS = env_int("SECURITY_TXT_EXPIRES_DAYS", 180, minimum=1)

# The organisation's look (NL Design System style): a CSS class on <html> that selects the theme, a stylesheet
# of design tokens (a path under static/ or EXTRA_STATIC_DIR), the organisation's name and logo.
THEME_CLASS = env_str("THEME_CLASS", "vakmanschap-theme")
THEME_STYLESHEET = env_str("THEME_STYLESHEET", "themes/vakmanschap.css")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "")
ORGANISATION_LOGO = env_str("ORGANISATION_LOGO", "")
EXTRA_STATIC_DIR = env_str("EXTRA_STATIC_DIR", "")
if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", THEME_CLASS):
    raise ImproperlyConfigured(f"Environment variable THEME_CLASS must be one CSS class name, not {THEME_CLASS!r}.")
for _name, _path in (("THEME_STYLESHEET", THEME_STYLESHEET), ("ORGANISATION_LOGO", ORGANISATION_LOGO)):
    if _path.startswith("/") or ".." in _path.split("/") or "://" in _path:
        raise ImproperlyConfigured(
            f"Environment variable {_name} must be a path under static/ or EXTRA_STATIC_DIR, not {_path!r}."
        )
if EXTRA_STATIC_DIR:
    STATICFILES_DIRS = [Path(EXTRA_STATIC_DIR), *STATICFILES_DIRS]
