from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.snippets.models import get_snippet_models

from config.api import api, not_in_this_api, openapi_document
from core import views
from core.sign_in import AdminLogoutView
from core.sitemaps import PublicPagesSitemap
from core.spreadsheets import wagtail_listing_urls
from core.worker import worker_health
from groups.admin_views import admin_urlpatterns as narrowed_admin_urls
from letters import letter_views, reminder_views
from letters import near as letters_near
from letters import views as letters_views
from network import search as network_search
from network import translations

handler500 = "core.faults.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Wagtail chooser and report views narrowed to an editor's group (groups/admin_views.py).
    path("admin/", include(narrowed_admin_urls)),
    # Before Wagtail's own, which signs out on GET: see core/sign_in.py.
    path("admin/logout/", AdminLogoutView.as_view(), name="wagtailadmin_logout"),
    *wagtail_listing_urls("admin/"),
    path("admin/settings/<slug:app_name>/<slug:model_name>/", views.site_setting),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/worker", worker_health, name="worker_health"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.root_icon, {"name": "favicon.ico"}, name="favicon"),
    path("apple-touch-icon.png", views.root_icon, {"name": "apple-touch-icon.png"}),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicPagesSitemap}}, name="sitemap"),
    # Wagtail mounts its snippets router on every API; with no snippet types it serves nothing.
    *([] if get_snippet_models() else [re_path(r"^api/v3/snippets/", not_in_this_api)]),
    # The project's OpenAPI document, in place of the one `api.urls` would serve (config/api.py).
    path(f"api/v3/{api.openapi_url.lstrip('/')}", openapi_document),
    path("api/v3/", api.urls),
]

if settings.BENCH_FLOOR_FILE:
    urlpatterns.append(path("bench/floor/", views.bench_floor))

if settings.SERVE_IMAGE_FILES:
    # Images from MEDIA_ROOT, in production too; documents only through /documents/.
    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(re_path(rf"^{media}(?P<path>.+)$", views.image_file))

# The visitor's pages, in English at / and in Welsh at /cy/ (LocaleMiddleware reads the prefix).
urlpatterns += i18n_patterns(
    path("search/", network_search.search, name="search"),
    path("find-your-mp/", letters_views.find_your_mp, name="find_your_mp"),
    path("near/", letters_near.near, name="near"),
    path("untranslated/<int:page_id>/", translations.untranslated, name="untranslated"),
    # The campaign emails' signed links, in the language the visitor signed up in.
    path(
        "campaign-email/<str:token>/",
        reminder_views.campaign_email_link,
        name="campaign_email_link",
    ),
    # A letter's "I've sent it" (…/<constituency>/sent/), still served by its page: one click
    # from the cached preview counts without a CSRF token (letters/letter_views.py).
    re_path(r"^(?P<path>(?:[-\w]+/)+sent/)$", letter_views.one_click_sent_view),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
