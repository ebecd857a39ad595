"""FILM'IT settings.

Everything comes from environment variables with safe local defaults: a fresh clone
runs on SQLite, keeps media on the local disk and runs background work with the
database task backend. See README.md, "Configuration".
"""

import os
from email.utils import formataddr, getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import envbool, envfloat, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("FILMIT_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", True)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only-filmit"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config.apps.PlatformAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tasks_db",
    "festival",
    "media_pipeline",
    "judging",
    "public",
]

MIDDLEWARE = [
    "config.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

# Reverse proxies in front of the application (nginx: 1): the visitor's address is then read
# from X-Forwarded-For (config/proxy.py). 0 trusts no header.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "festival.context_processors.festival",
            ],
        },
    },
]

# Database: SQLite next to the code unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'filmit.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that worker processes started by the tests see the test data;
    # one per test run so that concurrent runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-filmit-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "festival.User"
LOGIN_URL = "festival:login"
LOGIN_REDIRECT_URL = "festival:after_login"
LOGOUT_REDIRECT_URL = "public:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first, English complete.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own English formats: Django's end times with "p.m.", which doubles a sentence's period.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static files and media.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise looks for it at start-up
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_TEMP_DIR = envstr("FILE_UPLOAD_TEMP_DIR") or None
# Uploads above 2.5 MB go to a temporary file, never to memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Signed media URLs (presigned on S3, signed Django URLs on local disk) live this long.
MEDIA_URL_MAX_AGE = envint("MEDIA_URL_MAX_AGE", 600)

STORAGE_BACKEND = envstr("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
            "region_name": envstr("AWS_S3_REGION_NAME") or None,
            "access_key": envstr("AWS_ACCESS_KEY_ID"),
            "secret_key": envstr("AWS_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",
            "querystring_expire": MEDIA_URL_MAX_AGE,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "local":
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be 'local' or 's3'.")

STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Background work: django.tasks on the database by default, RQ on Redis at scale.
TASKS_BACKEND = envstr("TASKS_BACKEND", "db")
if TASKS_BACKEND == "db":
    TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "media"]}
    }
elif TASKS_BACKEND == "rq":
    # django_rq provides the queues and the `rqworker` command the RQ backend runs on.
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "media"]}}
    RQ_QUEUES = {
        name: {"URL": envstr("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 6 * 3600}
        for name in ("default", "media")
    }
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'db' or 'rq'.")

# Cache: in the process's memory by default. Counters such as the rate limits of logins and of the
# public vote are then per process; when several processes or machines serve the site, point
# CACHE_URL at a Redis server (redis://host:6379/1) so that they share one count.
CACHE_URL = envstr("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
del CACHE_URL
# Prix du public: vote requests allowed per hour from one IP address, and for one email address.
PUBLIC_VOTE_MAX_PER_IP = envint("PUBLIC_VOTE_MAX_PER_IP", 20)
PUBLIC_VOTE_MAX_PER_EMAIL = envint("PUBLIC_VOTE_MAX_PER_EMAIL", 5)
# Login: failed attempts allowed per 15 minutes for one account, and from one IP address.
LOGIN_MAX_PER_ACCOUNT = envint("LOGIN_MAX_PER_ACCOUNT", 5)
LOGIN_MAX_PER_IP = envint("LOGIN_MAX_PER_IP", 20)
# Forgotten password: requests allowed per 15 minutes for one address, and from one IP address.
PASSWORD_RESET_MAX_PER_ACCOUNT = envint("PASSWORD_RESET_MAX_PER_ACCOUNT", 3)
PASSWORD_RESET_MAX_PER_IP = envint("PASSWORD_RESET_MAX_PER_IP", 10)
# Teachers' reminders (manage.py send_teacher_reminders, hourly): how many days before the
# submission deadline a film still in draft is reminded, and how many days a film sent back for
# changes waits before its reminder.
TEACHER_REMINDER_DAYS = envint("TEACHER_REMINDER_DAYS", 7)
TEACHER_CHANGES_REMINDER_DAYS = envint("TEACHER_CHANGES_REMINDER_DAYS", 3)
# The call for entries: addresses written to per batch, and the unsubscribe links' lifetime.
CALL_BATCH_SIZE = envint("CALL_BATCH_SIZE", 50)
CALL_UNSUBSCRIBE_DAYS = envint("CALL_UNSUBSCRIBE_DAYS", 730)
# Retention (RGPD, manage.py apply_retention, hourly): days after an edition's ceremony when the
# original videos are deleted (the published renditions stay), and the consents of the films
# that were never published.
RETENTION_ORIGINALS_DAYS = envint("RETENTION_ORIGINALS_DAYS", 365)
RETENTION_CONSENTS_DAYS = envint("RETENTION_CONSENTS_DAYS", 365)

# Email: console in development, SMTP in production (a local relay unless EMAIL_HOST is set).
EMAIL_HOST = envstr("EMAIL_HOST", "")
if EMAIL_HOST or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST or "localhost",
                "port": envint("EMAIL_PORT", 587 if EMAIL_HOST else 25),
                "username": envstr("EMAIL_HOST_USER", ""),
                "password": envstr("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", bool(EMAIL_HOST)),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
        }
    }
    # With EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: the folder the
    # messages are written to (a worker's mail read back by the tests, a local check).
    if envstr("EMAIL_FILE_PATH", ""):
        MAILERS["default"]["OPTIONS"] = {"file_path": envstr("EMAIL_FILE_PATH")}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "FILM'IT <filmit@localhost>")
