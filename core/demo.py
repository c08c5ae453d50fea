"""The helpers every app's demo loader shares.

Loaders are idempotent: a page that already exists (by slug under its parent) is left as it
is, so running `load_demo_content` again changes nothing, even after editors have edited it.
"""

import io
import math
import random
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw, PngImagePlugin
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from core.pictures import specs

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


# Demo pictures: drawn here with Pillow, so nothing is downloaded and nothing needs a licence
# from anyone else. Shapes in the network's colours; no people.
PICTURE_LICENCE = "CC0 1.0: made for this project's demo, free to reuse with no conditions"
# Drawn at 1200 x 800 (3:2, the shape of every rendition: core/pictures.py), saved at 720 x 480:
# small files, and renditions are never wider than their original, so the demo's take a fifth
# of the time to make.
PICTURE_SIZE = (1200, 800)
SAVED_SIZE = (720, 480)
BRAND, BRAND_DARK, ACCENT, TINT = "#0b5d52", "#073f38", "#ffd24d", "#f3f6f4"
GREENS = ("#0b5d52", "#1f7a6b", "#5fa89a", "#a8d5cb", "#d6ece6")
SKY = "#e8f1f8"


def draw_picture(motif: str, seed: str) -> bytes:
    """A PNG illustration: "group" (rooftops under a sun), "achievement" (a rosette),
    "update" (speech bubbles) or "event" (bunting over a tent). The same seed draws the same
    picture, so the demo is the same on every machine."""
    width, height = PICTURE_SIZE
    rng = random.Random(f"{motif}:{seed}")  # noqa: S311 - shapes, not secrets
    picture = PillowImage.new("RGB", PICTURE_SIZE, SKY if motif == "group" else TINT)
    draw = ImageDraw.Draw(picture)
    if motif == "group":
        sun_x = rng.randint(250, 950)
        draw.ellipse([sun_x - 110, 90, sun_x + 110, 310], fill=ACCENT)
        for layer, colour in enumerate(GREENS[2:4][::-1]):
            top = 430 + layer * 60
            draw.ellipse([-300 + rng.randint(-80, 80), top, 700, top + 700], fill=colour)
            draw.ellipse([500, top + rng.randint(-40, 40), 1500, top + 700], fill=colour)
        x = 0
        while x < width:
            house_width = rng.randint(90, 170)
            house_height = rng.randint(140, 330)
            base = height - 60
            wall = rng.choice(GREENS[:3])
            draw.rectangle([x, base - house_height, x + house_width, base], fill=wall)
            roof = base - house_height
            draw.polygon(
                [(x - 8, roof), (x + house_width // 2, roof - 70), (x + house_width + 8, roof)],
                fill=BRAND_DARK,
            )
            for row in range(house_height // 70):
                window_y = roof + 30 + row * 70
                if window_y + 34 < base - 20:
                    draw.rectangle(
                        [x + 22, window_y, x + 48, window_y + 34],
                        fill=ACCENT if rng.random() < 0.5 else "#ffffff",
                    )
            x += house_width + rng.randint(6, 24)
        draw.rectangle([0, height - 60, width, height], fill=BRAND_DARK)
    elif motif == "achievement":
        for _ in range(40):
            x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(6, 16)
            draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice((ACCENT, *GREENS[2:])))
        cx, cy = width // 2 + rng.randint(-200, 200), height // 2 - 40
        draw.polygon([(cx - 120, cy + 80), (cx - 200, cy + 380), (cx - 40, cy + 300)], fill=BRAND)
        draw.polygon([(cx + 120, cy + 80), (cx + 200, cy + 380), (cx + 40, cy + 300)], fill=BRAND)
        points = []
        for index in range(32):
            radius = 230 if index % 2 == 0 else 195
            angle = math.pi * index / 16
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        draw.polygon(points, fill=ACCENT)
        draw.ellipse([cx - 160, cy - 160, cx + 160, cy + 160], fill=BRAND)
        draw.ellipse([cx - 120, cy - 120, cx + 120, cy + 120], outline=ACCENT, width=10)
        draw.polygon([(cx - 70, cy - 5), (cx, cy - 75), (cx + 70, cy - 5)], fill="#ffffff")
        draw.rectangle([cx - 50, cy - 5, cx + 50, cy + 70], fill="#ffffff")
    elif motif == "update":
        for index in range(3):
            left = 120 + index * 300 + rng.randint(-40, 40)
            top = 140 + (index % 2) * 220 + rng.randint(-30, 30)
            colour = (BRAND, ACCENT, GREENS[2])[index]
            draw.rounded_rectangle([left, top, left + 420, top + 260], radius=40, fill=colour)
            draw.polygon(
                [(left + 80, top + 250), (left + 60, top + 340), (left + 170, top + 250)],
                fill=colour,
            )
            line_colour = "#ffffff" if colour == BRAND else BRAND_DARK
            for line in range(3):
                y = top + 70 + line * 55
                draw.rounded_rectangle(
                    [left + 50, y, left + 370 - line * 70, y + 22], radius=11, fill=line_colour
                )
    else:  # event
        draw.rectangle([0, height - 140, width, height], fill=GREENS[3])
        draw.polygon([(260, 660), (600, 300), (940, 660)], fill=BRAND)
        draw.polygon([(520, 660), (600, 420), (680, 660)], fill=BRAND_DARK)
        draw.line([(600, 300), (600, 220)], fill=BRAND_DARK, width=8)
        draw.polygon([(600, 220), (680, 245), (600, 270)], fill=ACCENT)
        for string in range(2):
            y0 = 90 + string * 110
            flags = 14
            tops = []
            for index in range(flags):
                x = 30 + index * (width - 60) // flags
                y = y0 + int(30 * (1 - ((index - flags / 2) / (flags / 2)) ** 2))
                colour = (ACCENT, BRAND, GREENS[2])[(index + string + rng.randint(0, 2)) % 3]
                draw.polygon([(x, y), (x + 70, y), (x + 35, y + 70)], fill=colour)
                tops += [(x, y), (x + 70, y)]
            draw.line([(0, y0), *tops, (width, y0)], fill=BRAND_DARK, width=4)
        for _ in range(6):
            x = rng.randint(40, width - 40)
            draw.ellipse([x - 30, 600, x + 30, 660], fill=rng.choice((ACCENT, GREENS[2])))
    info = PngImagePlugin.PngInfo()
    info.add_text("Title", f"{motif} illustration")
    info.add_text("Copyright", PICTURE_LICENCE)
    output = io.BytesIO()
    picture = picture.resize(SAVED_SIZE, PillowImage.Resampling.LANCZOS)
    picture.save(output, "PNG", pnginfo=info)
    return output.getvalue()


MOTIF_TITLES = {
    "group": "Rooftops under a yellow sun",
    "achievement": "A rosette with a house on it",
    "update": "Three speech bubbles",
    "event": "Bunting over a tent",
}


def demo_image(motif: str, seed: str, collection=None):
    """The demo picture of this motif and seed, drawn and saved if new. Its title names it
    and states its licence."""
    Image = get_image_model()
    title = f"{MOTIF_TITLES[motif]} ({seed}): illustration, CC0, made for this project"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = Image(title=title, collection=collection or Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(draw_picture(motif, seed)), name=f"demo-{motif}-{seed}.png")
    image.save()
    # Its renditions now, so that the first visitor does not wait for them.
    image.get_renditions(*specs("card"), *specs("hero"))
    return image


def give_pictures(pages, motif: str, alt: str | None = None, collection_of=None) -> int:
    """Give each page that has no picture a demo picture, and publish it (a page already
    pictured, by the demo or an editor, is left as it is). With `alt` (which may name the
    page's `{title}`) each page gets a picture of its own, described; without, the pages share
    one picture, decorative. Returns how many pages got one."""
    given = 0
    for page in pages:
        if page.image_id is not None:
            continue
        collection = collection_of(page) if collection_of else None
        page.image = demo_image(motif, page.slug if alt else motif, collection)
        page.image_alt = alt.format(title=page.title) if alt else ""
        page.image_decorative = alt is None
        page.save_revision().publish()
        given += 1
    return given
