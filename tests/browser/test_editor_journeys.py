"""What group editors and national staff click in the Wagtail admin, in Chromium: a local edit
goes through national review before the public sees it, and editors stay in their own group."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from groups.models import GroupUpdatePage, LocalGroupPage
from tests.groups.factories import national_staff_user

pytestmark = pytest.mark.browser

EDITOR_PASSWORD = "southampton-editor-browser-test"
STAFF_PASSWORD = "national-staff-browser-test"
NEW_INTRODUCTION = "A warm welcome in Southampton, now with a weekly drop-in at the Civic Centre."


@pytest.fixture
def southampton_editor(live_site):
    editor = get_user_model().objects.get(username="southampton-editor")
    editor.set_password(EDITOR_PASSWORD)
    editor.save()
    return editor


@pytest.fixture
def staff(live_site):
    user = national_staff_user("national-staff")
    user.set_password(STAFF_PASSWORD)
    user.save()
    return user


def log_in(page, live_site, username: str, password: str) -> None:
    page.goto(live_site("/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/admin/login/"))


def log_out(page) -> None:
    page.context.clear_cookies()


def test_editor_change_is_published_only_after_national_staff_approve_it(
    live_site, page, southampton_editor, staff
):
    southampton = LocalGroupPage.objects.get(slug="southampton")
    edit_url = live_site(f"/admin/pages/{southampton.pk}/edit/")

    log_in(page, live_site, "southampton-editor", EDITOR_PASSWORD)
    page.goto(edit_url)
    page.locator("#id_introduction").fill(NEW_INTRODUCTION)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=re.compile(r"^Submit to ")).click()
    expect(page.locator(".messages")).to_contain_text("submitted")

    # Still under review: the public page has not changed.
    page.goto(live_site("/groups/southampton/"))
    expect(page.locator("main")).not_to_contain_text(NEW_INTRODUCTION)

    log_out(page)
    log_in(page, live_site, "national-staff", STAFF_PASSWORD)
    page.goto(edit_url)
    expect(page.locator("#id_introduction")).to_have_value(NEW_INTRODUCTION)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("has been updated")

    log_out(page)
    page.goto(live_site("/groups/southampton/"))
    expect(page.locator(".lead")).to_have_text(NEW_INTRODUCTION)


def test_southampton_editor_is_refused_an_ipswich_page_in_the_admin(
    live_site, page, southampton_editor
):
    update = GroupUpdatePage.objects.get(slug="what-has-happened-since-the-resolution")

    log_in(page, live_site, "southampton-editor", EDITOR_PASSWORD)
    page.goto(live_site(f"/admin/pages/{update.pk}/edit/"))

    expect(page.locator("#id_title")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("do not have permission")
