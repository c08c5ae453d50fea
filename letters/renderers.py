"""The one place that knows how to render a `Letter`: Word, PDF, plain text and HTML.

Each format escapes for itself: python-docx writes XML-escaped runs, the PDF and HTML come
from Django templates with autoescaping on, and plain text needs no escaping. Control
characters were already removed during assembly, so every string here is valid XML.
"""

import copy
import functools
import io
from collections.abc import Callable
from dataclasses import dataclass

import docx
import docx.document
import weasyprint
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from weasyprint.urls import URLFetcher

from letters.assembly import BulletList, EventDetails, Letter, Paragraph, SignOff

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AUTHOR = "City of Sanctuary"


def render_letter_docx(letter: Letter) -> bytes:
    """An editable Word document: real paragraphs, and Word's own "List Bullet" bullets."""
    document = _blank_document()
    properties = document.core_properties
    properties.title = letter.title
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.comments = ""

    _lines_paragraph(document, letter.recipient_lines)
    document.add_paragraph(letter.date)
    document.add_paragraph(letter.salutation)
    for block in letter.blocks:
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, BulletList):
            if block.lead_in:
                document.add_paragraph(block.lead_in)
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, EventDetails):
            paragraph = _lines_paragraph(document, block.lines)
            paragraph.runs[0].bold = True
        elif isinstance(block, SignOff):
            document.add_paragraph(block.closing)
            document.add_paragraph(block.sender_name)
            _lines_paragraph(document, block.address_lines)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


@functools.cache
def _blank_template() -> docx.document.Document:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    return document


def _blank_document() -> docx.document.Document:
    """A fresh copy of python-docx's default document: copying the parsed template once
    loaded is about twice as fast as parsing it again for every letter."""
    return copy.deepcopy(_blank_template())


def _lines_paragraph(document, lines: tuple[str, ...]):
    """One paragraph whose lines are separated by line breaks, as an address is written."""
    paragraph = document.add_paragraph()
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if number < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def render_letter_text(letter: Letter) -> str:
    """Plain text with blank lines between paragraphs and "•" bullets."""
    sections: list[str] = ["\n".join(letter.recipient_lines), letter.date, letter.salutation]
    for block in letter.blocks:
        if isinstance(block, Paragraph):
            sections.append(block.text)
        elif isinstance(block, BulletList):
            bullets = "\n".join(f"• {item}" for item in block.items)
            sections.append(f"{block.lead_in}\n\n{bullets}" if block.lead_in else bullets)
        elif isinstance(block, EventDetails):
            sections.append("\n".join(block.lines))
        elif isinstance(block, SignOff):
            sections += [block.closing, block.sender_name, "\n".join(block.address_lines)]
    return "\n\n".join(sections) + "\n"


def render_letter_html(letter: Letter) -> SafeString:
    """The letter as an HTML fragment (autoescaped) for the preview page and the PDF."""
    return SafeString(render_to_string("letters/includes/letter.html", {"letter": letter}))


def render_letter_pdf(letter: Letter) -> bytes:
    """A printable A4 PDF from an HTML template; the renderer may not fetch any URL."""
    html = render_to_string("letters/letter_pdf.html", {"letter": letter})
    document = weasyprint.HTML(string=html, url_fetcher=NothingFetcher(), base_url=None)
    return document.write_pdf()


class NothingFetcher(URLFetcher):
    """A letter embeds nothing: images, stylesheets and fonts by URL are all refused."""

    def fetch(self, url, headers=None):
        raise ValueError(f"letters fetch no URLs (refused {url[:80]!r})")


@dataclass(frozen=True)
class LetterFormat:
    """A downloadable format: its route name, file extension, content type and renderer."""

    name: str
    label: str
    content_type: str
    render: Callable[[Letter], bytes]

    def filename(self, letter: Letter) -> str:
        return f"{letter.filename_stem}.{self.name}"


FORMATS: dict[str, LetterFormat] = {
    "docx": LetterFormat("docx", "Word", DOCX_CONTENT_TYPE, render_letter_docx),
    "pdf": LetterFormat("pdf", "PDF", "application/pdf", render_letter_pdf),
    "txt": LetterFormat(
        "txt",
        "Plain text",
        "text/plain; charset=utf-8",
        lambda letter: render_letter_text(letter).encode("utf-8"),
    ),
}
