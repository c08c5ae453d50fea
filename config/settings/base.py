"""Settings shared by every environment. Everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- English and Welsh (issue 20) -------------------------------------------------------------
# Wagtail's internationalisation: a page tree per language, Welsh at /cy/... (config/urls.py,
# i18n_patterns without a prefix for English), wagtail-localize for editors' translations.
# Django's LocaleMiddleware picks the language from the path alone (an unprefixed path is
# English), before the page cache, whose keys carry the language (core/cache.py).
WAGTAIL_I18N_ENABLED = True
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# wagtail_localize.locales replaces wagtail.locales (Settings -> Locales, with "sync from").
WELSH_APPS = ["wagtail_localize", "wagtail_localize.locales"]
LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
# ?locale=cy on the project's API routers answers with the Welsh pages (core/api_locale.py).
API_LOCALE_MIDDLEWARE = "core.api_locale.APILocaleMiddleware"
# --- end of English and Welsh ----------------------------------------------------------------

INSTALLED_APPS = [
    "core",
    "network",
    "groups",
    "events",
    "letters",
    "wagtail.api.v3",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Their system checks vet CORS_* (an origin with a path is an error).
    "corsheaders",
    *WELSH_APPS,
]

MIDDLEWARE = [
    # Outermost: one JSON line per request, with its id, duration and page cache outcome.
    "core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.faults.DatabaseUnavailableMiddleware",
    # django-cors-headers, outside the page cache: answers served from it get CORS too.
    "corsheaders.middleware.CorsMiddleware",
    "core.bad_input.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    LOCALE_MIDDLEWARE,  # before the page cache: its keys carry the language
    API_LOCALE_MIDDLEWARE,
    "core.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Links built without the request in hand still name its host (core/site_address.py).
    "core.site_address.RequestAddressMiddleware",
    "network.chrome.SiteChromeMiddleware",
    "core.api_caching.APICacheHeadersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: it runs the page PATCH view itself, inside a transaction holding the page's lock.
    "core.api_preconditions.PagePreconditionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.network_settings",
                "network.context_processors.content_generation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 sends parameters apart from the SQL and prepares a statement the second time a
    # connection runs it: PostgreSQL then skips planning, about a third of a page's database
    # time here. Behind a pooler in transaction mode (PgBouncer before 1.21), set
    # DATABASE_PREPARE_THRESHOLD to an empty value to prepare nothing.
    _prepare_threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "2")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(_prepare_threshold) if _prepare_threshold else None,
    )

# The cache is a speed-up, never a dependency: a Redis outage must leave a working site.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # django-redis behind a breaker: a failing or hung Redis costs one timeout, then
            # no call for CACHE_BREAKER_SECONDS (core/cache_backend.py).
            "BACKEND": "core.cache_backend.BreakerRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "sanctuary",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": False,  # the breaker answers failures as misses
            },
        }
    }
    CACHE_BREAKER_SECONDS = float(os.environ.get("CACHE_BREAKER_SECONDS", "30"))
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (django-tasks). Wagtail's own small tasks (the reference index, deleting a
# replaced image's file, CDN purges) stay on "default" and run at once, inside the request,
# as before: a site running without a worker must never keep a deleted file or a stale CDN
# copy. Long jobs (the all-constituencies letters ZIP) go to "background": queued in the
# database and run by the worker process, `manage.py db_worker --backend background`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def s3_media_storage(environ) -> dict | None:
    """Uploaded media in an S3-compatible bucket (django-storages), when the environment names
    one; None keeps them on the filesystem (`make run`, a single container).

    Image URLs are plain, unsigned object URLs (on AWS_S3_CUSTOM_DOMAIN, a CDN, when set): the
    bucket lets anyone read `images/` and `original_images/`, and a rendition is written once
    under a new name, so it may be cached for a year. Documents (`documents/`) stay private in
    the bucket: Wagtail's view at /documents/ checks their collection's privacy and streams
    them (WAGTAILDOCS_SERVE_METHOD below), so no object URL of a document ever reaches a page.
    Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or the instance's role.
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": environ.get("AWS_S3_URL_PROTOCOL", "https:"),
            "querystring_auth": False,
            # Never replace an object: a new upload with a taken name gets a new name, so a
            # URL always means the same bytes and a year in a browser or CDN is safe.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


