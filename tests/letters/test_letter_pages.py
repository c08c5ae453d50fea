"""The public letter pages: find your MP, preview, downloads, personalising, caching, counts."""

import io
from unittest import mock

import docx
import pytest
from django.core.cache import cache
from django.utils import timezone

from letters.models import Constituency, LetterDownload, LetterPage

pytestmark = pytest.mark.django_db

LETTER_URL = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
PREVIEW_URL = LETTER_URL + "southampton-test/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letter_page(open_invitation) -> LetterPage:
    """The demo's invitation, its campaign reopened so that its files are served."""
    return open_invitation


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_letter_page_explains_the_ask_and_finds_constituencies_by_name(client, letter_page):
    response = client.get(LETTER_URL)
    assert response.status_code == 200
    assert b"Find your MP" in response.content
    response = client.get(LETTER_URL, {"q": "southampton"})
    assert response.status_code == 200
    assert f'href="{PREVIEW_URL}"'.encode() in response.content


def test_preview_shows_the_filled_in_letter(client, letter_page):
    response = client.get(PREVIEW_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dear Satvir Kaur" in content
    assert "More than 15 schools" in content
    assert f'href="{PREVIEW_URL}docx/"' in content


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
        ("txt", "text/plain; charset=utf-8"),
    ],
)
def test_downloads_have_a_clear_filename_and_content_type(client, letter_page, fmt, content_type):
    response = client.get(f"{PREVIEW_URL}{fmt}/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="invite-your-mp-southampton-test.{fmt}"'
    )


@pytest.mark.parametrize(
    "url",
    [
        LETTER_URL + "nowhere-at-all/",
        LETTER_URL + "nowhere-at-all/docx/",
        LETTER_URL + "nowhere-at-all/personalise/",
        LETTER_URL + "southampton-test/doc/",
        LETTER_URL + "southampton-test.docx",
        "/letters/no-such-letter/",
        "/letters/no-such-letter/southampton-test/docx/",
    ],
)
def test_unknown_constituency_letter_or_format_is_404(client, letter_page, url):
    assert client.get(url).status_code == 404


def test_unpublished_letter_page_is_not_served(client, letter_page):
    letter_page.unpublish()
    for url in [LETTER_URL, PREVIEW_URL, PREVIEW_URL + "docx/", PREVIEW_URL + "pdf/"]:
        assert client.get(url).status_code == 404, url


