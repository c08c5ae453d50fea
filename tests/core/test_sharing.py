"""What shared links and search engines read from every public page's <head>: the meta
description, the canonical address, OpenGraph and Twitter card tags, schema.org JSON-LD, and
the favicon and touch icons (core/templatetags/seo_tags.py, core/sharing.py)."""

import html
import json
import re
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from core.sharing import shared_picture
from core.templatetags.seo_tags import default_description
from events.models import EventPage
from groups.models import LocalGroupPage
from network.models import HomePage, NetworkSettings
from tests.conftest import REPO_ROOT
from tests.network.test_welsh import PAGE_TYPES, english_page, welsh_demo, welsh_translation_of

__all__ = ["welsh_demo"]  # the Welsh demo pages, loaded once for this module too

DEFAULT_IMAGE = "http://testserver/static/img/share-default.png"
LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


def head_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode().split("</head>", 1)[0]


def meta_tags(head: str) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for name, content in META.findall(head):
        tags.setdefault(name, []).append(html.unescape(content))
    return tags


def one(tags: dict[str, list[str]], name: str) -> str:
    assert len(tags.get(name, [])) == 1, f"{name}: {tags.get(name)}"
    return tags[name][0]


def canonical(head: str) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]+)">', head)
    return html.unescape(found.group(1)) if found else None


def document_title(head: str) -> str:
    title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
    return html.unescape(title).rsplit(" | ", 1)[0]


def json_ld(response) -> list[dict]:
    body = response.content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return [json.loads(script) for script in scripts]


def default_settings() -> NetworkSettings:
    return NetworkSettings.for_site(Site.objects.get(is_default_site=True))


def add_picture(title: str = "Refugee Week picnic"):
    image = get_image_model().objects.create(
        title=title, file=get_test_image_file(size=(1600, 900))
    )
    image.description = "People sharing food on the grass"
    image.save()
    return image


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
@pytest.mark.django_db
def test_every_page_type_carries_opengraph_and_twitter_tags(client, demo_site, model, language):
    page = english_page(model)
    if language == "cy":
        page = welsh_translation_of(page)
    url = page.get_url()
    head = head_of(client.get(url))
    tags = meta_tags(head)

    with translation.override(language):
        description = page.specific.share_description() or default_description()
    assert description
    assert one(tags, "description") == description
    assert one(tags, "og:description") == description
    assert one(tags, "twitter:description") == description
    assert one(tags, "og:title") == document_title(head)
    assert one(tags, "twitter:title") == document_title(head)
    assert one(tags, "og:url") == f"http://testserver{url}"
    assert canonical(head) == f"http://testserver{url}"
    assert one(tags, "og:site_name") == default_settings().network_name
    assert one(tags, "og:type") in ("website", "article")
    # The page's own picture (the demo gives groups, their news and awards, and events one),
    # cropped to the shared size; else the site's default share image.
    width, height = int(one(tags, "og:image:width")), int(one(tags, "og:image:height"))
    if page.specific.social_image() is not None:
        assert one(tags, "og:image").startswith("http://testserver/media/images/")
        assert ".fill-1200x630" in one(tags, "og:image")
        # The rendition's own size: a smaller picture (the demo's are 720 wide) is not enlarged.
        assert width <= 1200 and abs(width * 630 - height * 1200) <= 1200
    else:
        assert one(tags, "og:image") == DEFAULT_IMAGE
        assert "logo" in one(tags, "og:image:alt").lower()
        assert (width, height) == (1200, 630)
    assert one(tags, "twitter:card") == "summary_large_image"
    assert one(tags, "twitter:image") == one(tags, "og:image")
    # Each language names the other, which the page has (its Welsh version was made above).
    own, other = ("cy_GB", "en_GB") if language == "cy" else ("en_GB", "cy_GB")
    assert one(tags, "og:locale") == own
    if language == "cy":
        assert tags["og:locale:alternate"] == [other]


@pytest.mark.parametrize(
    "path",
    [
        "/groups/?nation=wales",
        "/events/?tag=refugee-week",
        "/find-your-mp/",
        "/near/",
        "/search/?q=sanctuary",
        LETTER + "southampton-test/",
        LETTER + "southampton-test/personalise/",
        LETTER + "southampton-test/sent/",
        "/cy/find-your-mp/",
    ],
)
@pytest.mark.django_db
def test_views_that_are_not_pages_carry_the_tags_too(client, open_invitation, path):
    head = head_of(client.get(path))
    tags = meta_tags(head)
    # The address without its query: a filtered directory or a search is the same page.
    address = "http://testserver" + path.split("?", 1)[0]
    assert canonical(head) == address
    assert one(tags, "og:url") == address
    assert one(tags, "og:title") == document_title(head) != ""
    assert one(tags, "og:description")
    assert one(tags, "og:image") == DEFAULT_IMAGE
    assert one(tags, "og:locale") == ("cy_GB" if path.startswith("/cy/") else "en_GB")


@pytest.mark.django_db
def test_a_page_is_described_by_its_search_description_first(client, demo_site):
    about = english_page(PAGE_TYPES[1])
    about.search_description = "What the network is & does."
    about.save_revision().publish()
    tags = meta_tags(head_of(client.get(about.get_url())))
    assert one(tags, "description") == "What the network is & does."


@pytest.mark.django_db
def test_rich_text_introductions_are_described_as_plain_text(client, demo_site):
    tags = meta_tags(head_of(client.get("/")))
    description = one(tags, "og:description")
    assert description.startswith("A network of local groups")
    assert "<p>" not in description


