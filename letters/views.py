"""/find-your-mp/: the standalone public MP search (letter pages embed the same component)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.security import is_search, rate_limited
from letters.find_mp import FindYourMPForm


@require_GET
@rate_limited("postcode-lookup", when=is_search)
def find_your_mp(request: HttpRequest) -> HttpResponse:
    form = FindYourMPForm(request.GET if "q" in request.GET else None)
    result = form.find()
    return render(request, "letters/find_your_mp.html", {"form": form, "result": result})
