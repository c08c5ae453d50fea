"""Uploaded media in an S3-compatible bucket, end to end against moto's standalone server.

The storage is what `config.settings.base.s3_media_storage` builds from the environment a
deployment sets; nothing is patched: django-storages talks HTTP to a real server. An image
and a document go in through the admin, the image's rendition is rendered on a published
page and fetched from the bucket over HTTP, the document is streamed by the site's own
view, and deleting both in the admin removes their objects.
"""

import re
from io import BytesIO

import pytest
from django.core.files.storage import storages
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from config.settings.base import s3_media_storage
from events.models import EventPage
from tests.deploy.servers import bucket_keys, fetch, make_bucket, s3_environment, s3_server

BUCKET = "sanctuary-media-test"


@pytest.fixture
def bucket_storage(settings):
    with s3_server() as endpoint:
        make_bucket(endpoint, BUCKET)
        storage = s3_media_storage(s3_environment(endpoint, BUCKET))
        with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
            yield endpoint


def png_upload(name: str) -> BytesIO:
    buffer = BytesIO()
    PILImage.new("RGB", (1200, 800), (200, 30, 60)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def text_upload(name: str) -> BytesIO:
    buffer = BytesIO(b"Minutes of the steering group.\n")
    buffer.name = name
    return buffer


def upload(admin_client, view: str, title: str, file: BytesIO) -> None:
    """Add an image or a document through the admin's form, into the root collection."""
    collection = Collection.get_first_root_node().pk
    response = admin_client.post(
        reverse(view), {"title": title, "file": file, "collection": collection}
    )
    assert response.status_code == 302, response.context["form"].errors


def test_no_bucket_keeps_media_on_the_filesystem():
    assert s3_media_storage({}) is None
    assert storages["default"].__class__.__name__ == "FileSystemStorage"


def test_public_image_urls_are_unsigned_and_on_the_cdn_host():
    storage = s3_media_storage(
        {"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_CUSTOM_DOMAIN": "media.example.org"}
    )
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert storage["OPTIONS"]["custom_domain"] == "media.example.org"


@pytest.mark.system  # starts moto's server; about 10 s
def test_image_and_document_round_trip_through_the_bucket(
    bucket_storage, demo_site, admin_client, client, django_capture_on_commit_callbacks
):
    endpoint = bucket_storage
    assert storages["default"].__class__.__name__ == "S3Storage"

    # An image uploaded through the admin lands in the bucket.
    upload(admin_client, "wagtailimages:add", "Welcome walk", png_upload("welcome-walk.png"))
    image = get_image_model().objects.get(title="Welcome walk")
    assert image.file.name in bucket_keys(endpoint, BUCKET)

    # Shown on a published page: the rendition is made in the bucket and the page links to it.
    event = EventPage.objects.live().first()
    event.image = image
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    page = client.get(event.url)
    assert page.status_code == 200
    sources = re.findall(r'<img[^>]+src="([^"]+)"', page.content.decode())
    rendition_urls = [source for source in sources if "/images/" in source]
    assert rendition_urls, sources
    rendition_url = rendition_urls[0]
    assert rendition_url.startswith(f"{endpoint}/{BUCKET}/images/")
    assert "Signature" not in rendition_url  # public images: unsigned URLs
    status, headers, body = fetch(rendition_url)
    assert status == 200
    assert body[:3] == b"\xff\xd8\xff"  # the <img> fallback rendition is a JPEG (core/pictures.py)
    assert "max-age=31536000" in headers["Cache-Control"]

    # A document uploaded through the admin is streamed by the site, not redirected to S3.
    upload(admin_client, "wagtaildocs:add", "Minutes", text_upload("minutes.txt"))
    document = get_document_model().objects.get(title="Minutes")
    assert document.file.name.startswith("documents/")
    assert document.file.name in bucket_keys(endpoint, BUCKET)
    # The bucket keeps it private: only the site's view, after its privacy check, hands it out.
    assert fetch(f"{endpoint}/{BUCKET}/{document.file.name}")[0] == 403
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"Minutes of the steering group.\n"

    # Deleted in the admin: the original, its renditions and the document leave the bucket.
    keys = {image.file.name, *(r.file.name for r in image.renditions.all()), document.file.name}
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            admin_client.post(reverse("wagtailimages:delete", args=[image.pk])).status_code == 302
        )
        assert (
            admin_client.post(reverse("wagtaildocs:delete", args=[document.pk])).status_code == 302
        )
    assert not keys & bucket_keys(endpoint, BUCKET)
    assert fetch(rendition_url)[0] == 404
