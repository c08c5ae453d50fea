"""Single-line text fields hold one line: no line breaks or other control characters.

A title with a line break in it breaks whatever puts it in a one-line place: Django refuses
an email subject with CR/LF in it (so the moderation email for that page is never sent), a
CSV row splits, a log line lies. So every `CharField` (and `SlugField`, `EmailField`,
`URLField`) of the project's models, the title, slug and SEO title every page inherits from
Wagtail's `Page`, and the names editors type into Wagtail's and Django's own models (users,
groups, collections, images, documents, sites, tags) refuse control characters through
their validators: the admin's forms, the API's writes (Wagtail API v3 validates through the
same page forms) and `full_clean()` all say which character is wrong and where.

`ready()` attaches the validator to every such field once the app registry is ready, so a
field added later is covered without anyone remembering to (and migrations do not change);
`check_single_line_fields` fails `manage.py check` if one is not. Importers normalise
instead (`as_single_line`): a stray line break in a published name is whitespace, not a
reason to drop the constituency.
"""

import re
import unicodedata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

# Library models whose names and titles editors type, and which the site shows or mails.
LIBRARY_MODELS = (
    "wagtailcore.Page",
    "wagtailcore.Site",
    "wagtailcore.Collection",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    settings.AUTH_USER_MODEL,
    "auth.Group",
    "taggit.Tag",
)
# C0 controls (NUL, TAB, LF, CR...), DEL, C1 controls (including NEL) and the Unicode
# line and paragraph separators: none belongs in a one-line value.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def character_name(character: str) -> str:
    """'U+000A (line feed)': what an editor can search for, even for unnamed controls."""
    names = {"\t": "tab", "\n": "line feed", "\r": "carriage return", "\x00": "null"}
    name = names.get(character) or unicodedata.name(character, "control character").lower()
    return f"U+{ord(character):04X} ({name})"


@deconstructible
class SingleLineValidator:
    """Refuse a value containing a line break or another control character."""

    code = "single_line"

    def __call__(self, value: object) -> None:
        match = CONTROL_CHARACTERS.search(str(value))
        if match is None:
            return
        raise ValidationError(
            "Use a single line of text: remove the %(character)s at character %(position)s.",
            code=self.code,
            params={"character": character_name(match.group()), "position": match.start() + 1},
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineValidator)


validate_single_line = SingleLineValidator()


def as_single_line(text: str) -> str:
    """Imported text as one line: control characters become spaces, whitespace runs one space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def single_line_fields(model: type[models.Model]) -> list[models.CharField]:
    """The model's one-line text fields, its inherited page fields included."""
    return [
        field
        # `_meta` is Django's documented Model _meta API, not a private attribute.
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField) and field.concrete
    ]


def covered_models() -> list[type[models.Model]]:
    """Every model of the project's apps, and the library models editors name things in."""
    project = [
        model
        for config in apps.get_app_configs()
        if Path(config.path).parent == settings.BASE_DIR  # the project's own apps
        for model in config.get_models()
    ]
    return project + [apps.get_model(label) for label in LIBRARY_MODELS]


def attach_single_line_validators() -> None:
    """Give every one-line field of the covered models the validator, once.

    The validator is added to the field's `validators` list rather than declared on each
    field, so migrations do not change and a new field needs nothing to be covered.
    """
    for model in covered_models():
        for field in single_line_fields(model):
            if validate_single_line not in field.validators:
                field.validators.append(validate_single_line)


@checks.register()
def check_single_line_fields(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"{model._meta.label}.{field.name} accepts line breaks",
            hint="core.single_line.attach_single_line_validators() did not reach it.",
            obj=field,
            id="core.E001",
        )
        for model in covered_models()
        for field in single_line_fields(model)
        if validate_single_line not in field.validators
    ]
