"""Keep group access in step with group pages, whoever saves them (admin, API or a command)."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save, pre_delete
from django.dispatch import receiver

from groups import permissions
from groups.models import LocalGroupPage


@receiver(post_save, sender=LocalGroupPage)
def provision_or_sync_group(sender, instance: LocalGroupPage, created: bool, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields")
    if created:
        permissions.provision_group(instance)
    elif update_fields is None or {"title", "may_publish_directly"} & set(update_fields):
        permissions.sync_group(instance)


@receiver(pre_delete, sender=LocalGroupPage)
def retire_group(sender, instance: LocalGroupPage, **kwargs) -> None:
    permissions.retire_group(instance)


def ensure_roles_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    # post_migrate reaches this app before django.contrib.auth has created the permissions of
    # the apps listed after it (after a flush, as transactional tests do, none exist yet).
    for app_config in installed_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    permissions.ensure_national_roles()


def connect_post_migrate(app_config) -> None:
    post_migrate.connect(ensure_roles_after_migrate, sender=app_config)
