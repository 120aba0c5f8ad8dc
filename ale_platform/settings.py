"""ALE Platform settings, read from the environment in this one place.

Production needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and the EMAIL_* variables;
DEBUG is off unless DJANGO_DEBUG=1 (which `make run` sets). See README.md, "Production".
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(int(default))).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# The local demo of `make run` may skip the MFA set-up of staff and advisers; never in production.
DEMO_MODE = env_bool("ALE_DEMO")
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("ALE_DEMO=1 is only allowed with DJANGO_DEBUG=1 (local demo).")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ale_platform.apps.ALEAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "ninja",  # templates and static files of the API reference page (/api/v1/docs), no CDN
    "ale_platform",
    "prestataires",
    "utilisateurs",
    "prestations",
    "forem_liaison",
    "tableau_de_bord",
    "ale_platform.privacy",
    "reprise",
    "django.forms",
]
# Every form rendered whole starts with an accessible summary of its errors (templates/forms/div.html).
FORM_RENDERER = "ale_platform.forms.PlatformFormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ale_platform.languages.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ale_platform.middleware.RequireMFAMiddleware",
    "prestations.middleware.NoLawMiddleware",
]

ROOT_URLCONF = "tableau_de_bord.urls"
WSGI_APPLICATION = "ale_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ale_platform.context_processors.platform",
            ],
            # |heures, |euros (one Belgian number format) and |tel_href in every template, PDFs included.
            "builtins": ["ale_platform.templatetags.ale_format"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Production's app servers have a fixed number of workers: each keeps its connection a minute. The development
        # server opens a thread per request, so there a kept connection per thread would exhaust PostgreSQL's.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run` writes from the web server and the task worker at once: wait for the lock, take it up front.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Outside process memory so that several app servers share rate limits (allauth) and cached data.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "ale_platform.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail log-in, verification for self-registered clients, MFA for staff and advisers.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_ADAPTER = "ale_platform.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ALE] "
# allauth's rate limits stay on, at their defaults, except failed log-ins: counted per account *and address*
# (ale_platform.adapters.AccountAdapter), so that one person's typos do not lock out a whole office behind one
# address; per address alone only past 30 failures in 10 minutes, per account from anywhere past 20 in an hour.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/10m/ip,5/5m/key",
    "login_failed_account": "20/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ALE Platform"
ALE_REQUIRE_MFA = not DEMO_MODE
# The admin's history pages are an audit trail: a past version is never written back (see admin_site.HistoryAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True

LANGUAGE_CODE = "fr-be"
LANGUAGES = [("fr", _("Français")), ("nl", _("Néerlandais")), ("de", _("Allemand"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ale_platform.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents (contract scans, proofs) are private: never under STATIC or a public MEDIA URL.
# They are served only through views that check access (`prestataires.views.document_download`).
MEDIA_ROOT = Path(os.environ.get("ALE_PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
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

# E-mail: the console in development, SMTP in production.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ALE Platform <noreply@ale.example.be>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Absolute links in e-mails (sent from background tasks, where there is no request).
SITE_URL = os.environ.get("ALE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name every e-mail signs with (allauth reads it from the `Site`, kept in step by ale_platform.sites).
ALE_PLATFORM_NAME = os.environ.get("ALE_PLATFORM_NAME", "ALE Platform")
SITE_ID = 1
ADMINS = [("Admin", a) for a in env_list("DJANGO_ADMINS")]

# Geocoding (docs/prestations.md, "Distances"): the seeded points by default (no call out); a Nominatim instance
# with ALE_GEOCODER=nominatim. Only the background task calls it.
ALE_GEOCODING = (
    {
        "BACKEND": "ale_platform.geo.backends.NominatimGeocoder",
        "OPTIONS": {
            "domain": os.environ.get("ALE_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org"),
            "scheme": os.environ.get("ALE_NOMINATIM_SCHEME", "https"),
            "user_agent": os.environ.get("ALE_NOMINATIM_USER_AGENT", "ale-platform"),
            "timeout": float(os.environ.get("ALE_GEOCODER_TIMEOUT", "5")),
            "min_delay_seconds": float(os.environ.get("ALE_GEOCODER_MIN_DELAY", "1")),
        },
    }
    if os.environ.get("ALE_GEOCODER") == "nominatim"
    else {"BACKEND": "ale_platform.geo.backends.SeededGeocoder"}
)
# Optional routing engine (OSRM's HTTP API): real travel times computed in the background; empty = estimates.
ALE_ROUTING_URL = os.environ.get("ALE_ROUTING_URL", "").rstrip("/")
# Data take-over (reprise): an uploaded file and its rows' results are deleted this many days after the import ended
# (or after its deposit, if it was never confirmed). docs/privacy.md.
REPRISE_CONSERVATION_JOURS = int(os.environ.get("REPRISE_CONSERVATION_JOURS", "30"))
# Retention of the other stores (docs/privacy.md, enforced by the nightly privacy task): the month's ALE 4 ZIPs,
# finished task results (a notification's arguments), the admin log, the access logs (reads and exports).
FORMULAIRES_CONSERVATION_JOURS = int(os.environ.get("FORMULAIRES_CONSERVATION_JOURS", "90"))
TACHES_CONSERVATION_JOURS = int(os.environ.get("TACHES_CONSERVATION_JOURS", "30"))
ADMIN_LOG_CONSERVATION_MOIS = int(os.environ.get("ADMIN_LOG_CONSERVATION_MOIS", "24"))
JOURNAL_CONSERVATION_MOIS = int(os.environ.get("JOURNAL_CONSERVATION_MOIS", "24"))

# Security: strict by default outside development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
