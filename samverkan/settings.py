"""Settings, all from environment variables with safe embedded defaults.

Embedded default (nothing set): SQLite file under var/, Celery tasks run eagerly, local-memory cache,
e-mail to the console. Production: DATABASE_URL (PostgreSQL), REDIS_URL (broker, results, cache),
SECRET_KEY, DEBUG off, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, EMAIL_*.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY måste sättas när DEBUG är av (SECRET_KEY is required when DEBUG is off)."
        )
    SECRET_KEY = "django-insecure-only-for-local-development-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "samverkan.admin_site.SamverkanAdminConfig",  # django.contrib.admin with our own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_fsm",
    "django_htmx",
    "axes",
    "csp",
    "samverkan",
    "applications",
    "governance",
    "budget",
    "followup",
    "reports",
]

MIDDLEWARE = [
    "samverkan.security.ClientAddressFromProxyMiddleware",  # first: everything below sees the client address
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "samverkan.security.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "samverkan.jobs.QueueUnavailableMessageMiddleware",  # after messages: "job runs later" if Redis is down
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a locked-out login into the Swedish lockout page
]

ROOT_URLCONF = "samverkan.urls"  # the load benchmark's reference view lives in bench/settings.py
WSGI_APPLICATION = "samverkan.wsgi.application"

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
                "samverkan.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# PostgreSQL keeps a worker's connection for 60 s (a new connection per request cost more than most
# queries – bench/results.md); health checks replace a connection that died (e.g. a database restart).
# SQLite (tests, local use) keeps Django's default of closing per request. CONN_MAX_AGE overrides both.
_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://", "pgsql://"))
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'samverkan.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE") or ("60" if _POSTGRES else "0")),
        conn_health_checks=True,
    )
}
if _POSTGRES:
    # No JIT compilation: our queries are short, and PostgreSQL's JIT spent seconds compiling start-page
    # queries whose execution takes milliseconds (bench/results.md). `?options=...` in DATABASE_URL wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and permissions --------------------------------------------------------------------------------
AUTH_USER_MODEL = "samverkan.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before a password is tried
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous visitors get no object permissions
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, formats ------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["samverkan.formats"]

# --- Static and media -------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded and generated files are only served through permission-checked views: no URL routes MEDIA_URL.
MEDIA_URL = "/_media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A whole request body may be at most this big (one 20 MB attachment plus the form); larger requests get a
# Swedish "413 – filen är för stor" page before anything is read (samverkan.security). The front proxy's
# limit (client_max_body_size in deploy/nginx.conf) must be the same; after changing either, run
# `manage.py write_proxy_error_page` (docs/deployment.md).
MAX_REQUEST_SIZE = int(os.environ.get("MAX_REQUEST_SIZE", str(25 * 1024 * 1024)))
# Set by docker-compose for the web service, which only the front proxy reaches: the client's address is
# then read from the proxy's X-Real-IP header (samverkan.security.ClientAddressFromProxyMiddleware).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)

# --- Redis, cache, Celery ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A page must not wait long for a cache that is down.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies mid-way is redelivered (tasks are idempotent)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An unreachable Redis host must not hold a web request for the TCP timeout (samverkan/jobs.py). A message
# whose worker died un-acked goes back to the queue after the visibility timeout (bench/robustness.py
# shortens it to see that happen).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 5,
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_BEAT_SCHEDULE: dict = {
    "close-expired-votes": {"task": "governance.close_expired_votes", "schedule": 60.0},
    # Jobs that could not be queued (Redis down) or whose worker died are queued again (samverkan/jobs.py).
    "requeue-pending-jobs": {"task": "samverkan.requeue_pending_jobs", "schedule": 300.0},
}
# Reports: at 06:00 on the first day of each quarter, last quarter's report for every agreement.
CELERY_BEAT_SCHEDULE["quarterly-reports"] = {
    "task": "reports.order_quarterly_reports",
    "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
}
# Follow-up reminders (30 and 7 days before, on the day, weekly while overdue): daily, idempotent.
CELERY_BEAT_SCHEDULE["followup-reminders"] = {
    "task": "followup.send_reminders",
    "schedule": crontab(minute=30, hour=7),
}
# /healthz: when Redis is configured, a running worker is required for the app to be healthy.
HEALTHZ_REQUIRE_WORKERS = env_bool("HEALTHZ_REQUIRE_WORKERS", bool(REDIS_URL))

# --- E-mail -----------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samverkan <noreply@samverkan.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# --- Security ---------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(10 * 3600)))  # a working day

# Content-Security-Policy (django-csp): only our own static files run or style the page – no inline
# <script>, no on*-attributes, no style="" (put behaviour in static/js/, looks in static/css/). htmx is
# told not to inject its indicator <style> or eval anything (meta htmx-config in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-axes: after AXES_FAILURE_LIMIT failed logins for one e-mail address from one client address, that
# pair is locked for AXES_COOLOFF_TIME (per pair, so nobody can lock a colleague out from elsewhere).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail address)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samverkan.security.lockout_response"
AXES_USERNAME_CALLABLE = "samverkan.security.normalised_username"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False  # no banner on every manage.py run; lockouts are still logged as warnings
if not DEBUG:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every successful login at INFO; failures and lockouts are WARNINGs.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}

# --- Signing (PAdES) --------------------------------------------------------------------------------------
# One PKCS#12 per organisation in SIGNING_DIR (<kortnamn>.p12). `manage.py create_signing_certificates`
# issues self-signed demo keys and a demo CA (ca.pem); production uses keys issued by each organisation.
SIGNING_DIR = Path(os.environ.get("SIGNING_DIR", VAR_DIR / "signing"))
# Like SECRET_KEY: required when DEBUG is off, so that production never opens its keys with the demo
# passphrase that is written in this file.
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
if not SIGNING_KEY_PASSPHRASE:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SIGNING_KEY_PASSPHRASE måste sättas när DEBUG är av "
            "(SIGNING_KEY_PASSPHRASE is required when DEBUG is off)."
        )
    SIGNING_KEY_PASSPHRASE = "samverkan-demo-signering"
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS")  # PEM/DER CA certificates; default SIGNING_DIR/ca.pem
