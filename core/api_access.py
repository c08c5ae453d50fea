"""Who may read images, documents and redirects through /api/v3/.

Wagtail's v3 routers let anyone list every image and document (with download URLs, whatever
collection they sit in) and every redirect. Here they need a bearer token:

- images and documents: the token's user must be able to choose, add, change or delete the
  item in its collection (its group's collection for an editor, every collection for
  national staff); anything else is a 404, as if it did not exist. Listing needs that right
  over every collection, because a listing cannot be narrowed to some collections from
  outside Wagtail's view; an editor fetches its own items by id.
- redirects: the token's user must hold a redirect permission (national staff).

Anonymous callers get a 401 on all of them: public pages already embed the renditions and
document links they use. The rule is applied with django-ninja's router decorators on
Wagtail's own routers, so the endpoints, their schemas and their write paths stay Wagtail's.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest
from ninja import Router
from wagtail.contrib.redirects.api.v3.router import router as redirects_router
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.documents.api.v3.router import router as documents_router
from wagtail.images import get_image_model
from wagtail.images.api.v3.router import router as images_router
from wagtail.permissions import policy_registry

from core.media import MEDIA_ACTIONS, media_visible_to, reaches_every_collection

REDIRECT_ACTIONS = ("add", "change", "delete", "view")

# Path prefixes (under /api/v3/) whose every operation needs a bearer token.
TOKEN_ONLY_PREFIXES = (
    "images/",
    "documents/",
    "redirects/",
    "letters/{letter_slug}/answers/",  # MPs' answers (letters/api.py)
)


def require_token(request: HttpRequest) -> None:
    """A 401 (problem+json, from Wagtail's handler) for anyone without a valid token."""
    if not request.user.is_authenticated:
        raise PermissionDenied


def media_access(model: type[Model], id_parameter: str) -> Callable:
    """A router decorator: token required; an item only if its collection is the user's."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            require_token(request)
            policy = policy_registry.get_by_type(model)
            if not policy.user_has_any_permission(request.user, MEDIA_ACTIONS):
                raise PermissionDenied
            item_id = kwargs.get(id_parameter)
            if item_id is None:
                if request.method == "GET" and not reaches_every_collection(request.user, model):
                    raise PermissionDenied(
                        f"Listing {model._meta.verbose_name_plural} needs access to every "
                        "collection; fetch your own by id."
                    )
            elif not media_visible_to(request.user, model).filter(pk=item_id).exists():
                raise Http404(f"No {model._meta.verbose_name} matches the given query.")
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def redirect_access(view: Callable) -> Callable:
    """A router decorator: redirects are for tokens whose user may manage them."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        require_token(request)
        policy = policy_registry.get_by_type(Redirect)
        if not policy.user_has_any_permission(request.user, REDIRECT_ACTIONS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def restrict_wagtail_routers() -> None:
    """Put the rules above on Wagtail's routers; call before `api.urls` is first read."""
    guarded_routers: list[tuple[Router, Callable]] = [
        (images_router, media_access(get_image_model(), "image_id")),
        (documents_router, media_access(get_document_model(), "document_id")),
        (redirects_router, redirect_access),
    ]
    for router, decorator in guarded_routers:
        router.add_decorator(decorator, mode="operation")