MEDIA_STORAGE = s3_media_storage(os.environ)
# The site serves uploaded images itself (core.views.image_file); turn it off when a web
# server, a CDN or object storage serves MEDIA_URL instead (object storage turns it off).
SERVE_IMAGE_FILES = env_bool("SERVE_IMAGE_FILES", MEDIA_STORAGE is None)
STORAGES = {
    "default": MEDIA_STORAGE or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "City of Sanctuary <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds; a hung server is retried

# Campaign emails (letters/reminders.py): the question "Did your MP reply?" this many days
# after the visitor signs up; signed links work this many days; a temporary failure is tried
# again after each of these delays in seconds, then recorded as failed.
CAMPAIGN_QUESTION_DELAY_DAYS = int(os.environ.get("CAMPAIGN_QUESTION_DELAY_DAYS", "14"))
CAMPAIGN_EMAIL_LINK_MAX_AGE_DAYS = int(os.environ.get("CAMPAIGN_EMAIL_LINK_MAX_AGE_DAYS", "60"))
CAMPAIGN_EMAIL_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
# Bounces that arrive later (letters/bounces.py): each campaign email's envelope sender is this
# address with a token after a "+" (the mail server must deliver bounces+anything@domain to
# its mailbox); `read_campaign_bounces` reads that mailbox, a Maildir at this path. Unset: the
# envelope sender is DEFAULT_FROM_EMAIL, as before, and nothing is read.
CAMPAIGN_BOUNCE_ADDRESS = os.environ.get("CAMPAIGN_BOUNCE_ADDRESS", "")
CAMPAIGN_BOUNCE_MAILDIR = os.environ.get("CAMPAIGN_BOUNCE_MAILDIR", "")
# /healthz/worker answers 503 when a task has waited longer than this for the worker.
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "formatters": {"message": {"format": "%(message)s"}},
    "loggers": {
        # core/request_log.py: one JSON line per request; REQUEST_LOG=false turns it off.
        "sanctuary.requests": {
            "handlers": ["request_lines"],
            "level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING",
            "propagate": False,
        }
    },
}
LOGGING["handlers"]["request_lines"] = {"class": "logging.StreamHandler", "formatter": "message"}

# Page cache for anonymous visitors (core/cache.py): purged on every publish.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# The site, home page, settings and menu every page draws, kept per content generation.
SITE_CHROME_CACHE_ENABLED = env_bool("SITE_CHROME_CACHE_ENABLED", True)
# Pieces of templates the same on every page (the footer), kept per content generation too
# (`make bench-inprocess --no-fragments` switches them off to time a generation's first render).
FRAGMENT_CACHE_ENABLED = env_bool("FRAGMENT_CACHE_ENABLED", True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# How long browsers and a CDN may keep a public page; short, as a CDN is purged per page only.
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))

# `make bench` only: serve this file at /bench/floor/ as the framework floor.
BENCH_FLOOR_FILE = os.environ.get("BENCH_FLOOR_FILE", "")

# The HTTP cache in front (wagtail.contrib.frontend_cache's backends), when one is configured.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    # Varnish with docker/varnish/default.vcl: core/frontend_cache.py purges it whenever the
    # page cache starts a new generation, which its VCL answers by banning every page.
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_BEARER_TOKEN") and os.environ.get("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ["CLOUDFLARE_ZONE_ID"],
    }
    # Cloudflare purges per page: Wagtail's own handlers purge a published page's URLs (the
    # pages that list it keep their max-age, PAGE_CACHE_BROWSER_SECONDS, at most).
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.embeds"), "wagtail.contrib.frontend_cache")

# Wagtail
WAGTAIL_SITE_NAME = "City of Sanctuary"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Documents are always streamed by Wagtail's view after its privacy check, from the filesystem
# or the bucket alike; never "redirect" (Wagtail's default for a bucket), which would send the
# visitor to the object's URL: unsigned (querystring_auth is off for images) it would be
# public to anyone holding the link, and a signed one outlives a privacy change by its expiry
# and cannot live on a CDN's custom domain. Documents are at most 10 MB and rarely fetched.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAILAPI_DOCS_ENABLED = True

