"""The page cache on real Redis: any change visitors could see purges it, in the change's own
transaction (so Redis being away at that moment changes nothing), reading never purges it,
answers that report a fault are never kept, and strangers cannot choose what it stores."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, CollectionViewRestriction, Site

from core.cache import current_generation
from groups.models import AchievementPage
from letters.members_api import SyncPlan, apply_sync
from letters.models import Constituency
from network.models import NetworkSettings
from tests.faults.proxy import CuttableProxy
from tests.groups.factories import national_staff_user

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018"
# A download is counted, so never answered by the page cache, but its file is cached too.
MP_DOWNLOAD = f"{LETTER}/southampton-itchen/txt/"
MP_PAGES = (
    f"{LETTER}/southampton-itchen/",
    "/groups/southampton/",
    "/find-your-mp/?q=Itchen",
    "/api/v3/constituencies/southampton-itchen/",
    "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/",
)


@pytest.fixture
def page_cache(settings, redis_cache):
    settings.PAGE_CACHE_ENABLED = True
    settings.SITE_CHROME_CACHE_ENABLED = True
    return redis_cache


def cached(client, url: str) -> None:
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit", url


def test_correcting_an_mp_in_the_admin_purges_every_page_that_names_them(
    client, open_invitation, page_cache, settings
):
    for url in MP_PAGES:
        cached(client, url)
    assert "Corrected Name" not in client.get(MP_DOWNLOAD).content.decode()
    seat = Constituency.objects.get(slug="southampton-itchen")
    edit = reverse("constituencies:edit", args=[seat.pk])
    settings.AXES_ENABLED = False
    staff = client
    staff.force_login(national_staff_user())
    form = staff.get(edit)
    assert form.status_code == 200
    data = {
        field: getattr(seat, field) if getattr(seat, field) is not None else ""
        for field in (
            "name",
            "slug",
            "gss_code",
            "nation",
            "region",
            "current_mp_full_title",
            "current_mp_party",
            "current_mp_member_id",
            "current_mp_email",
        )
    }
    data["current_mp_name"] = "Corrected Name"
    data["current_mp_full_title"] = "Corrected Name MP"
    assert staff.post(edit, data).status_code == 302
    staff.logout()

    for url in (*MP_PAGES, MP_DOWNLOAD):
        response = client.get(url)
        assert "Corrected Name" in response.content.decode(), url


def add_redirect() -> None:
    Redirect.objects.create(old_path="/groups", redirect_link="/about/")


def delete_an_image() -> None:
    image = get_image_model().objects.create(title="Gone", file=get_test_image_file())
    image.delete()


def make_a_collection_private() -> None:
    CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.LOGIN,
    )


def change_site_settings() -> None:
    network = NetworkSettings.for_site(Site.objects.get(is_default_site=True))
    network.contact_email = "new@example.org"
    network.save()


def change_a_document() -> None:
    document = get_document_model().objects.first()
    if document is None:
        from django.core.files.base import ContentFile

        document = get_document_model()(title="Minutes")
        document.file.save("minutes.txt", ContentFile(b"minutes"), save=False)
    document.title = "Minutes (corrected)"
    document.save()


def change_a_site() -> None:
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed"
    site.save()


def relate_a_constituency() -> None:
    # A many-to-many change only (no post_save): a group now covers one more seat.
    from groups.models import LocalGroupPage

    ipswich_seat = Constituency.objects.filter(groups__slug="ipswich").first()
    ipswich_seat.groups.add(LocalGroupPage.objects.get(slug="southampton"))


def sync_mps_finding_no_change() -> None:
    # Only the time the MP was last checked moves, which the API shows.
    seat = Constituency.objects.get(slug="southampton-itchen")
    apply_sync(SyncPlan(members_fetched=1, unchanged=[seat]))


def update_constituencies() -> None:
    Constituency.objects.filter(slug="southampton-itchen").update(current_mp_name="Bulk Name")


def bulk_update_constituencies() -> None:
    seat = Constituency.objects.get(slug="southampton-itchen")
    seat.current_mp_name = "Bulk Name"
    Constituency.objects.bulk_update([seat], ["current_mp_name"])


def bulk_create_constituencies() -> None:
    seat = Constituency.objects.get(slug="southampton-itchen")
    Constituency.objects.bulk_create(
        [Constituency(gss_code="E14999999", name="New", slug="new", nation=seat.nation)]
    )


CHANGES = {
    "a new redirect": add_redirect,
    "a deleted image": delete_an_image,
    "a collection made private": make_a_collection_private,
    "site settings": change_site_settings,
    "a document": change_a_document,
    "a site": change_a_site,
    "a group's constituencies": relate_a_constituency,
    # Writes that send no signals.
    "an MP sync finding no change": sync_mps_finding_no_change,
    "constituencies updated in bulk": update_constituencies,
    "constituencies bulk_update()d": bulk_update_constituencies,
    "constituencies bulk_create()d": bulk_create_constituencies,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_visitors_could_see_purges_the_cache(client, demo_site, page_cache, change):
    cached(client, "/groups/southampton/")
    CHANGES[change]()
    assert client.get("/groups/southampton/").get("X-Page-Cache") == "miss"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def an_award_ending_today() -> tuple[str, str, str]:
    award = AchievementPage.objects.get(slug="schools-of-sanctuary")
    award.expires_on = timezone.localdate()
    award.save_revision().publish()
    return award.url, "award is current until", "award expired on"


def a_letter_dated_today() -> tuple[str, str, str]:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return f"{LETTER}/southampton-itchen/", long_date(timezone.localdate()), long_date(tomorrow)


DATED = {"an award's expiry": an_award_ending_today, "a letter's date": a_letter_dated_today}


@pytest.mark.parametrize("dated", list(DATED))
def test_a_page_showing_the_date_is_rendered_afresh_the_next_day(
    client, demo_site, page_cache, time_machine, dated
):
    # Two minutes before midnight, then two after: well within the cached copy's lifetime, so
    # only the change of date can make it go.
    before_midnight = datetime.datetime.combine(
        timezone.localdate(), datetime.time(23, 58), tzinfo=timezone.get_current_timezone()
    )
    time_machine.move_to(before_midnight, tick=False)
    url, today_text, tomorrow_text = DATED[dated]()
    cached(client, url)
    assert today_text in client.get(url).content.decode()

    time_machine.shift(datetime.timedelta(minutes=4))

    response = client.get(url)
    assert tomorrow_text in response.content.decode()
    assert response["X-Page-Cache"] == "miss"


def test_reading_the_site_never_purges_it(client, open_invitation, page_cache):
    """Renditions made on first view, downloads counted, sign-ins: none of them purge."""
    get_user_model().objects.create_user("reader", password="a long enough password 1")
    before = current_generation()
    for url in (
        "/",
        "/groups/",
        "/groups/southampton/",
        "/events/",
        "/news/",
        f"{LETTER}/southampton-itchen/",
        f"{LETTER}/southampton-itchen/docx/",
        f"{LETTER}/southampton-itchen/pdf/",
        "/search/?q=Southampton",
        "/api/v3/pages/",
    ):
        assert client.get(url).status_code == 200, url
    client.post("/admin/login/", {"username": "reader", "password": "wrong"})
    client.post("/admin/login/", {"username": "reader", "password": "a long enough password 1"})
    assert current_generation() == before


def test_an_answer_reporting_a_service_fault_is_never_kept(client, demo_site, page_cache, settings):
    settings.POSTCODES_IO_BASE_URL = "http://127.0.0.1:9"  # nothing listens: the service is down
    url = "/find-your-mp/?q=SO14+0AA"
    first = client.get(url)
    assert "not answering" in first.content.decode()
    second = client.get(url)
    assert "not answering" in second.content.decode()
    assert second.get("X-Page-Cache") != "hit"


def test_tracking_parameters_and_parameter_order_share_one_entry(client, demo_site, page_cache):
    client.get("/groups/?utm_source=newsletter&nation=england&region=south-east")
    again = client.get("/groups/?region=south-east&nation=england&fbclid=abc&utm_medium=x")
    assert again["X-Page-Cache"] == "hit"
    assert client.get("/groups/?nation=england")["X-Page-Cache"] == "miss"


def test_the_scheme_is_part_of_the_key(client, demo_site, page_cache, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.get("/groups/southampton/", HTTP_X_FORWARDED_PROTO="https")
    response = client.get("/groups/southampton/")
    assert response["X-Page-Cache"] == "miss"
    html = response.content.decode()
    assert "https://testserver" not in html  # (links to other sites may well be https)
    assert "http://testserver/groups/southampton/" in html  # its canonical address


def test_a_change_made_while_redis_is_unreachable_is_never_followed_by_a_stale_page(
    client, demo_site, settings
):
    proxy = CuttableProxy("127.0.0.1", 6379).start()
    settings.PAGE_CACHE_ENABLED = True
    settings.SITE_CHROME_CACHE_ENABLED = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}/0",
            "KEY_PREFIX": f"test-cut-{proxy.port}",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    try:
        achievement = AchievementPage.objects.get(slug="schools-of-sanctuary")
        cached(client, "/groups/southampton/")
        assert achievement.title in client.get("/groups/southampton/").content.decode()

        proxy.cut()
        achievement.unpublish()  # succeeds with Redis away
        proxy.restore()

        response = client.get("/groups/southampton/")
        assert achievement.title not in response.content.decode()
    finally:
        cache.delete_pattern("*")  # this test's prefix only (clear() is FLUSHDB)
        proxy.cut()
