"""Letters in Welsh, English or both for the constituencies in Wales (issue 20), and the
letter fixes of issue 21: A4 and en-GB in Word, the event's date before its time, the MP's
title left out of the greeting, one "Dear" only, placeholders in a group's paragraph."""

import io
import re
import unicodedata
import zipfile
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from wagtail.models import Locale

from letters.assembly import EventDetails, Paragraph, assemble_letter
from letters.blocks import LetterBodyBlock
from letters.letter_languages import default_choice, versions_of
from letters.models import Constituency, LetterDownload, LetterPage

pytestmark = pytest.mark.django_db

LETTER_URL = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
YNYS_MON_URL = LETTER_URL + "ynys-mon/"
SOUTHAMPTON_URL = LETTER_URL + "southampton-test/"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# The Welsh version as an editor would write it (ŵ in "grŵp", â in "â’ch"; the letter adds
# "Tŷ’r Cyffredin", with ŷ, to the address).
# Placeholders are filled literally, so the Welsh text puts them where Welsh grammar does not
# mutate them ("yn etholaeth {constituency}", not "yn {constituency}"; "Dyddiad: {event_date}",
# not "ar {event_date}").
WELSH_OPENING = (
    "Rwy’n ysgrifennu atoch fel un o’ch etholwyr yn etholaeth {constituency} i’ch gwahodd i "
    "{event_title}. Dyddiad: {event_date}. Lleoliad: {event_venue}."
)
WELSH_CLOSING = "Mae ein grŵp lleol yn edrych ymlaen at eich gweld chi yno: dewch â’ch cwestiynau."
WELSH_NATIONAL = "Mae {group_name} yn gweithio i wneud Cymru’n genedl groesawgar i bawb sy’n ffoi."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letter_page(open_invitation) -> LetterPage:
    """The demo's invitation, its campaign reopened so that its files are served."""
    return open_invitation


@pytest.fixture
def ynys_mon(demo_site) -> Constituency:
    return Constituency.objects.create(
        gss_code="W07000112",
        name="Ynys Môn",
        slug="ynys-mon",
        nation="wales",
        region="wales",
        current_mp_name="Llinos Medi",
        current_mp_full_title="Llinos Medi MP",
    )


@pytest.fixture
def welsh_letter(letter_page) -> LetterPage:
    """The letter's translation in the `cy` locale, written and published."""
    welsh_locale, _ = Locale.objects.get_or_create(language_code="cy")
    welsh = letter_page.copy_for_translation(welsh_locale, copy_parents=True)
    welsh.title = "Gwahoddwch eich AS i Sanctuary in Parliament 2018"
    welsh.national_paragraph = WELSH_NATIONAL
    welsh.body = [
        ("paragraph", WELSH_OPENING),
        ("group_paragraph", None),
        ("event_details", None),
        ("paragraph", WELSH_CLOSING),
        ("sign_off", {"closing": "Yn gywir", "sender_name": "", "sender_address": ""}),
    ]
    welsh.save_revision().publish()
    return welsh


def docx_runs(data: bytes) -> list[tuple[str, str | None]]:
    """(text, w:lang) of every run with text in the Word file's document.xml."""
    root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    runs = []
    for run in root.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if text:
            language = run.find(f"{W}rPr/{W}lang")
            runs.append((text, None if language is None else language.get(f"{W}val")))
    return runs


def pdf_text(data: bytes) -> str:
    return unicodedata.normalize(
        "NFC", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    )


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


# The Ynys Môn letter in Welsh and in both languages -------------------------------------


def test_ynys_mon_welsh_word_letter_tags_every_run_cy_gb(client, ynys_mon, welsh_letter):
    response = client.get(YNYS_MON_URL + "docx/?language=cy")

    assert response.status_code == 200
    assert "invite-your-mp-ynys-mon-cy.docx" in response["Content-Disposition"]
    runs = docx_runs(response.content)
    assert {language for _, language in runs} == {"cy-GB"}
    text = "\n".join(text for text, _ in runs)
    assert "Annwyl Llinos Medi" in text
    assert "Aelod Seneddol etholaeth Ynys Môn" in text
    assert "Tŷ’r Cyffredin" in text
    assert "Dydd Llun 12 Tachwedd 2018, 12:00 tan 16:00" in text  # the event block
    assert "Dyddiad: Dydd Llun 12 Tachwedd 2018. Lleoliad: Attlee Suite" in text  # placeholders
    assert "grŵp lleol" in text and "dewch â’ch" in text
    assert "Dear" not in text and "Member of Parliament" not in text


