"""Choices every app shares: the UK's nations and regions, as the ONS and Parliament name them."""

from functools import cache

from django.db import models
from django.utils.translation import gettext_lazy as _


@cache
def labels_of(choices: type[models.Choices]) -> dict:
    """A choices class's labels by value (lazy: each is translated when it is shown)."""
    return dict(choices.choices)


def choice_label(choices: type[models.Choices], value):
    """What a model's `get_FOO_display()` says for `value`: its label in the active language, or
    the value itself when it is not a choice. Django's builds the whole list of choices, every
    label translated, at each call (a dozen translations for a region); pages show these labels
    many times over (a group's kind and place on every card, an achievement's kind), so the
    page types that show them override `get_FOO_display()` with this (Django allows it)."""
    label = labels_of(choices).get(value, value)
    return label if label is None else str(label)


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")


class Region(models.TextChoices):
    """The nine English regions and the three other nations, as the ONS and Parliament name them."""

    NORTH_EAST = "north-east", _("North East")
    NORTH_WEST = "north-west", _("North West")
    YORKSHIRE = "yorkshire-and-the-humber", _("Yorkshire and The Humber")
    EAST_MIDLANDS = "east-midlands", _("East Midlands")
    WEST_MIDLANDS = "west-midlands", _("West Midlands")
    EAST_OF_ENGLAND = "east-of-england", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south-east", _("South East")
    SOUTH_WEST = "south-west", _("South West")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")
