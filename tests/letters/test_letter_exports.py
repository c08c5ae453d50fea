"""Every constituency's letter as a ZIP, written by the background worker (letters/export.py)
and followed and downloaded in the admin (letters/reports.py). The worker here is the real
`db_worker` command, run once over the queue."""

import datetime
import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.cache import current_generation
from letters import export as letters_export
from letters.models import Constituency, LetterExport, LetterPage
from tests.groups.factories import national_staff_user
from tests.letters.conftest import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter_page(demo_site) -> LetterPage:
    return LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")


@pytest.fixture
def staff_client(client, letter_page):
    """Signed in as national staff, provisioned as the project provisions them."""
    client.force_login(national_staff_user())
    return client


def sign_in_group_editor(client) -> None:
    """A local group's editor: in the admin, without the letter reports permission."""
    client.force_login(get_user_model().objects.get(username="southampton-editor"))


def zip_url(page: LetterPage) -> str:
    return f"/admin/reports/letter-downloads/{page.pk}/zip/"


def file_url(export: LetterExport) -> str:
    return f"{zip_url(export.letter)}{export.pk}/"


def prepare_zip(staff_client, letter_page: LetterPage, monkeypatch) -> LetterExport:
    """Prepare ZIP as staff, then let the worker write it."""
    staff_client.post(zip_url(letter_page))
    run_worker(monkeypatch)
    return LetterExport.objects.latest("created_at")


