"""Django settings for Shoko: one module, driven by the typed environment in ``shoko.config``.

``SHOKO_ENV=production`` switches on the secure defaults that ``manage.py check --deploy`` asks for;
there are no other layers to wonder about.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from shoko.config import BASE_DIR, load_environment

ENV = load_environment()

SECRET_KEY = ENV.secret_key
SECRET_KEY_FALLBACKS = ENV.secret_key_fallbacks
DEBUG = ENV.debug_enabled
PRODUCTION = ENV.is_production
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins

INSTALLED_APPS = [
    # Shoko's apps come first so that their templates (registration/, 404.html) win.
    "shoko.core",
    # Before admin, so that translated fields show per language in the admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "auditlog",
    # Before django_tasks_db: its db_worker command, with a heartbeat, replaces the library's.
    "shoko.operations",
    "django_tasks",
    "django_tasks_db",
    "shoko.directory",
    "shoko.plan",
    "shoko.events",
    "shoko.portal",
    "shoko.programmes",
    "shoko.contests",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "shoko.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shoko.urls"
WSGI_APPLICATION = "shoko.wsgi.application"
ASGI_APPLICATION = "shoko.asgi.application"

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
                "shoko.core.context_processors.shoko",
            ],
        },
    },
]

# --- Database: SQLite in var/ by default (WAL), PostgreSQL when DATABASE_URL is set -------------
VAR_DIR = ENV.var_dir
VAR_DIR.mkdir(parents=True, exist_ok=True)

if ENV.database_url:
    DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "shoko.sqlite3",
            "OPTIONS": {
                # WAL lets the worker and the web server read while the other writes; IMMEDIATE
                # takes the write lock at BEGIN so that concurrent writers queue instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": None},
            # Keep a worker's connection between requests: SQLite's page cache and the search
            # index's structures stay warm instead of being read again for every request.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:after-login"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = ENV.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=ENV.login_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shoko.core.views.lockout"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_PROXY_COUNT = 1 if ENV.behind_proxy else None

# --- Languages: Japanese is the source language of the interface --------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", "日本語"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("ko", "한국어"),
]
# Content fields (names, descriptions) are translated per field with django-modeltranslation;
# a missing translation falls back to Japanese, the language owners write first.
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "en", "zh-hans", "zh-hant", "ko")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ja",)}
# Languages staff work in; the public portal offers them all.
STAFF_LANGUAGES = ["ja", "en"]
# Each app keeps its own catalogue in shoko/<app>/locale (found automatically).
LOCALE_PATHS: list[str] = []
USE_I18N = True
USE_TZ = True
TIME_ZONE = ENV.time_zone
LANGUAGE_COOKIE_NAME = "shoko_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = ENV.static_root or (VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "shoko" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = ENV.media_root or (VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SHOKO_UPLOAD_MAX_BYTES = ENV.upload_max_bytes

# --- Email ------------------------------------------------------------------------------------
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}[ENV.email_backend]
EMAIL_HOST = ENV.email_host
EMAIL_PORT = ENV.email_port
EMAIL_HOST_USER = ENV.email_host_user
EMAIL_HOST_PASSWORD = ENV.email_host_password
EMAIL_USE_TLS = ENV.email_use_tls
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email

# --- Background tasks (Django's task API through the django-tasks backport) -------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email"],
    }
}

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min", "login": "10/min"},
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shoko API",
    "DESCRIPTION": "Commerce-and-industry support platform: plan, directory, events, programmes.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
}

# --- Audit ------------------------------------------------------------------------------------
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = False


# --- Cache ------------------------------------------------------------------------------------
def cache_config(choice: str, directory: Path) -> dict:
    """Django's CACHES entry for SHOKO_CACHE (disk caches live in ``directory``)."""
    if choice == "memory":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shoko"}
    if choice == "disk":
        return {
            "BACKEND": "diskcache.DjangoCache",
            "LOCATION": str(directory),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.1,
            "OPTIONS": {
                "size_limit": ENV.cache_max_bytes,
                # A page stays inside SQLite rather than in a file of its own: one read per hit.
                "disk_min_file_size": 1024**2,
            },
        }
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": choice}


CACHES = {"default": cache_config(ENV.cache, VAR_DIR / "cache")}

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = ENV.hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if ENV.behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# --- Logging: no personal data in error reports --------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_personal_data": {"()": "shoko.core.logging.ScrubPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "shoko.core.logging.PersonalDataExceptionReporterFilter"

# --- Shoko itself -------------------------------------------------------------------------------
SHOKO_SITE_NAME = ENV.site_name
SHOKO_SITE_URL = ENV.site_url.rstrip("/")
SHOKO_PREFECTURE_NAME = ENV.prefecture_name
SHOKO_CITY_NAME = ENV.city_name
SHOKO_CITY_NAMES = {"ja": ENV.city_name, **ENV.city_names}
SHOKO_CITY_CODE = ENV.city_code
SHOKO_MAP_TILE_URL = ENV.map_tile_url
SHOKO_MAP_TILE_ATTRIBUTION = ENV.map_tile_attribution
SHOKO_OPEN_DATA_LICENCE = ENV.open_data_licence
SHOKO_PROGRAMMES_VIRUS_SCANNER = ENV.programmes_virus_scanner
SHOKO_PROGRAMMES_MAX_AMOUNT_YEN = ENV.programmes_max_amount_yen
SHOKO_EVENTS_RATE_LIMITS = ENV.events_rate_limits  # events.ratelimit makes them Limits
SHOKO_DIRECTORY_APPROVE_SHOP_CHANGES = ENV.directory_approve_shop_changes
SHOKO_PRIVATE_MEDIA_ROOT = ENV.private_media_root
# The front cache (deploy/nginx/shoko.conf) and private files sent by nginx
# (shoko.portal.frontcache, shoko.core.files).
SHOKO_FRONT_CACHE_SECONDS = ENV.front_cache_seconds
SHOKO_FRONT_CACHE_PURGE_URL = ENV.front_cache_purge_url
SHOKO_X_ACCEL_REDIRECT = ENV.x_accel_redirect
SHOKO_METRICS_TOKEN = ENV.metrics_token
SHOKO_CONTESTS_MAX_VIDEO_BYTES = ENV.contests_max_video_bytes
SHOKO_CONTESTS_CHUNK_BYTES = ENV.contests_chunk_bytes
SHOKO_CONTESTS_FFPROBE = ENV.contests_ffprobe
SHOKO_CONTESTS_FFMPEG = ENV.contests_ffmpeg
SHOKO_CONTESTS_AGE_OF_MAJORITY = ENV.contests_age_of_majority
