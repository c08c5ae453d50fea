"""The public letter pages: find your MP, preview your letter, download it.

What a visitor types (name, address) arrives by POST, so it never lands in a URL, an access
log, browser history or a Referer header; it fills one response and is then forgotten.
Those responses are marked `private, no-store` and are never cached by us either.
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.views import serve as wagtail_serve

from core.security import is_same_origin_post
from letters.assembly import ENGLISH, MP_NAME_FALLBACK, Visitor, assemble_letter, coverage_for
from letters.campaign import answers_for_letters, right_follow_up
from letters.downloads import count_download, letter_file, public_letter_file
from letters.find_mp import FindYourMPForm
from letters.invitations import campaign_counter, has_sent, record_sent
from letters.letter_languages import (
    CHOICES,
    PARAMETER,
    LanguageChoice,
    LanguageRefused,
    LetterVersions,
    choices_for,
    requested_choice,
    versions_of,
)
from letters.models import Constituency, LetterPage
from letters.placeholders import strip_control_characters
from letters.reminders import EmailSignupForm, sign_up
from letters.renderers import FORMATS, render_letter_html
from letters.sending import how_to_send

ONE_CLICK = "one_click"  # the field of the preview's "I've sent my letter" button
NAME_MAX = 100
ADDRESS_MAX = 300
ADDRESS_MAX_LINES = 8


class PlainTextField(forms.CharField):
    """Text with control characters (including NUL) removed before it is validated."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return strip_control_characters(value, keep_newlines=self.multiline)


class VisitorDetailsForm(forms.Form):
    """The visitor's own name and address for the letter: optional, short, plain text."""

    name = PlainTextField(
        label=_("Your name"),
        required=False,
        max_length=NAME_MAX,
        error_messages={
            "max_length": format_lazy(
                _("Your name must be {limit} characters or fewer (it has %(show_value)d)."),
                limit=NAME_MAX,
            )
        },
    )
    address = PlainTextField(
        label=_("Your postal address"),
        multiline=True,
        required=False,
        max_length=ADDRESS_MAX,
        help_text=_("Your MP replies to constituents by post, so include your postcode."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": format_lazy(
                _("Your address must be {limit} characters or fewer (it has %(show_value)d)."),
                limit=ADDRESS_MAX,
            )
        },
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_address(self) -> str:
        lines = [" ".join(line.split()) for line in self.cleaned_data["address"].split("\n")]
        lines = [line for line in lines if line]
        if len(lines) > ADDRESS_MAX_LINES:
            raise forms.ValidationError(
                gettext("Your address must fit on %(limit)s lines (it has %(lines)s).")
                % {"limit": ADDRESS_MAX_LINES, "lines": len(lines)}
            )
        return "\n".join(lines)

    def visitor(self) -> Visitor:
        return Visitor(name=self.cleaned_data["name"], address=self.cleaned_data["address"])


def find_your_mp_view(request: HttpRequest, letter_page: LetterPage) -> HttpResponse:
    """The letter's public page: what we ask, and "Find your MP" by postcode or name."""
    form = FindYourMPForm(request.GET if "q" in request.GET else None)
    context = letter_page.get_context(request)
    context.update(
        {
            "form": form,
            "result": form.find(),
            "letter_url": letter_page.url,
            "counter": campaign_counter(letter_page),
        }
    )
    return TemplateResponse(request, "letters/letter_page.html", context)


@sensitive_post_parameters("name", "address")
def letter_preview_view(
    request: HttpRequest, letter_page: LetterPage, constituency_slug: str
) -> HttpResponse:
    """The letter for one constituency in HTML; a POST fills in the visitor's details.

    The page everyone shares on a campaign day carries no form, so no CSRF cookie, and the
    page cache serves it; the form is one link away, on the personalise page.
    """
    constituency = get_object_or_404(Constituency, slug=constituency_slug)
    answer, elsewhere = _follow_up(request, letter_page, constituency, "preview")
    if elsewhere is not None:
        return elsewhere
    if request.method != "POST":
        return _preview_response(request, letter_page, constituency, None, None, answer)
    versions = versions_of(letter_page)
    if campaign_closed(letter_page, versions):
        return _closed_response(request, letter_page, constituency)
    form, visitor = _visitor_form(request)
    return _preview_response(request, letter_page, constituency, form, visitor, answer, versions)