def test_staff_prepare_the_zip_then_download_one_docx_per_constituency(
    staff_client, letter_page, monkeypatch
):
    response = staff_client.post(zip_url(letter_page))
    assert response.status_code == 302
    assert response["Location"] == zip_url(letter_page)
    export = LetterExport.objects.get()
    assert export.status == "queued"
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker(monkeypatch)

    export.refresh_from_db()
    count = Constituency.objects.count()
    assert (export.status, export.done, export.total) == ("done", count, count)
    assert export.file.name.startswith("exports/letters/")
    assert export.finished_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = staff_client.get(zip_url(letter_page)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert file_url(export) in page

    response = staff_client.get(file_url(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    filename = "invite-your-mp-sanctuary-in-parliament-2018-all-constituencies.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == count == len(set(names))
    assert all(name.endswith(".docx") for name in names)
    document = docx.Document(io.BytesIO(archive.read("invite-your-mp-southampton-test.docx")))
    assert "Dear Satvir Kaur" in [p.text for p in document.paragraphs]


def test_progress_page_refreshes_itself_while_the_export_waits(staff_client, letter_page):
    staff_client.post(zip_url(letter_page))
    response = staff_client.get(zip_url(letter_page))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for the background worker" in page
    assert "Download ZIP" not in page
    assert "<form" not in page.split('id="letters-zip-status-title"')[1]  # no second request


def test_progress_page_shows_letters_written_while_running(staff_client, letter_page):
    staff_client.post(zip_url(letter_page))
    LetterExport.objects.update(status="running", done=25, total=650)
    page = staff_client.get(zip_url(letter_page)).content.decode()
    assert '<progress id="letters-zip-progress" max="650" value="25">' in page
    assert "25 of 650" in page
    assert 'http-equiv="refresh"' in page


def test_asking_again_while_one_is_on_its_way_shows_that_one(staff_client, letter_page):
    staff_client.post(zip_url(letter_page))
    staff_client.post(zip_url(letter_page))
    LetterExport.objects.update(status="running")
    staff_client.post(zip_url(letter_page))
    assert LetterExport.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_second_active_export_for_a_letter_is_refused_by_the_database(letter_page):
    LetterExport.objects.create(letter=letter_page)
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterExport.objects.create(letter=letter_page, status="running")


def test_failed_export_records_the_error_and_offers_to_try_again(
    staff_client, letter_page, monkeypatch
):
    written = 0

    def fails_on_the_third_letter(*args, **kwargs):
        nonlocal written
        written += 1
        if written == 3:
            raise RuntimeError("renderer exploded")
        return real_letter_file(*args, **kwargs)

    real_letter_file = letters_export.letter_file
    monkeypatch.setattr(letters_export, "letter_file", fails_on_the_third_letter)
    monkeypatch.setattr(letters_export, "PROGRESS_EVERY", 1)
    staff_client.post(zip_url(letter_page))
    run_worker(monkeypatch)

    export = LetterExport.objects.get()
    assert (export.status, export.done, export.file.name) == ("failed", 2, "")
    assert export.error == "RuntimeError: renderer exploded"
    assert DBTaskResult.objects.get().status == "FAILED"
    page = staff_client.get(zip_url(letter_page)).content.decode()
    assert "It failed: RuntimeError: renderer exploded" in page
    assert "Try again" in page
    assert 'http-equiv="refresh"' not in page

    monkeypatch.setattr(letters_export, "letter_file", real_letter_file)
    assert prepare_zip(staff_client, letter_page, monkeypatch).status == "done"
    assert LetterExport.objects.count() == 1  # the failed one was replaced


def test_a_running_export_whose_worker_vanished_fails_and_can_be_retried(staff_client, letter_page):
    staff_client.post(zip_url(letter_page))
    long_ago = timezone.now() - letters_export.STALLED_AFTER - datetime.timedelta(seconds=1)
    LetterExport.objects.update(status="running", updated_at=long_ago)
    page = staff_client.get(zip_url(letter_page)).content.decode()
    assert "The worker stopped before finishing." in page
    staff_client.post(zip_url(letter_page))
    assert list(LetterExport.objects.values_list("status", flat=True).order_by("pk")) == [
        "failed",
        "queued",
    ]


def test_a_newer_export_removes_the_older_file(
    staff_client, letter_page, monkeypatch, django_capture_on_commit_callbacks
):
    first = prepare_zip(staff_client, letter_page, monkeypatch)
    first_path = Path(first.file.path)
    assert first_path.is_file()
    staff_client.post(zip_url(letter_page))
    with django_capture_on_commit_callbacks(execute=True):  # files go once the delete commits
        run_worker(monkeypatch)
    assert LetterExport.objects.get().pk != first.pk
    assert not first_path.exists()
    assert staff_client.get(file_url(first)).status_code == 404


def test_exports_finished_over_a_day_ago_are_removed_with_their_files(
    staff_client, letter_page, monkeypatch, django_capture_on_commit_callbacks
):
    old = prepare_zip(staff_client, letter_page, monkeypatch)
    old_path = Path(old.file.path)
    LetterExport.objects.update(finished_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(zip_url(letter_page))  # any request for a ZIP tidies up
    assert not LetterExport.objects.filter(pk=old.pk).exists()
    assert not old_path.exists()


def test_exports_neither_touch_the_page_cache_generation(staff_client, letter_page, monkeypatch):
    generation = current_generation()
    prepare_zip(staff_client, letter_page, monkeypatch)
    assert current_generation() == generation


def test_the_export_file_is_reachable_at_no_media_url(staff_client, letter_page, monkeypatch):
    name = prepare_zip(staff_client, letter_page, monkeypatch).file.name
    assert (Path(settings.MEDIA_ROOT) / name).is_file()
    for url in (
        f"{settings.MEDIA_URL}{name}",
        f"{settings.MEDIA_URL}images/../{name}",
        f"{settings.MEDIA_URL}original_images/../{name}",
    ):
        assert staff_client.get(url).status_code == 404, url
        assert Client().get(url).status_code == 404, url


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, letter_page, method):
    response = getattr(client, method)(zip_url(letter_page))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not LetterExport.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_editor_without_the_report_permission_is_refused(client, letter_page, method):
    sign_in_group_editor(client)
    assert getattr(client, method)(zip_url(letter_page)).status_code == 403
    assert not LetterExport.objects.exists()


def test_editor_without_the_report_permission_cannot_download_a_finished_zip(
    staff_client, letter_page, monkeypatch
):
    export = prepare_zip(staff_client, letter_page, monkeypatch)
    client = Client()
    sign_in_group_editor(client)
    assert client.get(file_url(export)).status_code == 403


def test_bad_requests_get_clear_answers(staff_client, letter_page):
    assert staff_client.post("/admin/reports/letter-downloads/999999/zip/").status_code == 404
    assert staff_client.put(zip_url(letter_page)).status_code == 405
    staff_client.post(zip_url(letter_page))
    export = LetterExport.objects.get()
    assert staff_client.get(file_url(export)).status_code == 404  # not finished yet
    assert staff_client.post(file_url(export)).status_code == 405
    assert staff_client.get(f"{zip_url(letter_page)}999999/").status_code == 404
    letter_page.unpublish()
    assert staff_client.get(zip_url(letter_page)).status_code == 404
    assert staff_client.post(zip_url(letter_page)).status_code == 404


def test_a_finished_zip_of_an_unpublished_letter_is_not_served(
    staff_client, letter_page, monkeypatch
):
    export = prepare_zip(staff_client, letter_page, monkeypatch)
    letter_page.unpublish()
    assert staff_client.get(file_url(export)).status_code == 404


def test_report_page_offers_prepare_zip_as_a_form_with_csrf(staff_client, letter_page):
    page = staff_client.get("/admin/reports/letter-downloads/").content.decode()
    form = page[page.index(f'action="{zip_url(letter_page)}"') :].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert "Prepare ZIP" in form


def test_export_letters_command_writes_the_zip(letter_page, tmp_path):
    output = tmp_path / "letters.zip"
    err = io.StringIO()
    call_command(
        "export_letters", letter_page.slug, output=output, stdout=io.StringIO(), stderr=err
    )
    count = Constituency.objects.count()
    assert len(zipfile.ZipFile(output).namelist()) == count
    assert f"{count}/{count} letters" in err.getvalue()
    assert not LetterExport.objects.exists()
