"""letters/bounces.py and `read_campaign_bounces`: campaign emails sent by the real worker to
the real SMTP server of conftest.py carry their own return path; bounces built here with the
`email` package, as Postfix and Exim write them, are sent with smtplib to a second real SMTP
server (aiosmtpd's Maildir handler) that delivers them into a Maildir, which the command reads."""

import asyncio
import io
import mailbox
import re
import smtplib
from collections.abc import Callable, Iterator
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox as MaildirHandler
from django.core.management import CommandError, call_command
from django.test import Client

from letters import reminders
from letters.models import CampaignEmail, Constituency, EmailSignup
from tests.groups.factories import national_staff_user
from tests.letters.conftest import free_port

pytestmark = pytest.mark.django_db

ADDRESS = "visitor-7@example.org"
BOUNCE_ADDRESS = "bounces@sanctuary.example.org"
RETURN_PATH = re.compile(r"bounces\+(\d+)-[0-9a-f]{16}@sanctuary\.example\.org")
MTA = "mx.example.net"


@pytest.fixture
def maildir(settings, tmp_path) -> Path:
    settings.CAMPAIGN_BOUNCE_ADDRESS = BOUNCE_ADDRESS
    settings.CAMPAIGN_BOUNCE_MAILDIR = str(tmp_path / "bounces")
    return tmp_path / "bounces"


@pytest.fixture
def deliver(maildir) -> Iterator[Callable[[Message, str], None]]:
    """Send a message to the bounce mailbox through a real SMTP server that writes what it
    receives into the Maildir, as the site's mail server would: from the null sender, which
    bounces come from (RFC 5321 4.5.5), to `recipient`."""
    controller = Controller(
        MaildirHandler(maildir),
        hostname="127.0.0.1",
        port=free_port(),
        loop=asyncio.new_event_loop(),
    )
    controller.start()

    def send(message: Message | bytes, recipient: str) -> None:
        if isinstance(message, Message):
            message = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
        with smtplib.SMTP(controller.hostname, controller.port, timeout=5) as smtp:
            smtp.sendmail("", [recipient], message)

    try:
        yield send
    finally:
        controller.stop()


@pytest.fixture
def reminder(open_campaign, smtp_server, worker, maildir) -> CampaignEmail:
    """A visitor signed up; the worker sent their reminder (their question waits)."""
    seat = Constituency.objects.get(slug="southampton-itchen")
    reminders.sign_up(open_campaign, seat, ADDRESS)
    worker()
    sent = CampaignEmail.objects.get(kind="reminder")
    assert sent.status == "sent"
    return sent


def return_path_of(smtp_server) -> str:
    [sender] = smtp_server.envelope_senders
    return sender


def bounce_headers(message: Message, return_path: str, subject: str) -> None:
    message["From"] = f"MAILER-DAEMON@{MTA} (Mail Delivery System)"
    message["Subject"] = subject
    message["To"] = return_path
    message["Auto-Submitted"] = "auto-replied"
    message["Date"] = formatdate(localtime=True)
    message["Message-Id"] = make_msgid(domain=MTA)


def postfix_dsn(
    return_path: str,
    action: str = "failed",
    status: str = "5.1.1",
    diagnostic: str = (
        f"smtp; 550 5.1.1 <{ADDRESS}>: Recipient address rejected: User unknown in virtual "
        "mailbox table"
    ),
) -> Message:
    """An RFC 3464 report as Postfix writes it: the notice, the delivery status, the returned
    message's headers."""
    report = MIMEMultipart("report", report_type="delivery-status")
    bounce_headers(report, return_path, "Undelivered Mail Returned to Sender")
    report.attach(
        MIMEText(
            f"This is the mail system at host {MTA}.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            f"<{ADDRESS}>: host mail.example.org[192.0.2.25] said: "
            f"{diagnostic.partition('; ')[2]} (in reply to RCPT TO command)\n"
        )
    )
    per_message = Message()
    per_message["Reporting-MTA"] = f"dns; {MTA}"
    per_message["X-Postfix-Queue-ID"] = "4XyZ1234ABC"
    per_message["X-Postfix-Sender"] = f"rfc822; {return_path}"
    per_message["Arrival-Date"] = formatdate(localtime=True)
    recipient = Message()
    recipient["Final-Recipient"] = f"rfc822; {ADDRESS}"
    recipient["Original-Recipient"] = f"rfc822;{ADDRESS}"
    recipient["Action"] = action
    recipient["Status"] = status
    recipient["Remote-MTA"] = "dns; mail.example.org"
    recipient["Diagnostic-Code"] = diagnostic
    status_part = MIMEBase("message", "delivery-status")
    status_part.set_payload([per_message, recipient])
    report.attach(status_part)
    report.attach(
        MIMEText(
            f"Return-Path: <{return_path}>\nFrom: City of Sanctuary <noreply@localhost>\n"
            f"To: {ADDRESS}\nSubject: Your invitation to Darren Paffey\n",
            "rfc822-headers",
        )
    )
    return report


