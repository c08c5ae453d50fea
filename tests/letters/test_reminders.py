"""letters/reminders.py: the email sign-up of "I've sent it", the reminder and question emails
sent by the real background worker (`db_worker`) to a real SMTP server (aiosmtpd) started
here (the `smtp_server` and `worker` fixtures of conftest.py), their signed links followed with
the test client, withdrawal, and a campaign's close."""

import datetime
import email
import email.policy
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale

from letters.models import CampaignEmail, EmailSignup, LetterPage, VisitorAnswer
from tests.campaign_day import DEMO_LETTER_SLUG
from tests.groups.factories import national_staff_user
from tests.letters.conftest import free_port

pytestmark = pytest.mark.django_db

LETTER_URL = f"/letters/{DEMO_LETTER_SLUG}/"
SIGNUP_URL = LETTER_URL + "southampton-itchen/email/"
ADDRESS = "visitor-7@example.org"


@pytest.fixture
def letter(open_campaign) -> LetterPage:
    return open_campaign


def sign_up(client, address: str = ADDRESS, consent: bool = True):
    data = {"email": address}
    if consent:
        data["consent"] = "on"
    return client.post(SIGNUP_URL, data)


def links(message: email.message.EmailMessage) -> list[str]:
    """The paths of the site's links in a plain text email."""
    body = message.get_content()
    return [urlsplit(url).path for url in re.findall(r"https?://\S+", body)]


def link_for(message: email.message.EmailMessage, action: str) -> str:
    for path in links(message):
        if path.startswith("/campaign-email/"):
            token = path.split("/")[2]
            if signing.loads(token, salt="letters.reminders.link")["action"] == action:
                return path
    raise AssertionError(f"no {action} link in {message.get_content()}")


def test_sent_page_offers_the_sign_up_with_an_unticked_box_and_a_privacy_notice(client, letter):
    page = client.post(LETTER_URL + "southampton-itchen/sent/").content.decode()
    assert f'action="{SIGNUP_URL}"' in page
    box = re.search(r'<input type="checkbox"[^>]*name="consent"[^>]*>', page).group(0)
    assert "checked" not in box
    assert "We keep your email address, which letter you sent and the constituency" in page
    assert 'use the "withdraw" link' in page
    form = client.get(SIGNUP_URL)  # the same form on its own page, without JavaScript
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    assert 'name="consent"' in form.content.decode()
    assert EmailSignup.objects.count() == 0


@pytest.mark.parametrize(
    ("address", "consent", "message"),
    [
        ("not-an-address", True, "Enter an email address in the form name@example.org."),
        ("", True, "Enter your email address, or leave this form: it is optional."),
        (ADDRESS, False, "Tick the box to say we may email you, or leave this form."),
        ("a" * 250 + "@example.org", True, "An email address has at most 254 characters."),
    ],
)
def test_sign_up_refuses_bad_input_with_a_message_and_stores_nothing(
    client, letter, address, consent, message
):
    response = sign_up(client, address, consent)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert EmailSignup.objects.count() == 0
    assert CampaignEmail.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_sign_ups_are_rate_limited_per_client(client, letter, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)  # the three sign-ups in one limit window
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "email-signup": (2, 3600)}
    assert sign_up(client, "one@example.org").status_code == 200
    assert sign_up(client, "two@example.org").status_code == 200
    refused = sign_up(client, "three@example.org")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert sorted(EmailSignup.objects.values_list("email", flat=True)) == [
        "one@example.org",
        "two@example.org",
    ]


