"""Two app containers, one truth: two gunicorn instances on different ports share one
PostgreSQL database, one Redis and one S3 bucket (moto's server), as containers behind a load
balancer do, and nothing a visitor or an editor sees depends on which one answers.

A publish through one (the API, with a token) is on the other's next page, though both keep
a page cache; a session signed in on one is valid on the other; letter downloads are counted
and rate-limited across both; an image uploaded in one's admin is shown by the other, from
the bucket.
"""

import os
import re
from collections.abc import Iterator

import pytest
import requests

from tests.deploy.servers import (
    drop_database,
    fetch,
    gunicorn,
    make_bucket,
    manage,
    production_environment,
    reopen_demo_invitation,
    require,
    s3_environment,
    s3_server,
    scratch_database,
)

pytestmark = pytest.mark.system

BUCKET = "sanctuary-two-instances"
PASSWORD = "two-instances-" + "p" * 12
LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
DOWNLOADS_PER_MINUTE = 4


@pytest.fixture(scope="module")
def instances(tmp_path_factory) -> Iterator[dict]:
    require("127.0.0.1", 6379, "Redis")
    scratch = tmp_path_factory.mktemp("two-instances")
    name = f"sanctuary_two_{os.getpid()}"
    database = scratch_database(name)
    with s3_server() as endpoint:
        make_bucket(endpoint, BUCKET)
        env = production_environment(
            scratch,
            database,
            REDIS_URL="redis://127.0.0.1:6379/12",
            ADMIN_PASSWORD=PASSWORD,
            RATE_LIMIT_LETTER_DOWNLOADS=str(DOWNLOADS_PER_MINUTE),
            **s3_environment(endpoint, BUCKET),
        )
        try:
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            manage(env, "load_demo_content")
            reopen_demo_invitation(env)
            manage(env, "ensure_admin")
            manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")
            shell = "from letters.models import Constituency as C; print(C.objects.first().slug)"
            constituency = manage(env, "shell", "-c", shell).split()[-1]
            with (
                gunicorn(env, scratch / "one.log", workers=2) as one,
                gunicorn(env, scratch / "two.log", workers=2) as two,
            ):
                yield {
                    "one": one["url"],
                    "two": two["url"],
                    "env": env,
                    "s3": endpoint,
                    "constituency": constituency,
                }
        finally:
            drop_database(name)


class Browser:
    """An editor's browser, behind the TLS-terminating load balancer production expects: each
    request says `X-Forwarded-Proto: https`, and the cookies (marked Secure by the production
    settings) go back with every request, to whichever instance it reaches."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https", "Referer": url.replace("http:", "https:")}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        answer = requests.request(
            method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(answer.cookies.get_dict())
        return answer

    def form_token(self, url: str) -> tuple[str, str]:
        page = self.request("GET", url).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1), page


def signed_in(base: str) -> Browser:
    browser = Browser()
    token, _ = browser.form_token(f"{base}/admin/login/")
    answer = browser.request(
        "POST",
        f"{base}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": "admin", "password": PASSWORD},
    )
    assert answer.status_code == 302, answer.text[:500]
    assert "sessionid" in browser.cookies
    return browser


def test_a_session_made_on_one_is_valid_on_the_other(instances):
    editor = signed_in(instances["one"])
    answer = editor.request("GET", f"{instances['two']}/admin/")
    assert answer.status_code == 200
    assert "Dashboard" in answer.text or "Welcome" in answer.text


def test_a_publish_through_one_is_on_the_others_next_page(instances):
    one, two = instances["one"], instances["two"]
    for base in (one, two, two):  # both instances have the page in their page cache
        assert fetch(base + "/groups/southampton/")[0] == 200
    secret = manage(
        instances["env"],
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from wagtail.models import APIToken\n"
        "user = get_user_model().objects.get(username='admin')\n"
        "print(APIToken.create_token(user=user, name='two instances')[1])",
    ).split()[-1]
    auth = {"Authorization": f"Bearer {secret}"}
    group = requests.get(f"{one}/api/v3/groups/southampton/", timeout=30).json()
    page_url = f"{one}/api/v3/pages/{group['id']}/"
    etag = requests.get(page_url, headers=auth, timeout=30).headers["ETag"]
    edit = requests.patch(
        page_url,
        json={"meta": {"action": "publish"}, "title": "Southampton, published through one"},
        headers={**auth, "If-Match": etag},
        timeout=30,
    )
    assert edit.status_code == 200, edit.text[:500]
    status, _, body = fetch(two + "/groups/southampton/")
    assert status == 200
    assert b"Southampton, published through one" in body


def test_downloads_are_counted_and_limited_across_both(instances):
    letter = f"{LETTER}{instances['constituency']}/txt/"
    statuses = [
        fetch(instances[which] + letter)[0]
        for which in ("one", "two") * (DOWNLOADS_PER_MINUTE // 2)
    ]
    statuses += [fetch(instances["one"] + letter)[0], fetch(instances["two"] + letter)[0]]
    # One budget for the client, whichever instance answers: the fifth download is refused.
    assert statuses == [200] * DOWNLOADS_PER_MINUTE + [429, 429]
    counted = manage(
        instances["env"],
        "shell",
        "-c",
        "from django.db.models import Sum\n"
        "from letters.models import LetterDownload\n"
        "print(LetterDownload.objects.aggregate(total=Sum('count'))['total'])",
    ).split()[-1]
    assert int(counted) == DOWNLOADS_PER_MINUTE


def test_an_image_uploaded_on_one_is_shown_by_the_other(instances):
    from tests.deploy.test_object_storage import png_upload

    one, two = instances["one"], instances["two"]
    editor = signed_in(one)
    token, form = editor.form_token(f"{one}/admin/images/add/")
    collection = re.search(r'name="collection"[^>]*>\s*<option value="(\d+)"', form)
    answer = editor.request(
        "POST",
        f"{one}/admin/images/add/",
        data={
            "csrfmiddlewaretoken": token,
            "title": "Shared walk",
            "collection": collection.group(1) if collection else "1",
        },
        files={"file": ("shared-walk.png", png_upload("shared-walk.png"), "image/png")},
    )
    assert answer.status_code == 302, answer.text[:1000]
    # The other instance's admin lists it, and its file comes from the bucket.
    listing = editor.request("GET", f"{two}/admin/images/?q=Shared").text
    assert "Shared walk" in listing
    sources = re.findall(r'src="([^"]+)"', listing)
    bucket_urls = [source for source in sources if source.startswith(instances["s3"])]
    assert bucket_urls, sources
    assert fetch(bucket_urls[0].replace("&amp;", "&"))[0] == 200
