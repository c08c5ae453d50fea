"""Every one of the 650 constituencies in ../shared/data gets a valid Word letter."""

import csv
import io

import docx
import pytest

from letters.assembly import assemble_letter, coverage_for, name_without_title
from letters.importers import import_constituencies
from letters.models import Constituency, LetterPage
from letters.placeholders import unreplaced_placeholders
from letters.renderers import render_letter_docx

pytestmark = pytest.mark.django_db


def test_every_constituency_gets_a_docx_naming_it_and_its_mp(shared_data, demo_site):
    lookup = shared_data / "dfe_mp_lookup.csv"
    import_constituencies(lookup)
    with lookup.open(encoding="utf-8-sig", newline="") as rows:
        expected = {
            row["pcon_code"]: (row["pcon_name"], row["display_as"]) for row in csv.DictReader(rows)
        }
    assert len(expected) == 650

    letter_page = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
    constituencies = list(Constituency.objects.filter(gss_code__in=expected))
    assert len(constituencies) == 650
    coverage = coverage_for(constituencies)
    for constituency in constituencies:
        name, mp = expected[constituency.gss_code]
        letter = assemble_letter(letter_page, constituency, coverage[constituency.pk])
        document = docx.Document(io.BytesIO(render_letter_docx(letter)))
        paragraphs = [p.text for p in document.paragraphs]
        text = "\n".join(paragraphs)
        assert f"Member of Parliament for {name}" in text, name
        # "Mr Connor Rand" is greeted "Dear Connor Rand" (test_letter_assembly tests the titles).
        assert f"Dear {name_without_title(mp)}" in paragraphs, name
        assert unreplaced_placeholders(text) == [], name
