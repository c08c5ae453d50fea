from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "National network"

    def ready(self) -> None:
        from network import restricted_fields, signals  # noqa: F401
        from network.single_line import attach_single_line_validators

        attach_single_line_validators()
