"""Demo constituencies (those the demo groups cover) and the Sanctuary in Parliament letter.

The five constituencies carry their public July 2026 MP data so `make run` works offline;
`import_constituencies` loads all 650 (see README). When ../shared/data is beside the
checkout, `load_shared_data` also loads all 650 with their current MPs and the ONS Postcode
Directory sample, so real postcodes are answered with no network.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core.demo import child_page, shared_data_dir
from events.models import EventPage
from letters.importers import import_constituencies
from letters.models import Constituency, LetterIndexPage, LetterKind, LetterPage
from letters.postcode_import import import_postcodes

MP_LOOKUP_FILE = "dfe_mp_lookup.csv"
POSTCODE_SAMPLE_FILE = "onspd_postcode_pcon24_sample.csv"
# The demo's one invitation; its campaign closed when its 2018 event ended.
DEMO_INVITATION_SLUG = "invite-your-mp-sanctuary-in-parliament-2018"

DEMO_CONSTITUENCIES = [
    # gss_code, name, slug, region, MP display name, full title, party, member id, email
    ("E14001499", "Southampton Itchen", "southampton-itchen", "south-east", "Darren Paffey",
     "Darren Paffey MP", "Labour", 5270, "darren.paffey.mp@parliament.uk"),
    ("E14001500", "Southampton Test", "southampton-test", "south-east", "Satvir Kaur",
     "Satvir Kaur MP", "Labour", 5271, "satvir.kaur.mp@parliament.uk"),
    ("E14001449", "Romsey and Southampton North", "romsey-and-southampton-north", "south-east",
     "Caroline Nokes", "Rt Hon Caroline Nokes MP", "Conservative", 4048,
     "caroline.nokes.mp@parliament.uk"),
    ("E14001302", "Ipswich", "ipswich", "east-of-england", "Jack Abbott", "Jack Abbott MP",
     "Labour (Co-op)", 5131, "jack.abbott.mp@parliament.uk"),
    ("E14001156", "Central Suffolk and North Ipswich", "central-suffolk-and-north-ipswich",
     "east-of-england", "Patrick Spencer", "Patrick Spencer MP", "Independent", 5303,
     "patrick.spencer.mp@parliament.uk"),
]  # fmt: skip

LETTER_PARAGRAPHS = [
    "I warmly invite you to attend {event_title}, our annual event that brings local City of "
    "Sanctuary groups and people seeking sanctuary from around the UK to Parliament to meet "
    "their MPs, on {event_date} at {event_venue}.",
    "It is a chance to talk with your constituents, with refugees and with people seeking "
    "sanctuary, in the hope of a positive dialogue and of your support for a fairer and more "
    "compassionate system.",
    "City of Sanctuary wants the UK to be a welcoming place of safety for all, proud to offer "
    "sanctuary to people fleeing violence and persecution.",
]

NATIONAL_PARAGRAPH = (
    "City of Sanctuary groups across the UK bring together local organisations, faith "
    "groups, schools and people seeking sanctuary to build a culture of welcome."
)

CLOSING_PARAGRAPHS = [
    "After fleeing war, torture and persecution, many people face continuing hardship in the "
    "UK while they make their claim for protection. This year's event is about a fairer, more "
    "compassionate system: one in which no-one is detained without knowing when they will be "
    "released, families can live together, and people can provide for themselves and "
    "contribute through work.",
    "The All-Party Parliamentary Group for Refugees is hosting the event. Its chair will open "
    "the session at about 12:15, and at 12:30 a panel of MPs from several parties and refugees "
    "will discuss these issues, followed by questions and a chance to hear directly from "
    "refugees.",
    "2018 is an important year for these questions. The Immigration Bill expected later this "
    "year will reshape immigration policy, and the Windrush scandal has shown how the hostile "
    "environment and a burdensome Home Office bureaucracy affect people's lives. The public "
    "response suggests that most people would rather see a welcoming environment, above all "
    "for those fleeing violence and persecution.",
    "I do not want people seeking sanctuary to be forgotten while the immigration system is "
    "rethought, and I hope you can come and talk with people from {constituency} about some of "
    "the most harmful practices they face.",
    "I can send you a more detailed programme nearer the time. In the meantime I would be "
    "grateful if you could let me know whether you can put this in your diary. A "
    "representative of {group_name} will be there on the day to meet you and answer your "
    "questions.",
    "I hope you will be able to join us on {event_date} at {event_venue}, even if only for a "
    "short while.",
]


# The follow-up letters of the same event: each visitor gets the one their MP's recorded
# answer calls for (letters/campaign.py), and {mp_answer} says what the MP answered.
THANKS_PARAGRAPHS = [
    "{mp_answer} It meant a great deal to people seeking sanctuary and to {group_name} to meet "
    "you on {event_date} and to talk about what a fairer, more compassionate system would "
    "look like.",
    "I hope the conversations you had will stay with you, and that you will keep in touch "
    "with {group_name} and with the people you met from {constituency}.",
]
FOLLOW_UP_PARAGRAPHS = [
    "{mp_answer} I am sorry that we did not meet you there on {event_date}.",
    "People seeking sanctuary from across the UK came to Parliament to talk with their MPs "
    "about a fairer, more compassionate system: one in which no-one is detained without "
    "knowing when they will be released, families can live together, and people can provide "
    "for themselves through work.",
    "I would welcome the chance to meet you in {constituency}, with {group_name}, to talk "
    "about these questions and about the welcome our area offers.",
]
FOLLOW_UPS = [
    # slug, title, kind, paragraphs, introduction
    ("thank-your-mp-sanctuary-in-parliament-2018",
     "Thank your MP for coming to Sanctuary in Parliament 2018",
     LetterKind.FOLLOW_UP_ATTENDED, THANKS_PARAGRAPHS,
     "Your MP came to Sanctuary in Parliament 2018: thank them, and keep the conversation "
     "going with your local group."),
    ("follow-up-your-mp-sanctuary-in-parliament-2018",
     "Follow up with your MP after Sanctuary in Parliament 2018",
     LetterKind.FOLLOW_UP_NOT_ATTENDED, FOLLOW_UP_PARAGRAPHS,
     "Your MP could not come to Sanctuary in Parliament 2018: invite them to meet you and "
     "your local group instead."),
]  # fmt: skip


@transaction.atomic
def load_constituencies() -> None:
    for code, name, slug, region, mp, title, party, member_id, email in DEMO_CONSTITUENCIES:
        Constituency.objects.get_or_create(
            gss_code=code,
            defaults={
                "name": name,
                "slug": slug,
                "nation": "england",
                "region": region,
                "current_mp_name": mp,
                "current_mp_full_title": title,
                "current_mp_party": party,
                "current_mp_member_id": member_id,
                "current_mp_email": email,
                "mp_updated_at": timezone.now(),
            },
        )


def load_shared_data(report: Callable[[str], object]) -> None:
    """Every constituency with its current MP, and the postcode sample, from ../shared/data
    when it is there (each import is idempotent); otherwise say how to get real postcodes."""
    shared = shared_data_dir()
    mp_lookup, postcodes = shared / MP_LOOKUP_FILE, shared / POSTCODE_SAMPLE_FILE
    if not (mp_lookup.is_file() and postcodes.is_file()):
        report(
            f"No {shared} beside the checkout: postcodes are looked up on postcodes.io. "
            "See README, Postcodes, to load the ONS Postcode Directory."
        )
        return
    report(f"Constituencies from {MP_LOOKUP_FILE}: {import_constituencies(mp_lookup).summary()}")
    report(f"Postcodes from {POSTCODE_SAMPLE_FILE}: {import_postcodes(postcodes).summary()}")


@transaction.atomic
def load(home) -> LetterIndexPage:
    index = child_page(
        home,
        LetterIndexPage,
        "letters",
        title="Write to your MP",
        show_in_menus=True,
        introduction=(
            "Invite your MP to meet local groups and people seeking sanctuary. Find your MP, "
            "add your name and address, and download a letter ready to send."
        ),
    )
    event = EventPage.objects.filter(slug="sanctuary-in-parliament-2018").first()
    # The seed letter's order: the event's details, the invitation, the local group and its
    # achievements, why it matters, the practical ask, and the sign-off.
    body = [("event_details", None)]
    body += [("paragraph", text) for text in LETTER_PARAGRAPHS]
    body += [
        ("group_paragraph", None),
        ("group_achievements", {"lead_in": "Two big achievements of {group_name} are:"}),
    ]
    body += [("paragraph", text) for text in CLOSING_PARAGRAPHS]
    body += [("sign_off", {"closing": "Yours sincerely", "sender_name": "", "sender_address": ""})]
    child_page(
        index,
        LetterPage,
        DEMO_INVITATION_SLUG,
        title="Invite your MP to Sanctuary in Parliament 2018",
        event=event,
        kind=LetterKind.INVITATION,
        introduction=(
            "Sanctuary in Parliament brings local groups and people seeking sanctuary to meet "
            "their MPs. Ask your MP to come: enter your postcode to find them and download a "
            "letter with your local group's story."
        ),
        national_paragraph=NATIONAL_PARAGRAPH,
        body=body,
    )
    for slug, title, kind, paragraphs, introduction in FOLLOW_UPS:
        follow_up = [("paragraph", text) for text in paragraphs]
        follow_up += [("group_paragraph", None), *body[-1:]]
        child_page(
            index,
            LetterPage,
            slug,
            title=title,
            event=event,
            kind=kind,
            introduction=introduction,
            national_paragraph=NATIONAL_PARAGRAPH,
            body=follow_up,
        )
    return index
