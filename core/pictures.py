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
(`prefetch_renditions`), so a listing never finds a rendition missing from what it fetched.
"""

from collections.abc import Iterable
from functools import cache

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
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


@cache
def filters(size: str) -> tuple[Filter, ...]:
    """The same specs as Wagtail `Filter`s, made once per process: Wagtail parses a filter's
    operations once per `Filter` (to find the rendition made for the picture's focal point),
    and a spec string given to `get_renditions()` is a new `Filter` each time (about 40
    operations parsed for the home page's five pictures)."""
    return tuple(Filter(spec=spec) for spec in specs(size))


def with_pictures(pages: QuerySet) -> QuerySet:
    """`pages` with their pictures, joined in the same query (the renditions come after, from
    `prefetch_renditions`)."""
    return pages.select_related("image")


def prefetch_renditions(pages: Iterable, size: str = "card") -> None:
    """The renditions of `size` of every picture of `pages`, in one query for them all (none
    when no page has a picture): a page's lists (the home page's three, a group's) each fetch
    their pages with `with_pictures`, then hand them all here at once."""
    images = [page.image for page in pages if page.image_id is not None]
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs(size))
    prefetch_related_objects(
        images, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
    )


def picture(page, size: str = "card", *, eager: bool = False) -> Picture | None:
    """The page's picture as a `<picture>`: WebP sources, a JPEG `<img>` with its width, height,
    alt text (empty when decorative) and lazy loading, except for the page's one hero picture
    (`eager`), which the browser should fetch at once."""
    if page.image_id is None:
        return None
    renditions = one_per_width(get_renditions_or_not_found(page.image, filters(size)))
    attrs = {"alt": page.picture_alt, "decoding": "async"}
    formats = {str(spec).rsplit("|", 1)[-1] for spec in renditions}
    if len(renditions) > len(formats):  # several widths to choose from: say how wide it shows
        attrs["sizes"] = SIZES[size][1]
    if eager:
        attrs["fetchpriority"] = "high"
    else:
        attrs["loading"] = "lazy"
    return Picture(renditions, attrs)


def one_per_width(renditions: dict) -> dict:
    """The renditions with one of each format and width: an image narrower than the larger
    size is not enlarged, so both sizes come out as wide, and a `srcset` naming one width
    twice is invalid (the Nu HTML checker refuses it)."""
    kept, seen = {}, set()
    for spec, rendition in renditions.items():
        key = (str(spec).rsplit("|", 1)[-1], rendition.width)  # its format, its width
        if key not in seen:
            seen.add(key)
            kept[spec] = rendition
    return kept