def letter_personalise_view(
    request: HttpRequest, letter_page: LetterPage, constituency_slug: str
) -> HttpResponse:
    """The preview with the form for the visitor's name and address (and its CSRF token).
    A closed campaign's letter takes no details (410): it is no longer to be sent."""
    constituency = get_object_or_404(Constituency, slug=constituency_slug)
    versions = versions_of(letter_page)
    if campaign_closed(letter_page, versions):
        return _closed_response(request, letter_page, constituency)
    answer, elsewhere = _follow_up(request, letter_page, constituency, "personalise")
    if elsewhere is not None:
        return elsewhere
    response = _preview_response(
        request, letter_page, constituency, VisitorDetailsForm(), None, answer, versions
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@sensitive_post_parameters("name", "address")
def letter_download_view(
    request: HttpRequest, letter_page: LetterPage, constituency_slug: str, format_name: str
) -> HttpResponse:
    """The letter as a file. Unpersonalised files come from the cache; every one is counted.
    A closed campaign's letter is not given at all (410): it is kept as a record, not sent."""
    if format_name not in FORMATS:
        raise Http404("No such format")
    constituency = get_object_or_404(Constituency, slug=constituency_slug)
    versions = versions_of(letter_page)
    if campaign_closed(letter_page, versions):
        return _closed_response(request, letter_page, constituency)
    answer, elsewhere = _follow_up(
        request, letter_page, constituency, "download", format_name=format_name
    )
    if elsewhere is not None:
        return elsewhere
    try:
        choice = requested_choice(_language_parameter(request), versions, constituency)
    except LanguageRefused as refused:
        return _language_refused(request, letter_page, constituency, refused.status, refused)
    if not versions.has(choice):
        return _language_refused(request, letter_page, constituency, 404, None)
    form, visitor = _visitor_form(request)
    if form.is_bound and visitor is None:
        return _preview_response(request, letter_page, constituency, form, None, answer, versions)
    letter_format = FORMATS[format_name]
    campaign_letter = versions.english  # what the reports count, whatever the language
    templates = _templates(versions, choice)
    if visitor is None:
        filename, data = public_letter_file(
            campaign_letter, constituency, format_name, templates, choice.filename_suffix
        )
    else:
        coverage = coverage_for([constituency])[constituency.pk]
        letter, data = letter_file(
            campaign_letter, constituency, format_name, coverage, visitor, templates, answer
        )
        filename = letter_format.filename(letter, choice.filename_suffix)
    count_download(campaign_letter, constituency, format_name)
    response = HttpResponse(data, content_type=letter_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if form.is_bound:
        patch_cache_control(response, private=True, no_store=True)
    else:
        # Every download is counted, so every one must reach this view: `no-cache` keeps the
        # page cache from answering for it and tells browsers and CDNs to ask each time.
        patch_cache_control(response, no_cache=True)
    return response


def invitation_sent_view(
    request: HttpRequest, letter_page: LetterPage, constituency_slug: str
) -> HttpResponse:
    """ "I've sent it": GET asks to confirm (a form with its CSRF token, so never cached); POST
    counts one invitation sent for this letter and constituency, once per browser, and thanks.
    Once the campaign has closed, a POST counts nothing (409) and the page says it closed.

    Reached by the one-click button of the cached preview (`one_click_sent_view`), which
    posts here with no CSRF token, so the preview stays cacheable. The Welsh
    page counts against the English letter, the campaign's (letters/invitations.py). A
    follow-up letter has no such page (404): it invites no one.
    """
    _only_invitations(letter_page)
    constituency = get_object_or_404(Constituency, slug=constituency_slug)
    # After the close (the event has passed) nothing is counted: the page says so instead.
    versions = versions_of(letter_page)
    closed = campaign_closed(letter_page, versions)
    counting = request.method == "POST" and not closed
    context = letter_page.get_context(request)
    context.update(
        {
            "constituency": constituency,
            "mp_name": constituency.current_mp_name or MP_NAME_FALLBACK,
            "already_sent": has_sent(request, letter_page, constituency),
            "thanks": counting,
            "campaign_closed": closed,
            "email_form": EmailSignupForm() if campaign_open(letter_page, versions) else None,
        }
    )
    status = 409 if request.method == "POST" and not counting else 200
    response = TemplateResponse(request, "letters/invitation_sent.html", context, status=status)
    if counting:
        record_sent(request, response, letter_page, constituency)
    patch_cache_control(response, private=True, no_store=True)
    return response


@csrf_exempt
def one_click_sent_view(request: HttpRequest, path: str) -> HttpResponse:
    """Every `…/sent/` address: the page, through Wagtail's `serve`, as any page is served.

    The button on the (page-cached) preview posts here with no CSRF token, so one click counts
    an invitation and the preview stays in the cache. A POST the browser says comes from the
    site's own pages (`is_same_origin_post`) needs no token: a page on another site cannot
    send one that passes. A POST from elsewhere keeps Django's CSRF check; the button's click
    from a browser that says nothing (its form's `one_click` field, and no Sec-Fetch-Site) is
    sent to the confirming page, whose form has a token: it still works, in two clicks. Only
    letter pages answer a POST under `…/sent/` (their `sent` route); a page type that ever
    takes one there must be as harmless to count twice.
    """
    same_origin = is_same_origin_post(request) if request.method == "POST" else None
    if same_origin:
        return wagtail_serve(request, path)
    if same_origin is None and request.method == "POST" and ONE_CLICK in request.POST:
        return HttpResponseRedirect(request.path, status=303)
    return csrf_protect(wagtail_serve)(request, path)


def campaign_closed(letter_page: LetterPage, versions: LetterVersions) -> bool:
    """Whether the campaign of the letter the visitor is on has closed: the page's own dates
    or its English version's, the campaign's letter (its Welsh copy's dates are its own field,
    copied from the English on publish, and could lag behind)."""
    return letter_page.is_closed or versions.english.is_closed


def campaign_open(letter_page: LetterPage, versions: LetterVersions) -> bool:
    """Open on the page and on its English version alike."""
    return letter_page.is_open and versions.english.is_open


def _closed_response(
    request: HttpRequest, letter_page: LetterPage, constituency: Constituency
) -> HttpResponse:
    """410 for what would send a closed campaign's letter (a download, the visitor's details):
    the archive note, where to go instead (the follow-up letters), and the record's address.
    Nothing is counted."""
    context = letter_page.get_context(request)
    context["constituency"] = constituency
    response = TemplateResponse(request, "letters/letter_closed.html", context, status=410)
    patch_cache_control(response, no_cache=True)
    return response


def _only_invitations(letter_page: LetterPage) -> None:
    if not letter_page.is_invitation:
        raise Http404("Only an invitation is counted as sent")


def _language_parameter(request: HttpRequest) -> str | None:
    """The visitor's language choice: a field of the personalise form, or the query's."""
    if request.method == "POST" and PARAMETER in request.POST:
        return request.POST[PARAMETER]
    return request.GET.get(PARAMETER)


def _templates(
    versions: LetterVersions, choice: LanguageChoice
) -> tuple[tuple[LetterPage, str], ...]:
    """The default, English-only file keeps its plain cache key and file name."""
    return () if choice.languages == (ENGLISH,) else versions.templates_for(choice)


def _language_refused(
    request: HttpRequest,
    letter_page: LetterPage,
    constituency: Constituency,
    status: int,
    refused: LanguageRefused | None,
) -> HttpResponse:
    """A language the letter does not come in: say why, and offer the English letter."""
    context = letter_page.get_context(request)
    context.update(
        {
            "constituency": constituency,
            "message": refused.message if refused is not None else "",
            "no_welsh_version": refused is None,
        }
    )
    return TemplateResponse(request, "letters/letter_language_refused.html", context, status=status)


def _follow_up(
    request: HttpRequest,
    letter_page: LetterPage,
    constituency: Constituency,
    route: str,
    **route_kwargs: str,
) -> tuple[str | None, HttpResponse | None]:
    """The MP's latest answer (follow-up letters only), and a redirect to the event's other
    follow-up letter when that one is the right one for this constituency.

    Redirected, not shown in place: the address, title, file name and download count then
    belong to the letter the visitor actually gets, and a shared link still leads each
    constituency to its own. 302 (307 for a POST, so the browser sends the visitor's name and
    address on, in the body) and never cached: the answer can change.
    """
    answer = answers_for_letters(letter_page, [constituency]).get(constituency.pk)
    right = right_follow_up(letter_page, answer)
    if right is None:
        return answer, None
    url = right.get_url(request) + right.reverse_subpage(
        route, kwargs={"constituency_slug": constituency.slug, **route_kwargs}
    )
    if query := request.META.get("QUERY_STRING"):
        url = f"{url}?{query}"
    response = HttpResponseRedirect(url, status=307 if request.method == "POST" else 302)
    patch_cache_control(response, no_cache=True)
    return answer, response


@sensitive_post_parameters("email")
def email_signup_view(
    request: HttpRequest, letter_page: LetterPage, constituency_slug: str
) -> HttpResponse:
    """The optional email sign-up of the "I've sent it" page: GET shows the form, POST keeps
    the address (with the consent box ticked) and queues the emails. Bad input: 400 and the
    form with its messages, nothing stored; a closed campaign takes no address (410), and a
    follow-up letter none at all (404: its emails would ask about an event that has passed,
    and its addresses would have no close to be deleted at)."""
    _only_invitations(letter_page)
    constituency = get_object_or_404(Constituency, slug=constituency_slug)
    form = EmailSignupForm(request.POST if request.method == "POST" else None)
    status, signed_up = 200, False
    versions = versions_of(letter_page)
    if not campaign_open(letter_page, versions):
        status, form = 410, None
    elif form.is_bound and form.is_valid():
        # The campaign's (English) letter, in the language of this page: the emails are
        # written in it and link to its pages.
        sign_up(
            versions.english,
            constituency,
            form.cleaned_data["email"],
            translation.get_language(),
        )
        signed_up = True
    elif form.is_bound:
        status = 400
    context = letter_page.get_context(request)
    context.update(
        {
            "constituency": constituency,
            "mp_name": constituency.current_mp_name or MP_NAME_FALLBACK,
            "email_form": form,
            "signed_up": signed_up,
        }
    )
    response = TemplateResponse(request, "letters/email_signup.html", context, status=status)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _visitor_form(request: HttpRequest) -> tuple[VisitorDetailsForm, Visitor | None]:
    if request.method != "POST":
        return VisitorDetailsForm(), None
    form = VisitorDetailsForm(request.POST)
    return form, (form.visitor() if form.is_valid() else None)


def _preview_response(
    request: HttpRequest,
    letter_page: LetterPage,
    constituency: Constituency,
    form: VisitorDetailsForm | None,
    visitor: Visitor | None,
    answer: str | None = None,
    versions: LetterVersions | None = None,
) -> HttpResponse:
    versions = versions or versions_of(letter_page)
    try:
        choice = requested_choice(_language_parameter(request), versions, constituency)
    except LanguageRefused as refused:
        return _language_refused(request, letter_page, constituency, refused.status, refused)
    # A letter without a Welsh version says so, and shows (and offers) the English one.
    shown = choice if versions.has(choice) else CHOICES[ENGLISH]
    coverage = coverage_for([constituency])[constituency.pk]
    letters = tuple(
        assemble_letter(page, constituency, coverage, visitor, language=language, answer=answer)
        for page, language in versions.templates_for(shown)
    )
    letter = letters[0] if len(letters) == 1 else letters
    choices = choices_for(constituency)
    context = letter_page.get_context(request)
    context.update(
        {
            "constituency": constituency,
            "mp_name": constituency.current_mp_name or MP_NAME_FALLBACK,
            "group": coverage.group,
            "letter": letters[0],
            "letter_html": render_letter_html(letters),
            "form": form,
            "formats": list(FORMATS.values()),
            "send": how_to_send(letter_page, constituency, letter),
            "counter": campaign_counter(letter_page),
            "language_choices": choices,
            "shown_language": shown,
            # Outside Wales there is one language, and the URLs stay as they always were.
            "language_query": f"?{PARAMETER}={shown.value}" if choices else "",
            "no_welsh_version": shown is not choice,
        }
    )
    bound = form is not None and form.is_bound
    status = 400 if bound and form.errors else 200
    response = TemplateResponse(request, "letters/letter_preview.html", context, status=status)
    if bound:
        patch_cache_control(response, private=True, no_store=True)
    return response
