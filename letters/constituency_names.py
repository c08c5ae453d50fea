"""How constituency and MP names are compared and turned into URL slugs.

Sources spell the same seat differently ("Bridlington and The Wolds" / "the Wolds",
"Glyndŵr" / "Glyndwr", "Aldridge-Brownhills"), and people type names without accents,
so matching and slugs work on an ASCII-folded, punctuation-free form of the name.
"""

import re
import unicodedata

from django.utils.text import slugify

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Drop accents ("Môn" -> "Mon") so that ASCII input and slugs match Welsh and Irish names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def match_key(text: str) -> str:
    """The form two names are compared in: lower case, no accents, "&" as "and", words only."""
    folded = ascii_fold(text).casefold().replace("&", " and ")
    return _NOT_ALPHANUMERIC.sub(" ", folded).strip()


def slug_for(name: str, taken: set[str], max_length: int = 120) -> str:
    """A URL slug from the name ("Ynys Môn" -> "ynys-mon"), suffixed until it is not taken."""
    base = slugify(ascii_fold(name))[:max_length].strip("-") or "constituency"
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = base[: max_length - len(suffix)] + suffix
        counter += 1
    return candidate
