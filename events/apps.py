from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"

    def ready(self) -> None:
        from events.models import next_event_end
        from network.cache import SCHEDULED_CHANGES

        SCHEDULED_CHANGES.append(next_event_end)
