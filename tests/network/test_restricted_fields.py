"""Fields behind a permission, on every model with an admin form: users without the permission
never change their stored value, by the admin or the API, through drafts, review, approval,
revert and scheduled publishing; users with it change them, and nothing else undoes that.

The fields come from the models' own panels (core.restricted_fields.field_permissions), so a
restricted field added later joins these tests; it needs an entry in CASES saying which object
and which user without the permission to try it with.
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.actions.edit_page import EditPageAction
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import APIToken, GroupPagePermission, Page, RevisionMixin
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from core.restricted_fields import (
    RestrictedFieldsMixin,
    WithholdRestrictedFields,
    check_restricted_panels,
    field_permissions,
    models_with_forms,
    restricted_panel_errors,
)
from groups.models import LocalGroupPage
from letters.models import Constituency
from tests.api.conftest import bearer
from tests.groups.factories import national_staff_user

RESTRICTED = [
    (model, name) for model in models_with_forms() for name in sorted(field_permissions(model))
]
PERMISSION = "network.change_restricted"
FIELD_IDS = [f"{model.__name__}.{name}" for model, name in RESTRICTED]


@dataclass
class Case:
    obj: models.Model
    editor: object  # a user who may edit obj but lacks the fields' permission


def local_group_case() -> Case:
    # Southampton's editor against their own group's page (the attack in the issue).
    return Case(
        obj=LocalGroupPage.objects.get(slug="southampton"),
        editor=get_user_model().objects.get(username="southampton-editor"),
    )


CASES = {LocalGroupPage: local_group_case}


def test_the_group_pages_national_staff_fields_are_restricted():
    assert {"constituencies", "may_publish_directly", "status"} <= set(
        field_permissions(LocalGroupPage)
    )


@pytest.mark.parametrize(("model", "name"), RESTRICTED, ids=FIELD_IDS)
def test_every_restricted_field_has_a_case(model, name):
    assert model in CASES, f"add a case for {model.__name__} to CASES"


@pytest.fixture
def case(request, demo_site, settings) -> Case:
    settings.AXES_ENABLED = False
    model, _ = request.param
    return CASES[model]()


@pytest.fixture
def staff(demo_site):
    return national_staff_user()


def stored(obj: models.Model, name: str):
    fresh = type(obj).objects.get(pk=obj.pk)
    field = fresh._meta.get_field(name)
    if field.many_to_many:
        return sorted(related.pk for related in getattr(fresh, name).all())
    return getattr(fresh, field.attname)


def draft_value(obj: models.Model, name: str):
    draft = type(obj).objects.get(pk=obj.pk).get_latest_revision_as_object()
    field = draft._meta.get_field(name)
    if field.many_to_many:
        return sorted(related.pk for related in getattr(draft, name).all())
    return getattr(draft, field.attname)


def other_value(obj: models.Model, name: str):
    """A value the field does not hold: what an attacker would set."""
    field = obj._meta.get_field(name)
    current = stored(obj, name)
    if isinstance(field, models.BooleanField):
        return not current
    if field.choices:
        # A group's status, say: an editor closing their own group.
        return next(value for value, _ in field.choices if value != current)
    if field.many_to_many:
        # Another group's constituencies, say: any related rows it does not hold.
        others = field.related_model.objects.exclude(pk__in=current).order_by("pk")
        return sorted(others.values_list("pk", flat=True)[:2])
    raise AssertionError(f"teach other_value() about {type(field).__name__} {name}")


def assign(obj: models.Model, name: str, value) -> None:
    """Give the in-memory `obj` a value (primary keys for a many-to-many field)."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        setattr(obj, name, list(field.related_model.objects.filter(pk__in=value)))
    else:
        setattr(obj, field.attname, value)


def set_as_system(obj: models.Model, name: str, value) -> None:
    """Set a stored value the way a command would (no user: trusted)."""
    fresh = type(obj).objects.get(pk=obj.pk)
    assign(fresh, name, value)
    fresh.save_revision().publish()


def as_form_value(obj: models.Model, name: str, value) -> list[str]:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return [str(pk) for pk in value]
    if isinstance(field, models.BooleanField):
        return ["on"] if value else []
    return [str(value)]


def edit_form(client, obj: models.Model):
    url = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript, so their values are not in the HTML.
    streams = {
        field.name: streamfield([])
        for field in obj._meta.get_fields()
        if type(field).__name__ == "StreamField"
    }
    data.update(nested_form_data(streams))
    return url, data


