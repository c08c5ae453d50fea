"""Demo content for the national pages (helpers shared by every app's loader: core/demo.py).

Loaders are idempotent: a page that already exists (by slug under its parent) is left as it
is, so running `load_demo_content` again changes nothing, even after editors have edited it.
"""

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

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


# The footer's statements (issue 21): written for this site, from what its code does (the
# cookies it sets, what it stores and for how long); the figures and settings named are the
# defaults in config/settings/base.py. The charity details are samples to replace, never real
# ones. Their Welsh versions are below (WELSH_STATEMENTS).
STATEMENTS_PREPARED = "30 November 2026"
SAMPLE_CHARITY = {
    "charity_name": "City of Sanctuary UK (sample name)",
    "charity_number": "0000000 (sample)",
    "registered_address": "Sample House\n1 Example Street\nExampletown ZZ99 9ZZ",
    "postal_address": "City of Sanctuary\n1 Example Street\nExampletown ZZ99 9ZZ",
    # A number Ofcom keeps for drama and examples (Sheffield, 0114 496 0000 to 0999).
    "contact_phone": "0114 496 0123",
}
OLD_DEMO_FOOTER = (
    "<p>City of Sanctuary is a movement of local groups welcoming people seeking "
    "sanctuary. This is a demonstration site.</p>"
)
DEMO_FOOTER = (
    "<p>City of Sanctuary is a movement of local groups building a culture of welcome for "
    "people seeking sanctuary. <b>Everyone is welcome to join a local group.</b></p>"
)


def bullets(*items: str) -> tuple[str, RichText]:
    return ("paragraph", RichText("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"))


