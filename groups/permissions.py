"""Who may edit what: national staff everywhere, each group's editors only in their group.

Everything about roles is provisioned here and nowhere else:
- `ensure_national_roles()` creates the "National staff" and "Local group editors" groups and
  the national review workflow (run after every migrate).
- `provision_group()` gives a new LocalGroupPage its editors group, media collection and
  review workflow, in one transaction; `sync_group()` keeps names and the publish switch in
  step; `retire_group()` removes them when the page is deleted.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

NATIONAL_STAFF = "National staff"
LOCAL_GROUP_EDITORS = "Local group editors"
NATIONAL_REVIEW_WORKFLOW = "National staff review"
ARCHIVE_COLLECTION = "Archived groups"

LOCAL_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
NATIONAL_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
MEDIA_ACTIONS = ("add", "change", "choose")
# What SECURITY.md promises national staff, besides the page and media rights below.
NATIONAL_MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "wagtailcore": [
        "add_collection",
        "change_collection",
        "delete_collection",
        "add_workflow",
        "change_workflow",
        "add_task",
        "change_task",
        # API tokens, for themselves and (with auth.change_user) for other non-superusers.
        "add_apitoken",
        "change_apitoken",
        "delete_apitoken",
        "view_apitoken",
    ],
    "auth": ["add_user", "change_user", "view_user"],
    "groups": ["change_group_provisioning"],
    # wagtail-localize's "Translate this page" (issue 20); which pages is checked per page
    # (groups/admin_views.py), as for editing.
    "wagtail_localize": ["submit_translation"],
    "network": ["change_networksettings"],
    "wagtailredirects": ["add_redirect", "change_redirect", "delete_redirect"],
    "letters": [
        "add_constituency",
        "change_constituency",
        "view_constituency",
        "view_letter_reports",
        "add_mpanswer",
        "change_mpanswer",
        "delete_mpanswer",
        "view_mpanswer",
    ],
}
# Local group editors record MPs' answers, for their own group's constituencies only
# (letters/viewsets.py scopes every view); deleting one is left to national staff.
LOCAL_MODEL_PERMISSIONS = {
    "letters": ["add_mpanswer", "change_mpanswer", "view_mpanswer"],
    # Translating their own group's pages into Welsh: the translation is a page of the group's
    # (below), and translating another group's page is refused (groups/admin_views.py).
    "wagtail_localize": ["submit_translation"],
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _media_permissions(actions) -> list[Permission]:
    codenames = [f"{action}_image" for action in actions] + [
        f"{action}_document" for action in actions
    ]
    return list(
        Permission.objects.filter(
            Q(content_type__app_label="wagtailimages") | Q(content_type__app_label="wagtaildocs"),
            codename__in=codenames,
        )
    )


def _page_permissions(codenames) -> list[Permission]:
    return list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )


@transaction.atomic
def ensure_national_roles() -> Workflow:
    """Create or complete the national roles. Idempotent: safe after every migrate."""
    staff, _ = Group.objects.get_or_create(name=NATIONAL_STAFF)
    local, _ = Group.objects.get_or_create(name=LOCAL_GROUP_EDITORS)

    for app_label, codenames in NATIONAL_MODEL_PERMISSIONS.items():
        staff.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    local.permissions.add(_permission("wagtailadmin", "access_admin"))
    for app_label, codenames in LOCAL_MODEL_PERMISSIONS.items():
        local.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    root_page = Page.get_first_root_node()
    if root_page is not None:
        for permission in _page_permissions(NATIONAL_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(
                group=staff, page=root_page, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for permission in _media_permissions((*MEDIA_ACTIONS, "delete")):
            GroupCollectionPermission.objects.get_or_create(
                group=staff, collection=root_collection, permission=permission
            )

    task, _ = GroupApprovalTask.objects.get_or_create(name="National staff approval")
    task.groups.add(staff)
    workflow, _ = Workflow.objects.get_or_create(name=NATIONAL_REVIEW_WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root_page is not None:
        # National pages are reviewed by national staff too, not by Wagtail's sample groups.
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    return workflow


def editors_group_name(group_page, editors: Group | None = None) -> str:
    """The page's editors group's name: "<title> editors", or with the page id if another group
    holds that name. A page titled "Local group" must never be given (and on deletion delete)
    the group every editor is in, nor a renamed group take another group's name.
    Django limits group names to 150 characters."""
    name = f"{group_page.title[:140]} editors"
    others = Group.objects.exclude(pk=editors.pk) if editors else Group.objects.all()
    if others.filter(name=name).exists():
        name = f"{group_page.title[:120]} editors (page {group_page.pk})"
    return name


@transaction.atomic
def provision_group(group_page) -> "GroupEditorAccess":  # noqa: F821
    """Give a new group page its editors, collection and review workflow. Runs once per page."""
    from groups.models import GroupEditorAccess

    existing = GroupEditorAccess.objects.filter(group_page=group_page).first()
    if existing is not None:
        return existing
    source_access = access_of_translated_group(group_page)
    if source_access is not None:
        extend_to_translation(source_access, group_page)
        return source_access

    workflow = ensure_national_roles()
    editors = Group.objects.create(name=editors_group_name(group_page))
    editors.permissions.add(_permission("wagtailadmin", "access_admin"))
    for permission in _page_permissions(LOCAL_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=group_page, permission=permission
        )

    collection = Collection.get_first_root_node().add_child(name=group_page.title[:255])
    for permission in _media_permissions(MEDIA_ACTIONS):
        GroupCollectionPermission.objects.get_or_create(
            group=editors, collection=collection, permission=permission
        )

    WorkflowPage.objects.update_or_create(page=group_page, defaults={"workflow": workflow})
    access = GroupEditorAccess.objects.create(
        group_page=group_page, editors=editors, collection=collection
    )
    _sync_publish_right(access, group_page.may_publish_directly)
    return access


def access_of_translated_group(group_page) -> "GroupEditorAccess | None":  # noqa: F821
    """For the Welsh (or any other) translation of a provisioned group page, the access of the
    group it translates: a translation is the same group, not a new one."""
    from groups.models import GroupEditorAccess

    return (
        GroupEditorAccess.objects.filter(group_page__translation_key=group_page.translation_key)
        .exclude(group_page=group_page)
        .select_related("editors")
        .first()
    )


@transaction.atomic
def extend_to_translation(access, translated_page) -> None:
    """The group's editors get on the translation of their group page (and so its subtree in that
    language) exactly the rights they hold on the page itself, under the same review workflow;
    nothing else. Deleting the translation deletes these rights with it."""
    granted = GroupPagePermission.objects.filter(
        group=access.editors, page_id=access.group_page_id
    ).values_list("permission", flat=True)
    for permission in Permission.objects.filter(pk__in=granted):
        GroupPagePermission.objects.get_or_create(
            group=access.editors, page=translated_page, permission=permission
        )
    GroupPagePermission.objects.filter(group=access.editors, page=translated_page).exclude(
        permission__in=granted
    ).delete()
    workflow = WorkflowPage.objects.filter(page_id=access.group_page_id).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(
            page=translated_page, defaults={"workflow": workflow.workflow}
        )


def translations_of_group(access):
    """The translations of a provisioned group page (the pages `extend_to_translation` covers)."""
    return Page.objects.filter(translation_key=access.group_page.translation_key).exclude(
        pk=access.group_page_id
    )


@transaction.atomic
def sync_group(group_page) -> None:
    """Keep the editors group and collection named after the page, and apply the publish switch."""
    access = getattr(group_page, "editor_access", None)
    if access is None:
        provision_group(group_page)
        return
    name = editors_group_name(group_page, access.editors)
    if access.editors.name != name:
        access.editors.name = name
        access.editors.save(update_fields=["name"])
    if access.collection.name != group_page.title[:255]:
        access.collection.name = group_page.title[:255]
        access.collection.save(update_fields=["name"])
    _sync_publish_right(access, group_page.may_publish_directly)


def _sync_publish_right(access, may_publish: bool) -> None:
    publish = _permission("wagtailcore", "publish_page")
    rights = GroupPagePermission.objects.filter(
        group=access.editors, page_id=access.group_page_id, permission=publish
    )
    if may_publish:
        GroupPagePermission.objects.get_or_create(
            group=access.editors, page_id=access.group_page_id, permission=publish
        )
    else:
        rights.delete()
    for translated_page in translations_of_group(access):
        extend_to_translation(access, translated_page)


@transaction.atomic
def retire_group(group_page) -> None:
    """Remove a deleted group's editors group and collection, keeping its images and documents.

    The media move to an "Archived groups" collection that only national staff can reach, so
    deleting a group never deletes files other pages may still use.
    """
    from groups.models import GroupEditorAccess

    access = GroupEditorAccess.objects.filter(group_page=group_page).first()
    if access is None:
        return
    archive = Collection.objects.filter(name=ARCHIVE_COLLECTION, depth=2).first()
    if archive is None:
        archive = Collection.get_first_root_node().add_child(name=ARCHIVE_COLLECTION)
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    get_image_model().objects.filter(collection=access.collection).update(collection=archive)
    get_document_model().objects.filter(collection=access.collection).update(collection=archive)
    editors, collection = access.editors, access.collection
    access.delete()
    editors.delete()
    collection.delete()


def is_national_staff(user) -> bool:
    return user.is_active and (
        user.is_superuser or user.has_perm("groups.change_group_provisioning")
    )


@transaction.atomic
def add_group_editor(group_page, user) -> None:
    """Make `user` an editor of `group_page` (and of nothing else)."""
    access = provision_group(group_page)
    user.groups.add(access.editors, Group.objects.get(name=LOCAL_GROUP_EDITORS))


def send_editor_invitation(user) -> None:
    """Email a new editor a one-time link to set their password (Wagtail's reset view)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
    context = {
        "user": user,
        "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    subject = render_to_string("groups/emails/editor_invitation_subject.txt", context).strip()
    body = render_to_string("groups/emails/editor_invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def editable_group_pages(user):
    """The group pages a local editor's rights start from, with their translations (empty for
    staff: they see all)."""
    from groups.models import LocalGroupPage

    provisioned = LocalGroupPage.objects.filter(editor_access__editors__user=user)
    # Their group's page in every language (its translations share its translation key).
    return LocalGroupPage.objects.filter(translation_key__in=provisioned.values("translation_key"))