def test_ynys_mon_bilingual_word_letter_gives_welsh_then_english_on_a_new_page(
    client, ynys_mon, welsh_letter
):
    response = client.get(YNYS_MON_URL + "docx/?language=both")

    assert "invite-your-mp-ynys-mon-cy-en.docx" in response["Content-Disposition"]
    runs = docx_runs(response.content)
    texts = [text for text, _ in runs]
    welsh_greeting, english_greeting = (
        texts.index("Annwyl Llinos Medi"),
        texts.index("Dear Llinos Medi"),
    )
    assert welsh_greeting < english_greeting
    assert {language for _, language in runs[: welsh_greeting + 1]} == {"cy-GB"}
    assert runs[welsh_greeting + 1 :][-1][1] == "en-GB"
    assert runs[english_greeting][1] == "en-GB"
    assert b'w:type="page"' in zipfile.ZipFile(io.BytesIO(response.content)).read(
        "word/document.xml"
    )


@pytest.mark.parametrize("language", ["cy", "both"])
def test_ynys_mon_pdf_keeps_welsh_letters_and_embeds_a_font_that_has_them(
    client, ynys_mon, welsh_letter, language
):
    response = client.get(YNYS_MON_URL + f"pdf/?language={language}")

    assert response.status_code == 200
    text = pdf_text(response.content)
    for word in ("Tŷ’r Cyffredin", "grŵp", "â’ch", "Ynys Môn", "Dydd Llun 12 Tachwedd 2018"):
        assert word in text, word
    assert all("DejaVu" in font for font in pdf_fonts(response.content))
    if language == "both":
        assert text.index("Annwyl Llinos Medi") < text.index("Dear Llinos Medi")
        assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2


def test_the_pdf_html_marks_each_letter_with_its_language(ynys_mon, welsh_letter):
    from letters.assembly import WELSH
    from letters.renderers import render_letter_html

    versions = versions_of(welsh_letter)
    welsh = assemble_letter(versions.welsh, ynys_mon, language=WELSH)
    english = assemble_letter(versions.english, ynys_mon)
    html = str(render_letter_html((welsh, english)))
    assert html.index('lang="cy"') < html.index("Annwyl") < html.index('lang="en-GB"')


def test_ynys_mon_text_letter_is_utf8_welsh_first(client, ynys_mon, welsh_letter):
    response = client.get(YNYS_MON_URL + "txt/?language=both")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("Llinos Medi MP\nAelod Seneddol etholaeth Ynys Môn\nTŷ’r Cyffredin")
    assert text.index("Yn gywir") < text.index("Dear Llinos Medi") < text.index("Yours sincerely")


def test_welsh_letter_is_dated_in_welsh(ynys_mon, welsh_letter):
    import datetime

    from letters.assembly import WELSH

    letter = assemble_letter(
        welsh_letter, ynys_mon, today=datetime.date(2018, 11, 12), language=WELSH
    )
    assert letter.date == "12 Tachwedd 2018"
    assert letter.language == "cy"
    (event,) = [b for b in letter.blocks if isinstance(b, EventDetails)]
    assert event.lines[2] == "Dydd Llun 12 Tachwedd 2018, 12:00 tan 16:00"


# Choosing the language -------------------------------------------------------------------


def test_welsh_constituency_preview_offers_welsh_english_and_both_defaulting_to_english(
    client, ynys_mon, welsh_letter
):
    html = client.get(YNYS_MON_URL).content.decode()

    assert re.findall(r'name="language" id="language-(\w+)" value="\w+"( checked)?', html) == [
        ("cy", ""),
        ("en", " checked"),
        ("both", ""),
    ]
    assert f'href="{YNYS_MON_URL}docx/?language=en"' in html
    assert "Dear Llinos Medi" in html

    page = client.get(YNYS_MON_URL + "?language=both").content.decode()
    welsh = page[page.index('class="letter-preview"') :]
    assert welsh.index('<div class="letter" lang="cy">') < welsh.index("Annwyl Llinos Medi")
    assert welsh.index("Annwyl Llinos Medi") < welsh.index('<div class="letter" lang="en-GB">')
    assert f'href="{YNYS_MON_URL}pdf/?language=both"' in page


