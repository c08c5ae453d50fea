"""bin/run (`make run`): before the server and the worker start, it says where the emails the
site sends go, read from the settings (core/management/commands/email_destination.py)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def destination(capsys) -> str:
    call_command("email_destination")
    return capsys.readouterr().out.strip()


def test_files_say_the_folder_they_are_written_in(settings, capsys, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "email")
    assert destination(capsys) == (
        f"Emails are not sent: each one the site sends is written as a file in {tmp_path}/email"
    )


def test_smtp_says_the_server(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "mail.example.org", 587
    assert destination(capsys) == "Emails are sent through the SMTP server mail.example.org:587"


def test_another_backend_is_named(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert destination(capsys) == (
        "Emails go to the email backend django.core.mail.backends.locmem.EmailBackend"
    )


def test_make_run_says_where_the_development_emails_go_before_it_serves(tmp_path):
    """bin/run with the development settings, as `make run` starts it: its first line names
    the folder the dev settings write emails to (EMAIL_FILE_PATH, var/email/ by default)."""
    email_folder = tmp_path / "email"
    env = {
        **os.environ,
        "PY": sys.executable,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path}/run.sqlite3",
        "EMAIL_FILE_PATH": str(email_folder),
        "RUNSERVER_ADDRESS": "127.0.0.1:0",
    }
    env.pop("EMAIL_BACKEND", None)
    run = subprocess.Popen(
        [str(ROOT / "bin" / "run")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the server and worker stop with it
    )
    try:
        first_line = run.stdout.readline().strip()
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        run.wait(timeout=30)
    assert first_line == (
        f"Emails are not sent: each one the site sends is written as a file in {email_folder}"
    )
