"""Demo content for the national pages (helpers shared by every app's loader: core/demo.py).

Loaders are idempotent: a page that already exists (by slug under its parent) is left as it
is, so running `load_demo_content` again changes nothing, even after editors have edited it.
"""

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from core.demo import child_page, paragraph
from groups import demo as groups_demo
from network.models import (
    HomePage,
    HomePageFeaturedGroup,
    NetworkSettings,
    NewsIndexPage,
    StandardPage,
)


def configured_host() -> tuple[str, int]:
    """The host name and port of WAGTAILADMIN_BASE_URL, the site's public address (`make run`:
    http://127.0.0.1:8000), which the default Site takes: Wagtail builds the links made
    without a request (emails, the worker) from it."""
    address = urlsplit(django_settings.WAGTAILADMIN_BASE_URL)
    default_port = 443 if address.scheme == "https" else 80
    return address.hostname or "localhost", address.port or default_port


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
    hostname, port = configured_host()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="City of Sanctuary",
        )
    elif (site.hostname, site.port) != (hostname, port):
        # Links made without a request (emails, the worker) use the Site's address.
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])

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


# The Welsh demo pages (issue 20), written for the demo: real content should be checked by a
# Welsh speaker before it is published.
WELSH_PAGES = {
    "home": {
        "title": "Dinas Noddfa",
        "introduction": (
            "<p>Rhwydwaith o grwpiau lleol ledled y Deyrnas Unedig sy’n meithrin diwylliant o "
            "groeso i bobl sy’n ceisio noddfa yn eu dinasoedd, eu trefi a’u cymunedau.</p>"
        ),
    },
    "about": {
        "title": "Am y rhwydwaith",
        "slug": "am-y-rhwydwaith",
        "introduction": (
            "Mudiad yw Dinas Noddfa sy’n ceisio gwneud y Deyrnas Unedig yn lle diogel a "
            "chroesawgar i bawb, ac sy’n falch o gynnig noddfa i bobl sy’n ffoi rhag trais ac "
            "erledigaeth."
        ),
        "body": [
            ("heading", {"text": "Beth mae grwpiau lleol yn ei wneud", "level": "h2"}),
            paragraph(
                "Mae grwpiau lleol yn dod â sefydliadau, grwpiau ffydd, ysgolion a phobl sy’n "
                "ceisio noddfa ynghyd i feithrin diwylliant o groeso yn eu bro.\n\n"
                "Mae’r grwpiau’n gweithio gyda’u cynghorau, yn cynnal digwyddiadau yn ystod "
                "Wythnos Ffoaduriaid, ac yn cydnabod ysgolion, llyfrgelloedd, prifysgolion a "
                "gwasanaethau iechyd sy’n croesawu pobl sy’n ceisio noddfa drwy roi gwobr noddfa "
                "iddynt."
            ),
        ],
    },
    "groups": {
        "title": "Grwpiau lleol",
        "slug": "grwpiau",
        "introduction": (
            "Grwpiau lleol ledled y Deyrnas Unedig sy’n croesawu pobl sy’n ceisio noddfa. "
            "Mae rhai tudalennau ar gael yn Saesneg yn unig hyd yma."
        ),
    },
    "swansea": {
        "title": "Abertawe Dinas Noddfa",
        "slug": "abertawe",
        "introduction": (
            "Daeth Abertawe yn Ddinas Noddfa yn 2010: dinas sy’n falch o groesawu pobl sy’n "
            "ceisio noddfa, yn Gymraeg ac yn Saesneg."
        ),
        "letter_paragraph": (
            "Mae Abertawe Dinas Noddfa yn dod â sefydliadau lleol, grwpiau ffydd a phobl sy’n "
            "ceisio noddfa ynghyd i wneud y ddinas yn lle croesawgar."
        ),
    },
    "letters": {
        "title": "Ysgrifennu at eich AS",
        "slug": "llythyrau",
        "introduction": (
            "Gwahoddwch eich Aelod Seneddol i ddigwyddiadau’r rhwydwaith: dewch o hyd i’ch AS "
            "a lawrlwythwch lythyr ar gyfer eich etholaeth."
        ),
    },
}


def welsh_translation(page: Page, fields: dict) -> Page:
    """The published Welsh translation of `page`, made from `fields` if there is none yet
    (Wagtail's `copy_for_translation`, as wagtail-localize does); an existing one is kept."""
    welsh = Locale.objects.get(language_code="cy")
    existing = page.get_translation_or_none(welsh)
    if existing is not None and existing.alias_of_id is None:
        return existing.specific
    if existing is not None:  # an alias made for a translated child: make it a translation
        translation = existing.specific
        translation.alias_of = None
    else:
        translation = page.specific.copy_for_translation(welsh, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@transaction.atomic
def load_welsh(home: HomePage, report=print) -> None:
    """The home page, About, the letters index, the groups directory and Swansea City of
    Sanctuary (a Welsh group, with its editor) in Welsh: the bilingual journey of `make run`."""
    welsh_translation(home, WELSH_PAGES["home"])
    for slug in ("about", "letters", "groups"):
        page = home.get_children().filter(slug=slug).first()
        if page is not None:
            welsh_translation(page, WELSH_PAGES[slug])
    groups_index = home.get_children().filter(slug="groups").first()
    if groups_index is not None:
        swansea = groups_demo.load_swansea(groups_index.specific, report=report)
        welsh_translation(swansea, WELSH_PAGES["swansea"])