def test_the_welsh_page_defaults_to_welsh_and_the_english_page_to_english(
    letter_page, ynys_mon, welsh_letter
):
    southampton_test = Constituency.objects.get(slug="southampton-test")
    from_welsh_page, from_english_page = versions_of(welsh_letter), versions_of(letter_page)

    assert from_welsh_page.english.pk == from_english_page.english.pk == letter_page.pk
    assert from_welsh_page.welsh.pk == from_english_page.welsh.pk == welsh_letter.pk
    assert default_choice(from_welsh_page, ynys_mon).value == "cy"
    assert default_choice(from_english_page, ynys_mon).value == "en"
    # Outside Wales the letter is English, whichever page the visitor is on.
    assert default_choice(from_welsh_page, southampton_test).value == "en"


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        (SOUTHAMPTON_URL + "?language=cy", 404, "Southampton Test is not in Wales"),
        (SOUTHAMPTON_URL + "docx/?language=cy", 404, "Southampton Test is not in Wales"),
        (SOUTHAMPTON_URL + "pdf/?language=both", 404, "Southampton Test is not in Wales"),
        (SOUTHAMPTON_URL + "?language=klingon", 400, "choose en (English), cy (Cymraeg) or both"),
        (YNYS_MON_URL + "txt/?language=welsh", 400, "choose en (English), cy (Cymraeg) or both"),
    ],
)
def test_welsh_is_refused_outside_wales_and_unknown_languages_clearly(
    client, letter_page, ynys_mon, welsh_letter, url, status, says
):
    response = client.get(url)

    assert response.status_code == status
    html = response.content.decode()
    assert "This letter is not available in that language" in html
    assert says in html
    assert "?language=en" in html  # the English letter is one link away
    assert not LetterDownload.objects.exists()


def test_a_constituency_outside_wales_is_not_offered_a_language(client, letter_page, welsh_letter):
    html = client.get(SOUTHAMPTON_URL).content.decode()

    assert 'name="language"' not in html
    assert f'href="{SOUTHAMPTON_URL}docx/"' in html


def test_a_letter_without_a_welsh_version_says_so_and_offers_english(client, letter_page, ynys_mon):
    preview = client.get(YNYS_MON_URL + "?language=cy")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "This letter has no Welsh version yet" in html
    assert "Dear Llinos Medi" in html and "Annwyl" not in html
    assert f'href="{YNYS_MON_URL}docx/?language=en"' in html

    download = client.get(YNYS_MON_URL + "docx/?language=cy")
    assert download.status_code == 404
    assert "This letter has no Welsh version yet" in download.content.decode()
    assert f"{YNYS_MON_URL}?language=en" in download.content.decode()


def test_every_language_is_counted_against_the_campaigns_letter_per_format(
    client, letter_page, ynys_mon, welsh_letter
):
    for language in ("en", "cy", "both"):
        client.get(YNYS_MON_URL + f"docx/?language={language}")
    client.get(YNYS_MON_URL + "docx/")  # the default, English
    client.get(YNYS_MON_URL + "pdf/?language=cy")
    client.post(YNYS_MON_URL + "txt/", {"name": "Nia", "language": "both"})

    counts = {
        row.format: row.count
        for row in LetterDownload.objects.filter(letter=letter_page, constituency=ynys_mon)
    }
    assert counts == {"docx": 4, "pdf": 1, "txt": 1}
    assert not LetterDownload.objects.filter(letter=welsh_letter).exists()


def test_a_cached_welsh_file_is_never_served_for_english_or_the_other_way_round(
    client, ynys_mon, welsh_letter
):
    welsh = client.get(YNYS_MON_URL + "docx/?language=cy").content
    english = client.get(YNYS_MON_URL + "docx/?language=en").content
    default = client.get(YNYS_MON_URL + "docx/").content
    bilingual = client.get(YNYS_MON_URL + "docx/?language=both").content
    welsh_again = client.get(YNYS_MON_URL + "docx/?language=cy").content

    assert {language for _, language in docx_runs(welsh)} == {"cy-GB"}
    assert {language for _, language in docx_runs(english)} == {"en-GB"}
    assert default == english
    assert {language for _, language in docx_runs(bilingual)} == {"cy-GB", "en-GB"}
    assert welsh_again == welsh


def test_the_personalised_welsh_letter_keeps_its_language(client, ynys_mon, welsh_letter):
    response = client.post(
        YNYS_MON_URL + "txt/", {"name": "Nia Jones", "address": "1 Stryd y Bont", "language": "cy"}
    )
    text = response.content.decode()
    assert "Annwyl Llinos Medi" in text and "Nia Jones" in text and "Dear" not in text


# Issue 21's letter fixes ------------------------------------------------------------------


def test_word_letter_is_a4_in_british_english(client, letter_page):
    package = zipfile.ZipFile(io.BytesIO(client.get(SOUTHAMPTON_URL + "docx/").content))
    document = package.read("word/document.xml").decode()
    styles = package.read("word/styles.xml").decode()
    settings = package.read("word/settings.xml").decode()

    # A4 is 210 x 297 mm: 11906 x 16838 twentieths of a point.
    width, height = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', document).groups()
    assert (round(int(width) / 56.7), round(int(height) / 56.7)) == (210, 297)
    assert re.search(r'<w:rPrDefault>\s*<w:rPr>.*?<w:lang w:val="en-GB"', styles, re.S)
    assert 'w:val="en-US"' not in styles and 'w:val="en-US"' not in settings
    assert "<dc:language>en-GB</dc:language>" in package.read("docProps/core.xml").decode()
    assert 'w:lang w:val="en-GB"' in document


