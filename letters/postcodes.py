"""Postcode to constituency: from our own postcode table, else through postcodes.io.

When the ONS Postcode Directory has been imported (`manage.py import_postcodes`, the
`Postcode` table), a postcode it holds is answered from it with no request to anyone;
postcodes.io answers the rest (every postcode while the table is empty).

People type postcodes in every case and spacing, and mix up O/0 and I/1; we repair what the
UK format makes unambiguous, say plainly what is wrong otherwise, and never let a slow or
broken lookup service turn into an error page: it becomes an outcome the page can explain.
"""

import datetime
import logging
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import report_fault
from letters.models import Constituency, Postcode

logger = logging.getLogger(__name__)

# The Royal Mail format: outward code (area, district, optional sub-district letter) and an
# inward code of a digit and two letters from a reduced alphabet.
FULL_POSTCODE = re.compile(
    r"^(?P<outward>[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?))"
    r"(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$"
)
OUTWARD_ONLY = re.compile(r"^[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?)$")
BFPO = re.compile(r"^BFPO[0-9]{1,4}$")
CROWN_DEPENDENCY_AREAS = {"JE": _("Jersey"), "GY": _("Guernsey"), "IM": _("the Isle of Man")}
# Overseas territories with UK-style postcodes (outward codes).
OVERSEAS_TERRITORY_OUTWARDS = {
    "ASCN": _("Ascension Island"),
    "BBND": _("the British Indian Ocean Territory"),
    "BIQQ": _("the British Antarctic Territory"),
    "FIQQ": _("the Falkland Islands"),
    "GX11": _("Gibraltar"),
    "PCRN": _("the Pitcairn Islands"),
    "SIQQ": _("South Georgia and the South Sandwich Islands"),
    "STHL": _("Saint Helena"),
    "TDCU": _("Tristan da Cunha"),
    "TKCA": _("the Turks and Caicos Islands"),
}
# ONS pseudo-codes for places outside the Westminster constituencies (Channel Islands, IoM).
NOT_WESTMINSTER_CODES = {"L99999999", "M99999999"}
# v2: answers carry the postcode's latitude and longitude.
CACHE_PREFIX = "postcodes-io:v2:"
CACHE_SECONDS = 24 * 60 * 60


class PostcodeOutcome(StrEnum):
    FOUND = "found"
    EMPTY = "empty"
    MALFORMED = "malformed"
    PARTIAL = "partial"
    NOT_FOUND = "not-found"
    TERMINATED = "terminated"
    NOT_WESTMINSTER = "not-westminster"
    CONSTITUENCY_NOT_LOADED = "constituency-not-loaded"
    SERVICE_DOWN = "service-down"


@dataclass(frozen=True)
class PostcodeLookup:
    outcome: PostcodeOutcome
    message: str
    postcode: str = ""
    constituency: Constituency | None = None
    # Where the postcode is (its centre, from postcodes.io), when known; terminated postcodes
    # and constituencies we have not loaded have one too, so nearby groups can still be shown.
    latitude: float | None = None
    longitude: float | None = None

    @property
    def found(self) -> bool:
        return self.outcome is PostcodeOutcome.FOUND

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def fault(self) -> bool:
        return self.outcome is PostcodeOutcome.SERVICE_DOWN


def compact(raw: str) -> str:
    return "".join(raw.split()).upper()


def format_postcode(compacted: str) -> str:
    """ "SO140AA" -> "SO14 0AA"."""
    return f"{compacted[:-3]} {compacted[-3:]}"


_AS_DIGIT = str.maketrans({"O": "0", "I": "1"})
_AS_LETTER = str.maketrans({"0": "O", "1": "I"})


def repair_slips(compacted: str) -> str:
    """Swap O/0 and I/1 only in positions where the format allows just a letter or a digit.

    The inward code always starts with a digit; the outward code always starts with a letter;
    a four-character outward code is always two letters then a digit. Other positions may be
    either, so they are left alone rather than guessed.
    """
    if len(compacted) < 5 or len(compacted) > 7:
        return compacted
    outward, inward = compacted[:-3], compacted[-3:]
    inward = inward[0].translate(_AS_DIGIT) + inward[1:]
    chars = list(outward)
    chars[0] = chars[0].translate(_AS_LETTER)
    if len(chars) == 2:
        chars[1] = chars[1].translate(_AS_DIGIT)
    elif len(chars) == 4:
        chars[1] = chars[1].translate(_AS_LETTER)
        chars[2] = chars[2].translate(_AS_DIGIT)
    return "".join(chars) + inward