def test_visitor_details_fill_the_download_and_are_not_cached(client, letter_page):
    response = client.post(
        PREVIEW_URL + "docx/", {"name": "Nia Wyn", "address": "1 Stryd Fawr\nAbertawe SA1 1AA"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    text = docx_text(response.content)
    assert "Nia Wyn" in text
    assert "Abertawe SA1 1AA" in text
    # The next visitor's unpersonalised letter does not carry the last visitor's details.
    text = docx_text(client.get(PREVIEW_URL + "docx/").content)
    assert "Nia Wyn" not in text
    assert "(Add your postal address)" in text


def test_personalised_preview_is_private_and_not_stored(client, letter_page):
    response = client.post(PREVIEW_URL, {"name": "Nia Wyn", "address": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Nia Wyn" in response.content.decode()


def test_the_shared_preview_carries_no_form_and_no_cookie_so_it_can_be_cached(
    client, letter_page, settings
):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get(PREVIEW_URL)
    assert not first.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert f'href="{PREVIEW_URL}personalise/#personalise-title"' in first.content.decode()
    assert first["X-Page-Cache"] == "miss"
    assert client.get(PREVIEW_URL)["X-Page-Cache"] == "hit"


def test_the_personalise_page_has_the_form_with_its_csrf_token_and_is_private(
    client, letter_page, settings
):
    settings.PAGE_CACHE_ENABLED = True
    response = client.get(PREVIEW_URL + "personalise/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in content
    assert 'name="name"' in content and 'name="address"' in content
    assert f'action="{PREVIEW_URL}"' in content
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    assert "Dear Satvir Kaur" in content


def test_personalising_needs_a_csrf_token(letter_page):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(PREVIEW_URL + "docx/", {"name": "A"})
    assert response.status_code == 403


def test_very_long_visitor_input_gets_a_clear_message(client, letter_page):
    response = client.post(PREVIEW_URL + "pdf/", {"name": "x" * 5000, "address": "y" * 100_000})
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Your name must be 100 characters or fewer" in content
    assert "Your address must be 300 characters or fewer" in content
    assert 'href="#id_name"' in content


@pytest.mark.parametrize("fmt", ["docx", "pdf", "txt"])
def test_hostile_visitor_input_is_literal_text_never_executed(client, letter_page, fmt):
    hostile = (
        "{{ settings.SECRET_KEY }} {% load %} {mp_name} <script>x</script> & < \x00\x1b مرحبا 😀"
    )
    response = client.post(f"{PREVIEW_URL}{fmt}/", {"name": hostile, "address": hostile[:290]})
    assert response.status_code == 200
    if fmt == "docx":
        text = docx_text(response.content)
    elif fmt == "txt":
        text = response.content.decode()
    else:
        return
    assert "{{ settings.SECRET_KEY }} {% load %} {mp_name} <script>x</script> & <" in text
    assert "test-only-key-not-secret" not in text
    assert "\x00" not in text and "\x1b" not in text
    assert "مرحبا 😀" in text


def test_hostile_visitor_input_is_escaped_in_the_preview(client, letter_page):
    response = client.post(PREVIEW_URL, {"name": "<script>alert(1)</script> {{ request }}"})
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ request }}" in content


def test_hostile_template_and_group_text_is_never_executed(client, letter_page):
    from groups.models import LocalGroupPage

    hostile = "{{ settings.SECRET_KEY }} {% load static %} {mp_name.__class__} <script>x</script> & < \u202eabc 😀"
    # The group page now refuses such a paragraph (test_welsh_letters); one written before
    # that check, or straight into the database, is still only text.
    LocalGroupPage.objects.filter(slug="southampton").update(letter_paragraph=hostile)
    page = letter_page.get_latest_revision_as_object()
    page.body = [("paragraph", hostile), *[(b.block_type, b.value) for b in page.body]]
    page.save_revision().publish()
    for suffix in ["", "docx/", "pdf/", "txt/"]:
        response = client.get(PREVIEW_URL + suffix)
        assert response.status_code == 200, suffix
        assert b"test-only-key-not-secret" not in response.content
    preview = client.get(PREVIEW_URL).content.decode()
    assert "<script>x</script>" not in preview
    assert (
        "{{ settings.SECRET_KEY }} {% load static %} {mp_name.__class__} &lt;script&gt;" in preview
    )
    text = client.get(PREVIEW_URL + "txt/").content.decode()
    assert text.count("{{ settings.SECRET_KEY }}") == 2


def test_downloads_are_counted_per_letter_constituency_format_and_day(client, letter_page):
    for _ in range(3):
        client.get(PREVIEW_URL + "docx/")
    client.get(PREVIEW_URL + "pdf/")
    client.post(PREVIEW_URL + "txt/", {"name": "Nia"})
    client.get(PREVIEW_URL)  # a preview is not a download
    southampton_test = Constituency.objects.get(slug="southampton-test")
    counts = {
        row.format: row.count
        for row in LetterDownload.objects.filter(letter=letter_page, constituency=southampton_test)
    }
    assert counts == {"docx": 3, "pdf": 1, "txt": 1}
    assert set(LetterDownload.objects.values_list("date", flat=True)) == {timezone.localdate()}


def test_unchanged_letter_is_rendered_once(client, letter_page):
    from letters import renderers

    real = renderers.FORMATS["docx"]
    counting = mock.Mock(side_effect=real.render)
    with mock.patch.dict(
        renderers.FORMATS,
        {"docx": renderers.LetterFormat("docx", real.content_type, counting)},
    ):
        first = client.get(PREVIEW_URL + "docx/").content
        second = client.get(PREVIEW_URL + "docx/").content
    assert counting.call_count == 1
    assert first == second


def test_publishing_the_letter_invalidates_the_cached_file(client, letter_page):
    assert "warmly invite" in docx_text(client.get(PREVIEW_URL + "docx/").content)
    page = letter_page.get_latest_revision_as_object()
    page.body = [
        ("paragraph", "A new first paragraph for {constituency}."),
        *[(b.block_type, b.value) for b in page.body],
    ]
    page.save_revision().publish()
    text = docx_text(client.get(PREVIEW_URL + "docx/").content)
    assert "A new first paragraph for Southampton Test." in text


def test_changing_mp_data_invalidates_the_cached_file(client, letter_page):
    assert "Dear Satvir Kaur" in docx_text(client.get(PREVIEW_URL + "docx/").content)
    Constituency.objects.filter(slug="southampton-test").update(
        current_mp_name="Ada Example", current_mp_full_title="Ada Example MP",
        mp_updated_at=timezone.now(),
    )  # fmt: skip
    text = docx_text(client.get(PREVIEW_URL + "docx/").content)
    assert "Dear Ada Example" in text
    assert "Satvir Kaur" not in text


def test_republishing_the_group_invalidates_the_cached_file(client, letter_page):
    from groups.models import LocalGroupPage

    client.get(PREVIEW_URL + "txt/")
    group = LocalGroupPage.objects.get(slug="southampton").get_latest_revision_as_object()
    group.letter_paragraph = "A brand new paragraph about the group."
    group.save_revision().publish()
    assert "A brand new paragraph" in client.get(PREVIEW_URL + "txt/").content.decode()


def test_download_runs_a_fixed_number_of_queries(
    client, letter_page, uncached, django_assert_max_num_queries
):
    client.get(PREVIEW_URL + "docx/")  # warm the site and page caches
    with django_assert_max_num_queries(14):
        client.get(PREVIEW_URL + "docx/")


def test_a_repeat_download_skips_the_letters_assembly(
    client, letter_page, django_assert_num_queries
):
    """A campaign day downloads the same files again and again: once built in this content
    generation, a file is served without the covering group's three queries (and still counted)."""
    client.get(PREVIEW_URL + "docx/")
    with django_assert_num_queries(9):
        response = client.get(PREVIEW_URL + "docx/")
    assert "Dear Satvir Kaur" in docx_text(response.content)


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", LETTER_URL, {"q": "SO14"}),  # half a postcode
        ("post", PREVIEW_URL, {"name": "x" * 5000, "address": ""}),  # an overlong name
    ],
)
def test_a_page_with_an_error_says_so_first_in_its_title(client, letter_page, method, url, data):
    html = getattr(client, method)(url, data).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Error: "), title
    assert 'class="error-summary"' in html
    clean = client.get(url).content.decode()
    assert not clean.split("<title>")[1].startswith("Error")