SERVER_EMAIL = envstr("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who receives a mail for each server error (500) in production: "Name <a@b>,c@d".
ADMINS = [
    formataddr((name, address))
    for name, address in getaddresses([envstr("DJANGO_ADMINS", "")])
    if address
]
EMAIL_SUBJECT_PREFIX = envstr("EMAIL_SUBJECT_PREFIX", "[FILM'IT] ")

# Festival rules.
FILMIT_MAX_UPLOAD_BYTES = envint("FILMIT_MAX_UPLOAD_BYTES", 8 * 1024**3)
# Resumable (tus) uploads in progress: one folder each, on a volume shared by every web server
# when there are several. Abandoned ones expire after this many hours without activity.
FILMIT_UPLOAD_DIR = Path(envstr("FILMIT_UPLOAD_DIR", str(VAR_DIR / "uploads")))
FILMIT_UPLOAD_EXPIRY_HOURS = envint("FILMIT_UPLOAD_EXPIRY_HOURS", 24)
# Unfinished uploads each person (teacher or organizer) may keep open, and the total size they
# may declare, so that no one fills the upload volume; finished and expired ones do not count.
FILMIT_MAX_OPEN_UPLOADS = envint("FILMIT_MAX_OPEN_UPLOADS", 3)
FILMIT_MAX_OPEN_UPLOAD_BYTES = envint("FILMIT_MAX_OPEN_UPLOAD_BYTES", 3 * FILMIT_MAX_UPLOAD_BYTES)
FILMIT_MAX_CONSENT_BYTES = envint("FILMIT_MAX_CONSENT_BYTES", 20 * 1024**2)
FILMIT_LOUDNESS_TARGET = envfloat("FILMIT_LOUDNESS_TARGET", -16.0)
FILMIT_INVITATION_DAYS = envint("FILMIT_INVITATION_DAYS", 14)

# Video processing jobs (media_pipeline/jobs.py). A job may run for
# MEDIA_TIMEOUT_BASE_SECONDS + MEDIA_TIMEOUT_PER_SECOND x the film's longest allowed duration,
# plus MEDIA_TRANSFER_GRACE_SECONDS to move files; a worker silent for MEDIA_STALL_SECONDS
# (or whose process is gone) is considered dead; each version gets MEDIA_MAX_ATTEMPTS tries.
MEDIA_MAX_ATTEMPTS = envint("MEDIA_MAX_ATTEMPTS", 3)
MEDIA_TIMEOUT_BASE_SECONDS = envfloat("MEDIA_TIMEOUT_BASE_SECONDS", 60.0)
MEDIA_TIMEOUT_PER_SECOND = envfloat("MEDIA_TIMEOUT_PER_SECOND", 4.0)
MEDIA_TRANSFER_GRACE_SECONDS = envint("MEDIA_TRANSFER_GRACE_SECONDS", 900)
MEDIA_STALL_SECONDS = envint("MEDIA_STALL_SECONDS", 300)
# Where workers copy originals and write outputs; the system's temporary folder by default.
MEDIA_WORK_DIR = envstr("MEDIA_WORK_DIR") or None

# Security. Production runs behind HTTPS; DEBUG keeps local development on plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    # A load balancer probes the web processes over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Posters and storyboards are redirects to the object store, as videos are.
    "img-src": [CSP.SELF, "data:", "blob:"] + envlist("CSP_MEDIA_ORIGINS"),
    "media-src": [CSP.SELF, "blob:"] + envlist("CSP_MEDIA_ORIGINS"),
    "connect-src": [CSP.SELF] + envlist("CSP_MEDIA_ORIGINS"),
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # Server errors (500) mailed to ADMINS in production; nobody is mailed while ADMINS is
        # empty. The report hides settings and POST values whose names look secret.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default handlers on "django" (a console while DEBUG, mail_admins) are replaced:
        # its records reach the root's console, and an error is mailed once, below.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        # The root's console handler still logs them: this logger propagates.
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR"},
    },
}

# Invitation and password links stay valid this long.
PASSWORD_RESET_TIMEOUT = FILMIT_INVITATION_DAYS * 24 * 3600
