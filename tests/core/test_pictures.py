"""Pages' pictures (core/pictures.py, core.pages.PicturedPage): alt text required unless the
picture is decorative, responsive renditions with their size, and listings that fetch every
card's picture and renditions in a fixed number of queries."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from core.pictures import filters, specs
from groups.models import GroupIndexPage, LocalGroupPage
from tests.groups.factories import LocalGroupPageFactory


def make_image(title: str = "A test picture", size: tuple[int, int] = (1500, 1000)):
    output = io.BytesIO()
    PillowImage.new("RGB", size, "#0b5d52").save(output, "PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(output, name="test-picture.png")
    image.save()
    return image


@pytest.fixture
def southampton(demo_site) -> LocalGroupPage:
    return LocalGroupPage.objects.get(slug="southampton")


def test_an_informative_picture_without_alt_text_is_refused(southampton):
    southampton.image = make_image()
    southampton.image_alt = "  "
    with pytest.raises(ValidationError) as refused:
        southampton.full_clean()
    assert "image_alt" in refused.value.message_dict


def test_a_picture_with_alt_text_or_marked_decorative_is_accepted(southampton):
    southampton.image = make_image()
    southampton.image_alt = "Volunteers at the Refugee Week picnic"
    southampton.full_clean()
    southampton.image_alt = ""
    southampton.image_decorative = True
    southampton.full_clean()
    assert southampton.picture_alt == ""


def test_the_social_image_of_a_pictured_page_is_its_picture(southampton):
    southampton.image = make_image()
    assert southampton.social_image() == southampton.image
    southampton.image = None
    assert southampton.social_image() is None


def pictures_in(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def group_picture(html: str) -> str:
    """The picture beside the group's story (the page's others are its cards')."""
    return re.search(r'<div class="group__picture">(.*?)</div>', html, re.S).group(1)


def test_the_group_page_shows_its_picture_with_srcset_width_height_and_alt(client, southampton):
    southampton.image = make_image()
    southampton.image_alt = "The group's banner at the Guildhall"
    southampton.save_revision().publish()
    picture = group_picture(client.get("/groups/southampton/").content.decode())
    assert '<source sizes="' in picture and 'type="image/webp"' in picture
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert 'alt="The group&#x27;s banner at the Guildhall"' in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert re.search(r'srcset="[^"]+ \d+w, [^"]+ \d+w"', img)  # the JPEG fallback's widths
    assert ".jpg" in img
    # The page's one hero picture is fetched at once; it is not lazy.
    assert 'fetchpriority="high"' in img and "loading=" not in img


def test_a_picture_narrower_than_the_larger_size_names_each_width_once(client, southampton):
    """Wagtail does not enlarge a 300 px picture: both widths of a size come out 300 px wide,
    and a srcset naming one width twice is invalid HTML. One candidate a format, no sizes."""
    southampton.image = make_image(size=(300, 200))
    southampton.image_alt = "The group's banner at the Guildhall"
    southampton.save_revision().publish()
    picture = group_picture(client.get("/groups/southampton/").content.decode())
    for srcset in re.findall(r'srcset="([^"]+)"', picture):
        assert "," not in srcset and " 300w" not in srcset.replace(srcset.split()[0], "", 1)
    assert "sizes=" not in picture
    assert picture.count("<source") == 1 and "<img " in picture


def test_a_decorative_picture_has_empty_alt_text(client, southampton):
    southampton.image = make_image()
    southampton.image_decorative = True
    southampton.save_revision().publish()
    picture = group_picture(client.get("/groups/southampton/").content.decode())
    assert 'alt=""' in picture


def directory_queries(client) -> int:
    client.get("/groups/")  # makes the renditions, as the first visitor would
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/groups/").content.decode()
    return len(queries), html


@pytest.mark.django_db
def test_the_directory_fetches_its_cards_pictures_in_a_fixed_number_of_queries(
    client, demo_site, uncached
):
    index = GroupIndexPage.objects.get()

    def add_pictured_groups(count: int) -> None:
        for number in range(count):
            LocalGroupPageFactory(
                parent=index, image=make_image(f"picture {number}"), image_alt=f"Group {number}"
            )

    add_pictured_groups(1)
    with_one, html = directory_queries(client)
    assert 'loading="lazy"' in pictures_in(html)[0]
    add_pictured_groups(5)
    with_six, html = directory_queries(client)
    assert len(pictures_in(html)) >= 6
    assert with_six == with_one


def test_the_filters_pictures_are_shown_with_are_made_once_with_the_same_specs():
    for size in ("card", "hero"):
        assert [rendition_filter.spec for rendition_filter in filters(size)] == specs(size)
        assert filters(size) is filters(size)  # their parsed operations are kept with them
