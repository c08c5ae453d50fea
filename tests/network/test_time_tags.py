"""Dates in <time> elements, as lists and pages show them."""

import datetime

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load time_tags %}" + source).render(Context(context))


def test_a_date_reads_as_words_with_the_iso_date_for_machines():
    day = datetime.date(2018, 11, 12)
    assert render("{{ day|time_element }}", day=day) == (
        '<time datetime="2018-11-12">12 November 2018</time>'
    )
    assert render('{{ day|time_element:"F Y" }}', day=day) == (
        '<time datetime="2018-11-12">November 2018</time>'
    )


def test_no_date_shows_nothing():
    assert render("{{ day|time_element }}", day=None) == ""
    assert render("{{ missing|time_element }}") == ""