def repair_outward_slips(compacted: str) -> str:
    chars = list(compacted)
    if chars:
        chars[0] = chars[0].translate(_AS_LETTER)
    if len(chars) == 4:
        chars[1] = chars[1].translate(_AS_LETTER)
        chars[2] = chars[2].translate(_AS_DIGIT)
    return "".join(chars)


def normalise_postcode(raw: str) -> str | None:
    """The postcode in its standard form ("SO14 0AA"), or None if it is not one."""
    compacted = repair_slips(compact(raw))
    if FULL_POSTCODE.match(compacted):
        return format_postcode(compacted)
    return None


def _not_westminster(place: str, postcode: str) -> PostcodeLookup:
    return PostcodeLookup(
        PostcodeOutcome.NOT_WESTMINSTER,
        gettext("%(postcode)s is in %(place)s, which is not represented by an MP at Westminster.")
        % {"postcode": postcode, "place": place},
        postcode=postcode,
    )


def _forces_post_office(postcode: str) -> PostcodeLookup:
    return PostcodeLookup(
        PostcodeOutcome.NOT_WESTMINSTER,
        gettext(
            "%(postcode)s is a British Forces Post Office address, which is not represented by "
            "an MP at Westminster. Use the postcode of your UK home address instead."
        )
        % {"postcode": postcode},
        postcode=postcode,
    )


def classify_postcode(raw: str) -> PostcodeLookup | str:
    """Everything that can be said without asking postcodes.io; else the normalised postcode."""
    compacted = compact(raw)
    if not compacted:
        return PostcodeLookup(
            PostcodeOutcome.EMPTY, gettext("Enter a postcode, for example SO14 0AA.")
        )
    if BFPO.match(compacted):
        return _forces_post_office(f"BFPO {compacted[4:]}")
    repaired = repair_slips(compacted)
    if len(repaired) >= 7 and repaired[:4] in OVERSEAS_TERRITORY_OUTWARDS:
        return _not_westminster(
            OVERSEAS_TERRITORY_OUTWARDS[repaired[:4]], format_postcode(repaired)
        )
    if FULL_POSTCODE.match(repaired):
        postcode = format_postcode(repaired)
        area = re.match(r"^[A-Z]+", repaired).group()
        if area in CROWN_DEPENDENCY_AREAS:
            return _not_westminster(CROWN_DEPENDENCY_AREAS[area], postcode)
        return postcode
    outward = repair_outward_slips(compacted)
    if len(compacted) <= 4 and OUTWARD_ONLY.match(outward):
        return PostcodeLookup(
            PostcodeOutcome.PARTIAL,
            gettext(
                "%(outward)s is only the first half of a postcode. Enter your full postcode, "
                "with the three characters after %(outward)s."
            )
            % {"outward": outward},
            postcode=outward,
        )
    return PostcodeLookup(
        PostcodeOutcome.MALFORMED,
        gettext(
            "That is not a UK postcode. Check it and try again; a postcode looks like SO14 0AA."
        ),
    )


def lookup_postcode(raw: str) -> PostcodeLookup:
    """The constituency for a postcode, with a plain-English outcome whatever happens."""
    classified = classify_postcode(raw)
    if isinstance(classified, PostcodeLookup):
        return classified
    postcode = classified
    answer = answer_from_table(postcode) or _cached_answer(postcode)
    if answer is None:
        # Whatever page shows this must not be kept: the service may answer a minute later.
        report_fault("the postcode lookup service is not answering")
        return PostcodeLookup(
            PostcodeOutcome.SERVICE_DOWN,
            gettext(
                "The postcode lookup service is not answering just now. Try again later, or "
                "search by your constituency or MP name instead."
            ),
            postcode=postcode,
        )
    return _lookup_from_answer(postcode, answer)


