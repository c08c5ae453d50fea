"""Golden files pin the JSON shape of one group, one event and one letter from the demo content
(and tests/api/test_near.py's one postcode answer).

Ids, timestamps, today's date and URLs containing ids are normalised. To rewrite the goldens
after a deliberate change: `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/api/test_golden.py`
and review the diff.
"""

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from events.models import EventPage

GOLDEN_DIR = Path(__file__).parent / "golden"
VOLATILE_KEYS = {"id", "mp_updated_at", "first_published_at", "last_published_at"}
ID_IN_URL = re.compile(r"/(pages|events)/\d+/")
# The suffix Django's storage adds to a file name already taken (a demo picture saved again
# after a transactional test emptied the database, say): "demo-event_YG6GLa5.2e16d0ba...".
TAKEN_NAME_SUFFIX = re.compile(r"(/media/[^\s\"]*?)_[A-Za-z0-9]{7}(?=\.)")


def normalise(value: Any, key: str = "") -> Any:
    if key in VOLATILE_KEYS and value is not None:
        return f"<{key}>"
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str):
        return TAKEN_NAME_SUFFIX.sub(r"\1", ID_IN_URL.sub(r"/\1/<id>/", value))
    return value


def assert_matches_golden(name: str, data: dict) -> None:
    path = GOLDEN_DIR / f"{name}.json"
    text = json.dumps(normalise(data), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from {path}"


def test_group_json_matches_golden(client, demo_site):
    response = client.get("/api/v3/groups/southampton/")
    assert response.status_code == 200
    assert_matches_golden("group", response.json())


def test_event_json_matches_golden(client, demo_site):
    event = EventPage.objects.get(slug="sanctuary-in-parliament-2018")
    response = client.get(f"/api/v3/events/{event.pk}/")
    assert response.status_code == 200
    assert_matches_golden("event", response.json())


def test_letter_json_matches_golden(client, demo_site):
    response = client.get(
        "/api/v3/letters/invite-your-mp-sanctuary-in-parliament-2018/southampton-itchen/"
    )
    assert response.status_code == 200
    data = response.json()
    data["date"] = "<today>"
    assert_matches_golden("letter", data)


@pytest.mark.parametrize("name", ["group", "event", "letter", "near", "campaign", "answers"])
def test_golden_files_are_committed(name):
    assert (GOLDEN_DIR / f"{name}.json").is_file()


def test_an_event_whose_picture_file_is_missing_is_answered_without_a_picture(client, demo_site):
    """A picture whose file has gone (lost storage, a restore without media) must not turn the
    event's answer into an error: the event comes without its picture."""
    event = EventPage.objects.live().exclude(image=None).order_by("path").first()
    event.image.file.storage.delete(event.image.file.name)
    event.image.renditions.all().delete()

    response = client.get(f"/api/v3/events/{event.pk}/")

    assert response.status_code == 200
    assert response.json()["image"] is None
    assert response.json()["title"] == event.title
