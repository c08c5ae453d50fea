"""Template context every page reads: the network's settings."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def network_settings(request: HttpRequest) -> dict:
    """`network_settings`: from the site chrome when it is cached (network.chrome), else looked
    up, with Wagtail's `for_request`, only if a template reads it."""
    from network.models import NetworkSettings

    cached = getattr(request, "network_settings", None)
    if cached is not None:
        return {"network_settings": cached}
    return {"network_settings": SimpleLazyObject(lambda: NetworkSettings.for_request(request))}
