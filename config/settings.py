"""The one settings module: everything that differs between machines comes from
the environment (see README, "Configuration").

DJANGO_ENV selects the profile:
- ``development`` (default): safe local defaults, SQLite, a file-system broker.
- ``test``: like development, fast password hashing, in-memory mail.
- ``production``: refuses to start without SECRET_KEY and ALLOWED_HOSTS and
  turns on every ``check --deploy`` protection.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise environ.ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # No default on purpose: a production process without these must not start.
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = False
    # One clear line at start-up rather than a site that signs sessions with a
    # published key or answers to any Host header.
    if SECRET_KEY.strip() in {
        "change-me-to-a-long-random-string-of-at-least-50-characters",  # .env.example
        "dev-only-insecure-key-never-used-in-production",
    }:
        raise environ.ImproperlyConfigured(
            "SECRET_KEY is the example value from .env.example or the development default: set a random one "
            "(python -c 'import secrets; print(secrets.token_urlsafe(60))')."
        )
    if len(SECRET_KEY) < 50:
        raise environ.ImproperlyConfigured(
            f"SECRET_KEY is {len(SECRET_KEY)} characters long: production needs at least 50 random characters."
        )
    if any("*" in host for host in ALLOWED_HOSTS):
        raise environ.ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names, not a wildcard with '*'.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DEBUG = env.bool("DEBUG", default=DJANGO_ENV == "development")

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="IPEG Events")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "audit",
    "events",
    "registrations",
    "attendance",
    "evaluation",
    "reports",
    "delegations",
    "travel",
    "questions",
    "ops",
    "desk",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise and the programme shortcut, so static files and
    # downloads carry the policies too (see "Content-Security-Policy" below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "events.programme_files.PublicProgrammeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.MFARequiredMiddleware",
]

ROOT_URLCONF = env.str("ROOT_URLCONF", default="config.urls")
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process, the worker and beat share the
    # development database without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# How long a web request waits for Redis before carrying on without it.
REDIS_TIMEOUT_SECONDS = env.float("REDIS_TIMEOUT_SECONDS", default=0.5)
if REDIS_URL:
    # The cache only saves work: while Redis is unreachable each process
    # falls back to its own memory (ops/cache.py), so pages answer from the
    # database instead of failing. Sessions live in the database, never here.
    CACHES = {
        "default": {
            "BACKEND": "ops.cache.RedisWithFallbackCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS,
                "RETRY_AFTER": 10,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
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
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# django-allauth: e-mail is the identity; nobody gets in before proving it.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "registrations.forms.SignupProfileForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Tell people when their password, e-mail address or two-factor sign-in changes
# (mails in the site's name, tests/accounts/test_account_mails.py).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# allauth's rate limits are left at its defaults, which are on.

# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) and recovery
# codes; no WebAuthn. Anyone may turn it on at /accounts/2fa/; staff and event
# organisers must when MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS is on (by default
# in production only): accounts.mfa.MFARequiredMiddleware sends them to the
# activation page until they have done so.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "IPEG Events"
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS = env.bool("MFA_REQUIRED_FOR_STAFF_AND_ORGANISERS", default=PRODUCTION)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# The check-in scanner's QR decoder is @zxing/library, pinned in package.json
# and installed by scripts/setup.sh (both profiles) and the Dockerfile's node
# stage; its single-file UMD build is served as it is, from node_modules, rather
# than copied into static/ (no second copy to keep in step with the lock file).
# zxing was chosen because it is maintained and pure JavaScript: it decodes a
# canvas's pixels in the page, with no Web Worker or WebAssembly, which the
# Content-Security-Policy (script-src 'self', no worker-src or
# 'wasm-unsafe-eval') would otherwise have to allow.
QR_DECODER_DIR = BASE_DIR / "node_modules" / "@zxing" / "library" / "umd"
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/zxing", QR_DECODER_DIR)]
# Files: a local directory by default (make run); an S3-compatible object store
# (AWS S3, MinIO, Ceph RGW) when AWS_STORAGE_BUCKET_NAME is set, so that every
# web node and worker sees the same files. Objects stay private: downloads pass
# the permission-checking views (events/stored_files.py says why they stream).
S3_BUCKET = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # MinIO and Ceph usually want path-style addresses; AWS takes either.
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,
            "file_overwrite": False,
            # Reads that cannot stream (WeasyPrint, backups) spill to disk past this.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Web nodes keep verified copies of meeting documents read from the object store
# (events/stored_files.py), up to this size; 0 turns the copies off.
STORED_FILE_CACHE_DIR = Path(env.str("STORED_FILE_CACHE_DIR", default=str(VAR_DIR / "cache" / "files")))
STORED_FILE_CACHE_MB = env.int("STORED_FILE_CACHE_MB", default=1024)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Meeting documents: the largest upload accepted.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_MB", default=25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: EMAIL_URL (smtp://user:pass@host:port, consolemail://, …) or the console.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Without a timeout a mail server that stops answering holds a worker forever;
# a timed-out send is retried with backoff like any other SMTP failure.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IPEG Events <events@ipeg.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EVENTS_ORGANIZER_EMAIL = env.str("EVENTS_ORGANIZER_EMAIL", default="events@ipeg.example")

# Celery: Redis when REDIS_URL is set; otherwise kombu's file-system transport,
# which needs no server yet runs a real worker and beat and honours eta/countdown
# (eager mode would not, and could not show reminder timing).
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": 5,
    }
else:
    _broker_dir = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
    }
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
# A request hands work to the broker once, briefly: when the broker is down the
# work is already a row in the database (an outbox) that beat and
# send_due_reminders sweep up, so waiting for the broker would only hold the page.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Workers and beat record their own heartbeats this often (ops/heartbeats.py).
HEARTBEAT_INTERVAL = env.float("HEARTBEAT_INTERVAL", default=30.0)
CELERY_BEAT_SCHEDULER = "ops.heartbeats:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "ops.tasks.heartbeat", "schedule": HEARTBEAT_INTERVAL},
    "dispatch-reminders": {
        "task": "registrations.tasks.dispatch_due",
        "schedule": env.float("REMINDER_DISPATCH_INTERVAL", default=60.0),
    },
    "erase-personal-data": {"task": "registrations.tasks.erase_expired_personal_data", "schedule": 24 * 3600.0},
    # Surveys also open when the reminders are planned; this entry opens them
    # even while no other mail is due (evaluation/tasks.py).
    "open-due-surveys": {"task": "evaluation.tasks.open_due_surveys", "schedule": 300.0},
}
# Reminders: due ones later than this are not sent any more (someone promoted
# after the "week before" reminder gets only the ones still ahead); offsets are
# capped (organisers choose them) so planning looks only at events this close.
REMINDER_GRACE_HOURS = env.int("REMINDER_GRACE_HOURS", default=6)
REMINDER_MAX_OFFSET_MINUTES = 60 * 24 * 60
# A batch claimed by a worker that then shows no progress for this long is
# taken over by another (the first one died).
REMINDER_STALE_CLAIM_SECONDS = env.int("REMINDER_STALE_CLAIM_SECONDS", default=300)
# A mail that cannot be built or that the mail server refuses is tried again
# after MAIL_RETRY_DELAY_SECONDS, twice that, four times that…, and after
# MAIL_MAX_ATTEMPTS attempts it is failed: organisers see it on the desk.
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=5)
MAIL_RETRY_DELAY_SECONDS = env.int("MAIL_RETRY_DELAY_SECONDS", default=300)
# Reminders for starred sessions go this many minutes before each starts.
STARTING_SOON_MINUTES = env.int("STARTING_SOON_MINUTES", default=15)
# Agenda-change notices wait this long, so a burst of publications sends one.
AGENDA_NOTICE_DELAY_MINUTES = env.int("AGENDA_NOTICE_DELAY_MINUTES", default=15)
# Dietary and accessibility needs and passport details are kept this long after
# an event ends (README "Personal data"); LETTER_DATA_RETENTION_DAYS is its old name.
PERSONAL_DATA_RETENTION = timedelta(
    days=env.int("PERSONAL_DATA_RETENTION_DAYS", default=env.int("LETTER_DATA_RETENTION_DAYS", default=30))
)
# Calendar feeds: how far back ended events stay, how long cancelled events and
# removed sessions stay as STATUS:CANCELLED, how often clients are asked to poll.
FEED_PAST_DAYS = env.int("FEED_PAST_DAYS", default=365)
FEED_CANCELLED_DAYS = env.int("FEED_CANCELLED_DAYS", default=90)
FEED_REFRESH_HOURS = env.int("FEED_REFRESH_HOURS", default=4)
# A worker heartbeat older than this makes /healthz and the organiser desk say so.
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # kombu warns "No hostname was supplied" for every producer of the file-system broker.
    "loggers": {
        "kombu.connection": {"level": "ERROR"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only this site's own files run or style
# a page, so templates hold no inline <script>, on* handler, <style> or style=
# attribute; scripts live in static/js, styles in static/css. JSON data blocks
# (<script type="application/json">, as allauth uses) are not run and need no
# exception. data: images: allauth's TOTP set-up page shows its QR code as one.
# tests/e2e fail on any violation the browser reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): the camera for this site
# alone (the check-in desk reads QR codes with it); features a meeting site
# never uses are switched off, for the site and anything it might embed. Not
# listed, and so left at the browser's default of this site only: clipboard
# (the feed link's copy button), fullscreen, passkeys (publickey-credentials-*).
# Only features Chromium knows: it warns about the header otherwise (so
# ambient-light-sensor and bluetooth, behind flags there, are left out), and
# the browser tests fail on that warning.
PERMISSIONS_POLICY = {
    "camera": ["self"],
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "display-capture": [],
    "encrypted-media": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "interest-cohort": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

if PRODUCTION:
    # No SECURE_PROXY_SSL_HEADER: any client could send X-Forwarded-Proto.
    # request.is_secure() follows wsgi.url_scheme, which gunicorn sets to https
    # only for X-Forwarded-Proto from the proxy's address (--forwarded-allow-ips).
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    # allauth's per-client rate limits: behind N proxies of ours the client is
    # the Nth address from the end of X-Forwarded-For (docker-compose sets 1).
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)

if DJANGO_ENV == "test":
    # Unit tests run tasks in-process; the tests of queue behaviour start a
    # real worker in a "development" process instead.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