def _lookup_from_answer(postcode: str, answer: dict[str, Any]) -> PostcodeLookup:
    kind = answer["kind"]
    where = {"latitude": answer.get("latitude"), "longitude": answer.get("longitude")}
    if kind == "terminated":
        ended = answer.get("ended") or answer.get("year")
        if isinstance(ended, datetime.date):  # the month in the visitor's language
            ended = date_format(ended, "F Y")
        if ended:
            message = gettext(
                "%(postcode)s is no longer in use (it was withdrawn in %(ended)s). Try the "
                "postcode you use now, or search by your constituency or MP name."
            )
        else:
            message = gettext(
                "%(postcode)s is no longer in use (it was withdrawn). Try the postcode you use "
                "now, or search by your constituency or MP name."
            )
        return PostcodeLookup(
            PostcodeOutcome.TERMINATED,
            message % {"postcode": postcode, "ended": ended},
            postcode=postcode,
            **where,
        )
    if kind == "not-found":
        return PostcodeLookup(
            PostcodeOutcome.NOT_FOUND,
            gettext(
                "We could not find %(postcode)s. Check it, or search by your constituency or MP "
                "name."
            )
            % {"postcode": postcode},
            postcode=postcode,
        )
    gss_code = answer["gss_code"]
    if gss_code in NOT_WESTMINSTER_CODES:
        return _not_westminster(gettext("a Crown dependency"), postcode)
    constituency = Constituency.objects.filter(gss_code=gss_code).first()
    if constituency is None:
        # The imported directory gives only the code; postcodes.io gives the name too.
        name = answer.get("name") or gettext("the constituency %(code)s") % {"code": gss_code}
        return PostcodeLookup(
            PostcodeOutcome.CONSTITUENCY_NOT_LOADED,
            gettext(
                "%(postcode)s is in %(name)s, but we do not have that constituency's details "
                "yet. Search by its name or your MP's name instead."
            )
            % {"postcode": postcode, "name": name},
            postcode=postcode,
            **where,
        )
    return PostcodeLookup(
        PostcodeOutcome.FOUND,
        gettext("%(postcode)s is in %(name)s.") % {"postcode": postcode, "name": constituency.name},
        postcode=postcode,
        constituency=constituency,
        **where,
    )


def answer_from_table(postcode: str) -> dict[str, Any] | None:
    """The imported directory's answer, in postcodes.io's reduced shape; None when the table
    does not hold the postcode (or holds it with no constituency), so postcodes.io is asked."""
    row = (
        Postcode.objects.filter(postcode=postcode)
        .values_list("gss_code", "latitude", "longitude", "terminated")
        .first()
    )
    if row is None:
        return None
    gss_code, latitude, longitude, terminated = row
    where = coordinates({"latitude": latitude, "longitude": longitude})
    if terminated is not None:
        return {
            "kind": "terminated",
            "year": terminated.year,
            "ended": terminated,
            **where,
        }
    if not gss_code:
        return None
    return {"kind": "found", "gss_code": gss_code, "name": "", **where}


def _cached_answer(postcode: str) -> dict[str, Any] | None:
    """postcodes.io's answer, cached when it is a real answer; None if the service failed."""
    key = CACHE_PREFIX + postcode.replace(" ", "")
    answer = cache.get(key)
    if answer is None:
        answer = fetch_postcode_answer(postcode)
        if answer is not None:
            cache.set(key, answer, CACHE_SECONDS)
    return answer


def fetch_postcode_answer(postcode: str) -> dict[str, Any] | None:
    """Ask postcodes.io once, within the timeout; reduce the answer to what we need."""
    url = f"{settings.POSTCODES_IO_BASE_URL.rstrip('/')}/postcodes/{postcode.replace(' ', '')}"
    try:
        response = requests.get(url, timeout=settings.POSTCODES_IO_TIMEOUT)
        body = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("postcodes.io lookup failed for %s: %s", postcode, error)
        return None
    if not isinstance(body, dict):
        logger.warning("postcodes.io answered %s with a non-object", postcode)
        return None
    if response.status_code == 404:
        terminated = body.get("terminated")
        if isinstance(terminated, dict):
            return {
                "kind": "terminated",
                "year": terminated.get("year_terminated"),
                **coordinates(terminated),
            }
        return {"kind": "not-found"}
    if response.status_code != 200:
        logger.warning("postcodes.io answered %s with %s", postcode, response.status_code)
        return None
    result = body.get("result")
    codes = result.get("codes") if isinstance(result, dict) else None
    if not isinstance(codes, dict):
        logger.warning("postcodes.io answer for %s has no codes", postcode)
        return None
    gss_code = codes.get("parliamentary_constituency_2024") or codes.get(
        "parliamentary_constituency"
    )
    if not isinstance(gss_code, str) or not gss_code:
        logger.warning("postcodes.io answer for %s has no constituency code", postcode)
        return None
    name = result.get("parliamentary_constituency_2024") or result.get("parliamentary_constituency")
    return {
        "kind": "found",
        "gss_code": gss_code,
        "name": name if isinstance(name, str) else "",
        **coordinates(result),
    }


def coordinates(place: dict[str, Any]) -> dict[str, float | None]:
    """The latitude and longitude postcodes.io gives, or None for each when they are not
    plausible numbers (postcodes.io has no coordinates for some postcodes)."""
    latitude, longitude = place.get("latitude"), place.get("longitude")
    numbers = all(
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        for value in (latitude, longitude)
    )
    if not numbers or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return {"latitude": None, "longitude": None}
    return {"latitude": float(latitude), "longitude": float(longitude)}
