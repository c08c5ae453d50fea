from io import StringIO

import pytest
import wagtail_factories
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, WorkflowPage

from groups.models import GroupEditorAccess, GroupIndexPage, LocalGroupPage
from groups.permissions import LOCAL_GROUP_EDITORS, NATIONAL_REVIEW_WORKFLOW
from tests.groups.factories import LocalGroupPageFactory


@pytest.fixture
def index(demo_site) -> GroupIndexPage:
    return GroupIndexPage.objects.get()


def test_creating_a_group_provisions_editors_collection_and_workflow(index):
    group = LocalGroupPageFactory(parent=index, title="Swansea City of Sanctuary")
    access = GroupEditorAccess.objects.get(group_page=group)

    assert access.editors.name == "Swansea City of Sanctuary editors"
    page_rights = set(
        GroupPagePermission.objects.filter(group=access.editors).values_list(
            "page_id", "permission__codename"
        )
    )
    assert page_rights == {
        (group.pk, "add_page"),
        (group.pk, "change_page"),
        (group.pk, "lock_page"),
        (group.pk, "unlock_page"),
    }
    assert access.collection.name == "Swansea City of Sanctuary"
    media_rights = set(
        GroupCollectionPermission.objects.filter(group=access.editors).values_list(
            "collection_id", "permission__codename"
        )
    )
    assert media_rights == {
        (access.collection.pk, codename)
        for codename in (
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        )
    }
    assert WorkflowPage.objects.get(page=group).workflow.name == NATIONAL_REVIEW_WORKFLOW


def test_provisioning_happens_once(index):
    group = LocalGroupPageFactory(parent=index, title="Tees Valley of Sanctuary")
    group.save_revision().publish()
    group.save_revision().publish()
    assert GroupEditorAccess.objects.filter(group_page=group).count() == 1
    assert Group.objects.filter(name="Tees Valley of Sanctuary editors").count() == 1
    assert Collection.objects.filter(name="Tees Valley of Sanctuary").count() == 1


def test_provisioning_is_all_or_nothing(index):
    # Provisioning fails at its last step, after it has made a group, a collection and rights:
    # the database refuses the row that links them to the page (Django's execute_wrapper, a
    # real refusal rather than a patched function). None of it, nor the page, is kept.
    def refuse_the_access_row(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "groups_groupeditoraccess" in sql:
            raise IntegrityError("the last step failed")
        return execute(sql, params, many, context)

    groups_before = Group.objects.count()
    collections_before = Collection.objects.count()
    rights_before = GroupCollectionPermission.objects.count()

    with connection.execute_wrapper(refuse_the_access_row), pytest.raises(IntegrityError):
        LocalGroupPageFactory(parent=index, title="Lewisham")

    assert not LocalGroupPage.objects.filter(title="Lewisham").exists()
    assert Group.objects.count() == groups_before
    assert Collection.objects.count() == collections_before
    assert GroupCollectionPermission.objects.count() == rights_before


TAKEN_TITLES = {
    # "Local group editors" is the group every editor is in.
    "the shared editors group's": LOCAL_GROUP_EDITORS.removesuffix(" editors"),
    "another group's": "Ipswich Town of Sanctuary",
}


@pytest.mark.parametrize("taken", list(TAKEN_TITLES))
@pytest.mark.parametrize("how", ["created", "renamed"])
def test_a_group_titled_after_another_groups_editors_gets_editors_of_its_own(index, taken, how):
    title = TAKEN_TITLES[taken]
    other = Group.objects.get(name=f"{title} editors")
    members_before = set(other.user_set.values_list("pk", flat=True))
    if how == "created":
        group = LocalGroupPageFactory(parent=index, title=title, slug="new-group")
    else:
        group = LocalGroupPageFactory(parent=index, title="Lewisham", slug="new-group")
        group.title = title
        group.save_revision().publish()

    editors = GroupEditorAccess.objects.get(group_page=group).editors
    assert editors != other
    assert editors.name == f"{title} editors (page {group.pk})"
    assert not GroupPagePermission.objects.filter(group=other, page=group).exists()
    group.delete()
    assert set(Group.objects.get(pk=other.pk).user_set.values_list("pk", flat=True)) == (
        members_before
    )


def test_renaming_a_group_renames_its_editors_and_collection(index):
    group = LocalGroupPageFactory(parent=index, title="Lewisham")
    group.title = "Borough of Sanctuary Lewisham"
    group.save_revision().publish()
    access = GroupEditorAccess.objects.get(group_page=group)
    assert access.editors.name == "Borough of Sanctuary Lewisham editors"
    assert access.collection.name == "Borough of Sanctuary Lewisham"


def test_deleting_a_group_leaves_no_orphans_and_keeps_its_images(index):
    group = LocalGroupPageFactory(parent=index, title="Closing group")
    access = GroupEditorAccess.objects.get(group_page=group)
    editors_pk, collection_pk = access.editors.pk, access.collection.pk
    image = wagtail_factories.ImageFactory(collection=access.collection)

    group.delete()

    assert not Group.objects.filter(pk=editors_pk).exists()
    assert not Collection.objects.filter(pk=collection_pk).exists()
    image.refresh_from_db()
    assert image.collection.name == "Archived groups"


def test_add_group_editor_creates_a_user_and_emails_a_link(demo_site):
    call_command("add_group_editor", "southampton", "New.Editor@Example.org", stdout=StringIO())
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email="new.editor@example.org")
    assert not user.has_usable_password()
    assert set(user.groups.values_list("name", flat=True)) == {
        "City of Sanctuary Southampton editors",
        "Local group editors",
    }
    assert len(mail.outbox) == 1
    assert "http://testserver/admin/password_reset/confirm/" in mail.outbox[0].body


def test_add_group_editor_adds_an_existing_user_without_email(demo_site):
    call_command(
        "add_group_editor",
        "ipswich",
        "southampton-editor@example.org",
        stdout=StringIO(),
    )
    assert mail.outbox == []
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="southampton-editor")
    assert "Ipswich Town of Sanctuary editors" in user.groups.values_list("name", flat=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nowhere", "a@example.org"), "No group with slug 'nowhere'"),
        (("southampton", "not-an-email"), "is not a valid email address"),
    ],
)
def test_add_group_editor_refuses_bad_input(demo_site, args, message):
    from django.contrib.auth import get_user_model

    users_before = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("add_group_editor", *args)
    assert get_user_model().objects.count() == users_before
