"""Bounces of campaign emails that arrive later, by email, after the SMTP server accepted them.

Refusals during sending are recorded by the worker (letters/reminders.py). A mailbox that gives
up later sends a bounce to the email's envelope sender, which (with `CAMPAIGN_BOUNCE_ADDRESS`)
is the email's own return path, `bounces+<id>-<hmac>@domain`. The mail server delivers those to
a Maildir (`CAMPAIGN_BOUNCE_MAILDIR`); `manage.py read_campaign_bounces` reads it:

- an RFC 3464 delivery status notification (multipart/report; report-type=delivery-status)
  whose recipient has `Action: failed` and a 5.x.x `Status` is a permanent failure: the email is
  marked failed with a short reason (addresses masked) and the visitor's address is deleted, its
  emails not yet sent cancelled, as a withdrawal does. `Action: failed` with a 4.x.x status (a
  server that gave up retrying) marks the email failed and keeps the address; `delayed`,
  `delivered`, `relayed` and `expanded` change nothing;
- a bounce in plain text (many servers send no DSN), or a DSN without a recipient's status to
  read, counts by the return path it was sent to and the text it gives:
  a 5.x.x status, or an SMTP 5xx reply the server reports, is a permanent failure; only 4.x.x
  or 4xx, a delay, changes nothing;
- a message read so is deleted (it holds the visitor's address); any other (not sent to a
  return path of ours, a forged or changed token, no status to read, junk) is left in the
  Maildir untouched, and counted, for a person to look at.

Reading again is harmless: what was read is gone, and recording a bounce twice changes nothing.
"""

import email
import email.policy
import logging
import mailbox
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from enum import Enum
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from letters.models import CampaignEmail
from letters.reminders import email_id_from_return_path, mask_addresses, withdraw

logger = logging.getLogger(__name__)

# Where a mail server writes the address a message was delivered to (the envelope recipient),
# most telling first; a bounce's To is the return path too.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To")
ENHANCED_STATUS = re.compile(r"(?<![\d.])([245])\.\d{1,3}\.\d{1,3}(?![\d.])")
# An SMTP reply as plain text bounces quote it: "host mx.example.org said: 550 No such user".
SMTP_REPLY = re.compile(r"(?<![\w.])([45])[0-5]\d(?:[ -]|$)")
SMTP_REPLY_CONTEXT = re.compile(
    r"said|smtp|rcpt|error|could not be delivered|undeliver|delivery failed", re.IGNORECASE
)
# A plain text bounce often quotes the message it returns: reading stops at its headers.
RETURNED_MESSAGE = re.compile(
    r"^(?:Received|Return-Path|Message-ID|DKIM-Signature):", re.IGNORECASE | re.MULTILINE
)
STATUS_PARTS = ("message/delivery-status", "message/global-delivery-status")
REASON_PREFIX = "Bounced later: "
MAX_TEXT = 100_000  # characters of a plain text bounce read


class Outcome(Enum):
    PERMANENT = "permanent"  # failed, the address deleted
    FAILED = "failed"  # failed, the address kept (the server gave up on a temporary cause)
    IGNORED = "ignored"  # delayed, or a report of success


@dataclass(frozen=True)
class Bounce:
    email_id: int
    outcome: Outcome
    reason: str = ""


@dataclass
class BounceCounts:
    permanent: int = 0
    failed: int = 0
    ignored: int = 0
    left: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


def read_bounce(message: Message) -> Bounce | None:
    """What a message in the bounce mailbox says about which campaign email, or None when it
    is not a bounce of one that can be read."""
    email_id = returned_email_id(message)
    if email_id is None:
        return None
    found = delivery_status(message)
    if found is None:
        found = plain_text_status(message)
    if found is None:
        return None
    outcome, reason = found
    return Bounce(email_id, outcome, short_reason(reason) if outcome is not Outcome.IGNORED else "")


def returned_email_id(message: Message) -> int | None:
    for header in RECIPIENT_HEADERS:
        values = [str(value) for value in message.get_all(header, [])]
        for _name, address in getaddresses(values):
            email_id = email_id_from_return_path(address)
            if email_id is not None:
                return email_id
    return None


def short_reason(text: str) -> str:
    return (REASON_PREFIX + mask_addresses(" ".join(text.split())))[:300]


# RFC 3464 delivery status notifications ---------------------------------------------------


