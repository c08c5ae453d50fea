"""Letter files for download: rendered once per unchanged letter (cached), and counted.

The cache key is built from everything that shapes a letter: the letter page's live
revision, the constituency and its MP data, the covering group's and achievements'
revisions, the format, and a digest of the assembled letter itself, so a publish or an MP
change can never serve a stale file. Letters a visitor personalised are never cached.
"""

import hashlib
from collections.abc import Sequence

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.cache import for_this_generation
from letters.assembly import ENGLISH, Coverage, Visitor, assemble_letter, coverage_for
from letters.campaign import answers_for_letters
from letters.models import Constituency, InvitationSent, LetterDownload, LetterPage
from letters.renderers import FORMATS, Letters

CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = "2"  # bump when a renderer's output changes for the same letter


def letter_cache_key(
    letter_page: LetterPage,
    constituency: Constituency,
    coverage: Coverage,
    letter: Letters,
    format_name: str,
    templates: Sequence[tuple[LetterPage, str]] = (),
) -> str:
    """The cache key of one rendered letter file (readable prefix, digest of the rest);
    `templates` are the letter's versions in each of its languages, when not just English."""
    mp_data = (
        constituency.mp_updated_at.isoformat() if constituency.mp_updated_at else "",
        constituency.current_mp_name,
        constituency.current_mp_full_title,
        constituency.name,
    )
    parts = (
        CACHE_VERSION,
        str(letter_page.live_revision_id),
        *(f"{page.pk}.{page.live_revision_id}.{language}" for page, language in templates),
        *mp_data,
        coverage.version,
        repr(letter),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    languages = "+".join(language for _, language in templates) or ENGLISH
    return f"letters:{format_name}:{languages}:{letter_page.pk}:{constituency.pk}:{digest}"


def letter_file(
    letter_page: LetterPage,
    constituency: Constituency,
    format_name: str,
    coverage: Coverage,
    visitor: Visitor | None = None,
    templates: Sequence[tuple[LetterPage, str]] = (),
    answer: str | None = None,
) -> tuple[Letters, bytes]:
    """The assembled letter and its file in `format_name`, from the cache where possible
    (the key holds the assembled letter, so the MP's answer's wording too).

    `templates` gives the letter's template for each language the file holds, in order
    (`LetterVersions.templates_for`); by default the file is `letter_page` in English."""
    letter_format = FORMATS[format_name]
    letters = tuple(
        assemble_letter(page, constituency, coverage, visitor, language=language, answer=answer)
        for page, language in templates or ((letter_page, ENGLISH),)
    )
    letter = letters[0] if len(letters) == 1 else letters
    if visitor is not None and not visitor.is_empty:
        return letter, letter_format.render(letter)
    key = letter_cache_key(letter_page, constituency, coverage, letter, format_name, templates)
    data = cache.get(key)
    if data is None:
        data = letter_format.render(letter)
        cache.set(key, data, CACHE_SECONDS)
    return letter, data


def public_letter_file(
    letter_page: LetterPage,
    constituency: Constituency,
    format_name: str,
    templates: Sequence[tuple[LetterPage, str]] = (),
    filename_suffix: str = "",
) -> tuple[str, bytes]:
    """The file name and bytes of an unpersonalised letter, built once per content generation.

    A campaign day's downloads are mostly the same few files; the generation changes with
    every publish, MP correction and midnight (the letter is dated), so a repeat download
    needs neither the covering group's queries nor the assembly, and is never stale. The key
    names each language's template, so a Welsh file never answers an English request.
    """

    def build() -> tuple[str, bytes]:
        coverage = coverage_for([constituency])[constituency.pk]
        answer = answers_for_letters(letter_page, [constituency]).get(constituency.pk)
        letter, data = letter_file(
            letter_page, constituency, format_name, coverage, templates=templates, answer=answer
        )
        return FORMATS[format_name].filename(letter, filename_suffix), data

    languages = "+".join(f"{page.pk}-{language}" for page, language in templates) or ENGLISH
    key = f"letter-file:{letter_page.pk}:{constituency.pk}:{format_name}:{languages}"
    return for_this_generation(key, build)


def count_download(letter_page: LetterPage, constituency: Constituency, format_name: str) -> None:
    """Add one to today's download count of this letter, constituency and format."""
    add_to_todays_count(
        LetterDownload, letter=letter_page, constituency=constituency, format=format_name
    )


def add_to_todays_count(model: type[LetterDownload | InvitationSent], **row: object) -> None:
    """Add one to today's row of a per-day counter (downloads, invitations sent), atomically,
    in one query (two on the day's first count). The model has a unique constraint on these
    fields and the date, and a `count`."""
    row["date"] = timezone.localdate()
    if model.objects.filter(**row).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            model.objects.create(**row, count=1)
    except IntegrityError:
        # Another request created today's row first; add to it instead.
        model.objects.filter(**row).update(count=F("count") + 1)
