from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: no models, no imports from any app of the project."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import restricted_fields, signals  # noqa: F401
        from core.single_line import attach_single_line_validators

        attach_single_line_validators()
