"""Wagtail admin views narrowed to what a local group editor may see.

Wagtail shows every editor some things from the whole site: image and document titles in the
admin API, page titles (drafts included) in the page chooser's browse and "chosen" answers,
the page-types report and "pages using this type", and every requester's or locker's
username in the report filters. Here each view is Wagtail's own class with its queryset
narrowed; national staff keep the whole site.

Where Wagtail offers an extension point it is used (`construct_admin_api` for the admin API,
a `PageViewSet` for "pages using this type"). The chooser and reports have none, so
`admin_urlpatterns` are mounted ahead of Wagtail's admin URLs by config/urls.py, on the same
paths and unnamed, so Wagtail's `reverse()` still finds them.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django_filters import ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.admin.views.pages.usage import ContentTypeUseView
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowView,
    get_requested_by_queryset,
)
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from core.media import media_visible_to
from core.spreadsheets import FormulaSafeExportMixin
from groups.permissions import is_national_staff

# The page rights that make a page "the editor's": the explorer's own list, minus the
# ancestors it adds only for navigation.
PAGE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def pages_in_reach(user: Any) -> QuerySet:
    """The pages `user` holds a right on: their group's subtree for an editor."""
    return policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, PAGE_ACTIONS
    )


# --- The admin API (/admin/api/main/images/, /documents/): only the user's collections ----


class MediaInReachMixin:
    """An admin API endpoint listing only the items the user may choose or edit."""

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .filter(pk__in=media_visible_to(self.request.user, self.model).values("pk"))
        )


class ImagesInReachAdminAPIViewSet(MediaInReachMixin, ImagesAdminAPIViewSet):
    pass


class DocumentsInReachAdminAPIViewSet(MediaInReachMixin, DocumentsAdminAPIViewSet):
    pass


# --- "Pages using this type" (/admin/pages/usage/<app>/<model>/): the editor's pages ------


class PagesOfTypeInReachView(ContentTypeUseView):
    """The pages of one type, limited to the ones the user has rights on (not their ancestors)."""

    def get_base_queryset(self) -> QuerySet:
        pages = super().get_base_queryset()
        if is_national_staff(self.request.user):
            return pages
        return pages.filter(pk__in=pages_in_reach(self.request.user).values("pk"))


class ProjectPageViewSet(PageViewSet):
    """Wagtail's page views, with "pages using this type" narrowed as above."""

    content_type_use_view_class = PagesOfTypeInReachView


# --- The page chooser (/admin/choose-page/): the hook's rule for every route -------------------
# `construct_page_chooser_queryset` (groups/wagtail_hooks.py) filters the pages listed; Wagtail
# does not apply it to the page being browsed, nor to the "chosen" answer, which name any page.


def choosable_pages(request: HttpRequest) -> QuerySet:
    """The pages the chooser may offer this user, by the same hooks as its listings."""
    pages = Page.objects.all()
    for hook in hooks.get_hooks("construct_page_chooser_queryset"):
        pages = hook(pages, request)
    return pages


class BrowseInReachView(BrowseView):
    """Browse only pages that lead to something choosable (the page itself or below it)."""

    def get(self, request: HttpRequest, parent_page_id: int | None = None) -> HttpResponseBase:
        if parent_page_id is not None:
            parent = get_object_or_404(Page, pk=parent_page_id)
            if not choosable_pages(request).filter(path__startswith=parent.path).exists():
                raise Http404
        return super().get(request, parent_page_id)


class ChosenMultipleInReachView(ChosenMultipleView):
    """Answer only for the chosen pages the chooser could have offered."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        ids = [value for value in request.GET.getlist("id") if value.isdigit()]
        allowed = choosable_pages(request).filter(pk__in=ids).values_list("pk", flat=True)
        query = request.GET.copy()
        query.setlist("id", [str(pk) for pk in allowed])
        request.GET = query
        return super().get(request)


# --- Reports ---------------------------------------------------------------------------------


class PageTypesUsageForStaffView(PageTypesUsageReportView):
    """Counts and latest-edited titles over the whole site: a report for national staff only."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_national_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def page_ids_as_text(pages: QuerySet) -> QuerySet:
    # Workflow states point at pages through a text object_id.
    return pages.values_list(Cast("id", output_field=CharField()), flat=True)


