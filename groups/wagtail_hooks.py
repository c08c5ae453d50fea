"""Admin rules for local editors: their own group only, and never its page's place in the tree."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail import hooks

from groups.admin_views import (
    DocumentsInReachAdminAPIViewSet,
    ImagesInReachAdminAPIViewSet,
    ProjectPageViewSet,
)
from groups.dashboard import (
    EventsMissingDetailsPanel,
    ExpiringAwardsPanel,
    GroupPagesPanel,
    QuietGroupsPanel,
    ReviewQueueByGroupPanel,
    StalePagesPanel,
    editor_groups,
)
from groups.models import LocalGroupPage
from groups.permissions import editable_group_pages, is_national_staff


def _refuse_for_group_page(request, page) -> None:
    if isinstance(page.specific, LocalGroupPage) and not is_national_staff(request.user):
        raise PermissionDenied("Only national staff can move, copy or delete a group's page.")


@hooks.register("before_delete_page")
def refuse_deleting_group_page(request, page):
    _refuse_for_group_page(request, page)


@hooks.register("before_move_page")
def refuse_moving_group_page(request, page, destination):
    _refuse_for_group_page(request, page)


@hooks.register("before_copy_page")
def refuse_copying_group_page(request, page):
    _refuse_for_group_page(request, page)


@hooks.register("construct_page_chooser_queryset")
def limit_local_editors_to_their_pages(pages, request):
    """A local editor links only to pages of their own group (and can browse nothing else)."""
    user = request.user
    if is_national_staff(user):
        return pages
    group_pages = list(editable_group_pages(user))
    if not group_pages:
        return pages
    subtree = Q()
    for group_page in group_pages:
        subtree |= Q(path__startswith=group_page.path)
    return pages.filter(subtree)


# What editors see of other groups' media, drafts and colleagues: see groups/admin_views.py.
# These run after Wagtail's own registrations (order=1) so that they replace them.


@hooks.register("construct_admin_api", order=1)
def admin_api_lists_only_media_in_reach(router) -> None:
    router.register_endpoint("images", ImagesInReachAdminAPIViewSet)
    router.register_endpoint("documents", DocumentsInReachAdminAPIViewSet)


@hooks.register("register_admin_viewset", order=1)
def page_views_in_reach() -> ProjectPageViewSet:
    return ProjectPageViewSet()


@hooks.register("construct_reports_menu")
def hide_site_wide_reports_from_editors(request, menu_items: list) -> None:
    if not is_national_staff(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("construct_homepage_panels")
def editors_and_staff_dashboard(request, panels: list) -> None:
    """A local editor's home shows their group's work; national staff's, the network's.

    letters/wagtail_hooks.py adds the letters' figures (invitation counts, uncovered
    constituencies) the same way.
    """
    if is_national_staff(request.user):
        panels[:0] = [ReviewQueueByGroupPanel(), QuietGroupsPanel()]
        return
    groups = editor_groups(request)
    panels[:0] = [
        panel(groups)
        for panel in (
            GroupPagesPanel,
            ExpiringAwardsPanel,
            EventsMissingDetailsPanel,
            StalePagesPanel,
        )
    ]
