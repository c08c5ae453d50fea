from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"

    def ready(self) -> None:
        from core.cache import SCHEDULED_CHANGES
        from core.letter_text import register_letter_text_check
        from core.places import register_postcode_locator
        from letters import signals  # noqa: F401
        from letters.models import next_campaign_change
        from letters.placeholders import placeholder_errors
        from letters.postcodes import lookup_postcode

        # The group directory (below letters) sorts by distance from a postcode through this.
        register_postcode_locator(lookup_postcode)
        # A group's letter paragraph (groups, below letters) takes the letters' placeholders.
        register_letter_text_check(placeholder_errors)
        # A campaign opening or closing by the clock starts a new content generation, as an
        # event ending does: no page offers a closed invitation as current.
        SCHEDULED_CHANGES.append(next_campaign_change)
