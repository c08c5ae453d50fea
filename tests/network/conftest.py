import uuid

import pytest
from django.core.cache import cache

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis, with a key prefix of its own for this test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A prefix of its own so parallel runs and other suites never share entries.
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    try:
        cache.set("redis-cache-test-ping", 1)
    except Exception as error:  # pragma: no cover - a missing service is a failed run
        pytest.fail(f"Redis is required for the cache tests at {REDIS_URL}: {error}")
    yield cache
    # This test's keys only: django-redis's clear() is FLUSHDB, which would empty the cache of
    # a test running beside this one (another xdist worker) in the middle of it.
    cache.delete_pattern("*")
