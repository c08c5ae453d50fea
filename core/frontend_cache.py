"""The HTTP cache in front of the site (Varnish) forgets what the page cache forgets.

One derivation feeds both: core/signals.py decides that a change is one visitors could see,
and core/cache.py answers it by starting a new content generation, which makes every cached
page stale at once (working out which pages show what would be fragile). The cache in front
must therefore drop everything too: once the change is committed, one PURGE goes to it
through wagtail.contrib.frontend_cache's HTTP backend, and the repository's VCL
(docker/varnish/default.vcl) answers any PURGE from the app with a ban of every object.
Per-URL purges (Wagtail's own page_published handlers) would miss the directory, feeds,
parents and API answers that show the changed page, which the generation catches.

After commit, never before: a visitor arriving between a ban and the commit would put the
old page back in the cache.
"""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

# The backend name in WAGTAILFRONTENDCACHE (config/settings/base.py).
BACKEND = "varnish"


def purge_after_commit(current_generation: Callable[[], int]) -> None:
    """Ban every page in the cache in front once the current transaction commits (at once
    outside one). A publish saves several rows, each starting a generation in the same
    transaction: the generation committed is purged once, not once per row."""
    if BACKEND not in getattr(settings, "WAGTAILFRONTENDCACHE", {}):
        return
    transaction.on_commit(lambda: purge_generation_once(current_generation()))


# The last generation this process purged the cache in front for.
purged = {"generation": None}


def purge_generation_once(generation: int) -> None:
    if purged["generation"] == generation:
        return
    purged["generation"] = generation
    purge_everything()


def purge_everything() -> None:
    # The URL only gives the purge its Host; the VCL bans every page of every host.
    purge_urls_from_cache([settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"], backends=[BACKEND])
