"""Bihuan settings, read from the environment.

Every variable is documented in docs/configuration.md. The helpers below fail loudly on
values they cannot parse instead of guessing.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def envstr(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = envstr(name, default)
    if value not in ("True", "False", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value in ("True", "true", "1")


def envint(name: str, default: int) -> int:
    value = envstr(name, str(default))
    try:
        return int(value or "")
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. `bihuan demo` generates one for the demo; "
        "production must set SECRET_KEY or SECRET_KEY_FILE (docs/configuration.md)."
    )
DEBUG = envbool("DEBUG", "False")
ALLOWED_HOSTS = [h.strip() for h in (envstr("ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in (envstr("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
AUDIT_KEY = envstr("AUDIT_KEY")

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{Path.cwd() / 'bihuan.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page server read while an import writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: Bihuan's statements run in milliseconds to a few seconds, where compiling
    # cost more than it saved (an indicator query spent 1.2 s compiling for 0.8 s of work).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"-c jit=off {_options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
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
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "bihuan.events",
    "bihuan.orgs",
    "bihuan.cases",
    "bihuan.notifications",
    "bihuan.intake",
    "bihuan.triage",
    "bihuan.workflow",
    "bihuan.deadlines",
    "bihuan.documents",
    "bihuan.bizreports",
    "bihuan.casecode",
    "bihuan.indicators",
    "bihuan.patrol",
    "bihuan.exchange",
    "bihuan.web",
    "bihuan.api",
    "bihuan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bihuan.orgs.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # AxesMiddleware must be last: it turns lockouts into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bihuan.urls"
WSGI_APPLICATION = "bihuan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bihuan.web.context.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "bihuan.orgs.passwords.ComplexityValidator"},
]
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", 90)
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling (等级保护 2.0): lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_SAVE_EVERY_REQUEST = False

# The interface is Simplified Chinese whatever the browser asks for: no LocaleMiddleware.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only needed for `bihuan collectstatic` when a reverse proxy should serve the files.
_static_root = envstr("STATIC_ROOT")
STATIC_ROOT = Path(_static_root) if _static_root else None
# Pages work without `collectstatic`: WhiteNoise serves the apps' static folders directly.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files live outside the web root and are only served through scoped views.
DATA_DIR = Path(envstr("DATA_DIR", str(Path.cwd() / "bihuan-data")) or "")
# Largest legal document (法律文书) file accepted by an upload, in MB.
DOCUMENT_MAX_MB = envint("DOCUMENT_MAX_MB", 20)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "bihuan.api.pagination.CasePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"user": "600/minute"},
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "EXCEPTION_HANDLER": "bihuan.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "闭环 Bihuan API",
    "DESCRIPTION": "案件、犯罪嫌疑人的只读与维护接口。所有结果按角色与单位范围过滤。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Coercive measures appear on the case card and in the intake request: one enum for both.
    "ENUM_NAME_OVERRIDES": {"MeasureKindEnum": "bihuan.cases.choices.MeasureKind"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (product brief: a real queue, never a thread in a request): django-tasks with
# its database backend; `bihuan db_worker` runs the tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Deadline alerts start this many days before the due date (domain-rules §7.2, a local choice:
# 审查起诉 5 days, 审查逮捕 2 days); "due today" and "overdue" always alert.
DEADLINE_LEAD_DAYS_PROSECUTION = envint("DEADLINE_LEAD_DAYS_PROSECUTION", 5)
DEADLINE_LEAD_DAYS_ARREST = envint("DEADLINE_LEAD_DAYS_ARREST", 2)

# 案件码: how long a QR link stays valid, and how many scan-page requests one address may make a
# minute (the page needs no login).
CASECODE_LINK_DAYS = envint("CASECODE_LINK_DAYS", 180)
CASECODE_SCANS_PER_MINUTE = envint("CASECODE_SCANS_PER_MINUTE", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
