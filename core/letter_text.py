"""How text that goes into letters to MPs is checked, for the layers below `letters`.

A local group writes its paragraph for the letters on its own page (`groups`), but the
closed set of `{placeholders}` belongs to `letters`, above it. The letters app registers its
check here when it is ready, as it registers the postcode lookup with `core.places`; the
group page calls `letter_text_errors()` and never imports upwards.
"""

from collections.abc import Callable

_checks: list[Callable[[str], list[str]]] = []


def register_letter_text_check(check: Callable[[str], list[str]]) -> None:
    """`check(text)` answers the problems it finds in `text`, each a sentence for the editor."""
    if check not in _checks:
        _checks.append(check)


def letter_text_errors(text: str) -> list[str]:
    return [error for check in _checks for error in check(text or "")]
