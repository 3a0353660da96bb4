"""Welkom's one settings module. Every value comes from the environment, with a default.

The variables are listed with their defaults and a line each in `.env.example`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from welkom.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
REPOSITORY_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("WELKOM_VAR_DIR", str(REPOSITORY_DIR / "var")))
# Everything Welkom keeps (the SQLite database, received files, keys) is for its own user
# only: the folder is closed to others, and files it stores are 0600 (FILE_UPLOAD_*).
VAR_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
with contextlib.suppress(PermissionError):  # a volume owned by someone else keeps its mode
    VAR_DIR.chmod(0o700)


def _key_from_file(name: str) -> str:
    """A random key kept in VAR_DIR, made on first use, so a fresh clone needs no setup."""
    path = VAR_DIR / name
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = env_bool("WELKOM_DEBUG", False)
DEMO_MODE = env_bool("WELKOM_DEMO_MODE", False)
SECRET_KEY = env_str("WELKOM_SECRET_KEY", "") or _key_from_file("secret-key")
PSEUDONYM_KEY = env_str("WELKOM_PSEUDONYM_KEY", "") or _key_from_file("pseudonym-key")
ALLOWED_HOSTS = env_list("WELKOM_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("WELKOM_CSRF_TRUSTED_ORIGINS", [])
# Where users reach Welkom: the links in mails sent outside a request (an invitation made on
# the command line) start with it. A page builds its links from the request instead.
BASE_URL = env_str("WELKOM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "welkom.site",
    "welkom.accounts",
    "welkom.places",
    "welkom.organisations",
    "welkom.processing_log",
    "welkom.housing",
    "welkom.register",
    "welkom.loket",
    "welkom.work",
    "welkom.monitor",
    "welkom.jobs",
    "welkom.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "welkom.site.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "welkom.site.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "welkom.site.middleware.LanguageMemoryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "welkom.site.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "welkom.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "welkom.urls"
WSGI_APPLICATION = "welkom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "welkom.site.context_processors.layout",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'welkom.sqlite3'}"),
        conn_max_age=env_int("WELKOM_DB_CONN_MAX_AGE", 60),
        # A kept connection that the database dropped (a restart, a fail-over) is noticed at
        # the start of the next request and opened again, instead of a 500.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server read while an import writes; the timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "welkom.organisations.backends.MembershipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "site:home"

# Two-factor authentication (TOTP) for the roles that see a territory, aggregates or logs.
REQUIRE_2FA = env_bool("WELKOM_REQUIRE_2FA", not DEMO_MODE)
OTP_TOTP_ISSUER = "Welkom"

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("WELKOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("WELKOM_LOGIN_COOLOFF_MINUTES", 15) / 60
# Locks an account for the address that failed with it, so that nobody elsewhere can lock
# someone else's account out by failing on purpose; the address is the client's, as the
# proxy in front gives it (`lib.http.client_address`).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "welkom.lib.http.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions and cookies.
HTTPS = env_bool("WELKOM_HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365  # the language a visitor chose, remembered for a year
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("WELKOM_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = env_bool("WELKOM_SSL_REDIRECT", False)
BEHIND_PROXY = env_bool("WELKOM_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front that each add the address they received from to X-Forwarded-For:
# the client's address is the one the first of them added (a client can write anything
# before it, never after it).
PROXY_COUNT = env_int("WELKOM_PROXY_COUNT", 1) if BEHIND_PROXY else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# E-mail: printed to the console in demo mode, sent over SMTP otherwise.
EMAIL_BACKEND = env_str(
    "WELKOM_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("WELKOM_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("WELKOM_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("WELKOM_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("WELKOM_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WELKOM_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("WELKOM_DEFAULT_FROM_EMAIL", "welkom@localhost")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Languages: Dutch first; English msgids; every language on every page from the start.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Largest file accepted through the browser; the command line and the API stream larger ones.
UPLOAD_MAX_MB = env_int("WELKOM_UPLOAD_MAX_MB", 50)
# How long an import waits for the one before it (imports change the register one at a
# time) before it answers "busy, send it again" (409 in the API); nothing is stored then.
IMPORT_WAIT_SECONDS = env_int("WELKOM_IMPORT_WAIT_SECONDS", 60)
# The SNA and Wtta registers' exports: older than this many days, a status shows as stale.
AGENCY_REGISTER_STALE_DAYS = env_int("WELKOM_AGENCY_REGISTER_STALE_DAYS", 14)
# The public register of admitted lenders (Nederlandse Autoriteit Uitleenmarkt), linked from
# the loket's agency check once its address is known; empty: named, not linked.
WTTA_REGISTER_URL = env_str("WELKOM_WTTA_REGISTER_URL", "")
# Months after a person's last stay (and after a file's receipt) that personal data is kept.
RETENTION_MONTHS = env_int("WELKOM_RETENTION_MONTHS", 12)
# The cache: each process's own memory, or with WELKOM_CACHE_URL=redis://host:6379/0 one
# Redis for all processes, so that rate limits (lib.throttle) count exactly and a kept public
# page (lib.public_pages) is rendered once for all of them.
CACHE_URL = env_str("WELKOM_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if CACHE_URL and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    raise ValueError("WELKOM_CACHE_URL must start with redis://, rediss:// or unix://")
# Seconds a public page (loket, public monitor) is kept at most; a change renders it again
# at once (lib.public_pages).
PUBLIC_CACHE_SECONDS = env_int("WELKOM_PUBLIC_CACHE_SECONDS", 600)
JOBS_AT = env_str("WELKOM_JOBS_AT", "02:30")  # local time of the nightly jobs (welkom run_jobs)
JOBS_POLL_SECONDS = env_int("WELKOM_JOBS_POLL_SECONDS", 60)
# Where registration facts come from besides night lists and municipality users (a class
# implementing welkom.register.brp.BrpConnection).
BRP_CONNECTION = env_str("WELKOM_BRP_CONNECTION", "welkom.register.brp.NoBrpConnection")
# Housing norms (welkom.housing.rules): the reported SNF norm of 1 July 2025 is unverified,
# so it can be switched off; the burner rule of the Uniform Housing Norm 2012 is optional.
NORMS_SNF_2025 = env_bool("WELKOM_NORMS_SNF_2025", True)
NORMS_UHN_BURNERS = env_bool("WELKOM_NORMS_UHN_BURNERS", False)
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "welkom.organisations.authentication.OrganisationTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Welkom API",
    "DESCRIPTION": "API for housing providers', employers' and municipalities' systems.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "line": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": env_str("WELKOM_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # One JSON line per request (welkom.site.middleware.RequestLogMiddleware).
        "welkom.requests": {
            "handlers": ["requests"],
            "level": "INFO" if env_bool("WELKOM_REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        },
        # Its access log says the same with the path in it; Welkom's line has no personal data.
        "django.server": {"level": "WARNING"},
    },
}
