"""Fields behind a permission: only users who hold it can set them, by every path.

A panel (a `FieldPanel` or a group of panels) given a `permission` is hidden from users
without it. Hiding is not enough, and Wagtail stops there for groups, so for every model:

- `WithholdRestrictedFields` takes those fields out of the form of a user without the
  permission, in the admin and in the API (Wagtail builds the API's forms from the same
  base form), so a posted value is ignored. Wagtail's own per-field mechanism is not used:
  it fails with a server error on a partial API update that leaves such a field out.
- A revision carries every field. An editor's draft approved by staff, an older revision
  restored or a scheduled one going live would write the values it happened to hold (stale,
  empty, or set by someone without the right). `RestrictedFieldsMixin` makes restricted
  fields page-wide values rather than revision content, as Wagtail already treats `owner` or
  `locked`: every revision is read with the values stored in the database (never those of
  an unsaved object it was made from, which code acting for a user may have set), and a save
  by a user who holds the permission writes the new values at once, draft or not.
- A copy of a page (by the admin or the API) starts with its restricted fields at their
  defaults, whoever makes it: they are granted to a page, never carried to a new one by
  someone who could not have set them.
- The system check below refuses a model whose restricted fields would escape any of these.
"""

import inspect
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import checks
from django.db import models
from wagtail.admin.panels import FieldPanel, InlinePanel, Panel, PanelGroup
from wagtail.admin.panels import get_edit_handler as model_edit_handler

User = AbstractBaseUser | AnonymousUser


def edit_handler_for(model: type[models.Model]) -> Panel | None:
    """The panels a model's admin form is built from, or None when it has no admin form."""
    if hasattr(model, "get_edit_handler"):  # pages and snippets
        return model.get_edit_handler()
    if any(hasattr(model, name) for name in ("panels", "edit_handler")):  # settings, models
        return model_edit_handler(model)
    return None


def restricted_panels(panel: Panel, permission: str | None = None) -> Iterator[tuple[Panel, str]]:
    """Each panel inside `panel` behind a permission (its own or its nearest group's)."""
    permission = getattr(panel, "permission", None) or permission
    if permission and not isinstance(panel, PanelGroup):
        yield panel, permission
    for child in getattr(panel, "children", ()):
        yield from restricted_panels(child, permission)


@cache
def field_permissions(model: type[models.Model]) -> dict[str, str]:
    """Each restricted field of `model`'s form, with the permission that may set it."""
    edit_handler = edit_handler_for(model)
    if edit_handler is None:
        return {}
    return {
        panel.field_name: permission
        for panel, permission in restricted_panels(edit_handler)
        if isinstance(panel, FieldPanel)
    }


