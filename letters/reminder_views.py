"""/campaign-email/<token>/: the signed links of the campaign emails (letters/reminders.py).

GET shows what the link will do and a button; only the button's POST records an answer or
deletes the address, so mail scanners that open links change nothing. A POST needs no CSRF
token: the signed token is the credential, and RFC 8058 one-click unsubscribe (the
List-Unsubscribe-Post header) posts to the withdraw link without one. An expired, tampered or
used-up link answers 400 or 410 with a message and changes nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from letters.assembly import MP_NAME_FALLBACK
from letters.models import VisitorAnswer
from letters.reminders import (
    WITHDRAW,
    LinkProblem,
    read_link,
    record_answer,
    shown_letter,
    withdraw,
)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_email_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = read_link(token)
    except LinkProblem as problem:
        return private(
            TemplateResponse(
                request,
                "letters/email_link.html",
                {"problem": problem.message},
                status=problem.status,
            )
        )
    signup = link.signup
    constituency = signup.constituency
    context = {
        # The letter's title in the language of the page (the Welsh version where there is one).
        "letter": shown_letter(signup.letter, translation.get_language()),
        "constituency": constituency,
        "mp_name": constituency.current_mp_name or MP_NAME_FALLBACK,
        "withdraw": link.action == WITHDRAW,
        "answer_label": "" if link.action == WITHDRAW else VisitorAnswer.Answer(link.action).label,
        "done": request.method == "POST",
    }
    if request.method == "POST":
        if link.action == WITHDRAW:
            withdraw(signup)
        else:
            record_answer(signup, link.action)
    return private(TemplateResponse(request, "letters/email_link.html", context))


def private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response
