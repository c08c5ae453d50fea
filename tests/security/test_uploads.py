"""core/uploads.py: an upload's bytes must match its name; HTML, SVG, programs refused."""

import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    noise = PILImage.frombytes("RGB", (64, 64), random.Random(1).randbytes(64 * 64 * 3))
    noise.save(buffer, format="PNG")
    return buffer.getvalue()


def office_zip(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<Types/>")
    return buffer.getvalue()


def document_form(name: str, content: bytes):
    form_class = get_document_form(get_document_model())
    return form_class(
        data={"title": "Upload", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, content)},
    )


def image_form(name: str, content: bytes):
    form_class = get_image_form(get_image_model())
    return form_class(
        data={"title": "Upload", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, content)},
    )


GOOD_DOCUMENTS = [
    ("report.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
    ("letter.docx", office_zip("[Content_Types].xml")),
    ("slides.pptx", office_zip("[Content_Types].xml")),
    ("figures.xlsx", office_zip("[Content_Types].xml")),
    ("letter.odt", office_zip("mimetype")),
    ("letter.rtf", b"{\\rtf1\\ansi Hello}"),
    ("members.csv", "name,town\nCafé Refuge,Ipswich\n".encode()),
    ("notes.txt", "Croeso i Abertawe: ŵ ŷ".encode()),
    ("old-notes.txt", "caf\xe9".encode("cp1252")),
]

BAD_DOCUMENTS = [
    ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "Web pages"),
    ("drawing.txt", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "SVG"),
    ("notes.txt", b"hello <script>steal()</script>", "Web pages"),
    ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "Programs"),
    ("run.txt", b"#!/bin/sh\nrm -rf /\n", "Programs"),
    ("linux.docx", b"\x7fELF\x02\x01\x01", "Programs"),
    ("fake.pdf", b"just some words", "not a valid .pdf"),
    ("fake.docx", b"PK\x03\x04 this is not really a zip", "not a valid .docx"),
    ("wrong.docx", office_zip("word/document.xml"), "not a valid .docx"),
    ("fake.rtf", b"plain words", "not a valid .rtf"),
    ("binary.csv", b"a,b\n\x00\x01\x02", "not a valid .csv"),
    ("page.html", b"<html></html>", "extension"),
    ("tool.exe", b"MZ", "extension"),
]


@pytest.mark.parametrize(("name", "content"), GOOD_DOCUMENTS)
def test_real_documents_are_accepted(name, content):
    form = document_form(name, content)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("name", "content", "message"), BAD_DOCUMENTS)
def test_disguised_documents_are_refused_with_a_message(name, content, message):
    form = document_form(name, content)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])


def test_oversized_document_is_refused(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form = document_form("big.txt", b"a" * 2048)
    assert not form.is_valid()
    assert "too big" in " ".join(form.errors["file"])


def test_real_image_is_accepted():
    form = image_form("photo.png", png_bytes())
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", png_bytes()[:4000], "damaged or incomplete"),
        ("photo.jpg", png_bytes(), "extension does not match"),
        ("photo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "does not match"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Not a supported image"),
        ("photo.png", b"MZ\x90\x00", "Upload a valid image"),
    ],
)
def test_bad_images_are_refused_with_a_message(name, content, message):
    form = image_form(name, content)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])


def test_oversized_image_is_refused():
    form = image_form("photo.png", png_bytes())
    form.fields["file"].max_upload_size = 100  # the field reads the setting when defined
    assert not form.is_valid()
    assert "too big" in " ".join(form.errors["file"])


def test_admin_upload_of_a_disguised_document_saves_nothing(admin_client):
    before = get_document_model().objects.count()
    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Minutes",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("minutes.pdf", b"<html><script>x()</script></html>"),
        },
    )
    assert response.status_code == 200
    assert b"Web pages and SVG files cannot be uploaded" in response.content
    assert get_document_model().objects.count() == before
