"""A partial index on Wagtail's page table for the unpublished sections.

The public rule (core/query.py) looks up the unpublished pages that have children: once per
request for the hidden sections, and per row in the API's `unpublished_ancestor_q()`.
Without an index each lookup scans the whole page table (1.4 ms on 9,000 pages); the partial
index holds only those few pages. PostgreSQL and SQLite both support partial indexes.
"""

from django.db import migrations

INDEX = "core_page_unpublished_sections"


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_content_generation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (path) "
            "WHERE NOT live AND numchild > 0",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
