"""What the Welsh tests read: the interface catalogue, and the English strings left on a page."""

import re
from pathlib import Path

import polib
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def english_interface_strings() -> list[str]:
    """The msgids of the .po file as they would show on a page (HTML-escaped quotes aside).
    Entries of context "name" are names a page's own text uses too ("Refugee Week", a tag and
    an achievement kind): the English text copied into a test translation would match them."""
    strings = []
    for entry in polib.pofile(str(PO_FILE)):
        if entry.msgctxt == "name":
            continue
        if "%(" in entry.msgid:
            prefix = entry.msgid.split("%(")[0].strip()
            if len(prefix.split()) >= 3:  # shorter ones ("News from") are common words
                strings.append(prefix)
        else:
            strings.append(entry.msgid)
    return [s for s in strings if s]


def untranslated_strings_in(html: str) -> list[str]:
    """English interface strings shown where the page's own text is not: the chrome, headings,
    labels, buttons, messages and the choices of filters (a string of one word counts only as a
    whole element's text or an attribute)."""
    found = []
    for msgid in english_interface_strings():
        if " " in msgid:
            if msgid in html:
                found.append(msgid)
        elif re.search(
            rf'>\s*{re.escape(msgid)}\s*<|(aria-label|title|placeholder|alt)="{re.escape(msgid)}"',
            html,
        ):
            found.append(msgid)
    return found
