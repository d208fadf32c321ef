"""Shian settings: one module, driven by SHIAN_* environment variables.

With no variables set you get the embedded set-up: a SQLite file and a media folder under ./var/.
Production sets at least SHIAN_SECRET_KEY, SHIAN_ALLOWED_HOSTS and SHIAN_DATABASE_URL (docs/deploy.md).
"""

import datetime
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"SHIAN_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "")
    if value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"SHIAN_{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"SHIAN_{name} must be a whole number, not {value!r}") from None


def env_time(name: str, default: str) -> str:
    """A local time of day as HH:MM."""
    value = env(name, default)
    try:
        return datetime.time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        raise ImproperlyConfigured(f"SHIAN_{name} must be a time of day such as 17:00, not {value!r}") from None


def env_decimal(name: str, default: str) -> str:
    value = env(name, default)
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ImproperlyConfigured(f"SHIAN_{name} must be a number, not {value!r}")
    return value


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


def required(name: str, value):
    if not value:
        raise ImproperlyConfigured(
            f"SHIAN_{name} is not set. It is required when SHIAN_DEBUG is off (see docs/deploy.md)."
        )
    return value


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(env("VAR_DIR", "var")).resolve()

if DEBUG:
    SECRET_KEY = env("SECRET_KEY") or "insecure-debug-only-key-never-use-in-production"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
