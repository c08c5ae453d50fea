"""Varnish with the repository's VCL in front of a real gunicorn (production settings).

Anonymous pages are answered by Varnish (X-Cache: HIT, two ids in X-Varnish, an Age);
signed-in editors, the admin, the personalised letter, letter downloads (each is counted)
and POSTs always reach the app. A publish, made in another process as an editor's would
be, is visible through Varnish on the very next request: the page cache's new generation
purges Varnish once committed (core/frontend_cache.py). Only the app's address may purge.
"""

import http.client
import os
from collections.abc import Iterator

import pytest

from tests.deploy.servers import (
    drop_database,
    fetch,
    free_port,
    gunicorn,
    manage,
    production_environment,
    reopen_demo_invitation,
    scratch_database,
    varnish,
)

pytestmark = pytest.mark.system

LETTER = "/letters/invite-your-mp-sanctuary-in-parliament-2018/"
GROUP = "/groups/southampton/"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[dict]:
    scratch = tmp_path_factory.mktemp("varnish")
    name = f"sanctuary_varnish_{os.getpid()}"
    env = production_environment(scratch, scratch_database(name))
    env.pop("REDIS_URL", None)  # the page cache in the worker's memory: one worker
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo_content")
    reopen_demo_invitation(env)
    constituency = manage(
        env,
        "shell",
        "-c",
        "from letters.models import Constituency as C; print(C.objects.first().slug)",
    ).split()[-1]
    front_port = free_port()
    env["FRONTEND_CACHE_PURGE_URL"] = f"http://127.0.0.1:{front_port}"
    try:
        with (
            gunicorn(env, scratch / "gunicorn.log") as app,
            varnish(app["port"], front_port) as front,
        ):
            yield {"app": app["url"], "url": front["url"], "env": env, "constituency": constituency}
    finally:
        drop_database(name)


def twice(url: str, **kwargs) -> tuple:
    first = fetch(url, **kwargs)
    return first, fetch(url, **kwargs)


@pytest.mark.parametrize("path", ["/", GROUP, "/events/", "/groups/"])
def test_anonymous_pages_come_from_varnish(stack, path):
    (status, headers, body), (again, headers_again, body_again) = twice(stack["url"] + path)
    assert status == again == 200
    assert headers_again["X-Cache"] == "HIT"
    assert len(headers_again["X-Varnish"].split()) == 2  # this request's id and the object's
    assert int(headers_again["Age"]) >= 0
    assert "public" in headers_again["Cache-Control"]
    assert body_again == body
    # Each answer carries its own request's id, a cached one too.
    assert headers_again["X-Request-ID"] != headers["X-Request-ID"]


@pytest.mark.parametrize(
    "path, cookie",
    [
        (GROUP, "sessionid=an-editors-session"),
        (GROUP, "csrftoken=a-form-was-shown"),
        ("/admin/login/", ""),
        ("/healthz", ""),
    ],
)
def test_editors_and_the_admin_always_reach_the_app(stack, path, cookie):
    headers = {"Cookie": cookie} if cookie else {}
    _, (status, answer, _) = twice(stack["url"] + path, headers=headers)
    assert status == 200
    assert answer["X-Cache"] == "MISS"
    assert len(answer["X-Varnish"].split()) == 1


def test_personalised_letters_downloads_and_posts_always_reach_the_app(stack):
    letter = f"{stack['url']}{LETTER}{stack['constituency']}/"
    for url in (letter + "personalise/", letter + "txt/"):
        _, (status, headers, _) = twice(url)
        assert status == 200, url
        assert headers["X-Cache"] == "MISS", url
    _, (status, headers, _) = twice(letter + "txt/", method="POST", data=b"name=A&address=B")
    assert headers["X-Cache"] == "MISS"


def test_only_the_app_may_purge(stack):
    fetch(stack["url"] + "/events/")
    outsider = http.client.HTTPConnection(
        "127.0.0.1", int(stack["url"].rsplit(":", 1)[1]), source_address=("127.0.0.2", 0)
    )
    outsider.request("PURGE", "/events/")
    assert outsider.getresponse().status == 405
    outsider.close()
    assert fetch(stack["url"] + "/events/")[1]["X-Cache"] == "HIT"


def test_a_publish_is_visible_through_varnish_on_the_next_request(stack):
    for path in (GROUP, "/groups/"):
        assert twice(stack["url"] + path)[1][1]["X-Cache"] == "HIT"
    manage(
        stack["env"],
        "shell",
        "-c",
        "from groups.models import LocalGroupPage as P\n"
        "page = P.objects.get(slug='southampton')\n"
        "page.title = 'Southampton City of Sanctuary, renamed'\n"
        "page.save_revision().publish()\n",
    )
    for path in (GROUP, "/groups/"):  # the page, and the directory that lists it
        status, headers, body = fetch(stack["url"] + path)
        assert status == 200
        assert b"Southampton City of Sanctuary, renamed" in body, path
        assert headers["X-Cache"] == "MISS"
