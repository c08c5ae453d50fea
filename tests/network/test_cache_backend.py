"""The cache breaker (core/cache_backend.py) against a Redis that accepts connections and
never answers, as a paused Redis does: one request waits out one timeout, the next ones do not
call it at all, and once the breaker's time is up the site tries Redis again."""

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from core import cache_backend


class HungRedis:
    """Accepts connections and reads what it is sent, and never answers."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.open: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            self.open.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.open:
            connection.close()


@pytest.fixture
def hung_redis(settings) -> Iterator[HungRedis]:
    redis = HungRedis()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backend.BreakerRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": False,
            },
        }
    }
    settings.CACHE_BREAKER_SECONDS = 60
    settings.PAGE_CACHE_ENABLED = True
    settings.SITE_CHROME_CACHE_ENABLED = True
    yield redis
    cache_backend.reset_breakers()
    redis.close()


def test_a_hung_redis_is_called_once_then_left_alone(client, demo_site, hung_redis):
    assert client.get("/groups/southampton/").status_code == 200
    assert hung_redis.connections == 1

    for url in ("/groups/southampton/", "/", "/events/", "/groups/", "/find-your-mp/?q=Itchen"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "miss"

    # Every page was built from the database; not one more call reached the hung Redis.
    assert hung_redis.connections == 1


def test_once_its_time_is_up_the_breaker_tries_redis_again(client, demo_site, hung_redis, settings):
    settings.CACHE_BREAKER_SECONDS = 0.3
    client.get("/about/")
    assert hung_redis.connections == 1
    time.sleep(0.4)

    client.get("/about/")

    assert hung_redis.connections == 2


@pytest.mark.parametrize(
    ("call", "answer"),
    [
        (lambda: cache.get("k", "fallback"), "fallback"),
        (lambda: cache.get_or_set("k", lambda: "built"), "built"),
        (lambda: cache.get_many(["a", "b"]), {}),
        (lambda: cache.set("k", 1), False),
        (lambda: cache.add("k", 1), False),
        (lambda: cache.incr("k"), None),
        (lambda: cache.delete("k"), False),
    ],
)
def test_every_call_answers_as_a_miss_while_redis_fails(hung_redis, call, answer):
    assert call() == answer
