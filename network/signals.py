"""Purge the page cache and the site chrome (and the CDN, when configured) whenever what
visitors see changes: published pages, their privacy, the sites and the network settings."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from network.cache import purge_page_cache
from network.models import NetworkSettings


@receiver(page_published)
@receiver(page_unpublished)
def purge_on_publish(sender, instance, **kwargs) -> None:
    purge_page_cache(f"page {instance.pk} published or unpublished")


@receiver(post_page_move)
def purge_on_move(sender, instance, **kwargs) -> None:
    purge_page_cache(f"page {instance.pk} moved")


@receiver(post_delete, sender=Page)
def purge_on_delete(sender, instance, **kwargs) -> None:
    purge_page_cache(f"page {instance.pk} deleted")


@receiver(post_save, sender=NetworkSettings)
def purge_on_settings_change(sender, instance, **kwargs) -> None:
    purge_page_cache("site settings changed")


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def purge_on_privacy_change(sender, instance, **kwargs) -> None:
    # A page made private must stop being served from the anonymous cache at once.
    purge_page_cache(f"privacy of page {instance.page_id} changed")


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def purge_on_site_change(sender, instance, **kwargs) -> None:
    purge_page_cache(f"site {instance.hostname} changed")
