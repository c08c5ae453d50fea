"""Redis as the cache, behind a breaker: a hung or failing Redis costs one short timeout.

django-redis answers a failed call as a cache miss (IGNORE_EXCEPTIONS), but only after the
call has failed, and a Redis that accepts connections without answering makes every call wait
out its socket timeout: about 13 calls on an uncached page. Here the first failure opens the
breaker for `CACHE_BREAKER_SECONDS` in this process: until then every call answers as a miss
at once, without touching Redis, and pages come from the database at uncached speed. The
first call after that tries Redis again. The cache is a speed-up, never a dependency.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FAILURES = (RedisError, ConnectionInterrupted, OSError)

# Per process, not per cache object: Django makes a cache object per thread.
_lock = threading.Lock()
_open_until: dict[str, float] = {}


def breaker_open(location: str) -> bool:
    return time.monotonic() < _open_until.get(location, 0.0)


def open_breaker(location: str, error: Exception) -> None:
    seconds = getattr(settings, "CACHE_BREAKER_SECONDS", 30)
    with _lock:
        _open_until[location] = time.monotonic() + seconds
    logger.warning("Cache unavailable (%s); not calling it for %s s", error, seconds)


def reset_breakers() -> None:
    """Close every breaker (tests; a process starts with them closed)."""
    with _lock:
        _open_until.clear()


def guarded(name: str, miss: Callable[..., Any]) -> Callable[..., Any]:
    """The cache method `name`, answering `miss(*args, **kwargs)` while Redis is failing."""

    def method(self: "BreakerRedisCache", *args: Any, **kwargs: Any) -> Any:
        if breaker_open(self.breaker_key):
            return miss(*args, **kwargs)
        try:
            return getattr(super(BreakerRedisCache, self), name)(*args, **kwargs)
        except FAILURES as error:
            open_breaker(self.breaker_key, error)
            return miss(*args, **kwargs)

    method.__name__ = name
    return method


def default_of(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    default = kwargs.get("default", default)
    return default() if callable(default) else default


def nothing(*args: Any, **kwargs: Any) -> None:
    return None


def false(*args: Any, **kwargs: Any) -> bool:
    return False


def empty_dict(*args: Any, **kwargs: Any) -> dict:
    return {}


def empty_list(*args: Any, **kwargs: Any) -> list:
    return []


class BreakerRedisCache(RedisCache):
    """django-redis behind a breaker; set OPTIONS["IGNORE_EXCEPTIONS"] False, it handles them."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.breaker_key = str(server)

    get = guarded("get", default_of)
    get_or_set = guarded("get_or_set", default_of)
    get_many = guarded("get_many", empty_dict)
    set = guarded("set", false)
    set_many = guarded("set_many", empty_list)
    add = guarded("add", false)
    touch = guarded("touch", false)
    has_key = guarded("has_key", false)
    delete = guarded("delete", false)
    delete_many = guarded("delete_many", nothing)
    incr = guarded("incr", nothing)
    decr = guarded("decr", nothing)
    clear = guarded("clear", nothing)
