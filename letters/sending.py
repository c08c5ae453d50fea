"""How a visitor sends their letter: by post to the House of Commons, or by email from their
own address to the MP's parliamentary one. The site itself sends nothing."""

from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from letters.assembly import HOUSE_OF_COMMONS
from letters.models import Constituency, LetterPage
from letters.renderers import Letters, each_letter, render_letter_text


def parliamentary_email(constituency: Constituency) -> str:
    """The MP's email address, or "" when there is no MP or no real address.

    The importer already leaves the data's "No email found" out, but bulk writes skip field
    validation, so the value is checked here too before it becomes a link.
    """
    if constituency.is_vacant:
        return ""
    address = constituency.current_mp_email.strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def mailto_url(address: str, subject: str, body: str) -> str:
    """A mailto: link (RFC 6068): every reserved character percent-encoded and line breaks
    written as CRLF (%0D%0A), so mail programs keep the letter's paragraphs."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return (
        f"mailto:{quote(address, safe='@')}"
        f"?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    )


def email_subject(letter_page: LetterPage, constituency: Constituency) -> str:
    topic = letter_page.event.title if letter_page.event is not None else letter_page.title
    return f"{topic}: a letter from a constituent in {constituency.name}"


@dataclass(frozen=True)
class HowToSend:
    """What the letter page says under "How to send your letter"."""

    envelope: str  # the line for the envelope
    email_address: str  # "" when no address is known
    email_url: str
    text: str  # the letter as plain text, for the copy button
    parliament_url: str  # the MP's contact page on Parliament's website, when known

    @property
    def house_of_commons(self) -> str:
        return ", ".join(HOUSE_OF_COMMONS)


def how_to_send(letter_page: LetterPage, constituency: Constituency, letter: Letters) -> HowToSend:
    """`letter` may be the letter in two languages: the email carries both, and the
    envelope the (English) address Royal Mail reads."""
    address = parliamentary_email(constituency)
    text = render_letter_text(letter)
    email_url = (
        mailto_url(address, email_subject(letter_page, constituency), text) if address else ""
    )
    member_id = None if constituency.is_vacant else constituency.current_mp_member_id
    return HowToSend(
        envelope=", ".join((each_letter(letter)[-1].recipient_lines[0], *HOUSE_OF_COMMONS)),
        email_address=address,
        email_url=email_url,
        text=text,
        parliament_url=f"https://members.parliament.uk/member/{member_id}/contact"
        if member_id
        else "",
    )
