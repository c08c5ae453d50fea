"""Purge the page cache and the site chrome whenever what visitors could see changes.

The rule is derived, not listed: a saved or deleted row of any model (pages, snippets,
settings, constituencies, images, documents, collections, redirects, view restrictions,
sites, tags, and any model added later) starts a new content generation, in the same
transaction, except the models below that no public answer reads, and a project model that
says so itself with `shown_to_visitors = False`. Those are either private to the admin or
written while visitors read (a rendition made on first view, a download counted, a
sign-in), which must never purge.
"""

from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move

from core.cache import purge_page_cache

NEVER_SHOWN_APPS = frozenset(
    {
        "admin",
        "auth",
        "axes",
        "contenttypes",
        "django_tasks_database",  # django-tasks-db: the background queue
        "sessions",
        "wagtailadmin",
        "wagtailembeds",
        "wagtailsearch",
        "wagtailusers",
    }
)
NEVER_SHOWN_MODELS = frozenset(
    {
        "wagtailcore.apitoken",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
        "wagtailcore.groupapprovaltask",
        "wagtailcore.groupcollectionpermission",
        "wagtailcore.grouppagepermission",
        "wagtailcore.groupsitepermission",
        "wagtailcore.modellogentry",
        "wagtailcore.pagelogentry",
        "wagtailcore.pagesubscription",
        "wagtailcore.referenceindex",
        "wagtailcore.revision",
        "wagtailcore.task",
        "wagtailcore.taskstate",
        "wagtailcore.uploadedfile",
        "wagtailcore.workflow",
        "wagtailcore.workflowcontenttype",
        "wagtailcore.workflowpage",
        "wagtailcore.workflowstate",
        "wagtailcore.workflowtask",
        "wagtailimages.rendition",
    }
)
# A page saved with only these fields changed a draft or a lock, not what visitors see.
DRAFT_ONLY_PAGE_FIELDS = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def shown_to_visitors(model: type[Model], update_fields=None) -> bool:
    opts = model._meta
    if opts.app_label in NEVER_SHOWN_APPS or opts.label_lower in NEVER_SHOWN_MODELS:
        return False
    if not getattr(model, "shown_to_visitors", True):
        return False
    return not (update_fields and set(update_fields) <= DRAFT_ONLY_PAGE_FIELDS)


@receiver(post_save)
@receiver(post_delete)
def purge_on_change(sender, instance, **kwargs) -> None:
    if kwargs.get("raw") or not shown_to_visitors(sender, kwargs.get("update_fields")):
        return
    purge_page_cache(f"{sender._meta.label} {instance.pk} changed")


@receiver(m2m_changed)
def purge_on_relation_change(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and shown_to_visitors(type(instance)):
        purge_page_cache(f"{type(instance)._meta.label} {instance.pk}: {sender._meta.label}")


@receiver(post_page_move)
def purge_on_move(sender, instance, **kwargs) -> None:
    # Moving rewrites tree paths with queryset updates, which send no post_save.
    purge_page_cache(f"page {instance.pk} moved")


class PurgingQuerySet(QuerySet):
    """For a model visitors see whose rows are written in bulk (constituencies, by the importer
    and the MP sync): `update()` and `bulk_create()` send no post_save, so they start the new
    generation themselves. (`bulk_update()` goes through `update()`; `delete()` sends signals.)
    """

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows and shown_to_visitors(self.model, kwargs):
            purge_page_cache(f"{rows} {self.model._meta.label} updated")
        return rows

    def bulk_create(self, objs, *args, **kwargs) -> list:
        created = super().bulk_create(objs, *args, **kwargs)
        if created and shown_to_visitors(self.model):
            purge_page_cache(f"{len(created)} {self.model._meta.label} created")
        return created
