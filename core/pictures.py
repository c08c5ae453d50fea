"""Pages' pictures (`core.pages.PicturedPage`) as responsive images, and listings that fetch
them in a fixed number of queries.

Each size is a set of Wagtail renditions: every width in WebP, with a JPEG fallback for the
browsers without WebP, cropped to 3:2 so that every card's picture has the same shape. The
`<img>` carries the smallest rendition's width and height: with CSS's `height: auto` the
browser keeps the picture's space from the start, so nothing moves when it arrives.

AVIF is left out, although this Pillow writes it: on this project's machines an AVIF
rendition took 110 to 190 ms to encode, a WebP one 15 to 35 ms, and every first view of a new
picture pays for each. One line below adds it (`FORMATS`), should that change.

The same spec strings build the renditions (the `picture` template tag) and prefetch them
(`with_pictures`), so a listing never finds a rendition missing from what it fetched.
"""

from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

FORMATS = "format-{webp,jpeg}"

# The widths of each size, and the `sizes` attribute telling the browser how wide it is shown.
SIZES = {
    # A card (directory, home, listings) and the group page's side column: a third of the
    # page on wide screens, the width of the screen on phones.
    "card": ("fill-{400x267,800x533}", "(min-width: 60rem) 22rem, (min-width: 40rem) 45vw, 100vw"),
    # The one picture at the top of an article (an achievement, an update, an event).
    "hero": ("fill-{720x480,1200x800}", "(min-width: 50rem) 45rem, 100vw"),
}

# The fields of a pictured page a card reads (for `.only()`).
PICTURE_FIELDS = ("image", "image_alt", "image_decorative")


def specs(size: str) -> list[str]:
    """Every rendition's filter spec of a size ("fill-400x267|format-webp", ...)."""
    widths, _sizes = SIZES[size]
    return Filter.expand_spec([widths, FORMATS])


def pictures_prefetch(size: str = "card", through: str = "") -> Prefetch:
    """Pages' pictures and those pictures' renditions of `size`: two queries for a whole list
    (none when no page has a picture), not two per card. `through` reaches the pages from the
    objects listed ("group__" for featured groups)."""
    images = get_image_model().objects.prefetch_renditions(*specs(size))
    return Prefetch(f"{through}image", queryset=images)


def with_pictures(pages: QuerySet, size: str = "card") -> QuerySet:
    """`pages` with their pictures prefetched (`pictures_prefetch`)."""
    return pages.prefetch_related(pictures_prefetch(size))


def picture(page, size: str = "card", *, eager: bool = False) -> Picture | None:
    """The page's picture as a `<picture>`: WebP sources, a JPEG `<img>` with its width, height,
    alt text (empty when decorative) and lazy loading, except for the page's one hero picture
    (`eager`), which the browser should fetch at once."""
    if page.image_id is None:
        return None
    renditions = get_renditions_or_not_found(page.image, specs(size))
    attrs = {"alt": page.picture_alt, "sizes": SIZES[size][1], "decoding": "async"}
    if eager:
        attrs["fetchpriority"] = "high"
    else:
        attrs["loading"] = "lazy"
    return Picture(renditions, attrs)