@pytest.mark.django_db
def test_a_page_not_found_has_tags_but_no_canonical_address(client, demo_site):
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    head = response.content.decode().split("</head>", 1)[0]
    assert canonical(head) is None
    assert one(meta_tags(head), "og:description") == default_description()


@pytest.mark.django_db
def test_an_event_is_shared_with_its_own_picture(client, demo_site):
    event = EventPage.objects.live().order_by("path").first()
    event.image = add_picture()
    event.save_revision().publish()
    response = client.get(event.get_url())
    tags = meta_tags(head_of(response))
    image_url = one(tags, "og:image")
    assert image_url.startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in image_url
    assert (one(tags, "og:image:width"), one(tags, "og:image:height")) == ("1200", "630")
    assert one(tags, "og:image:alt") == "People sharing food on the grass"
    assert one(tags, "twitter:image") == image_url
    [event_data] = [data for data in json_ld(response) if data["@type"] == "Event"]
    assert event_data["image"] == [image_url]


@pytest.mark.django_db
def test_a_pictures_alt_text_written_for_the_page_is_the_shared_alt_text(
    client, demo_site, monkeypatch
):
    event = EventPage.objects.live().order_by("path").first()
    event.image = add_picture()
    event.save_revision().publish()
    # What a page with alt text of its own for its picture says (core/pages.py PicturedPage).
    monkeypatch.setattr(EventPage, "picture_alt", "Volunteers at the picnic", raising=False)
    tags = meta_tags(head_of(client.get(event.get_url())))
    assert one(tags, "og:image:alt") == "Volunteers at the picnic"


@pytest.mark.django_db
def test_the_shared_picture_is_looked_up_once_per_content_generation(
    rf, demo_site, django_assert_num_queries
):
    image = add_picture()
    request = rf.get("/")
    first = shared_picture(request, image)
    with django_assert_num_queries(1):  # the generation, read once per request; no rendition
        assert shared_picture(rf.get("/"), image) == first


@pytest.mark.django_db
def test_the_home_page_describes_the_network_as_an_organization(client, demo_site):
    settings = default_settings()
    settings.facebook_url = "https://www.facebook.com/CityofSanctuary"
    settings.bluesky_url = "https://bsky.app/profile/cityofsanctuary.org"
    settings.save()
    [network] = json_ld(client.get("/"))
    assert network["@context"] == "https://schema.org"
    assert network["@type"] == "Organization"
    assert network["name"] == settings.network_name
    assert network["url"] == "http://testserver/"
    assert network["logo"] == "http://testserver/static/img/icon-512.png"
    assert network["sameAs"] == [settings.facebook_url, settings.bluesky_url]


@pytest.mark.django_db
def test_a_group_page_describes_the_group_as_an_organization_of_the_network(client, demo_site):
    group = LocalGroupPage.objects.get(slug="southampton")
    [data] = json_ld(client.get(group.get_url()))
    assert data["@type"] == "Organization"
    assert data["name"] == group.title
    assert data["url"] == "http://testserver/groups/southampton/"
    assert data["areaServed"] == group.place_label
    assert data["address"]["addressRegion"] == group.get_region_display()
    assert data["parentOrganization"] == {
        "@type": "Organization",
        "name": default_settings().network_name,
        "url": "http://testserver/",
    }
    # The demo's picture of the group, cropped to the shared size.
    [image] = data["image"] if isinstance(data["image"], list) else [data["image"]]
    assert image.startswith("http://testserver/media/images/") and ".fill-1200x630" in image


@pytest.mark.django_db
def test_a_title_cannot_break_out_of_the_json_ld(client, demo_site):
    group = LocalGroupPage.objects.get(slug="southampton")
    group.title = "Sanctuary</script><script>alert(1)</script>"
    group.save_revision().publish()
    response = client.get(group.get_url())
    assert "<script>alert(1)" not in response.content.decode()
    [data] = json_ld(response)
    assert data["name"] == group.title


@pytest.mark.django_db
def test_favicon_answers_at_the_sites_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file
    assert client.get("/apple-touch-icon.png").status_code == 200


@pytest.mark.django_db
def test_pages_link_their_icons(client, demo_site):
    head = head_of(client.get("/about/"))
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="48x48">' in head
    assert '<link rel="icon" href="/static/img/mark.svg" type="image/svg+xml">' in head
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in head


@pytest.mark.parametrize(
    "name, size",
    [
        ("share-default.png", (1200, 630)),
        ("apple-touch-icon.png", (180, 180)),
        ("icon-512.png", (512, 512)),
    ],
)
def test_the_icons_and_share_image_have_the_sizes_they_claim(name, size):
    assert Image.open(Path(REPO_ROOT) / "static" / "img" / name).size == size


def test_the_favicon_holds_the_small_sizes():
    with Image.open(Path(REPO_ROOT) / "static" / "img" / "favicon.ico") as icon:
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.ico.sizes())


@pytest.mark.django_db
def test_home_page_organization_is_in_the_welsh_home_page_too(client, demo_site):
    welsh_home = welsh_translation_of(HomePage.objects.get(locale__language_code="en-gb"))
    [network] = json_ld(client.get(welsh_home.get_url()))
    assert network["@type"] == "Organization"
    assert network["url"] == "http://testserver/"


@pytest.mark.django_db
def test_a_page_whose_picture_file_is_missing_is_shared_with_the_default_image(client, demo_site):
    """A lost file (a restore without media, say) must not take the page down: the page is
    served, and shared with the site's default image."""
    group = LocalGroupPage.objects.get(slug="southampton")
    group.image.file.storage.delete(group.image.file.name)
    group.image.renditions.all().delete()

    response = client.get(group.get_url())

    assert response.status_code == 200
    assert one(meta_tags(head_of(response)), "og:image") == DEFAULT_IMAGE
