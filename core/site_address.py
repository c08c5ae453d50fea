"""The request being answered, for links built where no request is handed down.

Wagtail's page URLs take an optional request; a few callers cannot pass one (an API field's
serializer, which Wagtail's API v3 calls with the page alone). While a request is answered its
host is known, so `SanctuaryPage.get_url_parts` uses it for them too; in a task or a command
there is none, and links use the Site record's address.
"""

from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

CURRENT_REQUEST: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


def request_in_progress() -> HttpRequest | None:
    return CURRENT_REQUEST.get()


class RequestAddressMiddleware:
    """Keep the request at hand while it is answered (after CommonMiddleware checked its host)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = CURRENT_REQUEST.set(request)
        try:
            return self.get_response(request)
        finally:
            CURRENT_REQUEST.reset(token)
