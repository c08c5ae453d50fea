"""Keep group access in step with group pages, whoever saves them (admin, API or a command)."""

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


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    permissions.ensure_national_roles()


def connect_post_migrate(app_config) -> None:
    post_migrate.connect(ensure_roles_after_migrate, sender=app_config)
