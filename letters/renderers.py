"""The one place that knows how to render a `Letter`: Word, PDF, plain text and HTML.

Each format escapes for itself: python-docx writes XML-escaped runs, the PDF and HTML come
from Django templates with autoescaping on, and plain text needs no escaping. Control
characters were already removed during assembly, so every string here is valid XML.
"""

import io
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import docx
import docx.document
import weasyprint
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from weasyprint.urls import URLFetcher

from letters.assembly import BulletList, EventDetails, Letter, Paragraph, SignOff
from letters.models import DownloadFormat

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AUTHOR = "City of Sanctuary"
# UK letters: A4, and British English for Word's spelling checker (python-docx's blank
# document is US Letter and en-US). Margins as the PDF's.
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(22), "bottom": Mm(22), "left": Mm(20), "right": Mm(20)}
DOCUMENT_LANGUAGE = "en-GB"
BILINGUAL_TEXT_SEPARATOR = "\n" + "-" * 40 + "\n\n"

# One letter, or the same letter in several languages (Welsh first, then English), which
# every format puts one after the other: a new page in Word and PDF.
Letters = Letter | Sequence[Letter]


def each_letter(letters: Letters) -> tuple[Letter, ...]:
    return (letters,) if isinstance(letters, Letter) else tuple(letters)


def render_letter_docx(letters: Letters) -> bytes:
    """An editable Word document: real paragraphs, and Word's own "List Bullet" bullets."""
    return _docx_template().render(letters)


def fill_docx(document: docx.document.Document, letters: Letters) -> None:
    """Write the letter(s) into a blank document: its properties and its body. Every run
    carries its letter's language, so Word checks Welsh spelling in Welsh."""
    letters = each_letter(letters)
    properties = document.core_properties
    properties.title = letters[0].title
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.comments = ""
    properties.language = ", ".join(dict.fromkeys(letter.word_language for letter in letters))

    for number, letter in enumerate(letters):
        first_paragraph = len(document.paragraphs)
        if number:
            document.add_page_break()
        _fill_one_letter(document, letter)
        for paragraph in document.paragraphs[first_paragraph:]:
            for run in paragraph.runs:
                set_language(run.element.get_or_add_rPr(), letter.word_language)


def _fill_one_letter(document: docx.document.Document, letter: Letter) -> None:
    _lines_paragraph(document, letter.recipient_lines)
    document.add_paragraph(letter.date)
    if letter.salutation:
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


def blank_docx() -> docx.document.Document:
    """python-docx's default document with the letters' 11 pt text, on A4, in British
    English."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    for section in document.sections:
        section.page_width, section.page_height = A4
        for side, margin in MARGINS.items():
            setattr(section, f"{side}_margin", margin)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    set_language(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), DOCUMENT_LANGUAGE)
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:val"), DOCUMENT_LANGUAGE)
    return document


def set_language(run_properties, tag: str) -> None:
    """Set `<w:lang w:val="tag">` in a `<w:rPr>`: the language Word checks the text in."""
    language = run_properties.find(qn("w:lang"))
    if language is None:
        # w:lang's place in w:rPr is after every formatting property a letter sets (w:b).
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)
    # The default's "en-US" East Asian and "ar-SA" bidi tags are for other scripts: leave them.


class _DocxTemplate:
    """The blank document, parsed once, and the package parts no letter changes, packed once.

    Word's default styles are 800 KB of XML. Copying, serialising and compressing them again
    for every letter was four fifths of a letter's time (35 ms of 42), and a 650-letter ZIP
    took 26 s. A letter changes only the body and the core properties: each render clears the
    body, fills it, and appends those two parts to a ZIP that already holds the others.
    """

    def __init__(self) -> None:
        self.document = blank_docx()
        self.core_part = self.document.part.package.part_related_by(RT.CORE_PROPERTIES)
        self.relationship_count = len(self.document.part.rels)
        changing = {self.document.part.partname.membername, self.core_part.partname.membername}
        self.unchanging_parts = _zip_without(_saved(self.document), changing)

    def render(self, letters: Letters) -> bytes:
        self.document.element.body.clear_content()
        fill_docx(self.document, letters)
        if len(self.document.part.rels) != self.relationship_count:
            # A hyperlink or picture adds a relationship, which lives in a packed part.
            raise ValueError("a letter may not add relationships to the Word template")
        output = io.BytesIO(self.unchanging_parts)
        with zipfile.ZipFile(output, "a", compression=zipfile.ZIP_DEFLATED) as package:
            for part in (self.document.part, self.core_part):
                package.writestr(part.partname.membername, part.blob)
        return output.getvalue()


_templates = threading.local()


def _docx_template() -> _DocxTemplate:
    """One template per thread: a render changes the template's body while it works."""
    if not hasattr(_templates, "docx"):
        _templates.docx = _DocxTemplate()
    return _templates.docx


def _saved(document: docx.document.Document) -> bytes:
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _zip_without(data: bytes, names: set[str]) -> bytes:
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in names:
                target.writestr(info, source.read(info))
    return output.getvalue()


def _lines_paragraph(document, lines: tuple[str, ...]):
    """One paragraph whose lines are separated by line breaks, as an address is written."""
    paragraph = document.add_paragraph()
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if number < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def render_letter_text(letters: Letters) -> str:
    """Plain text with blank lines between paragraphs and "•" bullets; in two languages, a
    line of dashes between them."""
    return BILINGUAL_TEXT_SEPARATOR.join(_one_letter_text(one) for one in each_letter(letters))


def _one_letter_text(letter: Letter) -> str:
    sections: list[str] = ["\n".join(letter.recipient_lines), letter.date]
    if letter.salutation:
        sections.append(letter.salutation)
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


def render_letter_html(letters: Letters) -> SafeString:
    """The letter(s) as an HTML fragment (autoescaped, each with its `lang`) for the preview
    page and the PDF."""
    return SafeString(
        "\n".join(
            render_to_string("letters/includes/letter.html", {"letter": letter})
            for letter in each_letter(letters)
        )
    )


def render_letter_pdf(letters: Letters) -> bytes:
    """A printable A4 PDF from an HTML template; the renderer may not fetch any URL."""
    letters = each_letter(letters)
    html = render_to_string(
        "letters/letter_pdf.html",
        {"letters": letters, "letter": letters[0], "letter_html": render_letter_html(letters)},
    )
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
    content_type: str
    render: Callable[[Letters], bytes]

    @property
    def label(self) -> str:
        """ "Word", "Plain text": the download format's name, in the visitor's language."""
        return DownloadFormat(self.name).label

    def filename(self, letters: Letters, suffix: str = "") -> str:
        return f"{each_letter(letters)[0].filename_stem}{suffix}.{self.name}"


FORMATS: dict[str, LetterFormat] = {
    "docx": LetterFormat("docx", DOCX_CONTENT_TYPE, render_letter_docx),
    "pdf": LetterFormat("pdf", "application/pdf", render_letter_pdf),
    "txt": LetterFormat(
        "txt",
        "text/plain; charset=utf-8",
        lambda letters: render_letter_text(letters).encode("utf-8"),
    ),
}
