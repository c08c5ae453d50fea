"""Where the emails the site sends go, as the settings decide: `make run` (bin/run) says it
before it starts, so a developer knows where to read the campaign emails the worker writes."""

from django.conf import settings
from django.core.management.base import BaseCommand

FILES = "django.core.mail.backends.filebased.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_destination() -> str:
    backend = settings.EMAIL_BACKEND
    if backend == FILES:
        return (
            "Emails are not sent: each one the site sends is written as a file in "
            f"{settings.EMAIL_FILE_PATH}"
        )
    if backend == CONSOLE:
        return "Emails are not sent: each one the site sends is printed by the process sending it"
    if backend == SMTP:
        return (
            f"Emails are sent through the SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        )
    return f"Emails go to the email backend {backend}"


class Command(BaseCommand):
    help = "Say where the emails the site sends go (EMAIL_BACKEND, EMAIL_FILE_PATH)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(email_destination())
