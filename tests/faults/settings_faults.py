"""The test settings with persistent database connections, as in production.

A fault test must see a connection that was open when the database went away.
"""

from config.settings.test import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405

# The test settings always use process memory; a fault test wants Redis when REDIS_URL is set.
from config.settings import base as _base  # noqa: E402

CACHES = _base.CACHES
# The test settings switch the caches on whatever the environment says; a fault test's server
# reads them from the environment, as production does (PAGE_CACHE_ENABLED=false there).
PAGE_CACHE_ENABLED = _base.PAGE_CACHE_ENABLED
SITE_CHROME_CACHE_ENABLED = _base.SITE_CHROME_CACHE_ENABLED