def heading(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


ACCESSIBILITY_STATEMENT = [
    paragraph(
        "This statement is about this website: the national pages, every local group's pages, "
        "events, the letters you can send your MP, and the Welsh pages at /cy/. We want as many "
        "people as possible to be able to use it. You should be able to zoom in to 400% "
        "without text spilling off the screen, use every page with a keyboard alone, use it "
        "with a screen reader, and use every page without JavaScript."
    ),
    heading("How accessible this website is"),
    paragraph(
        "We believe the pages of this website meet the Web Content Accessibility Guidelines "
        "(WCAG) version 2.2 at level AA, except for the problems listed below."
    ),
    heading("How we test it"),
    bullets(
        "Every type of public page, in English and in Welsh, is checked automatically with "
        "axe-core in the Chromium browser against WCAG 2.2 A and AA, at phone and desktop "
        "widths, each time the code changes.",
        "The same pages are checked with the Nu HTML Checker, and must be valid HTML.",
        "No page may scroll sideways on a screen 320 pixels wide.",
        "The journey from a postcode to a letter for your MP is tested with a keyboard alone, "
        "checking that the focus can always be seen.",
        "Every form works without JavaScript, with its errors listed at the top and linked to "
        "their fields.",
    ),
    paragraph(
        "Automatic checks find only some problems. The site has not yet been tested by "
        "disabled people or audited by an accessibility specialist; we plan to do both."
    ),
    heading("Known problems"),
    bullets(
        "<b>Downloaded letters.</b> The PDF letters are made for printing and are not tagged "
        "PDFs, so a screen reader may read them poorly. The same letter can be read on the "
        "page before you download it, and downloaded as a Word file, which you can edit.",
        "<b>The groups map.</b> The map on the directory and near-me pages is a picture with a "
        "link for each group. It shows no roads or towns and cannot be zoomed. Every group on "
        "the map is also in the list above it.",
        "<b>Documents and images from local groups.</b> Local groups upload their own documents "
        "(often PDFs) and pictures. Editors must describe every picture that carries "
        "information, but older documents may not be accessible. Ask us for another format.",
        "<b>Welsh.</b> Some pages are not yet translated, and show in English.",
    ),
    heading("Reporting a problem, or asking for another format"),
    paragraph(
        "If something on this website is hard to use, or you need a page or a letter in "
        "another format (large print, easy read, audio), please tell us using the contact "
        "details at the bottom of every page. Say which page and what went wrong. We will "
        "reply within 10 working days."
    ),
    heading("Enforcement procedure"),
    paragraph(
        "The Equality and Human Rights Commission (EHRC) enforces the Equality Act 2010 in "
        "England, Scotland and Wales. If you are not happy with how we answer a complaint "
        "about accessibility, contact the Equality Advisory and Support Service (EASS). In "
        "Northern Ireland, contact the Equality Commission for Northern Ireland."
    ),
    heading("Preparation of this statement"),
    paragraph(
        f"This statement was prepared on {STATEMENTS_PREPARED}. It is based on the automatic "
        "tests above, run on every change to the website. We will review it at least once a "
        "year and whenever the website changes a lot."
    ),
]

PRIVACY_NOTICE = [
    paragraph(
        "This notice says what this website keeps about the people who use it, why, and for "
        "how long. It keeps as little as it can. It has no advertising, no analytics and no "
        "tracking, and it does not share anything about you with anyone for marketing."
    ),
    heading("Visiting the website"),
    paragraph(
        "We do not record who you are or what you read. Our log of each request says which "
        "page was asked for, when, and how the server answered; it holds no network (IP) "
        "address, no browser details and no postcode. To stop misuse, your network address is "
        "counted for a short time (an hour at most) when you look up a postcode, download a "
        "letter, press \u201cI\u2019ve sent it\u201d or ask for email reminders, and then "
        "forgotten."
    ),
    heading("Looking up your MP"),
    paragraph(
        "The postcode you type is used to find your constituency and is not stored with "
        "anything about you. When our own "
        "copy of the postcode directory does not know it, we ask postcodes.io, a public "
        "service, which sees the postcode but not who you are."
    ),
    heading("Your letter"),
    paragraph(
        "You may type your name and address into your letter so they are printed on it. They "
        "go into the file you download and are never stored on our server."
    ),
    heading("\u201cI\u2019ve sent it\u201d"),
    paragraph(
        "When you say you have sent your letter, we add one to the count for that letter, "
        "constituency and day. Nothing about you is stored with it. So that your letter is "
        "counted once, your browser keeps a cookie listing the constituencies you have said "
        "so for (see our cookie statement)."
    ),
    heading("Email reminders"),
    paragraph(
        "If you tick the box to ask for them, we keep your email address, with the letter, "
        "the constituency and the date, to send you one reminder and, later, one question "
        "about your MP\u2019s answer. Every email has a link to stop them, which deletes your "
        "address at once. When the campaign closes, every address given for it is deleted, "
        "within an hour. Our record of the emails sent keeps no address."
    ),
    heading("Editors\u2019 accounts"),
    paragraph(
        "People who edit the website have an account: a name, an email address and a "
        "password (stored only in a scrambled form that cannot be read back). The website "
        "records which account made each change to a page, as its history. To stop password "
        "guessing, it also records signing in and failed attempts to sign in, with the "
        "network address and browser used. National staff remove accounts that are no longer "
        "needed."
    ),
    heading("Your rights"),
    paragraph(
        "You may ask us what we hold about you, ask us to correct it or delete it, or "
        "complain to us using the contact details at the bottom of every page. You may also "
        "complain to the Information Commissioner\u2019s Office (ICO)."
    ),
    paragraph(f"This notice was last updated on {STATEMENTS_PREPARED}."),
]

COOKIE_STATEMENT = [
    paragraph(
        "Cookies are small files a website asks your browser to keep. <b>This website sets no "
        "tracking, analytics or advertising cookies</b>, and none from any other company, so "
        "we do not ask you to accept cookies. It sets only the cookies below, each needed for "
        "something you chose to do."
    ),
    heading("Cookies for everyone"),
    bullets(
        "<b>invitations-sent-</b> followed by a number: set when you press \u201cI\u2019ve sent "
        "it\u201d on a letter, so the same letter to the same constituency is counted once. It "
        "holds only the constituencies you said you sent that letter to, is signed so it "
        "cannot be changed, and expires after a year.",
        "<b>csrftoken</b>: set when a page has a form that changes something (such as "
        "\u201cI\u2019ve sent it\u201d or the email reminder form), to prove the form came from "
        "this website and stop other sites sending it in your name. It holds a random value "
        "and expires after a year.",
    ),
    heading("Cookies for editors"),
    bullets(
        "<b>sessionid</b>: keeps an editor signed in to the website\u2019s admin. It expires "
        "after two weeks, or when the editor signs out.",
        "<b>csrftoken</b>: as above, for the admin\u2019s forms.",
        "<b>messages</b>: carries a confirmation such as \u201cPage published\u201d from one "
        "admin page to the next, and is deleted once shown.",
    ),
    paragraph(
        "Choosing Welsh or English does not set a cookie: the language is part of the page "
        "address (/cy/ for Welsh). You can delete cookies in your browser at any time; the "
        "site still works, though a letter you marked as sent could then be counted again."
    ),
    paragraph(f"This statement was last updated on {STATEMENTS_PREPARED}."),
]

STATEMENT_PAGES = {
    "accessibility": (
        "accessibility_page",
        "Accessibility statement",
        "How accessible this website is, what we know is not yet right, and how to tell us "
        "about a problem.",
        ACCESSIBILITY_STATEMENT,
    ),
    "privacy": (
        "privacy_page",
        "Privacy notice",
        "What this website keeps about you, why, and for how long.",
        PRIVACY_NOTICE,
    ),
    "cookies": (
        "cookie_page",
        "Cookies",
        "The few cookies this website sets, and why. None of them track you.",
        COOKIE_STATEMENT,
    ),
}


@transaction.atomic
def load_statements(home: HomePage) -> None:
    """The accessibility statement, privacy notice and cookie statement under the home page,
    chosen in the network settings with sample contact and charity details, for the footer.
    Settings an editor has filled in are kept."""
    site = Site.objects.get(root_page=home)
    settings = NetworkSettings.for_site(site)
    for slug, (setting, title, introduction, body) in STATEMENT_PAGES.items():
        page = child_page(
            home, StandardPage, slug, title=title, introduction=introduction, body=body
        )
        if getattr(settings, f"{setting}_id") is None:
            setattr(settings, setting, page)
    for name, value in SAMPLE_CHARITY.items():
        if not getattr(settings, name):
            setattr(settings, name, value)
    if settings.footer_text == OLD_DEMO_FOOTER:
        settings.footer_text = DEMO_FOOTER
    settings.save()


# The statements in Welsh, translated for the demo from the English above: a Welsh speaker
# should check them before real use, as the other Welsh demo pages.
WELSH_STATEMENTS = {
    "accessibility": {
        "title": "Datganiad hygyrchedd",
        "slug": "hygyrchedd",
        "introduction": (
            "Pa mor hygyrch yw’r wefan hon, beth sydd heb fod yn iawn eto yn ein barn ni, a sut "
            "i ddweud wrthym am broblem."
        ),
        "body": [
            paragraph(
                "Mae’r datganiad hwn yn ymwneud â’r wefan hon: y tudalennau cenedlaethol, "
                "tudalennau pob grŵp lleol, digwyddiadau, y llythyrau y gallwch eu hanfon at eich "
                "AS, a’r tudalennau Cymraeg yn /cy/. Rydym am i gynifer o bobl â phosibl allu ei "
                "defnyddio. Dylech allu chwyddo hyd at 400% heb i’r testun fynd oddi ar y sgrin, "
                "defnyddio pob tudalen gyda bysellfwrdd yn unig, ei defnyddio gyda darllenydd "
                "sgrin, a defnyddio pob tudalen heb JavaScript."
            ),
            heading("Pa mor hygyrch yw’r wefan hon"),
            paragraph(
                "Credwn fod tudalennau’r wefan hon yn bodloni Canllawiau Hygyrchedd Cynnwys y We "
                "(WCAG) fersiwn 2.2 ar lefel AA, ac eithrio’r problemau a restrir isod."
            ),
            heading("Sut rydym yn ei phrofi"),
            bullets(
                "Caiff pob math o dudalen gyhoeddus, yn Gymraeg ac yn Saesneg, ei gwirio’n "
                "awtomatig gydag axe-core ym mhorwr Chromium yn erbyn WCAG 2.2 A ac AA, ar led "
                "ffôn a lled cyfrifiadur, bob tro y mae’r cod yn newid.",
                "Caiff yr un tudalennau eu gwirio gyda’r Nu HTML Checker, a rhaid iddynt fod yn "
                "HTML dilys.",
                "Ni chaiff unrhyw dudalen sgrolio i’r ochr ar sgrin 320 picsel o led.",
                "Caiff y daith o god post at lythyr i’ch AS ei phrofi gyda bysellfwrdd yn unig, "
                "gan wirio bod modd gweld y ffocws bob amser.",
                "Mae pob ffurflen yn gweithio heb JavaScript, gyda’i gwallau wedi’u rhestru ar y "
                "brig a dolen o bob un at ei maes.",
            ),
            paragraph(
                "Dim ond rhai problemau y mae gwiriadau awtomatig yn eu canfod. Nid yw pobl "
                "anabl wedi profi’r wefan eto, ac nid yw arbenigwr hygyrchedd wedi’i harchwilio; "
                "rydym yn bwriadu gwneud y ddau."
            ),
            heading("Problemau hysbys"),
            bullets(
                "<b>Llythyrau i’w lawrlwytho.</b> Mae’r llythyrau PDF wedi’u gwneud i’w "
                "hargraffu ac nid ydynt yn PDFs wedi’u tagio, felly efallai na fydd darllenydd "
                "sgrin yn eu darllen yn dda. Gallwch ddarllen yr un llythyr ar y dudalen cyn ei "
                "lawrlwytho, a’i lawrlwytho fel ffeil Word y gallwch ei golygu.",
                "<b>Map y grwpiau.</b> Llun yw’r map ar dudalennau’r cyfeiriadur a’r grwpiau "
                "agos, gyda dolen ar gyfer pob grŵp. Nid yw’n dangos ffyrdd na threfi, ac ni "
                "ellir ei chwyddo. Mae pob grŵp sydd ar y map hefyd yn y rhestr uwch ei ben.",
                "<b>Dogfennau a lluniau gan grwpiau lleol.</b> Mae grwpiau lleol yn llwytho eu "
                "dogfennau (PDFs yn aml) a’u lluniau eu hunain. Rhaid i olygyddion ddisgrifio "
                "pob llun sy’n cyfleu gwybodaeth, ond efallai na fydd hen ddogfennau’n hygyrch. "
                "Gofynnwch i ni am fformat arall.",
                "<b>Cymraeg.</b> Nid yw rhai tudalennau wedi’u cyfieithu eto, ac maent yn "
                "ymddangos yn Saesneg.",
            ),
            heading("Rhoi gwybod am broblem, neu ofyn am fformat arall"),
            paragraph(
                "Os yw rhywbeth ar y wefan hon yn anodd ei ddefnyddio, neu os oes arnoch angen "
                "tudalen neu lythyr mewn fformat arall (print bras, hawdd ei ddeall, sain), "
                "rhowch wybod i ni drwy’r manylion cyswllt ar waelod pob tudalen. Dywedwch pa "
                "dudalen a beth aeth o’i le. Byddwn yn ateb o fewn 10 diwrnod gwaith."
            ),
            heading("Y drefn orfodi"),
            paragraph(
                "Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy’n gorfodi Deddf Cydraddoldeb "
                "2010 yng Nghymru, Lloegr a’r Alban. Os nad ydych yn fodlon ar y ffordd rydym yn "
                "ymateb i gŵyn am hygyrchedd, cysylltwch â’r Gwasanaeth Cynghori a Chymorth "
                "Cydraddoldeb (EASS). Yng Ngogledd Iwerddon, cysylltwch â Chomisiwn Cydraddoldeb "
                "Gogledd Iwerddon."
            ),
            heading("Paratoi’r datganiad hwn"),
            paragraph(
                "Paratowyd y datganiad hwn ar 30 Tachwedd 2026. Mae’n seiliedig ar y profion "
                "awtomatig uchod, sy’n cael eu rhedeg bob tro y mae’r wefan yn newid. Byddwn yn "
                "ei adolygu o leiaf unwaith y flwyddyn a phryd bynnag y bydd y wefan yn newid "
                "yn sylweddol."
            ),
        ],
    },
    "privacy": {
        "title": "Hysbysiad preifatrwydd",
        "slug": "preifatrwydd",
        "introduction": "Beth mae’r wefan hon yn ei gadw amdanoch chi, pam, ac am ba hyd.",
        "body": [
            paragraph(
                "Mae’r hysbysiad hwn yn dweud beth mae’r wefan hon yn ei gadw am y bobl sy’n ei "
                "defnyddio, pam, ac am ba hyd. Mae’n cadw cyn lleied ag y gall. Nid oes ganddi "
                "hysbysebion, dadansoddeg na thracio, ac nid yw’n rhannu dim amdanoch chi ag "
                "unrhyw un at ddibenion marchnata."
            ),
            heading("Ymweld â’r wefan"),
            paragraph(
                "Nid ydym yn cofnodi pwy ydych chi na beth rydych yn ei ddarllen. Mae ein cofnod "
                "o bob cais yn dweud pa dudalen y gofynnwyd amdani, pryd, a sut yr atebodd y "
                "gweinydd; nid yw’n cynnwys cyfeiriad rhwydwaith (IP), manylion porwr na chod "
                "post. I atal camddefnydd, caiff eich cyfeiriad rhwydwaith ei gyfrif am gyfnod "
                "byr (awr ar y mwyaf) pan fyddwch yn chwilio am god post, yn lawrlwytho llythyr, "
                "yn pwyso “Rwyf wedi’i anfon” neu’n gofyn am negeseuon atgoffa drwy e-bost, ac "
                "yna caiff ei anghofio."
            ),
            heading("Dod o hyd i’ch AS"),
            paragraph(
                "Defnyddir y cod post rydych yn ei deipio i ddod o hyd i’ch etholaeth, ac ni "
                "chaiff ei gadw gydag unrhyw beth amdanoch chi. Pan nad yw ein copi ni o’r "
                "cyfeiriadur codau post yn ei adnabod, rydym yn gofyn i postcodes.io, gwasanaeth "
                "cyhoeddus, sy’n gweld y cod post ond nid pwy ydych chi."
            ),
            heading("Eich llythyr"),
            paragraph(
                "Gallwch deipio eich enw a’ch cyfeiriad yn eich llythyr er mwyn iddynt gael eu "
                "hargraffu arno. Maent yn mynd i’r ffeil rydych yn ei lawrlwytho ac ni chânt "
                "byth eu cadw ar ein gweinydd."
            ),
            heading("“Rwyf wedi’i anfon”"),
            paragraph(
                "Pan fyddwch yn dweud eich bod wedi anfon eich llythyr, rydym yn ychwanegu un at "
                "y cyfrif ar gyfer y llythyr hwnnw, yr etholaeth a’r diwrnod. Ni chaiff dim "
                "amdanoch chi ei gadw gydag ef. Er mwyn i’ch llythyr gael ei gyfrif unwaith yn "
                "unig, mae eich porwr yn cadw cwci sy’n rhestru’r etholaethau rydych wedi dweud "
                "hynny ar eu cyfer (gweler ein datganiad cwcis)."
            ),
            heading("Negeseuon atgoffa drwy e-bost"),
            paragraph(
                "Os byddwch yn ticio’r blwch i ofyn amdanynt, rydym yn cadw eich cyfeiriad "
                "e-bost, gyda’r llythyr, yr etholaeth a’r dyddiad, i anfon un neges atgoffa atoch "
                "ac, yn nes ymlaen, un cwestiwn am ateb eich AS. Mae gan bob neges ddolen i’w "
                "hatal, sy’n dileu eich cyfeiriad ar unwaith. Pan fydd yr ymgyrch yn cau, caiff "
                "pob cyfeiriad a roddwyd ar ei chyfer ei ddileu, o fewn awr. Nid yw ein cofnod "
                "o’r negeseuon a anfonwyd yn cadw unrhyw gyfeiriad."
            ),
            heading("Cyfrifon golygyddion"),
            paragraph(
                "Mae gan y bobl sy’n golygu’r wefan gyfrif: enw, cyfeiriad e-bost a chyfrinair "
                "(wedi’i gadw ar ffurf gymysg na ellir ei darllen yn ôl). Mae’r wefan yn cofnodi "
                "pa gyfrif a wnaeth bob newid i dudalen, fel ei hanes. I atal dyfalu "
                "cyfrineiriau, mae hefyd yn cofnodi mewngofnodi ac ymdrechion aflwyddiannus i "
                "fewngofnodi, gyda’r cyfeiriad rhwydwaith a’r porwr a ddefnyddiwyd. Mae staff "
                "cenedlaethol yn dileu cyfrifon nad oes eu hangen mwyach."
            ),
            heading("Eich hawliau"),
            paragraph(
                "Gallwch ofyn i ni beth rydym yn ei gadw amdanoch chi, gofyn i ni ei gywiro neu "
                "ei ddileu, neu gwyno wrthym drwy’r manylion cyswllt ar waelod pob tudalen. "
                "Gallwch hefyd gwyno wrth Swyddfa’r Comisiynydd Gwybodaeth (ICO)."
            ),
            paragraph("Diweddarwyd yr hysbysiad hwn ddiwethaf ar 30 Tachwedd 2026."),
        ],
    },
    "cookies": {
        "title": "Cwcis",
        "slug": "cwcis",
        "introduction": (
            "Yr ychydig gwcis y mae’r wefan hon yn eu gosod, a pham. Nid oes yr un ohonynt yn "
            "eich tracio."
        ),
        "body": [
            paragraph(
                "Ffeiliau bach yw cwcis y mae gwefan yn gofyn i’ch porwr eu cadw. <b>Nid yw’r "
                "wefan hon yn gosod cwcis tracio, dadansoddeg na hysbysebu</b>, na chwcis gan "
                "unrhyw gwmni arall, felly nid ydym yn gofyn i chi dderbyn cwcis. Mae’n gosod y "
                "cwcis isod yn unig, ac mae angen pob un ar gyfer rhywbeth y dewisoch chi ei "
                "wneud."
            ),
            heading("Cwcis i bawb"),
            bullets(
                "<b>invitations-sent-</b> a rhif ar ei ôl: caiff ei osod pan fyddwch yn pwyso "
                "“Rwyf wedi’i anfon” ar lythyr, fel bod yr un llythyr at yr un etholaeth yn cael "
                "ei gyfrif unwaith. Mae’n cadw’r etholaethau y dywedoch eich bod wedi anfon y "
                "llythyr hwnnw atynt, a dim byd arall; mae wedi’i lofnodi fel na ellir ei newid, "
                "ac mae’n dod i ben ar ôl blwyddyn.",
                "<b>csrftoken</b>: caiff ei osod pan fo gan dudalen ffurflen sy’n newid rhywbeth "
                "(fel “Rwyf wedi’i anfon” neu’r ffurflen negeseuon atgoffa drwy e-bost), i brofi "
                "bod y ffurflen wedi dod o’r wefan hon ac i atal gwefannau eraill rhag ei hanfon "
                "yn eich enw chi. Mae’n cadw gwerth ar hap ac mae’n dod i ben ar ôl blwyddyn.",
            ),
            heading("Cwcis i olygyddion"),
            bullets(
                "<b>sessionid</b>: yn cadw golygydd wedi mewngofnodi i weinyddiaeth y wefan. "
                "Mae’n dod i ben ar ôl pythefnos, neu pan fydd y golygydd yn allgofnodi.",
                "<b>csrftoken</b>: fel uchod, ar gyfer ffurflenni’r weinyddiaeth.",
                "<b>messages</b>: yn cario neges fel “Tudalen wedi’i chyhoeddi” o un o "
                "dudalennau’r weinyddiaeth i’r nesaf, a chaiff ei ddileu unwaith y caiff y neges "
                "ei dangos.",
            ),
            paragraph(
                "Nid yw dewis Cymraeg neu Saesneg yn gosod cwci: mae’r iaith yn rhan o gyfeiriad "
                "y dudalen (/cy/ ar gyfer Cymraeg). Gallwch ddileu cwcis yn eich porwr unrhyw "
                "bryd; bydd y wefan yn dal i weithio, er y gallai llythyr a nodwyd gennych fel un "
                "a anfonwyd gael ei gyfrif eto."
            ),
            paragraph("Diweddarwyd y datganiad hwn ddiwethaf ar 30 Tachwedd 2026."),
        ],
    },
}


@transaction.atomic
def load_welsh_statements(home: HomePage) -> None:
    """The three statements in Welsh, which the footer of a Welsh page then links."""
    for slug, fields in WELSH_STATEMENTS.items():
        page = home.get_children().filter(slug=slug).first()
        if page is not None:
            welsh_translation(page, fields)