def exim_plain_bounce(return_path: str) -> Message:
    """A bounce in plain text, no DSN, as Exim writes it, with a copy of the message."""
    message = MIMEText(
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        f"  {ADDRESS}\n"
        "    host mail.example.org [192.0.2.25]\n"
        f"    SMTP error from remote mail server after RCPT TO:<{ADDRESS}>:\n"
        "    550 No such user here\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        f"Return-path: <{return_path}>\n"
        "Received: from site.example.org ([192.0.2.7]) by mx.example.net with esmtp (Exim 4.96)\n"
        "Subject: Your invitation to Darren Paffey\n\n"
        "Thank you for inviting Darren Paffey, on 12 November 2018 at 4.30.15 pm.\n"
    )
    bounce_headers(message, return_path, "Mail delivery failed: returning message to sender")
    return message


def read_bounces() -> str:
    out = io.StringIO()
    call_command("read_campaign_bounces", stdout=out)
    return out.getvalue().strip()


def counts(permanent=0, failed=0, ignored=0, left=0) -> str:
    return (
        f"Permanent failures: {permanent} (their addresses deleted). Other failures: {failed}. "
        f"Delays and other reports: {ignored}. "
        f"Left in the mailbox, not a bounce of a campaign email: {left}."
    )


def messages_in(maildir: Path) -> int:
    return len(mailbox.Maildir(maildir, create=False))


def test_each_email_carries_its_own_return_path_and_the_visible_from_is_unchanged(
    reminder, smtp_server, settings
):
    return_path = return_path_of(smtp_server)
    assert RETURN_PATH.fullmatch(return_path)
    assert int(RETURN_PATH.fullmatch(return_path).group(1)) == reminder.pk
    assert "bounces+" not in smtp_server.messages[0].as_string()  # in the envelope only
    [message] = smtp_server.messages
    assert message["From"] == settings.DEFAULT_FROM_EMAIL == "City of Sanctuary <noreply@localhost>"
    assert message["To"] == ADDRESS


def test_without_a_bounce_address_the_envelope_sender_is_the_from_address(
    open_campaign, smtp_server, worker, settings
):
    settings.CAMPAIGN_BOUNCE_ADDRESS = ""
    reminders.sign_up(open_campaign, Constituency.objects.get(slug="southampton-itchen"), ADDRESS)
    worker()
    assert smtp_server.envelope_senders == ["noreply@localhost"]
    assert smtp_server.messages[0]["From"] == "City of Sanctuary <noreply@localhost>"
    with pytest.raises(CommandError, match="CAMPAIGN_BOUNCE_ADDRESS is not set"):
        read_bounces()


def test_a_permanent_failure_reported_later_fails_the_email_deletes_the_address_and_shows_to_staff(
    reminder, smtp_server, deliver, maildir, client
):
    deliver(postfix_dsn(return_path_of(smtp_server)), return_path_of(smtp_server))
    assert messages_in(maildir) == 1

    assert read_bounces() == counts(permanent=1)
    reminder.refresh_from_db()
    assert reminder.status == "failed"
    assert reminder.reason == (
        "Bounced later: 550 5.1.1 <[address]>: Recipient address rejected: User unknown in "
        "virtual mailbox table"
    )
    assert not EmailSignup.objects.exists()
    assert CampaignEmail.objects.get(kind="question").status == "cancelled"
    assert messages_in(maildir) == 0  # read, and with it the address it held, deleted

    staff = Client()
    staff.force_login(national_staff_user())
    html = staff.get("/admin/reports/campaign-emails/").content.decode()
    assert "Bounced later: 550 5.1.1 &lt;[address]&gt;: Recipient address rejected" in html
    assert ADDRESS not in html and "visitor-7" not in html


@pytest.mark.parametrize(
    ("action", "status", "diagnostic"),
    [
        ("delayed", "4.4.1", "X-Postfix; connect to mail.example.org[192.0.2.25]:25: timed out"),
        ("delivered", "2.0.0", "smtp; 250 2.0.0 Ok: queued as 9A1B2C"),
    ],
)
def test_a_delay_or_a_delivery_report_changes_nothing(
    reminder, smtp_server, deliver, maildir, action, status, diagnostic
):
    return_path = return_path_of(smtp_server)
    deliver(postfix_dsn(return_path, action, status, diagnostic), return_path)
    assert read_bounces() == counts(ignored=1)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.reason) == ("sent", "")
    assert EmailSignup.objects.count() == 1
    assert CampaignEmail.objects.get(kind="question").status == "waiting"
    assert messages_in(maildir) == 0


