"""The test settings with persistent database connections, as in production.

A fault test must see a connection that was open when the database went away.
"""

from config.settings.test import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405

# The test settings always use process memory; a fault test wants Redis when REDIS_URL is set.
from config.settings import base as _base  # noqa: E402

CACHES = _base.CACHES
