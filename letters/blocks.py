"""Blocks of a letter template's body. Text blocks refuse unknown or malformed placeholders."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from letters.assembly import GREETING
from letters.placeholders import PLACEHOLDERS, placeholder_errors

PLACEHOLDER_HELP = "Placeholders you may use: " + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


class PlaceholderCheckMixin:
    """Refuse `{placeholders}` outside the closed set, naming each one."""

    def clean(self, value):
        value = super().clean(value)
        errors = placeholder_errors(value or "")
        if errors:
            raise ValidationError(" ".join(errors))
        return value


class PlaceholderTextBlock(PlaceholderCheckMixin, blocks.TextBlock):
    """Plain text whose `{placeholders}` must belong to the closed set."""


class PlaceholderCharBlock(PlaceholderCheckMixin, blocks.CharBlock):
    """One line of plain text whose `{placeholders}` must belong to the closed set."""


class GroupAchievementsBlock(blocks.StructBlock):
    lead_in = PlaceholderCharBlock(
        required=False,
        max_length=300,
        help_text="e.g. “Two big achievements of {group_name} are:”",
    )

    class Meta:
        icon = "list-ul"
        help_text = "The group's featured achievements as a bulleted list."


class SignOffBlock(blocks.StructBlock):
    closing = blocks.CharBlock(default="Yours sincerely", max_length=100)
    sender_name = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text="Leave blank so each visitor adds their own name.",
    )
    sender_address = blocks.TextBlock(
        required=False,
        max_length=500,
        help_text="Leave blank so each visitor adds their own postal address.",
    )

    class Meta:
        icon = "edit"

    def clean(self, value):
        # The sender's details are literal text: braces there would be a placeholder mistake.
        value = super().clean(value)
        errors = {}
        for name in ("closing", "sender_name", "sender_address"):
            if "{" in (value.get(name) or "") or "}" in (value.get(name) or ""):
                errors[name] = ValidationError("Braces are not allowed here.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class LetterBodyBlock(blocks.StreamBlock):
    paragraph = PlaceholderTextBlock(help_text=PLACEHOLDER_HELP)
    group_paragraph = blocks.StaticBlock(
        admin_text="The covering group's paragraph (or the letter's national paragraph)."
    )
    group_achievements = GroupAchievementsBlock()
    event_details = blocks.StaticBlock(admin_text="The event's title, date, time and venue.")
    sign_off = SignOffBlock()

    def clean(self, value):
        # The letter writes "Dear <MP>" itself, above the body: a body that greets the MP again
        # would say it twice. (Letters saved before this check skip their own greeting.)
        value = super().clean(value)
        if len(value) and value[0].block_type == "paragraph" and GREETING.match(value[0].value):
            raise StreamBlockValidationError(
                block_errors={
                    0: ValidationError(
                        "The letter starts with “Dear” and the MP's name by itself: begin this "
                        "paragraph with what follows the greeting."
                    )
                }
            )
        return value
