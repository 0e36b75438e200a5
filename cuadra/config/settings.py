"""Cuadra settings: everything a deployment changes comes from the environment."""

import importlib.util
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CUADRA_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "cuadra-insecure-development-key-change-me")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if DEBUG:
    ALLOWED_HOSTS += ["testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "strawberry_django",
    "cuadra.core",
    "cuadra.tenancy",
    "cuadra.access",
    "cuadra.sequences",
    "cuadra.documents",
    "cuadra.approvals",
    "cuadra.ledger",
    "cuadra.contacts",
    "cuadra.catalog",
    "cuadra.inventory",
    "cuadra.sales",
    "cuadra.purchasing",
    "cuadra.web",
    "cuadra.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cuadra.access.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cuadra.web.middleware.ActiveCompanyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cuadra.config.urls"
WSGI_APPLICATION = "cuadra.config.wsgi.application"
ASGI_APPLICATION = "cuadra.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cuadra.web.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL) is the embedded default; DATABASE_URL selects PostgreSQL in production/CI.
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'cuadra.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
        # half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CUADRA_TEST_SQLITE", "")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    if os.environ.get("CUADRA_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": os.environ["CUADRA_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = []
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "5"))  # failures per window
LOGIN_RATE_WINDOW_SECONDS = int(os.environ.get("LOGIN_RATE_WINDOW_SECONDS", "900"))

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Panama"
USE_TZ = True

# --- Static ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True

# --- Cache (login throttling) ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Celery ---------------------------------------------------------------------------
# Without a broker the embedded default runs tasks eagerly, in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["approvals-escalate"] = {"task": "cuadra.approvals.escalate",
                                           "schedule": 15 * 60.0}
CELERY_BEAT_SCHEDULE["ledger-recurring-entries"] = {
    "task": "cuadra.ledger.tasks.recurring_entries_post", "schedule": 60 * 60.0}
CELERY_BEAT_SCHEDULE["inventory-snapshots"] = {
    "task": "cuadra.inventory.tasks.snapshots_close", "schedule": 24 * 60 * 60.0}
CELERY_BEAT_SCHEDULE["inventory-recost-stalled"] = {
    "task": "cuadra.inventory.tasks.recost_resume_stalled", "schedule": 15 * 60.0}
CELERY_TASK_ROUTES: dict = {}
CELERY_TASK_ROUTES["cuadra.inventory.tasks.recost_run"] = {"queue": "recost"}

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cuadra@localhost")

# --- GraphQL --------------------------------------------------------------------------
GRAPHQL_MAX_DEPTH = int(os.environ.get("GRAPHQL_MAX_DEPTH", "10"))
GRAPHQL_MAX_PAGE_SIZE = 500
STRAWBERRY_DJANGO = {"FIELD_DESCRIPTION_FROM_HELP_TEXT": True, "MAP_AUTO_ID_AS_GLOBAL_ID": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Test-only apps ---------------------------------------------------------------------
# Concrete models that exercise abstract machinery (money fields, lifecycles) exist only
# under pytest; production never installs them.
if "pytest" in sys.modules:
    INSTALLED_APPS += [app for app in ("tests.testapp", "tests.docapp")
                       if importlib.util.find_spec(app.split(".")[0]) is not None
                       and (PROJECT_DIR / app.replace(".", "/")).is_dir()]

FORMAT_MODULE_PATH = ["cuadra.config.formats"]