def test_reminder_then_question_are_delivered_and_the_answer_links_work(
    client, letter, smtp_server, worker, time_machine
):
    response = sign_up(client)
    assert response.status_code == 200 and "We will email you" in response.content.decode()
    signup = EmailSignup.objects.get()
    fields = {field.name for field in EmailSignup._meta.get_fields() if field.concrete}
    assert fields == {"id", "letter", "constituency", "email", "language", "created_at"}

    worker()
    [reminder] = smtp_server.messages
    assert reminder["To"] == ADDRESS
    assert "Darren Paffey" in reminder["Subject"]
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{LETTER_URL}southampton-itchen/" in links(reminder)
    assert client.get(link_for(reminder, "withdraw")).status_code == 200
    statuses = dict(CampaignEmail.objects.values_list("kind", "status"))
    assert statuses == {"reminder": "sent", "question": "waiting"}

    time_machine.move_to(timezone.now() + datetime.timedelta(days=14, minutes=1))
    worker()
    question = smtp_server.messages[1]
    assert question["Subject"].startswith("Did Darren Paffey reply? Will they attend")
    url = link_for(question, "will-attend")

    confirm = client.get(url)  # a mail scanner opening it changes nothing
    assert confirm.status_code == 200 and "no-store" in confirm["Cache-Control"]
    assert "Yes: My MP will attend" in confirm.content.decode()
    assert VisitorAnswer.objects.count() == 0

    assert client.post(url).status_code == 200
    answer = VisitorAnswer.objects.get()
    assert (answer.letter_id, answer.constituency.slug) == (letter.pk, "southampton-itchen")
    assert answer.answer == "will-attend"
    client.post(link_for(question, "declined"))  # changing one's mind changes the one answer
    assert list(VisitorAnswer.objects.values_list("answer", flat=True)) == ["declined"]
    assert EmailSignup.objects.get() == signup
    assert len(smtp_server.messages) == 2  # one reminder, one question: nothing more


def test_a_tampered_or_expired_link_gives_a_clear_page_and_changes_nothing(
    client, letter, smtp_server, worker, time_machine
):
    sign_up(client)
    worker()
    withdraw_url = link_for(smtp_server.messages[0], "withdraw")
    tampered = withdraw_url[:-3] + ("x" if withdraw_url[-3] != "x" else "y") + withdraw_url[-2:]
    for method in (client.get, client.post):
        response = method(tampered)
        assert response.status_code == 400
        assert "not one we sent, or it was changed" in response.content.decode()
        assert "Nothing has been changed." in response.content.decode()
    assert EmailSignup.objects.count() == 1

    forged = "/campaign-email/" + signing.dumps({"signup": 1}, salt="another") + "/"
    assert client.post(forged).status_code == 400

    time_machine.move_to(timezone.now() + datetime.timedelta(days=61))
    letter.closes_at = timezone.now() + datetime.timedelta(days=30)  # still open
    letter.save(update_fields=["closes_at"])
    for method in (client.get, client.post):
        response = method(withdraw_url)
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    assert EmailSignup.objects.count() == 1


def withdraw_through(client, url: str) -> None:
    """Open an email's withdraw link (which deletes nothing), then press its button: the
    address is deleted at once."""
    assert "Delete my email address" in client.get(url).content.decode()
    assert EmailSignup.objects.count() == 1
    response = client.post(url)
    assert response.status_code == 200
    assert "Your email address is deleted" in response.content.decode()
    assert not EmailSignup.objects.filter(email__iexact=ADDRESS).exists()


def test_withdrawal_deletes_the_address_at_once_and_no_more_email_is_sent(
    client, letter, smtp_server, worker, time_machine
):
    sign_up(client)
    worker()
    url = link_for(smtp_server.messages[0], "withdraw")
    withdraw_through(client, url)
    assert CampaignEmail.objects.get(kind="question").status == "cancelled"

    time_machine.move_to(timezone.now() + datetime.timedelta(days=15))
    worker()
    assert len(smtp_server.messages) == 1
    again = client.post(url)
    assert again.status_code == 410 and "has been deleted" in again.content.decode()


