"""The site search (/search/): pages, and the constituencies and MPs a visitor names.

Pages come from Wagtail's search backend (the database backend: SQLite's full-text search in
development, PostgreSQL's in production). Constituencies are not pages: a name or MP search
("Paffey", "Itchen", "Ynys Mon") is answered from our own table by Find your MP's name search
(letters/find_mp.py), and each constituency found leads to its letter in the current
campaigns and to the group that covers it. A postcode is not looked up here (that would ask
postcodes.io on every search): the page points to /near/ instead.
"""

import re

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.pagination import paginate
from core.query import all_pages
from letters.find_mp import FindOutcome, FindResult, find_by_name, looks_like_postcode

RESULTS_PER_PAGE = 10


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the site"), max_length=200, required=False)


def search_words(query: str) -> str:
    """The query's words only. The backends parse what they are given (SQLite's FTS5 failed
    on a lone `"`), and visitors search for words, not syntax."""
    return " ".join(re.findall(r"\w+", query))


def constituencies_named(query: str) -> FindResult | None:
    """Constituencies whose name or MP's name holds the query; None for a postcode or no match."""
    if looks_like_postcode(query):
        return None
    result = find_by_name(query)
    return result if result.outcome is FindOutcome.FOUND else None


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = " ".join(form.cleaned_data["q"].split()) if form.is_valid() else ""
    results = constituencies = None
    if query:
        words = search_words(query)
        pages = all_pages().visible_to_public_for_search().specific()
        pages = pages.search(words) if words else pages.none()
        results = paginate(request, pages, per_page=RESULTS_PER_PAGE)
        # Constituencies head the first page of results only.
        if results.number == 1:
            constituencies = constituencies_named(query)
    return render(
        request,
        "network/search.html",
        {
            "form": form,
            "search_query": query,
            "results": results,
            "constituencies": constituencies,
            "looks_like_postcode": bool(query) and looks_like_postcode(query),
        },
    )
