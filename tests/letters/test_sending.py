"""letters/sending.py and "How to send your letter" on every letter page: post, email (a
mailto: link with the letter prefilled, only where the MP has a real address) and copy."""

import html
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from letters.models import Constituency
from letters.sending import mailto_url

pytestmark = pytest.mark.django_db

LETTER_URL = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
ITCHEN = LETTER_URL + "southampton-itchen/"


def mailto_links(response) -> list[str]:
    """The mailto: links of the "How to send" section (the footer has the network's own)."""
    section = response.content.decode().split('class="how-to-send"')[1].split("</section>")[0]
    return [html.unescape(href) for href in re.findall(r'href="(mailto:[^"]*)"', section)]


def decoded(link: str) -> tuple[str, str, str]:
    """(address, subject, body) as a mail program reads them (RFC 6068)."""
    parts = urlsplit(link)
    assert parts.scheme == "mailto"
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def test_letter_page_has_a_mailto_with_subject_and_the_letters_text(client, open_invitation):
    response = client.get(ITCHEN)
    [link] = mailto_links(response)
    address, subject, body = decoded(link)

    assert address == "darren.paffey.mp@parliament.uk"
    assert subject == (
        "Sanctuary in Parliament 2018: a letter from a constituent in Southampton Itchen"
    )
    # The body is the letter's plain text, word for word, with its line breaks as CRLF.
    text = client.get(ITCHEN + "txt/").content.decode()
    assert body == text.replace("\n", "\r\n")
    assert "Dear Darren Paffey\r\n\r\n" in body
    # Nothing in the link is left unencoded: no raw spaces, line breaks, "&" or "#" in values.
    query = link.split("?", 1)[1]
    assert not re.search(r"[\s#]", query)
    assert query.count("&") == 1 and "%0D%0A" in query


def test_personalised_letter_emails_the_visitors_name_and_address(client, open_invitation):
    response = client.post(
        ITCHEN, {"name": "Ann Example & Co", "address": "1 High Street\nSouthampton SO14 7LY"}
    )
    [link] = mailto_links(response)
    _, _, body = decoded(link)
    assert "Ann Example & Co\r\n\r\n1 High Street\r\nSouthampton SO14 7LY" in body


@pytest.mark.parametrize("stored", ["", "No email found", "not an address"])
def test_no_mailto_when_the_mp_has_no_address(client, open_invitation, stored):
    # update(): the importer's check is skipped, as a bulk write would skip it.
    Constituency.objects.filter(slug="southampton-itchen").update(current_mp_email=stored)
    response = client.get(ITCHEN)
    page = response.content.decode()

    assert mailto_links(response) == []
    assert "We do not have a parliamentary email address for this MP (Darren Paffey)" in page
    assert 'href="https://members.parliament.uk/member/5270/contact"' in page


def test_no_mailto_for_a_vacant_seat(client, open_invitation):
    Constituency.objects.filter(slug="southampton-itchen").update(
        current_mp_name="", current_mp_full_title="", current_mp_member_id=None
    )
    response = client.get(ITCHEN)
    assert mailto_links(response) == []
    assert "We do not have a parliamentary email address for this seat" in (
        response.content.decode()
    )


def test_letter_page_says_how_to_post_it_and_that_the_site_sends_nothing(client, open_invitation):
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(ITCHEN).content.decode()).split())

    assert "How to send your letter" in page
    assert "MPs answer their own constituents" in page
    assert "put your home address on it" in page
    assert "This site does not send anything for you" in page
    assert "Write on the envelope: Darren Paffey MP, House of Commons, London SW1A 0AA" in page
    assert "download it as plain text (.txt)" in page


def test_copy_button_is_an_enhancement_with_the_letters_text(client, open_invitation):
    response = client.get(ITCHEN)
    page = response.content.decode()
    # Hidden until the script finds a clipboard; the text it copies is the plain-text letter.
    assert re.search(r"<button [^>]*data-copy-letter=\"letter-text\" hidden>", page)
    data = re.search(r'<script id="letter-text" type="application/json">(.*?)</script>', page)
    assert json.loads(data[1]) == client.get(ITCHEN + "txt/").content.decode()


def test_mailto_url_encodes_every_reserved_character_and_keeps_line_breaks():
    body = "Dear Ms O'Brien,\n\nA & B? 100% #1 + café •\r\nend"
    link = mailto_url("mp@parliament.uk", "Subject: a & b", body)
    assert link.startswith("mailto:mp@parliament.uk?subject=Subject%3A%20a%20%26%20b&body=")
    address, subject, decoded_body = decoded(link)
    assert (address, subject) == ("mp@parliament.uk", "Subject: a & b")
    assert decoded_body == "Dear Ms O'Brien,\r\n\r\nA & B? 100% #1 + café •\r\nend"