else:
    SECRET_KEY = required("SECRET_KEY", env("SECRET_KEY"))
    ALLOWED_HOSTS = required("ALLOWED_HOSTS", env_list("ALLOWED_HOSTS"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies (nginx, a load balancer) stand in front and append to X-Forwarded-For; the
# client address for the audit trail, login throttling and API throttling is taken from behind them.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "shian.core",
    "shian.registry",
    "shian.risk",
    "shian.inspection",
    "shian.sampling",
    "shian.trace",
    "shian.duty",
    "shian.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shian.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shian.config.urls"
WSGI_APPLICATION = "shian.config.wsgi.application"

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
                "shian.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
if not env("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded set-up keeps its SQLite file here
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'shian.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers (the ledger's hash chain relies on it); WAL lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Prepared statements only where a query asks for one (the trace queries, whose planning costs more than
    # their run): psycopg prepares a query after this many runs, so no other query reaches it. Those are
    # planned once, for any parameters (a trace's lot ids change nothing in how best to join).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        prepare_threshold=2**31 - 1, options="-c plan_cache_mode=force_generic_plan"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]

# --- Security when debug is off ---------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
    if env_bool("BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): scripts only from our own origin, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Internationalisation ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
if not env("STATIC_ROOT"):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves collected files from here
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: evidence is streamed by views that check scoping
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if env("STORAGE") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": required("S3_BUCKET", env("S3_BUCKET")),
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "access_key": env("S3_ACCESS_KEY") or None,
            "secret_key": env("S3_SECRET_KEY") or None,
            "region_name": env("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif env("STORAGE", "local") == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"SHIAN_STORAGE must be 'local' or 's3', not {env('STORAGE')!r}")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Inspections: when `shian tick` reminds a business of an order's deadline (calendar days before it) [R].
SHIAN_INSPECTION = {
    "REMIND_DAYS_BEFORE_DEADLINE": env_int("INSPECTION_REMIND_DAYS_BEFORE_DEADLINE", 2),
}

# Risk: how many database connections a bulk regrade on PostgreSQL shares the operators over at once (one per
# database core it may use; docs/deploy.md).
SHIAN_RISK = {
    "REGRADE_CONNECTIONS": env_int("RISK_REGRADE_CONNECTIONS", 2),
}

# Sampling (SAMR Order 15, regulations.md §2): time limits tagged [S] or [R] there, so that a province can set
# what its reading of the rules says. Working days unless named in days.
SHIAN_SAMPLING = {
    "MIN_SAMPLERS": env_int("SAMPLING_MIN_SAMPLERS", 2),  # at least two samplers [R]
    "TO_LAB_WORKING_DAYS": env_int("SAMPLING_TO_LAB_WORKING_DAYS", 5),  # art. 20 ¶1 [S]
    "REPORT_WORKING_DAYS": env_int("SAMPLING_REPORT_WORKING_DAYS", 20),  # art. 24 ¶2 [S]
    "FAIL_REPORT_WORKING_DAYS": env_int("SAMPLING_FAIL_REPORT_WORKING_DAYS", 2),  # art. 26 ¶2 [R]
    "PASS_REPORT_WORKING_DAYS": env_int("SAMPLING_PASS_REPORT_WORKING_DAYS", 7),  # art. 26 ¶1 [R]
    "DISPOSAL_DAYS": env_int("SAMPLING_DISPOSAL_DAYS", 90),  # art. 45 [R]
    # Plans: batches per 1,000 residents [R: a KPI per level; 4 in the 2019 opinion] and the weights of the draw
    # (a product choice, not a rule): per risk grade, per failed sample in three years, per public vote.
    "BATCHES_PER_THOUSAND": env("SAMPLING_BATCHES_PER_THOUSAND", "4"),
    "GRADE_WEIGHTS": {"A": 1, "B": 2, "C": 3, "D": 4, "": 2},
    "FAILURE_WEIGHT": 2,
    "VOTE_WEIGHT": "0.1",
}

# Traceability: the official EPCIS 2.0 JSON Schema that captures are validated against (GS1's file, not
# shipped: docs/deploy.md), and the most events one capture document may hold.
SHIAN_TRACE = {
    "EPCIS_JSON_SCHEMA": env(
        "TRACE_EPCIS_JSON_SCHEMA",
        str(PACKAGE_DIR.parent.parent / "shared" / "data" / "gs1-epcis2-examples" / "EPCIS-JSON-Schema.json"),
    ),
    "CAPTURE_MAX_EVENTS": env_int("TRACE_CAPTURE_MAX_EVENTS", 10000),
    # Suspect lots controlled at every holder within hours of the order, working days or not [S: Hengshui's
    # practice, "within 24 hours"]; holders who have not acknowledged are reminded at the halfway mark.
    "CONTROL_HOURS": env_int("TRACE_CONTROL_HOURS", 24),
    # A business is told about a lot on hand this many days before it expires (a product choice).
    "EXPIRY_WARNING_DAYS": env_int("TRACE_EXPIRY_WARNING_DAYS", 7),
}

# Businesses' own duties (SAMR Order 60, regulations.md §3).
SHIAN_DUTY = {
    # Diners from which a food-safety director is required [S]: kindergarten canteens, school canteens, any unit
    # (more than).
    "DIRECTOR_DINERS": {
        "kindergarten": env_int("DUTY_DIRECTOR_KINDERGARTEN_DINERS", 300),
        "school": env_int("DUTY_DIRECTOR_SCHOOL_DINERS", 500),
        "any_unit": env_int("DUTY_DIRECTOR_ANY_UNIT_DINERS", 1000),
    },
    # Who is barred from food-safety management: a callable (id_number, on) -> reason or None, until the
    # enforcement module keeps the industry-ban register.
    "BAN_REGISTER": env("DUTY_BAN_REGISTER", "shian.duty.bans.no_register"),
    # `shian tick` reminds the officer from this local time when the day's check is not signed (a product choice).
    "REMIND_AFTER": env_time("DUTY_REMIND_AFTER", "17:00"),
    # Repeated misses are escalated to the county's regulators: this many missed days within the window.
    "ESCALATE_MISSED_DAYS": env_int("DUTY_ESCALATE_MISSED_DAYS", 3),
    "ESCALATE_WINDOW_DAYS": env_int("DUTY_ESCALATE_WINDOW_DAYS", 7),
    # A business with a list in force but no daily record for more days than this has stopped recording.
    "STOPPED_AFTER_DAYS": env_int("DUTY_STOPPED_AFTER_DAYS", 7),
    # The duty card counts misses over this many past days.
    "CARD_WINDOW_DAYS": env_int("DUTY_CARD_WINDOW_DAYS", 30),
    # Operational records: which ones each kind of business keeps daily (a TOML file), the temperature from which
    # a worker is sent home (37.3 °C [R]), and what a retained sample must be (125 g for 48 hours [S]).
    "LOG_SECTORS": env("DUTY_LOG_SECTORS", str(PACKAGE_DIR / "duty" / "data" / "logs.toml")),
    "FEVER_FROM": env_decimal("DUTY_FEVER_FROM", "37.3"),
    "SAMPLE_GRAMS": env_int("DUTY_SAMPLE_GRAMS", 125),
    "SAMPLE_HOURS": env_int("DUTY_SAMPLE_HOURS", 48),
    # A self-inspection against the sector's checklist is due this often (months) [R: "periodic"; a product choice].
    "SELF_INSPECTION_MONTHS": env_int("DUTY_SELF_INSPECTION_MONTHS", 3),
    # Director performance evaluation: the weight of each component (a product choice [R]; Nantong scores its
    # directors, its weights are not published). Inspections, samples and rectifications share their weight when
    # there were none; duties (no list in force) and training (no test taken) then score 0. The points of an
    # inspection result, 0-100 [R].
    "PERFORMANCE_WEIGHTS": {"duty": 40, "inspection": 20, "sampling": 15, "rectification": 15, "training": 10},
    "PERFORMANCE_RESULT_POINTS": {"compliant": 100, "basic": 60, "noncompliant": 0},
}

# Training and tests of businesses' food-safety directors and officers (SAMR Order 60, regulations.md §3).
SHIAN_TRAINING = {
    # Questions drawn for one exam, mixing the bank's topics.
    "QUESTIONS": env_int("TRAINING_QUESTIONS", 20),
    # The score out of 100 that passes [R: a product choice; no national pass mark was found].
    "PASS_MARK": env_int("TRAINING_PASS_MARK", 80),
    # A bureau's spot test is due this many calendar days after it is assigned (a product choice).
    "SPOT_TEST_DAYS": env_int("TRAINING_SPOT_TEST_DAYS", 3),
}

# Evidence (五定) limits; see docs/deploy.md.
SHIAN_EVIDENCE = {
    "MAX_BYTES": env_int("EVIDENCE_MAX_BYTES", 15 * 1024 * 1024),
    "FACE_MAX_BYTES": env_int("EVIDENCE_FACE_MAX_BYTES", 5 * 1024 * 1024),
    "TIME_TOLERANCE_MINUTES": env_int("EVIDENCE_TIME_TOLERANCE_MINUTES", 10),
    "PLACE_TOLERANCE_METRES": env_int("EVIDENCE_PLACE_TOLERANCE_METRES", 200),
    "PREMISES_RADIUS_METRES": env_int("EVIDENCE_PREMISES_RADIUS_METRES", 500),
}

# --- Email and SMS --------------------------------------------------------------------------------
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "Shian 食安 <noreply@localhost>")
SHIAN_SMS_BACKEND = env("SMS_BACKEND", "shian.core.sms.ConsoleSmsBackend")

# --- Cache and background work -------------------------------------------------------------------------
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- API --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shian.core.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "shian.core.api.auth.TokenHasScope",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "shian.core.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "shian.core.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", "60/min")},
    "EXCEPTION_HANDLER": "shian.core.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shian 食安 API",
    "DESCRIPTION": "Food-safety smart-supervision platform. Session auth for the web UI; "
    "`Authorization: Token <key>` for integrations (each token carries scopes and an expiry). "
    'Errors: `{"error": {"code", "message", "details"}}`.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "OperatorStatusEnum": "shian.registry.choices.OperatorStatus",
        "ImportJobStatusEnum": "shian.registry.choices.ImportJobStatus",
        "RiskGradeEnum": "shian.risk.choices.Grade",
        "InspectionResultEnum": "shian.inspection.choices.Result",
        "InspectionKindEnum": "shian.inspection.choices.InspectionKind",
        "InspectionStatusEnum": "shian.inspection.choices.InspectionStatus",
        "RectificationKindEnum": "shian.inspection.choices.RectificationKind",
        "RectificationStatusEnum": "shian.inspection.choices.RectificationStatus",
        "SampleStatusEnum": "shian.sampling.choices.SampleStatus",
        "TestResultStatusEnum": "shian.sampling.choices.ResultStatus",
        "VerdictEnum": "shian.sampling.choices.Verdict",
        "ResultSourceEnum": "shian.sampling.choices.ResultSource",
        "DutyLogKindEnum": "shian.duty.choices.LogKind",
    },
}

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shian.core.context.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