def requesters_visible_to(request: HttpRequest) -> QuerySet:
    """Who requested workflows on pages the user may change (everyone, for national staff)."""
    if is_national_staff(request.user):
        return get_requested_by_queryset(request)
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=page_ids_as_text(pages_in_reach(request.user)),
    )
    User = get_user_model()
    return User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)


def lockers_visible_to(request: HttpRequest) -> QuerySet:
    """Who holds locks on pages the user may change (everyone, for national staff)."""
    User = get_user_model()
    lockers = User.objects.filter(pk__in=Page.objects.filter(locked=True).values("locked_by"))
    if not is_national_staff(request.user):
        locked_here = pages_in_reach(request.user).filter(locked=True)
        lockers = lockers.filter(pk__in=locked_here.values("locked_by"))
    return lockers.order_by(User.USERNAME_FIELD)


class WorkflowReportInReachFilterSet(WorkflowReportFilterSet):
    requested_by = ModelChoiceFilter(field_name="requested_by", queryset=requesters_visible_to)


class WorkflowReportInReachView(FormulaSafeExportMixin, WorkflowView):
    filterset_class = WorkflowReportInReachFilterSet


class LockedPagesInReachFilterSet(LockedPagesReportFilterSet):
    locked_by = ModelChoiceFilter(field_name="locked_by", queryset=lockers_visible_to)


class LockedPagesInReachView(FormulaSafeExportMixin, LockedPagesView):
    filterset_class = LockedPagesInReachFilterSet


# --- Translations (wagtail-localize): only of a page the user may edit -----------------------
# wagtail-localize lets anyone with "submit_translation" translate (or re-sync) any page; its
# translation editor itself checks the translated page's edit right. A local group's editors
# hold that permission for their own group's pages, so both views here first check the page.


class SubmitPageTranslationInReachView(SubmitPageTranslationView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        page = get_object_or_404(Page, pk=kwargs["page_id"])
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied("You can translate only the pages you can edit.")
        return super().dispatch(request, *args, **kwargs)


class UpdateTranslationsInReachView(UpdateTranslationsView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        source = get_object_or_404(TranslationSource, pk=kwargs["translation_source_id"])
        instance = source.get_source_instance()
        may_edit = (
            isinstance(instance, Page) and instance.permissions_for_user(request.user).can_edit()
        )
        if not (may_edit or is_national_staff(request.user)):
            raise PermissionDenied("You can update only the translations of pages you edit.")
        return super().dispatch(request, *args, **kwargs)


def admin_view(view_class: Any, **initkwargs: Any) -> Any:
    """Protected as Wagtail protects its own admin URLs; still says which class serves it."""
    view = never_cache(require_admin_access(view_class.as_view(**initkwargs)))
    view.view_class = view_class
    view.view_initkwargs = initkwargs
    return view


# Mounted under /admin/ ahead of Wagtail's admin URLs (config/urls.py); unnamed on purpose.
CHOOSER_VIEWS = {
    "choose-page/<int:parent_page_id>/": BrowseInReachView,
    "choose-page/chosen-multiple/": ChosenMultipleInReachView,
}
TRANSLATION_VIEWS = {
    "localize/submit/page/<int:page_id>/": SubmitPageTranslationInReachView,
    "localize/update/<int:translation_source_id>/": UpdateTranslationsInReachView,
}
REPORT_VIEWS = {
    "reports/page-types-usage/": PageTypesUsageForStaffView,
    "reports/workflow/": WorkflowReportInReachView,
    "reports/locked/": LockedPagesInReachView,
}
admin_urlpatterns: list[URLPattern] = [
    path(route, admin_view(view_class))
    for route, view_class in (CHOOSER_VIEWS | TRANSLATION_VIEWS).items()
] + [
    pattern
    for route, view_class in REPORT_VIEWS.items()
    for pattern in (
        path(route, admin_view(view_class)),
        path(f"{route}results/", admin_view(view_class, results_only=True)),
    )
]
