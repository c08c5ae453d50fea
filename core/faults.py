"""What visitors see when the database is unreachable: a 503 with a retry message, not a 500.

The page is rendered from a standalone template with no context processors, session or
database, so it still renders while PostgreSQL is down. Recovery needs nothing from us:
Django closes a connection that failed, and CONN_HEALTH_CHECKS makes the next request open
a fresh one once the database is back.
"""

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


def service_unavailable() -> HttpResponse:
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view or its template into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return service_unavailable()
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the database failed outside a view, else the 500 page.

    Middleware that touches the database (sessions, authentication, redirects) raises
    outside `process_exception`; Django then calls this inside its `except` block, so the
    exception being handled is still visible.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN_ERRORS):
        return service_unavailable()
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
