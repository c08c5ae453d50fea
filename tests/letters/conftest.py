"""Fixtures for the letters tests: an empty constituency table, the demo's letter and its
Southampton editor and seats (the local stand-ins for postcodes.io and the Members API are in
tests/conftest.py), a real SMTP server for the campaign emails and the real worker that sends
them."""

import asyncio
import email
import email.message
import email.policy
import io
import signal
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core.management import call_command

from groups.models import LocalGroupPage
from letters.models import Constituency, LetterPage


@pytest.fixture
def no_constituencies(db) -> None:
    """An empty constituency table, for tests that import, sync or count every seat.

    The demo's seats go, and with them their downloads and the groups' links to them; the
    test's transaction puts them back.
    """
    Constituency.objects.all().delete()


@pytest.fixture
def letter_page(open_invitation) -> LetterPage:
    """The demo's invitation letter (Sanctuary in Parliament 2018), its campaign reopened so
    that its files are served (tests/conftest.py `open_invitation`)."""
    return open_invitation


@pytest.fixture
def southampton_editor(demo_site):
    return get_user_model().objects.get(username="southampton-editor")


@pytest.fixture
def southampton_seats(demo_site) -> list[Constituency]:
    """The constituencies the demo's Southampton group covers, by name."""
    seats = list(LocalGroupPage.objects.get(slug="southampton").constituencies.order_by("name"))
    assert seats
    return seats


def run_worker(monkeypatch) -> None:
    """Run the real worker over everything queued, then let it exit.

    It closes "old" database connections between tasks; inside a test's transaction that
    would close the test's own connection, so that one step is left out. It also takes over
    SIGINT and SIGTERM, which are given back afterwards.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            "--backend=background",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it receives; `refusals` are answered to RCPT
    first, one each, before recipients are accepted."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelope_senders: list[str] = []  # MAIL FROM, one per message
        self.refusals: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelope_senders.append(envelope.mail_from)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings) -> Iterator[Mailbox]:
    """A real SMTP server on a free local port, and Django's SMTP backend pointed at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def worker(monkeypatch):
    return lambda: run_worker(monkeypatch)