def post_edit(client, obj, changes: dict, action: str | None = None):
    url, data = edit_form(client, obj)
    for key, values in changes.items():
        data.setlist(key, values)
    if action:
        data[action] = action
    # Every value of a multiple field (a QueryDict would post only the last).
    response = client.post(url, dict(data.lists()))
    assert response.status_code == 302, response.content.decode()[:3000]


def approve(client, staff, obj) -> None:
    """National staff approve the editor's submission through the admin's workflow action."""
    page = Page.objects.get(pk=obj.pk)
    task_state = page.current_workflow_task_state
    assert task_state is not None, "the edit was not submitted for review"
    client.force_login(staff)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""})
    assert response.status_code in (200, 302)
    assert not Page.objects.get(pk=obj.pk).has_unpublished_changes


INDIRECT = {"indirect": ["case"]}


def may_also_publish(user, obj: models.Model) -> None:
    """Give `user` the right to publish `obj` (as a trusted group's editor has), nothing more."""
    publishers = Group.objects.create(name=f"Publishers of {obj.pk}")
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.create(group=publishers, page=obj, permission=publish)
    user.groups.add(publishers)


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
@pytest.mark.parametrize("action", [None, "action-submit", "action-publish"])
def test_editor_posting_a_restricted_field_changes_nothing_even_once_published(
    client, case, name, action, staff
):
    before = stored(case.obj, name)
    attack = other_value(case.obj, name)
    if action == "action-publish":
        may_also_publish(case.editor, case.obj)
    client.force_login(case.editor)

    post_edit(
        client,
        case.obj,
        {"title": [case.obj.title + " (edited)"], name: as_form_value(case.obj, name, attack)},
        action=action,
    )

    assert stored(case.obj, name) == before
    assert draft_value(case.obj, name) == before
    if action == "action-submit":
        approve(client, staff, case.obj)
    else:  # a draft published later by staff, or already published by the editor
        Page.objects.get(pk=case.obj.pk).get_latest_revision().publish(user=staff)
    assert type(case.obj).objects.get(pk=case.obj.pk).title.endswith("(edited)")
    assert stored(case.obj, name) == before


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
def test_an_edit_made_without_a_form_changes_nothing_even_when_published(client, case, name):
    # Wagtail's edit action with no form (as code acting for a user would call it): the object
    # it publishes holds the unsaved value, and the revision is read from that object.
    before = stored(case.obj, name)
    may_also_publish(case.editor, case.obj)
    edited = type(case.obj).objects.get(pk=case.obj.pk).get_latest_revision_as_object()
    assign(edited, name, other_value(case.obj, name))

    EditPageAction(edited, user=case.editor, publish=True).execute()

    assert stored(case.obj, name) == before


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
def test_editor_edit_of_other_fields_keeps_the_restricted_value_through_approval(
    client, case, name, staff
):
    # A value other than the default, so that emptying or resetting it would show.
    wanted = other_value(case.obj, name)
    set_as_system(case.obj, name, wanted)
    client.force_login(case.editor)

    post_edit(client, case.obj, {"title": [case.obj.title + " (edited)"]}, "action-submit")
    approve(client, staff, case.obj)

    assert stored(case.obj, name) == wanted


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
@pytest.mark.parametrize("how", ["approval", "revert", "scheduled"])
def test_publishing_an_older_revision_never_restores_an_older_value(client, case, name, how, staff):
    before = stored(case.obj, name)
    client.force_login(case.editor)
    post_edit(client, case.obj, {"title": [case.obj.title + " (edited)"]}, "action-submit")
    older = Page.objects.get(pk=case.obj.pk).get_latest_revision()

    # Meanwhile national staff change the field in the admin, as a draft: it applies at once.
    changed = other_value(case.obj, name)
    client.force_login(staff)
    post_edit(client, case.obj, {name: as_form_value(case.obj, name, changed)})
    assert stored(case.obj, name) == changed != before

    if how == "approval":
        approve(client, staff, case.obj)
    elif how == "revert":
        # The editor brings back their older version through the admin's revert.
        client.force_login(case.editor)
        url, data = edit_form(client, case.obj)
        data["revision"] = str(older.pk)
        client.post(url, dict(data.lists()))
        older.publish(user=staff)
    else:
        older.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
        older.save(update_fields=["approved_go_live_at"])
        call_command("publish_scheduled")
        assert Page.objects.get(pk=case.obj.pk).title.endswith("(edited)")

    assert stored(case.obj, name) == changed


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
def test_editor_token_edit_then_approval_through_the_api_keeps_the_stored_value(
    client, case, name, staff
):
    _, editor_secret = APIToken.create_token(user=case.editor, name="tests: editor")
    _, staff_secret = APIToken.create_token(user=staff, name="tests: staff")
    body = {"meta": {"type": case.obj._meta.label}, "title": case.obj.title + " (api)"}
    edit = client.patch(
        f"/api/v3/pages/{case.obj.pk}/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **bearer(editor_secret),
    )
    assert edit.status_code == 200, edit.content.decode()

    # Meanwhile the stored value changes (national staff save it in the admin).
    changed = other_value(case.obj, name)
    fresh = type(case.obj).objects.get(pk=case.obj.pk)
    field = fresh._meta.get_field(name)
    if field.many_to_many:
        setattr(fresh, name, list(field.related_model.objects.filter(pk__in=changed)))
    else:
        setattr(fresh, field.attname, changed)
    fresh.store_restricted_fields(staff)
    assert stored(case.obj, name) == changed

    # National staff then publish the editor's draft through the API's publish action.
    publish = client.post(f"/api/v3/pages/{case.obj.pk}/actions/publish/", **bearer(staff_secret))

    assert publish.status_code == 200, publish.content.decode()
    assert type(case.obj).objects.get(pk=case.obj.pk).title.endswith("(api)")
    assert stored(case.obj, name) == changed


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
def test_editor_token_cannot_set_a_restricted_field_through_the_api(client, case, name, staff):
    before = stored(case.obj, name)
    attack = other_value(case.obj, name)
    _, secret = APIToken.create_token(user=case.editor, name="tests: editor")
    body = {
        "meta": {"type": case.obj._meta.label},
        "title": case.obj.title + " (api)",
        name: attack,
    }

    response = client.patch(
        f"/api/v3/pages/{case.obj.pk}/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH="*",  # unconditional: this is about the fields, not about versions
        **bearer(secret),
    )

    # The edit goes through (the title changes); the restricted field is ignored.
    assert response.status_code == 200, response.content.decode()
    assert stored(case.obj, name) == before
    assert draft_value(case.obj, name) == before
    revision = Page.objects.get(pk=case.obj.pk).get_latest_revision()
    revision.publish(user=staff)
    assert type(case.obj).objects.get(pk=case.obj.pk).title.endswith("(api)")
    assert stored(case.obj, name) == before


