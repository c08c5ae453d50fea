"""Settings for the test suite: SQLite unless DATABASE_URL says otherwise."""

import tempfile

from .base import *

SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sanctuary-test-media-"))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# As in production, whatever the environment says; tests about the uncached path switch them
# off themselves. tests/conftest.py empties the cache before each test.
PAGE_CACHE_ENABLED = True
SITE_CHROME_CACHE_ENABLED = True
# Tests that need Redis set REDIS_URL themselves; the default suite uses process memory
# (one cache per xdist worker process).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
