"""Which images and documents a user may see: those of the collections they work in.

Used by the API (core/api_access.py) and by the admin's image and document API
(groups/admin_views.py), so both answer the same question the same way.
"""

from typing import Any

from django.db.models import Model, QuerySet
from wagtail.models import Collection
from wagtail.permissions import policy_registry

# Any of these rights on a collection makes its items visible: editors choose, add and change
# in their group's collection; national staff hold all four on the root collection.
MEDIA_ACTIONS = ("choose", "add", "change", "delete")


def media_visible_to(user: Any, model: type[Model]) -> QuerySet:
    """The images or documents (`model`) that `user` may choose, add, change or delete."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(
        user, MEDIA_ACTIONS
    )


def reaches_every_collection(user: Any, model: type[Model]) -> bool:
    """True if `user` holds a media right on every collection (national staff)."""
    policy = policy_registry.get_by_type(model)
    reachable = policy.collections_user_has_any_permission_for(user, MEDIA_ACTIONS)
    return not Collection.objects.exclude(pk__in=reachable.values("pk")).exists()
