"""Site-wide views that are not pages: health check, robots.txt, a settings guard,
and the uploaded images of a single-container deployment."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.views import get_model_from_url_params, redirect_to_relevant_instance
from wagtail.permissions import policy_registry

# Wagtail keeps originals and renditions under these folders. Both are public (Wagtail's
# image privacy is by page, not by file) and a file's name changes whenever its content does
# (a new upload gets a new name; a rendition's name carries its filter and focal point), so
# browsers and a CDN may keep them for a year. Documents are not here: they are served by
# Wagtail's view at /documents/, which checks their collection's privacy.
IMAGE_FOLDERS = ("images/", "original_images/")
IMAGE_CACHE_SECONDS = 365 * 24 * 60 * 60


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer and the Dockerfile's HEALTHCHECK: can we reach the database?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return JsonResponse(
            {"status": "unavailable", "database": f"unreachable: {reason}"}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


# Icons browsers ask for at the site's root whatever the page's <head> says (static/img/,
# drawn from mark.svg): answered here rather than with a 404 in every server log.
ROOT_ICONS = {
    "favicon.ico": "image/vnd.microsoft.icon",
    "apple-touch-icon.png": "image/png",
}
ICON_CACHE_SECONDS = 24 * 60 * 60


@require_safe
def root_icon(request: HttpRequest, name: str) -> FileResponse:
    if name not in ROOT_ICONS:
        raise Http404
    response = FileResponse(
        open(settings.BASE_DIR / "static" / "img" / name, "rb"),  # noqa: SIM115 (closed by Django)
        content_type=ROOT_ICONS[name],
    )
    patch_cache_control(response, public=True, max_age=ICON_CACHE_SECONDS)
    return response


_floor_body: bytes | None = None


@require_GET
def bench_floor(request: HttpRequest) -> HttpResponse:
    """The framework floor for `make bench`: the home page's bytes with no database work.

    Only routed when BENCH_FLOOR_FILE is set (see config/urls.py); never in a real deployment.
    """
    global _floor_body
    if _floor_body is None:
        with open(settings.BENCH_FLOOR_FILE, "rb") as floor_file:
            _floor_body = floor_file.read()
    return HttpResponse(_floor_body)


@require_admin_access
def site_setting(request: HttpRequest, app_name: str, model_name: str) -> HttpResponse:
    """Wagtail's entry to a site setting, refused at once to users who may edit it nowhere.

    For them Wagtail looks for "the first site they may edit" with a DISTINCT query ordered
    by Site's expression ordering, which PostgreSQL refuses: a local group editor who opened
    /admin/settings/network/networksettings/ got a server error instead of "no permission".
    """
    model = get_model_from_url_params(app_name, model_name)
    policy = policy_registry.get_by_type(model)
    if issubclass(model, BaseSiteSetting) and not policy.user_has_permission(
        request.user, "change"
    ):
        raise PermissionDenied
    return redirect_to_relevant_instance(request, app_name, model_name)


@require_safe
def image_file(request: HttpRequest, path: str) -> FileResponse:
    """An uploaded image or rendition from MEDIA_ROOT, for the single-container deployment."""
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / path).resolve()
    # Judged by where the path really leads: "images/../documents/x" is not an image.
    inside = file.relative_to(root).as_posix() if file.is_relative_to(root) else ""
    if not inside.startswith(IMAGE_FOLDERS) or not file.is_file():
        raise Http404("No such image")
    response = FileResponse(file.open("rb"))
    patch_cache_control(response, public=True, max_age=IMAGE_CACHE_SECONDS, immutable=True)
    return response
