"""English and Welsh: which page is the same page in the other language, and what a visitor is
shown when it has not been translated yet.

Each language has its own page tree (Wagtail's internationalisation; Welsh under /cy/). A page
and its translations share a `translation_key`; an alias in the other tree (what
wagtail-localize creates for a parent not translated yet) carries English content and counts
as not translated.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.views.decorators.http import require_safe
from wagtail.models import Page

from core.cache import for_this_generation
from core.query import OutsideHiddenSections, active_content_language

# What each language is called in itself (the switcher's labels) and its BCP 47 tag.
LANGUAGE_NAMES = {"en-gb": "English", "cy": "Cymraeg"}
LANGUAGE_TAGS = {"en-gb": "en-GB", "cy": "cy"}


def language_tag(code: str) -> str:
    return LANGUAGE_TAGS.get(code, code)


@dataclass
class Alternate:
    """The same page in one language: where it is, and whether it has been translated."""

    code: str
    url: str
    translated: bool

    @property
    def tag(self) -> str:
        return language_tag(self.code)

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES.get(self.code, self.code)


def other_languages() -> list[str]:
    current = active_content_language()
    return [code for code, _name in settings.LANGUAGES if code != current]


def translations_of(page: Page) -> dict[str, Page]:
    """The live, translated (not alias) versions of `page` by language, itself included: one
    query, kept for the content generation like the site chrome (a publish starts a new one)."""
    return for_this_generation(
        f"translations:v1:{page.translation_key}", lambda: find_translations(page)
    )


def find_translations(page: Page) -> dict[str, Page]:
    pages = (
        Page.objects.filter(translation_key=page.translation_key, live=True, alias_of__isnull=True)
        .filter(OutsideHiddenSections())
        .select_related("locale")
        .only("url_path", "path", "depth", "locale__language_code", "translation_key")
    )
    return {translated.locale.language_code: translated for translated in pages}


def alternates_for(request: HttpRequest, page: object) -> list[Alternate]:
    """The current address in every language, in LANGUAGES order.

    For a page, its translation (with a route's remaining segments, such as a group's
    `events/`, kept) or, when there is none, the page that says so. For any other view
    (search, Find your MP, an error page), the same address with the other prefix.
    """
    alternates = []
    if isinstance(page, Page) and page.pk:
        found = translations_of(page)
        own_url = page.get_url(request=request) or ""
        suffix = request.path.removeprefix(own_url) if request.path.startswith(own_url) else ""
        for code, _name in settings.LANGUAGES:
            translated = found.get(code)
            if translated is not None:
                url = (translated.get_url(request=request) or "") + suffix
                alternates.append(Alternate(code, url, True))
            else:
                with translation.override(code):
                    url = reverse("untranslated", kwargs={"page_id": page.pk})
                alternates.append(Alternate(code, url, False))
        return alternates
    for code, _name in settings.LANGUAGES:
        alternates.append(Alternate(code, translate_url(request.get_full_path(), code), True))
    return alternates


@require_safe
def untranslated(request: HttpRequest, page_id: int) -> HttpResponse:
    """/cy/untranslated/<id>/: says, in Welsh, that a page is not in Welsh yet, and offers the
    English one (and the same the other way round). A page translated since is redirected to."""
    page = (
        Page.objects.filter(pk=page_id, live=True, alias_of__isnull=True)
        .filter(OutsideHiddenSections())
        .select_related("locale")
        .first()
    )
    if page is None:
        raise Http404
    language = active_content_language()
    translated = translations_of(page).get(language)
    if translated is not None:
        return redirect(translated.get_url(request=request))
    return render(
        request,
        "network/untranslated.html",
        {
            "original": page,
            "original_url": page.get_url(request=request),
            "original_tag": language_tag(page.locale.language_code),
            "no_index": True,
        },
    )
