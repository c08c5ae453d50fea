from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from core.cache import SCHEDULED_CHANGES
        from events.models import next_event_end

        SCHEDULED_CHANGES.append(next_event_end)