def test_the_question_emails_withdraw_link_deletes_the_address_at_once(
    client, letter, smtp_server, worker, time_machine
):
    sign_up(client)
    worker()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=14, minutes=1))
    worker()
    [_reminder, question] = smtp_server.messages
    assert question["Subject"].startswith("Did Darren Paffey reply?")
    assert question["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.post(link_for(question, "replied")).status_code == 200
    url = link_for(question, "withdraw")
    withdraw_through(client, url)
    # The answer stays, for the campaign's figures, with nothing left that leads to the visitor.
    answer = VisitorAnswer.objects.get()
    assert (answer.answer, answer.signup) == ("replied", None)
    again = client.post(url)
    assert again.status_code == 410 and "has been deleted" in again.content.decode()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=15))
    worker()
    assert len(smtp_server.messages) == 2


def test_one_click_unsubscribe_post_withdraws_without_a_csrf_token(
    letter, smtp_server, worker, client
):
    sign_up(client)
    worker()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        link_for(smtp_server.messages[0], "withdraw"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert EmailSignup.objects.count() == 0


def test_campaign_close_deletes_all_its_addresses(
    client, letter, smtp_server, worker, time_machine
):
    sign_up(client, "one@example.org")
    client.post(LETTER_URL + "ipswich/email/", {"email": "two@example.org", "consent": "on"})
    assert EmailSignup.objects.count() == 2
    # Before it closes, the command keeps them.
    call_command("forget_closed_campaign_addresses", stdout=io.StringIO())
    assert EmailSignup.objects.count() == 2

    time_machine.move_to(letter.closes_at + datetime.timedelta(seconds=1))
    out = io.StringIO()
    call_command("forget_closed_campaign_addresses", stdout=out)
    assert out.getvalue().strip() == "Deleted 2 addresses."
    assert EmailSignup.objects.count() == 0
    assert set(CampaignEmail.objects.values_list("status", flat=True)) == {"cancelled"}
    worker()  # the queued emails find no address and send nothing
    assert smtp_server.messages == []
    # A closed campaign takes no address.
    response = sign_up(client, "three@example.org")
    assert response.status_code == 410
    assert "This campaign closed on" in response.content.decode()
    assert EmailSignup.objects.count() == 0


def test_the_addresses_go_at_the_close_by_themselves_once_every_email_is_sent(
    client, letter, smtp_server, worker, time_machine
):
    """No command and no email left to send: the task queued with the sign-up deletes the
    address at the close, and again at a close staff moved later."""
    sign_up(client)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=14, minutes=1))
    worker()
    assert len(smtp_server.messages) == 2  # the reminder and the question: nothing left
    later = letter.closes_at + datetime.timedelta(days=7)
    LetterPage.objects.filter(pk=letter.pk).update(closes_at=later)

    time_machine.move_to(letter.closes_at + datetime.timedelta(seconds=1))
    worker()
    assert EmailSignup.objects.count() == 1  # not yet: the close moved later
    time_machine.move_to(later + datetime.timedelta(seconds=1))
    worker()
    assert EmailSignup.objects.count() == 0
    assert len(smtp_server.messages) == 2


def test_the_worker_deletes_a_closed_campaigns_addresses_before_sending(
    client, letter, smtp_server, worker, time_machine
):
    sign_up(client)
    time_machine.move_to(letter.closes_at + datetime.timedelta(seconds=1))
    worker()
    assert smtp_server.messages == []
    assert EmailSignup.objects.count() == 0


def test_a_temporary_failure_is_retried_later_and_then_delivered(
    client, letter, smtp_server, worker, time_machine
):
    smtp_server.refusals = ["451 4.3.0 Mailbox busy, try again later"]
    sign_up(client)
    worker()
    assert smtp_server.messages == []
    reminder = CampaignEmail.objects.get(kind="reminder")
    assert (reminder.status, reminder.attempts) == ("retrying", 1)
    assert reminder.reason == "451 4.3.0 Mailbox busy, try again later"
    assert reminder.send_after > timezone.now()

    worker()  # not yet: the retry waits its delay
    assert smtp_server.messages == []
    time_machine.move_to(reminder.send_after + datetime.timedelta(seconds=1))
    worker()
    [delivered] = smtp_server.messages
    assert delivered["To"] == ADDRESS
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 2)


