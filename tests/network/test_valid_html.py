"""The Nu HTML checker (vnu.jar, the W3C validator's engine) finds no error on any public page
type, in English and Welsh: the pages the accessibility tests visit, rendered here by Django's
test client on the demo content and checked in one run of the checker (the JVM starts once).

`make test-html` installs the pinned checker (`make vnu`, from the npm registry) and runs this;
it needs Java 11 or newer. Outside CI a missing jar or Java skips with a reason; in CI
(`CI=true`) it fails, so the check can never pass by not running.
"""

import copy
import datetime
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from letters.models import LetterPage
from tests.browser.conftest import POSTCODES_IO_SO155AA
from tests.browser.test_accessibility import EXPECTED_STATUS, PAGES
from tests.conftest import REPO_ROOT

# The Welsh pages and Swansea, which the suite's demo leaves out and the list visits: the same
# module-wide fixture as the Welsh tests'.
from tests.network.test_welsh import welsh_demo  # noqa: F401
from tests.stub_server import json_answer

pytestmark = [pytest.mark.html, pytest.mark.django_db]

# The accessibility tests' pages, the standalone MP search in English too, and a statement the
# footer links (lists and bold from the demo's rich text).
CHECKED_PAGES = {**PAGES, "find-your-mp": "/find-your-mp/", "cookies": "/cookies/"}

VNU_JAR = Path(
    os.environ.get("VNU_JAR", REPO_ROOT / "build/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)


def require(what: str, present: bool) -> None:
    if present:
        return
    message = f"{what} is missing: run `make vnu` (npm) and install Java 11+"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must run the Nu HTML checker")
    pytest.skip(message)


@pytest.fixture
def postcodes_io(stub_server, settings):
    """postcodes.io knowing the Southampton Test postcode the list looks up."""
    stub_server.routes["/postcodes/SO155AA"] = json_answer(copy.deepcopy(POSTCODES_IO_SO155AA))
    settings.POSTCODES_IO_BASE_URL = stub_server.url
    return stub_server


def vnu_command() -> list[str]:
    java = shutil.which("java")
    require("java", java is not None)
    require(str(VNU_JAR), VNU_JAR.is_file())
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]


def checker_errors(command: list[str], files: list[Path]) -> list[dict]:
    """Every error the Nu HTML checker reports on these files, in one run."""
    result = subprocess.run(
        [*command, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    # The report goes to stderr; the exit status is 1 when it holds an error.
    report = json.loads(result.stderr)
    return [message for message in report["messages"] if message["type"] != "info"]


# A closed campaign's pages: the demo's follow-up letter closed by staff (the invitation is
# reopened, as on a campaign day): its preview kept as a record, and the 410 a file gets.
CLOSED_LETTER = "/letters/follow-up-your-mp-sanctuary-in-parliament-2018/southampton-itchen/"
CLOSED_PAGES = {
    "closed-letter-preview": CLOSED_LETTER,
    "closed-letter-file": CLOSED_LETTER + "txt/",
}
CLOSED_STATUS = {"closed-letter-file": 410}


def test_every_public_page_type_is_valid_html(client, open_invitation, postcodes_io, tmp_path):
    command = vnu_command()  # before rendering: a missing checker says so at once
    LetterPage.objects.filter(slug=CLOSED_LETTER.split("/")[2]).update(
        closes_at=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    files = []
    for name, url in {**CHECKED_PAGES, **CLOSED_PAGES}.items():
        response = client.get(url)
        assert response.status_code == {**EXPECTED_STATUS, **CLOSED_STATUS}.get(name, 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)

    errors = checker_errors(command, files)

    # The checker names each file by its URL (file:/tmp/.../<name>.html): say which page.
    assert [
        f"{CHECKED_PAGES[Path(error.get('url', '')).stem]} line {error.get('lastLine')}: "
        f"{error['message']} [{error.get('extract', '').strip()}]"
        for error in errors
    ] == []
