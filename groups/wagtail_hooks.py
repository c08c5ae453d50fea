"""Admin rules for local editors: their own group only, and never its page's place in the tree."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks

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
    from django.db.models import Q

    subtree = Q()
    for group_page in group_pages:
        subtree |= Q(path__startswith=group_page.path)
    return pages.filter(subtree)
