"""The helpers every app's demo loader shares.

Loaders are idempotent: a page that already exists (by slug under its parent) is left as it
is, so running `load_demo_content` again changes nothing, even after editors have edited it.
"""

from pathlib import Path
from typing import TypeVar

from django.conf import settings
from wagtail.models import Page

P = TypeVar("P", bound=Page)


def shared_data_dir() -> Path:
    """The public data beside the checkout (../shared/data), which may be absent."""
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def child_page(parent: Page, model: type[P], slug: str, tags: tuple[str, ...] = (), **fields) -> P:
    """The published child of `parent` with this slug, created from `fields` if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    if tags:
        page.tags.add(*tags)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def paragraph(text: str) -> tuple[str, str]:
    from wagtail.rich_text import RichText

    return ("paragraph", RichText("".join(f"<p>{part}</p>" for part in text.split("\n\n"))))