def test_a_server_that_gave_up_on_a_temporary_failure_fails_the_email_and_keeps_the_address(
    reminder, smtp_server, deliver
):
    dsn = postfix_dsn(
        return_path_of(smtp_server),
        "failed",
        "4.4.7",
        "X-Postfix; delivery temporarily suspended: connect to mail.example.org: timed out",
    )
    deliver(dsn, return_path_of(smtp_server))
    assert read_bounces() == counts(failed=1)
    reminder.refresh_from_db()
    assert reminder.status == "failed"
    assert reminder.reason.startswith("Bounced later: 4.4.7 delivery temporarily suspended")
    assert EmailSignup.objects.count() == 1
    assert CampaignEmail.objects.get(kind="question").status == "waiting"


def test_a_forged_or_tampered_return_path_changes_nothing(reminder, smtp_server, deliver, maildir):
    real = return_path_of(smtp_server)
    local, domain = real.split("@")
    email_id, mac = local.removeprefix("bounces+").split("-")
    tampered = f"bounces+{email_id}-{mac[:-1]}{'0' if mac[-1] != '0' else '1'}@{domain}"
    other_email = f"bounces+{int(email_id) + 1}-{mac}@{domain}"  # the question, with this mac
    no_mac = f"bounces+{email_id}@{domain}"
    for address in (tampered, other_email, no_mac):
        deliver(postfix_dsn(address), address)

    assert read_bounces() == counts(left=3)
    assert set(CampaignEmail.objects.values_list("kind", "status")) == {
        ("reminder", "sent"),
        ("question", "waiting"),
    }
    assert EmailSignup.objects.count() == 1
    assert messages_in(maildir) == 3  # left for a person to look at


def test_a_plain_text_bounce_to_the_return_path_is_read(reminder, smtp_server, deliver):
    deliver(exim_plain_bounce(return_path_of(smtp_server)), return_path_of(smtp_server))
    assert read_bounces() == counts(permanent=1)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.reason) == ("failed", "Bounced later: 550 No such user here")
    assert not EmailSignup.objects.exists()


def test_junk_is_left_in_the_mailbox_and_counted_and_nothing_changes(
    reminder, smtp_server, deliver, maildir
):
    spam = MIMEText("Cheap watches! Reply now.")
    spam["From"], spam["To"], spam["Subject"] = "offers@spam.example", BOUNCE_ADDRESS, "Offer"
    deliver(spam, BOUNCE_ADDRESS)
    autoreply = MIMEText("I am out of the office until 3 December and will answer then.")
    bounce_headers(autoreply, return_path_of(smtp_server), "Out of office")
    deliver(autoreply, return_path_of(smtp_server))
    deliver(
        b"\x00\xff garbage\r\nContent-Type: multipart/report; report-type=delivery-status\r\n"
        b"To: " + return_path_of(smtp_server).encode() + b"\r\n\r\n--\xfe no boundary\r\n",
        return_path_of(smtp_server),
    )
    broken_report = postfix_dsn(return_path_of(smtp_server))
    broken_report.get_payload()[0].set_payload("Something happened to your message.\n")
    broken_report.get_payload()[1].set_payload([Message()])  # no recipient's fields
    deliver(broken_report, return_path_of(smtp_server))
    (maildir / "new" / "1.junk.host").write_bytes(b"\xff\xfe\x00" * 1000)  # not even SMTP

    assert read_bounces() == counts(left=5)
    assert messages_in(maildir) == 5
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    assert EmailSignup.objects.count() == 1


def test_reading_twice_or_a_bounce_twice_changes_nothing_more(
    reminder, smtp_server, deliver, maildir
):
    deliver(postfix_dsn(return_path_of(smtp_server)), return_path_of(smtp_server))
    assert read_bounces() == counts(permanent=1)
    reminder.refresh_from_db()
    state = (reminder.status, reminder.reason, reminder.updated_at)
    assert read_bounces() == counts()

    deliver(exim_plain_bounce(return_path_of(smtp_server)), return_path_of(smtp_server))
    assert read_bounces() == counts(permanent=1)  # the same email bounced again: read, deleted
    reminder.refresh_from_db()
    assert (reminder.status, reminder.reason, reminder.updated_at) == state
    assert CampaignEmail.objects.get(kind="question").status == "cancelled"
    assert messages_in(maildir) == 0


def test_the_command_says_what_is_missing(settings, tmp_path):
    settings.CAMPAIGN_BOUNCE_ADDRESS = BOUNCE_ADDRESS
    settings.CAMPAIGN_BOUNCE_MAILDIR = ""
    with pytest.raises(CommandError, match="Set CAMPAIGN_BOUNCE_MAILDIR"):
        read_bounces()
    settings.CAMPAIGN_BOUNCE_MAILDIR = str(tmp_path / "nowhere")
    with pytest.raises(CommandError, match="No Maildir to read at"):
        read_bounces()
