"""Rendering a letter as Word, PDF, text and HTML: same content, right structure, escaped."""

import io
import re
import zipfile

import docx
import pytest
from pypdf import PdfReader

from groups.demo import SOUTHAMPTON_PARAGRAPH
from letters.assembly import (
    BulletList,
    EventDetails,
    Letter,
    Paragraph,
    SignOff,
    assemble_letter,
)
from letters.models import Constituency, LetterPage
from letters.placeholders import unreplaced_placeholders
from letters.renderers import (
    FORMATS,
    NothingFetcher,
    blank_docx,
    fill_docx,
    render_letter_docx,
    render_letter_html,
    render_letter_pdf,
    render_letter_text,
)

HOSTILE = (
    "{{ settings.SECRET_KEY }} {% load static %} {mp_name.__class__} "
    '<script>alert(1)</script> & < > "q" \'a\' <img src="http://127.0.0.1:9/x.png"> '
    "مرحبا بالعالم \u202eevil\u202c 😀 ŵ ŷ Ŵ Ŷ “curly” – —"
)


def southampton_test_expectations() -> list[str]:
    """What the Southampton Test letter must say, in this order."""
    group_paragraphs = SOUTHAMPTON_PARAGRAPH.split("\n\n")
    return [
        "Satvir Kaur",
        "Southampton Test",
        *group_paragraphs,
        "More than 15 schools in the city",
        "In July 2017 Southampton City Council",
        "Monday 12 November 2018",
        "Attlee Suite, Portcullis House",
    ]


def assert_in_order(text: str, expected: list[str]) -> None:
    flat = " ".join(text.split())
    position = 0
    for part in expected:
        found = flat.find(" ".join(part.split()), position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + 1


@pytest.fixture
def southampton_test_letter(demo_site) -> Letter:
    page = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
    return assemble_letter(page, Constituency.objects.get(slug="southampton-test"))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_southampton_test_docx_has_everything_in_order_with_real_bullets(
    southampton_test_letter,
):
    document = docx.Document(io.BytesIO(render_letter_docx(southampton_test_letter)))
    paragraphs = document.paragraphs
    text = "\n".join(p.text for p in paragraphs)
    assert_in_order(text, southampton_test_expectations())
    assert unreplaced_placeholders(text) == []
    bullets = [p for p in paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) == 2
    assert bullets[0].text.startswith("More than 15 schools")
    assert bullets[1].text.startswith("In July 2017")
    # Real paragraphs, not one blob: each group paragraph is its own Word paragraph.
    for part in SOUTHAMPTON_PARAGRAPH.split("\n\n"):
        assert " ".join(part.split()) in [p.text for p in paragraphs]


@pytest.mark.django_db
def test_southampton_test_pdf_has_everything_in_order(southampton_test_letter):
    data = render_letter_pdf(southampton_test_letter)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert_in_order(text, southampton_test_expectations())
    assert unreplaced_placeholders(text) == []


@pytest.mark.django_db
def test_southampton_test_text_has_everything_in_order(southampton_test_letter):
    text = render_letter_text(southampton_test_letter)
    assert_in_order(text, southampton_test_expectations())
    assert unreplaced_placeholders(text) == []
    assert "• More than 15 schools" in text
    assert text.startswith("Satvir Kaur MP\nMember of Parliament for Southampton Test")


@pytest.mark.django_db
def test_html_preview_lists_achievements(southampton_test_letter):
    html = str(render_letter_html(southampton_test_letter))
    assert len(re.findall(r"<li>", html)) == 2
    assert_in_order(re.sub(r"<[^>]+>", " ", html), southampton_test_expectations())


def hostile_letter() -> Letter:
    return Letter(
        title=HOSTILE,
        filename_stem="invite-your-mp-test",
        recipient_lines=(HOSTILE, "House of Commons"),
        date="1 January 2026",
        salutation=f"Dear {HOSTILE}",
        blocks=(
            Paragraph(HOSTILE),
            BulletList(HOSTILE, (HOSTILE, "second")),
            EventDetails((HOSTILE,)),
            SignOff("Yours sincerely", HOSTILE, (HOSTILE,)),
        ),
    )


def test_html_escapes_markup_and_never_evaluates_template_syntax():
    html = str(render_letter_html(hostile_letter()))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert "&amp; &lt; &gt;" in html
    assert "{{ settings.SECRET_KEY }}" in html
    assert "{% load static %}" in html
    assert "test-only-key-not-secret" not in html


def test_docx_keeps_hostile_text_as_literal_text():
    document = docx.Document(io.BytesIO(render_letter_docx(hostile_letter())))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "<script>alert(1)</script> & < >" in text
    assert "{{ settings.SECRET_KEY }}" in text
    assert "مرحبا بالعالم" in text
    assert "😀 ŵ ŷ Ŵ Ŷ “curly” – —" in text


@pytest.mark.django_db
def test_docx_has_the_parts_python_docx_saves_whatever_letter_came_before(
    southampton_test_letter,
):
    """The fast renderer reuses one template and packs unchanged parts once: every part of
    its file must equal what python-docx saves for a fresh document filled with the letter."""
    render_letter_docx(hostile_letter())  # a longer letter first: nothing of it may remain
    fresh = blank_docx()
    fill_docx(fresh, southampton_test_letter)
    expected = io.BytesIO()
    fresh.save(expected)
    with (
        zipfile.ZipFile(io.BytesIO(render_letter_docx(southampton_test_letter))) as rendered,
        zipfile.ZipFile(expected) as saved,
    ):
        assert sorted(rendered.namelist()) == sorted(saved.namelist())
        assert rendered.namelist()[0] == "[Content_Types].xml"
        for name in saved.namelist():
            assert rendered.read(name) == saved.read(name), name


def test_pdf_keeps_welsh_letters_scripts_and_punctuation():
    text = pdf_text(render_letter_pdf(hostile_letter()))
    for part in [
        "ŵ ŷ Ŵ Ŷ",
        "“curly” – —",
        "<script>alert(1)</script>",
        "{{ settings.SECRET_KEY }}",
    ]:
        assert part in text
    assert "test-only-key-not-secret" not in text


def test_pdf_renderer_fetches_no_urls():
    with pytest.raises(ValueError, match="fetch no URLs"):
        NothingFetcher().fetch("http://127.0.0.1:9/x.png")
    with pytest.raises(ValueError):
        NothingFetcher().fetch("file:///etc/passwd")


def test_text_keeps_hostile_text_literal():
    text = render_letter_text(hostile_letter())
    assert f"Dear {HOSTILE}" in text
    assert f"• {HOSTILE}" in text


def test_formats_have_the_right_content_types_and_file_names():
    letter = hostile_letter()
    assert FORMATS["docx"].content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert FORMATS["pdf"].content_type == "application/pdf"
    assert FORMATS["txt"].content_type == "text/plain; charset=utf-8"
    assert FORMATS["docx"].filename(letter) == "invite-your-mp-test.docx"