def test_event_block_gives_the_date_before_the_time(letter_page):
    constituency = Constituency.objects.get(slug="southampton-test")
    (event,) = [
        b for b in assemble_letter(letter_page, constituency).blocks if isinstance(b, EventDetails)
    ]
    assert event.lines[:4] == (
        "Sanctuary in Parliament 2018",
        "“Towards a Fairer System”",
        "Monday 12 November 2018, 12:00 to 16:00",
        "Attlee Suite, Portcullis House",
    )


@pytest.mark.parametrize(
    ("display_name", "greeted"),
    [
        ("Mr Connor Rand", "Connor Rand"),
        ("Mrs Sharon Hodgson", "Sharon Hodgson"),
        ("Ms Julie Minns", "Julie Minns"),
        ("Miss Ann Example", "Ann Example"),
        ("Mx Sam Example", "Sam Example"),
        ("Dr Kieran Mullan", "Kieran Mullan"),
        ("Sir Mel Stride", "Mel Stride"),
        ("Dame Meg Hillier", "Meg Hillier"),
        ("Lord Sam Example", "Sam Example"),
        ("Rt Hon Sir Keir Starmer", "Keir Starmer"),
        ("Dr. Ann Example", "Ann Example"),
        # Names that only begin like a title keep every letter.
        ("Drew Hendry", "Drew Hendry"),
        ("Damian Green", "Damian Green"),
        ("Mrinalini Example", "Mrinalini Example"),
        ("Sirius Example", "Sirius Example"),
        ("Satvir Kaur", "Satvir Kaur"),
    ],
)
def test_salutation_leaves_out_the_title_in_the_mps_display_name(
    letter_page, ynys_mon, welsh_letter, display_name, greeted
):
    from letters.assembly import WELSH

    ynys_mon.current_mp_name = display_name
    assert assemble_letter(letter_page, ynys_mon).salutation == f"Dear {greeted}"
    welsh = assemble_letter(welsh_letter, ynys_mon, language=WELSH)
    assert welsh.salutation == f"Annwyl {greeted}"


def test_a_groups_letter_paragraph_is_filled_in(letter_page):
    from groups.models import LocalGroupPage

    group = LocalGroupPage.objects.get(slug="southampton").get_latest_revision_as_object()
    group.letter_paragraph = "{group_name} would welcome {mp_name} to our events in {constituency}."
    group.save_revision().publish()

    letter = assemble_letter(letter_page, Constituency.objects.get(slug="southampton-test"))
    texts = [b.text for b in letter.blocks if isinstance(b, Paragraph)]
    assert (
        "City of Sanctuary Southampton would welcome Satvir Kaur to our events in Southampton Test."
        in texts
    )


@pytest.mark.parametrize(
    ("paragraph", "named"),
    [("Hello {mp_nme}", "{mp_nme}"), ("{group_achievements}", "Group achievements"), ("{x", "{")],
)
def test_a_groups_letter_paragraph_refuses_unknown_placeholders(demo_site, paragraph, named):
    from groups.models import LocalGroupPage

    group = LocalGroupPage.objects.get(slug="southampton").get_latest_revision_as_object()
    group.letter_paragraph = paragraph
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert named in " ".join(refused.value.message_dict["letter_paragraph"])


@pytest.mark.parametrize("greeting", ["Dear {mp_name},", "dear MP", "Annwyl {mp_name},"])
def test_a_letter_body_that_greets_the_mp_itself_is_refused(greeting):
    body = LetterBodyBlock()
    value = body.to_python(
        [{"type": "paragraph", "value": f"{greeting}\n\nI write to invite you."}]
    )
    with pytest.raises(ValidationError) as refused:
        body.clean(value)
    assert "Dear" in str(refused.value.block_errors[0])
    # Further down, "dear" is just a word.
    body.clean(body.to_python([{"type": "paragraph", "value": "It is dear to us."}]))


def test_a_saved_letter_that_greets_the_mp_itself_says_dear_once(letter_page):
    """A template saved before the check (or through a path that skips it) still reads right."""
    page = letter_page.get_latest_revision_as_object()
    page.body = [
        ("paragraph", "Dear {mp_name},"),
        *[(b.block_type, b.value) for b in page.body],
    ]
    letter = assemble_letter(page, Constituency.objects.get(slug="southampton-test"))

    assert letter.salutation == ""
    from letters.renderers import render_letter_text

    assert render_letter_text(letter).count("Dear") == 1
    assert "Dear Satvir Kaur," in render_letter_text(letter)
