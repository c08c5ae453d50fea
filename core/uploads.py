"""Upload checks for images and documents: the content must be what the name says it is.

Wagtail already checks an image's extension against the format Willow detects, its size
and its pixel count, and a document's extension and size. Names are easy to fake, so these
forms (WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE) also read the bytes:
a corrupt or truncated image is refused, and a document must start the way its format
starts. HTML, SVG and executables are refused whatever they are called, because a document
is served from our own domain and a browser might run them.
"""

import os
import zipfile
from typing import IO

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

SNIFF_BYTES = 8192
ZIP_MAGIC = b"PK\x03\x04"
# Formats that are a ZIP archive holding a known first member.
OFFICE_ZIP_MEMBERS = {
    "docx": "[Content_Types].xml",
    "pptx": "[Content_Types].xml",
    "xlsx": "[Content_Types].xml",
    "odt": "mimetype",
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
MARKUP_MARKERS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<iframe", b"<body")


def _read_head(file: IO[bytes]) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def _refuse(extension: str) -> ValidationError:
    return ValidationError(
        f"This file's content is not a valid .{extension} document. Save it again as "
        f".{extension}, or upload it in one of the accepted formats.",
        code="invalid_document_content",
    )


def check_document_content(file: IO[bytes], name: str) -> None:
    """Raises ValidationError unless the bytes of `file` match the format its name claims."""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    head = _read_head(file)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError("Programs cannot be uploaded as documents.", code="executable")
    if stripped.startswith(MARKUP_MARKERS) or b"<script" in head.lower():
        raise ValidationError(
            "Web pages and SVG files cannot be uploaded as documents.", code="markup"
        )
    if extension == "pdf":
        if b"%PDF-" not in head[:1024]:
            raise _refuse(extension)
    elif extension == "rtf":
        if not head.startswith(b"{\\rtf"):
            raise _refuse(extension)
    elif extension in OFFICE_ZIP_MEMBERS:
        if not head.startswith(ZIP_MAGIC):
            raise _refuse(extension)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise _refuse(extension) from error
        finally:
            file.seek(0)
        if OFFICE_ZIP_MEMBERS[extension] not in names:
            raise _refuse(extension)
    elif extension in {"csv", "txt"}:
        if b"\x00" in head:
            raise _refuse(extension)
        try:
            # A file cut at SNIFF_BYTES may end inside a character; ignore only that tail.
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    raise _refuse(extension) from error


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and uploaded != self.original_file and hasattr(uploaded, "read"):
            check_document_content(uploaded, uploaded.name)
        return uploaded


def check_image_content(file: IO[bytes]) -> None:
    """Refuses truncated and corrupt images that Willow's header check lets by.

    Wagtail has already bounded the pixel count, so decoding the whole image is safe.
    """
    try:
        file.seek(0)
        with PILImage.open(file) as image:
            image.verify()
        file.seek(0)
        with PILImage.open(file) as image:
            image.load()
    except Exception as error:  # noqa: BLE001 (Pillow raises many kinds for bad data)
        raise ValidationError(
            "This image file is damaged or incomplete. Export it again and upload the copy.",
            code="invalid_image_content",
        ) from error
    finally:
        file.seek(0)


class SafeImageForm(BaseImageForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and uploaded != self.original_file and hasattr(uploaded, "read"):
            check_image_content(uploaded)
        return uploaded
