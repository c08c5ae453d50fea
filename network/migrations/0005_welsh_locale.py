"""The Welsh locale beside the English one Wagtail created from LANGUAGE_CODE (issue 20)."""

from django.db import migrations


def add_welsh_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="cy")


def remove_welsh_locale(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.filter(language_code="cy", pages__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_unpublished_sections_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_welsh_locale, remove_welsh_locale)]
