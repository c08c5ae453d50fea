"""Where a postcode is, for the layers below the one that knows how to look it up.

The group directory sorts by distance from a postcode, but the postcode lookup lives in
`letters` (it answers with a constituency), above `groups`. The app that owns the lookup
registers it here when it is ready, as apps register scheduled changes with core.cache; code
below asks `locate_postcode()` and never imports upwards.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class PostcodePlace(Protocol):
    """What a lookup answers, whatever the outcome (letters.postcodes.PostcodeLookup is one)."""

    postcode: str
    message: str
    latitude: float | None
    longitude: float | None

    @property
    def located(self) -> bool: ...

    @property
    def fault(self) -> bool:
        """True when the lookup service failed: try again later, and keep no copy of the answer."""
        ...


@dataclass(frozen=True)
class NoLocator:
    """The answer when no app registered a lookup."""

    postcode: str
    message: str = "Searching by postcode is not available on this site."
    latitude: float | None = None
    longitude: float | None = None
    located: bool = False
    fault: bool = False


_locators: list[Callable[[str], PostcodePlace]] = []


def register_postcode_locator(locator: Callable[[str], PostcodePlace]) -> None:
    if locator not in _locators:
        _locators.append(locator)


def locate_postcode(raw: str) -> PostcodePlace:
    if not _locators:
        return NoLocator(postcode=raw)
    return _locators[-1](raw)