class WithholdRestrictedFields:
    """Form mixin: a user without a field's permission gets a form without the field."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        user = kwargs.get("for_user")
        if user is None:
            return
        for name in set(field_permissions(type(self.instance))) - fields_user_may_set(
            type(self.instance), user
        ):
            # Absent already from a partial API update that did not mention it.
            self.fields.pop(name, None)


def fields_user_may_set(model: type[models.Model], user: User | None) -> set[str]:
    """Restricted fields this user may set; code running with no user (commands) may set all."""
    return {
        name
        for name, permission in field_permissions(model).items()
        if user is None or user.has_perm(permission)
    }


def copy_field(source: models.Model, target: models.Model, name: str) -> None:
    """Give `target` the value of field `name` that `source` holds (many-to-many included)."""
    field = source._meta.get_field(name)
    if field.many_to_many:
        setattr(target, name, list(getattr(source, name).all()))
    else:
        setattr(target, field.attname, getattr(source, field.attname))


def field_value(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return {related.pk for related in getattr(instance, name).all()}
    return getattr(instance, field.attname)


class RestrictedFieldsMixin:
    """For page (or revisioned snippet) models with restricted fields; see the module docstring.

    Place it before the page's base in the bases, so that its `with_content_json` and
    `save_revision` wrap Wagtail's. Pages get a form with `WithholdRestrictedFields` from
    `core.pages.SanctuaryPage`; a revisioned snippet needs one of its own.
    """

    def with_content_json(self, content: dict[str, Any]):
        revision_object = super().with_content_json(content)
        if getattr(self, "alias_of_id", None) is not None:  # an alias mirrors its source
            return revision_object
        # From the database, not from `self`: a revision made in this request is read from the
        # object it was made from, which may hold values its user was not allowed to store.
        stored = type(self).objects.filter(pk=self.pk).first() if self.pk else None
        for name in field_permissions(type(self)):
            copy_field(stored or self, revision_object, name)
        return revision_object

    @property
    def exclude_fields_in_copy(self) -> list[str]:
        return [*super().exclude_fields_in_copy, *field_permissions(type(self))]

    def save_revision(self, user=None, *args, **kwargs):
        revision = super().save_revision(user, *args, **kwargs)
        self.store_restricted_fields(user)
        return revision

    def store_restricted_fields(self, user: User | None) -> None:
        """Write the restricted values this user may set to the stored object, if they changed."""
        names = fields_user_may_set(type(self), user)
        if not names or self.pk is None:
            return
        stored = type(self).objects.get(pk=self.pk)
        changed = [name for name in names if field_value(stored, name) != field_value(self, name)]
        for name in changed:
            copy_field(self, stored, name)
        if changed:
            stored.save(update_fields=changed)


def models_with_forms() -> Iterable[type[models.Model]]:
    for model in apps.get_models():
        if edit_handler_for(model) is not None:
            yield model


@checks.register()
def check_restricted_panels(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A permission on a panel group must take every field inside it out of the form."""
    return [
        error
        for model in models_with_forms()
        if app_configs is None or model._meta.app_config in app_configs
        for error in restricted_panel_errors(model)
    ]


def restricted_panel_errors(model: type[models.Model]) -> list[checks.CheckMessage]:
    edit_handler = edit_handler_for(model)
    errors = []
    for panel, permission in restricted_panels(edit_handler):
        if isinstance(panel, InlinePanel):
            errors.append(
                checks.Error(
                    f"{model.__name__}: inline panel {panel.relation_name!r} is restricted to "
                    f"{permission!r}; forms cannot withhold inline panels from a user.",
                    obj=model,
                    id="core.E101",
                )
            )
        elif isinstance(panel, FieldPanel) and panel.permission:
            errors.append(
                checks.Error(
                    f"{model.__name__}: field {panel.field_name!r} carries its own permission, "
                    "which breaks partial API updates that leave it out.",
                    hint="Put it in a MultiFieldPanel with the permission instead.",
                    obj=model,
                    id="core.E104",
                )
            )
    if not field_permissions(model):
        return errors
    # The API builds its forms from `api_base_form_class` when a model has one.
    form_classes = [edit_handler.get_form_class(), getattr(model, "api_base_form_class", None)]
    if not all(
        issubclass(form_class, WithholdRestrictedFields)
        for form_class in form_classes
        if form_class is not None
    ):
        errors.append(
            checks.Error(
                f"{model.__name__} has fields behind a permission "
                f"({', '.join(field_permissions(model))}) that its form would accept from anyone.",
                hint="Give it a base_form_class with core.restricted_fields."
                "WithholdRestrictedFields.",
                obj=model,
                id="core.E102",
            )
        )
    if hasattr(model, "save_revision") and not issubclass(model, RestrictedFieldsMixin):
        errors.append(
            checks.Error(
                f"{model.__name__} has fields behind a permission "
                f"({', '.join(field_permissions(model))}) that its revisions would carry.",
                hint="Add core.restricted_fields.RestrictedFieldsMixin to its bases.",
                obj=model,
                id="core.E103",
            )
        )
    # A list here (not the mixin's property) replaces the mixin's: it must name them itself.
    in_copy = inspect.getattr_static(model, "exclude_fields_in_copy", None)
    if isinstance(in_copy, list | tuple) and not set(field_permissions(model)) <= set(in_copy):
        errors.append(
            checks.Error(
                f"{model.__name__} has fields behind a permission "
                f"({', '.join(field_permissions(model))}) that its copies would carry.",
                hint="Add them to its exclude_fields_in_copy.",
                obj=model,
                id="core.E105",
            )
        )
    return errors
