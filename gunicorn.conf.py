"""gunicorn settings shared by the Docker image and `make bench`; GUNICORN_* env vars override."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down. Each worker draws
# its own limit from max_requests to one and a half times it, so under steady load they reach
# it at different moments and never all restart together (with 500 of 5,000 they did, within
# a second of each other, and p99 jumped to 3 s).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 2
# The application is imported once, in the master, and each worker is a fork of it: a recycled
# worker answers at once instead of importing Django and Wagtail again (a second or more of CPU
# while its share of requests waited; p99 of cached pages went from 53 ms to 404 ms at 16
# connections with recycling on). Connections are opened lazily, in each worker, never shared.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() != "false"
# The application logs each request itself, as JSON without addresses (core/request_log.py);
# gunicorn's own access log (addresses, user agents) only when GUNICORN_ACCESSLOG=- asks.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"

# Each request allocates many short-lived objects, and the collector's youngest generation,
# at Python's default threshold of 700, ran over a hundred times a page. With the application
# loaded, its long-lived objects are frozen out of the collector's way and the youngest
# generation is collected less often (reference counting still frees almost everything at once).
GC_GENERATION0_THRESHOLD = 20_000


def post_fork(server, worker) -> None:
    # Nothing should have connected before the fork; if something did, the worker must not
    # share the master's socket.
    from django.db import connections

    connections.close_all()


def post_worker_init(worker) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_GENERATION0_THRESHOLD, 10, 10)