def test_a_server_out_of_reach_is_retried(client, letter, worker, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    sign_up(client)
    worker()
    reminder = CampaignEmail.objects.get(kind="reminder")
    assert (reminder.status, reminder.attempts) == ("retrying", 1)
    assert reminder.reason.startswith("ConnectionRefusedError")


def test_a_permanent_failure_is_recorded_and_shown_to_staff_without_the_address(
    client, letter, smtp_server, worker
):
    smtp_server.refusals = [f"550 5.1.1 <{ADDRESS}>: Recipient address rejected"]
    sign_up(client)
    worker()
    reminder = CampaignEmail.objects.get(kind="reminder")
    assert (reminder.status, reminder.attempts) == ("failed", 1)
    assert reminder.reason == "550 5.1.1 <[address]>: Recipient address rejected"
    assert not DBTaskResult.objects.ready().exists()  # no retry queued

    staff = client.__class__()
    staff.force_login(national_staff_user())
    page = staff.get("/admin/reports/campaign-emails/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "550 5.1.1 &lt;[address]&gt;: Recipient address rejected" in html
    assert ADDRESS not in html and "visitor-7" not in html


def test_addresses_are_shown_to_no_one(client, letter, django_user_model):
    sign_up(client)
    admin = client.__class__()
    admin.force_login(
        django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    )
    for url in ("/admin/reports/campaign-emails/", "/django-admin/", "/api/v3/openapi.json"):
        response = admin.get(url)
        assert response.status_code == 200, url
        assert ADDRESS not in response.content.decode(), url
    assert "emailsignup" not in admin.get("/django-admin/").content.decode().lower()


def test_the_campaign_emails_report_is_for_national_staff_only(client, letter, django_user_model):
    someone = client.__class__()
    someone.force_login(django_user_model.objects.create_user("editor", password="x" * 20))
    assert someone.get("/admin/reports/campaign-emails/").status_code in (302, 403)


def test_a_welsh_sign_up_gets_its_emails_in_welsh_with_links_to_the_welsh_pages(
    client, letter, smtp_server, worker, time_machine
):
    welsh = letter.copy_for_translation(Locale.objects.get(language_code="cy"), copy_parents=True)
    welsh.title = "Gwahoddwch eich AS"
    welsh.save_revision().publish()
    welsh_url = welsh.get_url()
    response = client.post(
        welsh_url + "southampton-itchen/email/", {"email": ADDRESS, "consent": "on"}
    )
    assert (
        response.status_code == 200 and "Byddwn yn anfon e-bost atoch" in response.content.decode()
    )
    signup = EmailSignup.objects.get()
    assert (signup.letter_id, signup.language) == (letter.pk, "cy")  # the campaign's letter

    worker()
    [reminder] = smtp_server.messages
    assert str(reminder["Subject"]).strip().startswith("Eich gwahoddiad i Darren Paffey")
    body = reminder.get_content()
    assert "Diolch am wahodd Darren Paffey, AS etholaeth Southampton Itchen" in body
    assert "12 Tachwedd 2018" in body and "November" not in body
    assert "Thank you" not in body
    assert f"{welsh_url}southampton-itchen/" in links(reminder)
    withdraw_path = next(path for path in links(reminder) if "/campaign-email/" in path)
    assert withdraw_path.startswith("/cy/campaign-email/")
    assert reminder["List-Unsubscribe"].split("/", 3)[3].startswith("cy/campaign-email/")
    page = client.get(withdraw_path)
    assert page.status_code == 200
    assert '<html lang="cy"' in page.content.decode()
    assert "Dileu eich cyfeiriad e-bost" in page.content.decode()

    time_machine.move_to(timezone.now() + datetime.timedelta(days=14, minutes=1))
    worker()
    question = smtp_server.messages[1]
    assert str(question["Subject"]).strip().startswith("A atebodd Darren Paffey?")
    assert "Bydd fy AS yn dod:" in question.get_content()
    assert all(path.startswith("/cy/") for path in links(question) if "/campaign-email/" in path)
