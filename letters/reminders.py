"""Email with consent: one reminder and, later, one question about a campaign.

On the "I've sent it" page a visitor may leave an email address, ticking an unticked box to
say we may write. We keep only the address, the letter, the constituency and when
(`EmailSignup`); the delivery records (`CampaignEmail`) hold no address. The background
worker (django-tasks, database backend) sends both emails through Django's email backend:
the reminder at once, the question "Did your MP reply? Will they attend?" after
`CAMPAIGN_QUESTION_DELAY_DAYS` (before the campaign closes). A temporary failure (SMTP 4xx,
a server that cannot be reached) is tried again later (`CAMPAIGN_EMAIL_RETRY_DELAYS`); a
permanent one (5xx) is recorded with its reason, any address in it masked.

Every email carries signed links (django.core.signing, expiring after
`CAMPAIGN_EMAIL_LINK_MAX_AGE_DAYS`): the four answers and "withdraw". Opening one shows a page
with a button; only that button's POST changes anything, so a mail scanner that fetches
links changes nothing. The withdraw link also answers RFC 8058 one-click unsubscribe POSTs.
Withdrawing deletes the address at once; a campaign closing deletes all of its addresses
(`forget_closed_campaigns`, run by `manage.py forget_closed_campaign_addresses` and before
each email is sent).

With `CAMPAIGN_BOUNCE_ADDRESS` set, each email's envelope sender (where bounces go) is that
address with a token for the email in its local part (VERP: `bounces+<id>-<hmac>@domain`);
the visible From stays `DEFAULT_FROM_EMAIL`. `manage.py read_campaign_bounces`
(letters/bounces.py) reads the bounces that arrive later from the mailbox they are delivered to.
"""

import datetime
import logging
import re
import smtplib
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from letters.assembly import MP_NAME_FALLBACK, WELSH
from letters.letter_languages import versions_of
from letters.models import (
    CampaignEmail,
    Constituency,
    EmailSignup,
    LetterPage,
    VisitorAnswer,
)

logger = logging.getLogger(__name__)

SIGNING_SALT = "letters.reminders.link"
WITHDRAW = "withdraw"
ACTIONS = (WITHDRAW, *VisitorAnswer.Answer.values)
# The question is sent at least this long before the campaign closes, or not at all.
QUESTION_BEFORE_CLOSE = datetime.timedelta(days=1)
RETURN_PATH_SALT = "letters.reminders.return-path"
RETURN_PATH_TOKEN = re.compile(r"([1-9][0-9]{0,18})-([0-9a-f]{16})")
ADDRESS_PATTERN = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+")


class EmailSignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address, or leave this form: it is optional."),
            "invalid": _("Enter an email address in the form name@example.org."),
            "max_length": _("An email address has at most 254 characters."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label=_("Yes, email me one reminder now and one question later about this campaign"),
        error_messages={"required": _("Tick the box to say we may email you, or leave this form.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:  # the hint and error ids of templates/includes/form_field.html
            auto_id = self[name].auto_id
            self.fields[name].widget.attrs["aria-describedby"] = f"{auto_id}-error email-privacy"

    @property
    def question_days(self) -> int:
        return settings.CAMPAIGN_QUESTION_DELAY_DAYS


def question_delay() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CAMPAIGN_QUESTION_DELAY_DAYS)


def link_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CAMPAIGN_EMAIL_LINK_MAX_AGE_DAYS)


def sign_up(
    letter: LetterPage, constituency: Constituency, address: str, language: str = "en-gb"
) -> None:
    """Keep the address and queue its two emails, written in `language` (the page's), unless
    it already signed up for this campaign (the visitor sees the same answer either way, which
    tells no one who did)."""
    if EmailSignup.objects.filter(letter=letter, email__iexact=address).exists():
        return
    now = timezone.now()
    question_at = now + question_delay()
    closes = letter.campaign_closes
    if closes is not None:
        question_at = min(question_at, closes - QUESTION_BEFORE_CLOSE)
    with transaction.atomic():
        signup = EmailSignup.objects.create(
            letter=letter, constituency=constituency, email=address, language=language
        )
        queue_email(signup, CampaignEmail.Kind.REMINDER, now)
        if question_at > now:
            queue_email(signup, CampaignEmail.Kind.QUESTION, question_at)
        if closes is not None:
            forget_at_close.using(run_after=closes).enqueue(letter.pk)


def queue_email(signup: EmailSignup, kind: str, send_after: datetime.datetime) -> None:
    email = CampaignEmail.objects.create(
        letter_id=signup.letter_id,
        constituency_id=signup.constituency_id,
        signup=signup,
        kind=kind,
        send_after=send_after,
    )
    # In the sign-up's transaction: the worker never sees the task without its row.
    send_campaign_email.using(run_after=send_after).enqueue(email.pk)


def forget_closed_campaigns() -> int:
    """Delete every address given for a campaign that has closed; their emails not yet sent
    are cancelled. The number of addresses deleted."""
    closed = LetterPage.objects.closed_campaigns().values("pk")
    CampaignEmail.objects.filter(
        letter__in=closed, status__in=[CampaignEmail.Status.WAITING, CampaignEmail.Status.RETRYING]
    ).update(status=CampaignEmail.Status.CANCELLED, updated_at=timezone.now())
    _, deleted = EmailSignup.objects.filter(letter__in=closed).delete()
    return deleted.get("letters.EmailSignup", 0)


@task(backend="background")
def forget_at_close(letter_id: int) -> None:
    """Queued with each sign-up for its campaign's close, so the addresses go then by
    themselves (the hourly command is a backstop, not the mechanism). If staff moved the close
    later, the addresses left are forgotten at the new close instead."""
    forget_closed_campaigns()
    letter = LetterPage.objects.filter(pk=letter_id).first()
    if letter is None or not EmailSignup.objects.filter(letter_id=letter_id).exists():
        return
    if (closes := letter.campaign_closes) is not None:
        forget_at_close.using(run_after=closes).enqueue(letter_id)


def withdraw(signup: EmailSignup) -> None:
    """Delete the address at once; its emails not yet sent are cancelled."""
    with transaction.atomic():
        signup.emails.filter(
            status__in=[CampaignEmail.Status.WAITING, CampaignEmail.Status.RETRYING]
        ).update(status=CampaignEmail.Status.CANCELLED, updated_at=timezone.now())
        signup.delete()


def record_answer(signup: EmailSignup, answer: str) -> None:
    """The visitor's answer, one per sign-up (answering again changes it)."""
    VisitorAnswer.objects.update_or_create(
        signup=signup,
        defaults={
            "letter_id": signup.letter_id,
            "constituency_id": signup.constituency_id,
            "answer": answer,
        },
    )


# Signed links ------------------------------------------------------------------------


def link_token(signup: EmailSignup, action: str) -> str:
    return signing.dumps({"signup": signup.pk, "action": action}, salt=SIGNING_SALT)


class LinkProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class EmailLink:
    signup: EmailSignup
    action: str


def read_link(token: str) -> EmailLink:
    """The sign-up and action a link names, or a LinkProblem saying why it cannot be used."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise LinkProblem(
            410, gettext("This link has expired. Links in our emails work for a limited time.")
        ) from None
    except signing.BadSignature:
        raise LinkProblem(
            400,
            gettext("This link is not one we sent, or it was changed or cut short on the way."),
        ) from None
    action = data.get("action") if isinstance(data, dict) else None
    if action not in ACTIONS or not isinstance(data.get("signup"), int):
        raise LinkProblem(400, gettext("This link is not one we sent."))
    signup = (
        EmailSignup.objects.select_related("letter", "constituency")
        .filter(pk=data["signup"])
        .first()
    )
    if signup is None:
        raise LinkProblem(
            410,
            gettext(
                "This link no longer works: the email address it was sent to has been deleted, "
                "because it was withdrawn or because the campaign has closed."
            ),
        )
    return EmailLink(signup=signup, action=action)


def link_url(signup: EmailSignup, action: str, root_url: str) -> str:
    """The link's address in the active language (/cy/campaign-email/... in Welsh)."""
    return root_url + reverse("campaign_email_link", args=[link_token(signup, action)])


# Return paths (VERP) --------------------------------------------------------------------


def return_path_mac(email_id: int, secret: str) -> str:
    # Lower-case hex: some mail systems change the case of an address's local part.
    mac = salted_hmac(RETURN_PATH_SALT, str(email_id), secret=secret, algorithm="sha256")
    return mac.hexdigest()[:16]


def return_path(email: CampaignEmail) -> str | None:
    """The envelope sender that brings this email's bounces back to it, or None without
    `CAMPAIGN_BOUNCE_ADDRESS`. The token is the email's id and an HMAC of it (64 bits, keyed
    by SECRET_KEY): no one who has not received the email can name it in a forged bounce."""
    bounce_address = settings.CAMPAIGN_BOUNCE_ADDRESS
    if not bounce_address:
        return None
    local, _at, domain = bounce_address.rpartition("@")
    return f"{local}+{email.pk}-{return_path_mac(email.pk, settings.SECRET_KEY)}@{domain}"


def email_id_from_return_path(address: str) -> int | None:
    """The id of the campaign email whose return path this address is, or None when it is
    not one (another address, a tampered or forged token). Tokens made with a key of
    SECRET_KEY_FALLBACKS still count, so rotating the key does not lose the bounces on the way."""
    bounce_local = settings.CAMPAIGN_BOUNCE_ADDRESS.rpartition("@")[0].lower()
    local = address.strip().strip("<>").rpartition("@")[0].lower()
    prefix, plus, token = local.partition("+")
    match = RETURN_PATH_TOKEN.fullmatch(token)
    if not plus or prefix != bounce_local or match is None:
        return None
    email_id = int(match.group(1))
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        if constant_time_compare(match.group(2), return_path_mac(email_id, secret)):
            return email_id
    return None


# Sending -------------------------------------------------------------------------------


def mask_addresses(text: str) -> str:
    return ADDRESS_PATTERN.sub("[address]", text)


def failure_reason(error: Exception) -> tuple[bool, str]:
    """(temporary?, reason without any address) for an error raised while sending."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(error.recipients.values()), (0, b""))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, message = error.smtp_code, error.smtp_error
    elif isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return True, mask_addresses(f"{type(error).__name__}: {error}")[:300]
    else:
        return False, mask_addresses(f"{type(error).__name__}: {error}")[:300]
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return 400 <= code < 500, mask_addresses(f"{code} {message}")[:300]


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after this many failed attempts; None: give up."""
    delays = settings.CAMPAIGN_EMAIL_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return datetime.timedelta(seconds=delays[attempts - 1])


@task(backend="background")
def send_campaign_email(email_id: int) -> None:
    forget_closed_campaigns()
    email = (
        CampaignEmail.objects.select_related("letter", "letter__event", "constituency", "signup")
        .filter(pk=email_id)
        .first()
    )
    if email is None or email.status not in (
        CampaignEmail.Status.WAITING,
        CampaignEmail.Status.RETRYING,
    ):
        return  # sent already, cancelled, or its letter deleted
    rows = CampaignEmail.objects.filter(pk=email_id)
    if email.signup is None:
        rows.update(status=CampaignEmail.Status.CANCELLED, updated_at=timezone.now())
        return
    try:
        campaign_message(email).send()
    except Exception as error:
        temporary, reason = failure_reason(error)
        attempts = email.attempts + 1
        delay = retry_delay(attempts) if temporary else None
        if delay is None:
            rows.update(
                status=CampaignEmail.Status.FAILED,
                attempts=attempts,
                reason=reason,
                updated_at=timezone.now(),
            )
            logger.warning("Campaign email %s failed: %s", email_id, reason)
            return
        send_after = timezone.now() + delay
        rows.update(
            status=CampaignEmail.Status.RETRYING,
            attempts=attempts,
            reason=reason,
            send_after=send_after,
            updated_at=timezone.now(),
        )
        send_campaign_email.using(run_after=send_after).enqueue(email_id)
        logger.info("Campaign email %s will be tried again at %s: %s", email_id, send_after, reason)
        return
    rows.update(
        status=CampaignEmail.Status.SENT,
        attempts=email.attempts + 1,
        sent_at=timezone.now(),
        updated_at=timezone.now(),
    )


def campaign_message(email: CampaignEmail) -> EmailMessage:
    """The email in the language the visitor signed up in, its links to that language's pages."""
    with translation.override(email.signup.language):
        return message_in_active_language(email)


def message_in_active_language(email: CampaignEmail) -> EmailMessage:
    signup, constituency = email.signup, email.constituency
    letter = shown_letter(email.letter, signup.language)
    # The same address as the letter's own link: the Site record's in the worker.
    _site_id, root_url, _path = letter.get_url_parts()
    withdraw_url = link_url(signup, WITHDRAW, root_url)
    mp_name = constituency.current_mp_name or MP_NAME_FALLBACK
    context = {
        "letter": letter,
        "event": letter.event,
        "constituency": constituency,
        "mp_name": mp_name,
        "letter_url": letter.get_full_url()
        + letter.reverse_subpage("preview", args=[constituency.slug]),
        "closes": email.letter.campaign_closes,
        "question_days": settings.CAMPAIGN_QUESTION_DELAY_DAYS,
        "answers": [
            (label, link_url(signup, value, root_url))
            for value, label in VisitorAnswer.Answer.choices
        ],
        "withdraw_url": withdraw_url,
    }
    template = f"letters/email/{email.kind}"
    headers = {
        "List-Unsubscribe": f"<{withdraw_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    envelope_sender = return_path(email)
    if envelope_sender is not None:
        # Django's SMTP backend gives the server `from_email` as the envelope sender (MAIL
        # FROM), and writes a "From" of `headers` as the visible From instead of it.
        headers["From"] = settings.DEFAULT_FROM_EMAIL
    return EmailMessage(
        subject=" ".join(render_to_string(f"{template}_subject.txt", context).split()),
        body=render_to_string(f"{template}.txt", context),
        from_email=envelope_sender,
        to=[signup.email],
        headers=headers,
    )


def shown_letter(campaign_letter: LetterPage, language: str) -> LetterPage:
    """The campaign's letter in the visitor's language where it has a live Welsh version (its
    page, title and event are then the Welsh ones); else the campaign's own."""
    if language.split("-")[0] == WELSH:
        welsh = versions_of(campaign_letter).welsh
        if welsh is not None:
            return LetterPage.objects.select_related("event").get(pk=welsh.pk)
    return campaign_letter
