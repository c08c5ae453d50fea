"""Demo content for the national pages (helpers shared by every app's loader: core/demo.py).

Loaders are idempotent: a page that already exists (by slug under its parent) is left as it
is, so running `load_demo_content` again changes nothing, even after editors have edited it.
"""

from django.db import transaction
from wagtail.models import Page, Site

from core.demo import child_page, paragraph
from network.models import (
    HomePage,
    HomePageFeaturedGroup,
    NetworkSettings,
    NewsIndexPage,
    StandardPage,
)


@transaction.atomic
def load() -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's migrations leave a placeholder "Welcome" page at /home/; replace it.
        placeholder = root.get_children().filter(slug="home").first()
        if placeholder is not None and placeholder.specific_class is Page:
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        home = HomePage(
            title="City of Sanctuary",
            slug="home",
            introduction=(
                "<p>A network of local groups across the UK building a culture of welcome "
                "for people seeking sanctuary in their cities, towns and communities.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="City of Sanctuary",
        )

    settings = NetworkSettings.for_site(site)
    if not settings.contact_email:
        settings.contact_email = "info@example.org"
        settings.footer_text = (
            "<p>City of Sanctuary is a movement of local groups welcoming people seeking "
            "sanctuary. This is a demonstration site.</p>"
        )
        settings.save()

    child_page(
        home,
        StandardPage,
        "about",
        title="About the network",
        show_in_menus=True,
        introduction=(
            "City of Sanctuary is a movement to make the UK a welcoming place of safety for all, "
            "proud to offer sanctuary to people fleeing violence and persecution."
        ),
        body=[
            ("heading", {"text": "What local groups do", "level": "h2"}),
            paragraph(
                "Local groups bring together organisations, faith groups, schools and people "
                "seeking sanctuary to build a culture of welcome where they live.\n\n"
                "Groups work with their councils, run Refugee Week events, and recognise "
                "schools, libraries, universities and health services that welcome sanctuary "
                "seekers with an award of sanctuary."
            ),
        ],
    )
    child_page(
        home,
        NewsIndexPage,
        "news",
        title="News",
        show_in_menus=True,
        introduction="News from the national network and updates from local groups.",
    )
    return home


@transaction.atomic
def feature_groups(home: HomePage, groups: list[Page]) -> None:
    """Feature these groups on the home page, in this order, unless editors chose some."""
    if not home.featured_groups.exists():
        home = home.get_latest_revision_as_object()
        home.featured_groups = [
            HomePageFeaturedGroup(group=group, sort_order=number)
            for number, group in enumerate(groups)
        ]
        home.save_revision().publish()