def delivery_status(message: Message) -> tuple[Outcome, str] | None:
    """The outcome for the recipient of a DSN, or None when the message is not one."""
    report_type = message.get_param("report-type", "")
    if message.get_content_type() != "multipart/report" or not isinstance(report_type, str):
        return None
    if report_type.lower() != "delivery-status":
        return None
    part = next((p for p in message.walk() if p.get_content_type() in STATUS_PARTS), None)
    if part is None:
        return None
    outcomes = [recipient_outcome(fields) for fields in status_blocks(part)[1:]]
    outcomes = [outcome for outcome in outcomes if outcome is not None]
    for wanted in (Outcome.PERMANENT, Outcome.FAILED, Outcome.IGNORED):
        for outcome, reason in outcomes:
            if outcome is wanted:
                return outcome, reason
    return None


def status_blocks(part: Message) -> list[Message]:
    """The per-message fields, then one block of fields per recipient."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parses message/delivery-status so
        return [block for block in payload if isinstance(block, Message)]
    text = part.get_payload(decode=True) or b""
    blocks = re.split(r"\r?\n\s*\r?\n", text.decode("utf-8", "replace").strip())
    return [HeaderParser().parsestr(block) for block in blocks if block.strip()]


def recipient_outcome(fields: Message) -> tuple[Outcome, str] | None:
    action = str(fields.get("Action", "")).strip().lower()
    status = ENHANCED_STATUS.search(str(fields.get("Status", "")))
    diagnostic = str(fields.get("Diagnostic-Code", "")).partition(";")[2].strip()
    if action in ("delayed", "delivered", "relayed", "expanded"):
        return Outcome.IGNORED, ""
    if action != "failed":
        return None
    reason = diagnostic or (status.group(0) if status else "failed, no status given")
    if status is not None and status.group(0) not in reason:
        reason = f"{status.group(0)} {reason}"
    if status is not None and status.group(1) == "5":
        return Outcome.PERMANENT, reason
    return Outcome.FAILED, reason


# Bounces in plain text ---------------------------------------------------------------------


def plain_text_status(message: Message) -> tuple[Outcome, str] | None:
    """A 5.x.x status or a quoted 5xx reply: permanent; only 4.x.x or 4xx: a delay; else None.
    Reply codes count only in a text that speaks of SMTP or errors (not a number in an
    autoreply), and nothing after the headers of a returned message does."""
    text = RETURNED_MESSAGE.split(bounce_text(message), maxsplit=1)[0]
    patterns = [ENHANCED_STATUS]
    if SMTP_REPLY_CONTEXT.search(text):
        patterns.append(SMTP_REPLY)
    lines = text.splitlines()
    for code_class, outcome in (("5", Outcome.PERMANENT), ("4", Outcome.IGNORED)):
        for line in lines:
            codes = {match.group(1) for pattern in patterns for match in pattern.finditer(line)}
            if code_class in codes:
                return outcome, line.strip()
    return None


def bounce_text(message: Message) -> str:
    """The text parts of a message, not those of a message it returns or forwards."""
    if message.get_content_maintype() == "message":
        return ""
    if message.is_multipart():
        return "\n".join(bounce_text(part) for part in message.get_payload() or [])
    if message.get_content_maintype() != "text":
        return ""
    data = message.get_payload(decode=True) or b""
    charset = message.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, "replace")[:MAX_TEXT]
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", "replace")[:MAX_TEXT]


# Recording ---------------------------------------------------------------------------------


def record_bounce(bounce: Bounce) -> None:
    if bounce.outcome is Outcome.IGNORED:
        return
    with transaction.atomic():
        email = CampaignEmail.objects.select_related("signup").filter(pk=bounce.email_id).first()
        if email is None:
            return  # its letter was deleted
        CampaignEmail.objects.filter(pk=email.pk, status=CampaignEmail.Status.SENT).update(
            status=CampaignEmail.Status.FAILED, reason=bounce.reason, updated_at=timezone.now()
        )
        if bounce.outcome is Outcome.PERMANENT and email.signup is not None:
            withdraw(email.signup)
    logger.info("Campaign email %s bounced: %s", bounce.email_id, bounce.reason)


def read_maildir(path: str | Path) -> BounceCounts:
    """Read every message of the Maildir at `path`, record the bounces, delete what was read.
    Raises mailbox.NoSuchMailboxError or OSError when there is no Maildir there."""
    maildir = mailbox.Maildir(path, factory=None, create=False)
    counts = BounceCounts()
    for key in list(maildir.iterkeys()):  # a list: what was read is deleted on the way
        try:
            data = maildir.get_bytes(key)
        except (KeyError, OSError):  # gone meanwhile: another run read it
            continue
        try:
            bounce = read_bounce(email.message_from_bytes(data, policy=email.policy.compat32))
        except Exception as error:  # noqa: BLE001 - junk mail must never stop the reading
            logger.warning("Bounce mailbox: message %s could not be read (%r)", key, error)
            bounce = None
        if bounce is None:
            counts.left += 1
            continue
        record_bounce(bounce)
        counts.add(bounce.outcome)
        maildir.discard(key)
    return counts