# External services
POSTCODES_IO_BASE_URL = os.environ.get("POSTCODES_IO_BASE_URL", "https://api.postcodes.io")
POSTCODES_IO_TIMEOUT = float(os.environ.get("POSTCODES_IO_TIMEOUT", "2"))
# The groups map (groups/map.py) is an inline SVG that needs nothing else. With a tile
# server's URL template (e.g. https://tile.example.org/{z}/{x}/{y}.png), /groups/ and /near/
# also load the vendored Leaflet and show the same markers on those tiles; its host is then
# allowed in the Content-Security-Policy's img-src. Empty: no request leaves the site.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
MEMBERS_API_BASE_URL = os.environ.get("MEMBERS_API_BASE_URL", "https://members-api.parliament.uk")
MEMBERS_API_TIMEOUT = float(os.environ.get("MEMBERS_API_TIMEOUT", "10"))
# Retries with exponential backoff (0.5 s, 1 s, 2 s...) on refused connections and 5xx.
MEMBERS_API_RETRIES = int(os.environ.get("MEMBERS_API_RETRIES", "3"))
MEMBERS_API_BACKOFF = float(os.environ.get("MEMBERS_API_BACKOFF", "0.5"))

# Security (core/security.py, core/faults.py, core/uploads.py; see SECURITY.md)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: lock a username from one address after this many failures, and an
# address after SIGN_IN_FAILURES_PER_ADDRESS failures across all usernames (core/sign_in.py).
AXES_HANDLER = "core.sign_in.SignInThrottle"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
SIGN_IN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True
# How many proxies (load balancer, CDN) sit in front of gunicorn and append X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Per client address: (requests, window in seconds). 0 requests turns a limit off.
RATE_LIMITS = {
    "postcode-lookup": (int(os.environ.get("RATE_LIMIT_POSTCODE_LOOKUPS", "30")), 60),
    "letter-download": (int(os.environ.get("RATE_LIMIT_LETTER_DOWNLOADS", "60")), 60),
    # "I've sent it" clicks that count, per hour: a household or a meeting, not a bot.
    "invitation-sent": (int(os.environ.get("RATE_LIMIT_INVITATIONS_SENT", "20")), 3600),
    # Email sign-ups on the "I've sent it" page, per hour: each sends an email to an address.
    "email-signup": (int(os.environ.get("RATE_LIMIT_EMAIL_SIGNUPS", "5")), 3600),
}
# The limits are django-ratelimit's counters (core/security.py), by the address of
# core.security.client_ip (an IPv6 client by its /64). django_ratelimit is not an installed
# app: its system check refuses the per-process memory cache of dev and tests, and warns on
# the Redis cache behind the breaker, which it does not know.
RATELIMIT_IP_META_KEY = "core.security.rate_limit_address"
# Redis down or its breaker open: the counter cannot be read, and the request goes through.
RATELIMIT_FAIL_OPEN = True
# Content-Security-Policy (django-csp's settings format; core/security.py builds each header
# once). Public pages run no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin and the API docs need their own looser policy (the longest matching prefix wins):
# Wagtail's admin still runs inline scripts and shows previews in same-origin frames; the docs
# load Swagger from a CDN.
CONTENT_SECURITY_POLICY_BY_PATH = {
    "/admin/": {
        "DIRECTIVES": {"frame-ancestors": [SELF], "object-src": [NONE], "base-uri": [SELF]}
    },
    "/django-admin/": {
        "DIRECTIVES": {"frame-ancestors": [NONE], "object-src": [NONE], "base-uri": [SELF]}
    },
    "/api/v3/docs/": {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, UNSAFE_INLINE, "https://cdn.jsdelivr.net"],
            "style-src": [SELF, "https://cdn.jsdelivr.net"],
            "img-src": [SELF, "data:", "https:"],
            "object-src": [NONE],
            "base-uri": [SELF],
            "frame-ancestors": [NONE],
        }
    },
}
# Permissions-Policy (django-permissions-policy): no page asks for these.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
}
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.uploads.SafeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.uploads.SafeDocumentForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
# Content API: browser front ends allowed to call /api/ (comma-separated origins, e.g.
# https://www.example.org); none by default. CORS is django-cors-headers, for /api/ only.
# Bearer tokens are sent explicitly, never as cookies, so no credentials cross origins; a
# browser client must read a page's ETag to send it back in If-Match.
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"]
CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "If-Match"]
CORS_EXPOSE_HEADERS = ["ETag"]
CORS_PREFLIGHT_MAX_AGE = 3600
# Page size is capped for every endpoint.
WAGTAILAPI_LIMIT_MAX = 100
