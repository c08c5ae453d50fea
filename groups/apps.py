from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Local groups"

    def ready(self) -> None:
        from groups import signals

        signals.connect_post_migrate(self)