def default_value(obj: models.Model, name: str):
    field = obj._meta.get_field(name)
    return [] if field.many_to_many else field.get_default()


def copy_in_the_admin(client, obj: models.Model, slug: str) -> None:
    url = reverse("wagtailadmin_pages:copy", args=[obj.pk])
    data = {"new_title": "Copy", "new_slug": slug, "new_parent_page": obj.get_parent().pk}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def copy_through_the_api(client, obj: models.Model, slug: str) -> None:
    _, secret = APIToken.create_token(user=national_staff_user("api-staff"), name="tests")
    response = client.post(
        f"/api/v3/pages/{obj.pk}/actions/copy/",
        data=json.dumps({"slug": slug, "keep_live": False}),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content.decode()[:3000]


COPIES = {"admin": copy_in_the_admin, "api": copy_through_the_api}


@pytest.mark.parametrize(
    ("case", "name"), [((m, n), n) for m, n in RESTRICTED], ids=FIELD_IDS, **INDIRECT
)
@pytest.mark.parametrize("how", list(COPIES))
def test_a_copy_starts_with_restricted_fields_at_their_defaults(client, case, name, how, staff):
    # Whoever copies: the copy's new editors get no trust or coverage they were not granted.
    set_as_system(case.obj, name, other_value(case.obj, name))
    client.force_login(staff)

    COPIES[how](client, case.obj, "the-copy")

    copy = type(case.obj).objects.get(slug="the-copy")
    assert stored(copy, name) == default_value(case.obj, name) != stored(case.obj, name)
    assert draft_value(copy, name) == default_value(case.obj, name)


def test_staff_set_restricted_fields_in_the_admin(client, demo_site, staff):
    southampton = LocalGroupPage.objects.get(slug="southampton")
    ipswich_seats = list(
        Constituency.objects.filter(groups__slug="ipswich").values_list("pk", flat=True)
    )
    client.force_login(staff)

    post_edit(
        client,
        southampton,
        {
            "may_publish_directly": ["on"],
            "constituencies": [str(pk) for pk in ipswich_seats],
            "status": ["dormant"],
        },
        "action-publish",
    )

    assert stored(southampton, "may_publish_directly") is True
    assert stored(southampton, "status") == "dormant"
    assert stored(southampton, "constituencies") == sorted(ipswich_seats)


def test_an_editor_trusted_by_staff_may_publish_and_one_distrusted_may_not(demo_site):
    southampton = LocalGroupPage.objects.get(slug="southampton")

    def editor_may_publish() -> bool:
        # A fresh user each time: Wagtail keeps a user's page permissions for the request.
        editor = get_user_model().objects.get(username="southampton-editor")
        return southampton.permissions_for_user(editor).can_publish()

    set_as_system(southampton, "may_publish_directly", True)
    assert editor_may_publish()
    set_as_system(southampton, "may_publish_directly", False)
    assert not editor_may_publish()


class WithholdingForm(WithholdRestrictedFields, WagtailAdminModelForm):
    pass


RESTRICTED_GROUP = [MultiFieldPanel([FieldPanel("trusted")], permission=PERMISSION)]


@pytest.mark.parametrize(
    ("panels", "form", "api_form", "errors"),
    [
        # A permission on a group, with Wagtail's form: the fields would stay in the form.
        (RESTRICTED_GROUP, None, None, ["E102"]),
        (RESTRICTED_GROUP, WithholdingForm, None, []),
        # The API's own form would take them.
        (RESTRICTED_GROUP, WithholdingForm, WagtailAdminModelForm, ["E102"]),
        (RESTRICTED_GROUP, WithholdingForm, WithholdingForm, []),
        # Wagtail's per-field permission, which partial API updates trip over.
        ([FieldPanel("trusted", permission=PERMISSION)], WithholdingForm, None, ["E104"]),
        # An inline panel cannot be withheld by a form.
        ([MultiFieldPanel([InlinePanel("notes")], permission=PERMISSION)], None, None, ["E101"]),
    ],
)
@isolate_apps("network")
def test_the_check_refuses_restricted_fields_a_form_would_accept(panels, form, api_form, errors):
    class Restricted(ClusterableModel):  # noqa: DJ008
        trusted = models.BooleanField(default=False)

        class Meta:
            app_label = "network"

    class Note(models.Model):  # noqa: DJ008
        restricted = ParentalKey(Restricted, related_name="notes", on_delete=models.CASCADE)

        class Meta:
            app_label = "network"

    Restricted.panels = panels
    if form is not None:
        Restricted.base_form_class = form
    if api_form is not None:
        Restricted.api_base_form_class = api_form
    found = [message.id.removeprefix("core.") for message in restricted_panel_errors(Restricted)]
    assert found == errors


@isolate_apps("network")
def test_the_check_refuses_revisions_that_would_carry_restricted_fields():
    class Draftable(RevisionMixin, models.Model):  # noqa: DJ008
        trusted = models.BooleanField(default=False)
        base_form_class = WithholdingForm
        panels = [MultiFieldPanel([FieldPanel("trusted")], permission=PERMISSION)]

        class Meta:
            app_label = "network"

    assert [message.id for message in restricted_panel_errors(Draftable)] == ["core.E103"]


@isolate_apps("network")
def test_the_check_refuses_copies_that_would_carry_restricted_fields():
    class Copyable(RestrictedFieldsMixin, RevisionMixin, models.Model):  # noqa: DJ008
        trusted = models.BooleanField(default=False)
        base_form_class = WithholdingForm
        panels = [MultiFieldPanel([FieldPanel("trusted")], permission=PERMISSION)]
        exclude_fields_in_copy = ["latest_revision"]  # replaces the mixin's, leaving it out

        class Meta:
            app_label = "network"

    assert [message.id for message in restricted_panel_errors(Copyable)] == ["core.E105"]
    Copyable.exclude_fields_in_copy = ["latest_revision", "trusted"]
    assert restricted_panel_errors(Copyable) == []


def test_the_project_passes_the_check():
    assert check_restricted_panels() == []
