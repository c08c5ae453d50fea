"""/api/v3/near/: the answer of the /near/ page as data, its outcomes as statuses (200, 400,
404, 503), answered from the imported postcode table or from a local stand-in for postcodes.io.
"""

from pathlib import Path

import pytest

from letters.importers import import_constituencies
from letters.postcode_import import import_postcodes
from tests.api.test_golden import assert_matches_golden
from tests.stub_server import Answer

# SO14 7LY: Southampton Itchen, which the demo's Southampton group covers (ONSPD columns).
SOUTHAMPTON = "pcds,dointr,doterm,pcon,lat,long\nSO14 7LY,199606,,E14001499,50.90395,-1.39779\n"


@pytest.fixture
def southampton_imported(demo_site, tmp_path: Path) -> None:
    path = tmp_path / "southampton.csv"
    path.write_text(SOUTHAMPTON, encoding="utf-8")
    import_postcodes(path)


def near(client, postcode: str):
    return client.get("/api/v3/near/", {"postcode": postcode})


def test_found_from_the_imported_table(client, postcodes_io, southampton_imported, open_campaign):
    response = near(client, "so14 7ly")

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["postcode"]) == ("found", "SO14 7LY")
    assert body["constituency"]["slug"] == "southampton-itchen"
    assert body["mp_contact"]["postal_address"] == (
        "Darren Paffey, House of Commons, London SW1A 0AA"
    )
    assert [group["slug"] for group in body["covering_groups"]] == ["southampton"]
    assert body["nearest_groups"][0]["slug"] == "southampton"
    assert body["nearest_groups"][0]["distance_km"] < 5
    assert body["letters"][0]["downloads"]["docx"].endswith("/southampton-itchen/docx/")
    # The invitation campaign is current: its "I've sent it" page for this constituency.
    assert body["letters"][0]["sent_url"] == (
        "http://testserver/letters/invite-your-mp-sanctuary-in-parliament-2018/"
        "southampton-itchen/sent/"
    )
    assert body["html_url"] == "http://testserver/near/?postcode=SO14+7LY"
    assert postcodes_io.requests == []  # answered without a third party


def test_near_json_matches_golden(client, postcodes_io, southampton_imported, open_campaign):
    response = near(client, "SO14 7LY")
    assert response.status_code == 200
    data = response.json()
    for event in data["events"]:  # the demo's upcoming events are dated from today
        event.update(start="<start>", end="<end>")
    assert_matches_golden("near", data)


def test_a_constituency_not_loaded_still_answers_with_what_is_near(
    client, postcodes_io, demo_site, tmp_path
):
    path = tmp_path / "sevenoaks.csv"
    path.write_text(
        "pcds,dointr,doterm,pcon,lat,long\nBR8 7RE,198001,,E14001465,51.401546,0.195405\n",
        encoding="utf-8",
    )
    import_postcodes(path)

    response = near(client, "BR8 7RE")

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["constituency"], body["mp_contact"]) == (
        "constituency-not-loaded",
        None,
        None,
    )
    assert body["latitude"] == 51.401546
    assert body["message"].startswith("BR8 7RE is in the constituency E14001465, but we do not")


@pytest.mark.parametrize(
    ("postcode", "outcome"),
    [("", "empty"), ("hello", "malformed"), ("SO14", "partial")],
)
def test_text_that_is_not_a_postcode_is_a_400_naming_it(
    client, db, postcodes_io, postcode, outcome
):
    response = near(client, postcode)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0] == {
        "parameter": "postcode",
        "message": response.json()["errors"][0]["message"],
        "type": outcome,
    }


def test_no_westminster_constituency_is_a_404_saying_why(client, db, postcodes_io, tmp_path):
    path = tmp_path / "withdrawn.csv"
    path.write_text(
        "pcds,dointr,doterm,pcon,lat,long\nSE1 9ZZ,199806,199812,E14001085,51.506903,-0.100841\n",
        encoding="utf-8",
    )
    import_postcodes(path)
    for postcode, outcome, words in [
        ("SE1 9ZZ", "terminated", "withdrawn in December 1998"),
        ("JE2 4WD", "not-westminster", "Jersey"),
        ("BFPO 123", "not-westminster", "British Forces Post Office"),
        ("SW1A 9ZZ", "not-found", "could not find SW1A 9ZZ"),  # postcodes.io's 404
    ]:
        response = near(client, postcode)
        assert response.status_code == 404, postcode
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"][0]["type"] == outcome
        assert words in response.json()["detail"]


def test_postcode_service_down_is_a_503_and_not_cached(client, db, postcodes_io):
    postcodes_io.routes["/postcodes/SO147LY"] = Answer(status=502, body="down")

    response = near(client, "SO14 7LY")

    assert response.status_code == 503
    assert "constituency or MP name" in response.json()["detail"]
    assert near(client, "SO14 7LY").status_code == 503
    assert postcodes_io.count("/postcodes/SO147LY") == 2  # the fault was not kept


def test_the_openapi_document_states_every_outcome(client, db):
    operation = client.get("/api/v3/openapi.json").json()["paths"]["/api/v3/near/"]["get"]
    assert operation["operationId"] == "near"
    responses = operation["responses"]
    for status in ("400", "404", "429", "503"):
        assert "application/problem+json" in responses[status]["content"], status
    assert "application/json" in responses["200"]["content"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["postcode"]["required"] is True


def test_the_sample_from_the_table_matches_the_page(client, postcodes_io, demo_site, shared_data):
    import_constituencies(shared_data / "dfe_mp_lookup.csv")
    import_postcodes(shared_data / "onspd_postcode_pcon24_sample.csv")
    for postcode, name in [
        ("AB10 1PE", "Aberdeen North"),
        ("SE1 2DL", "Bermondsey and Old Southwark"),
        ("M1 1AD", "Manchester Central"),
    ]:
        body = near(client, postcode).json()
        assert body["constituency"]["name"] == name
        assert name in client.get("/near/", {"postcode": postcode}).content.decode()
    assert postcodes_io.requests == []
