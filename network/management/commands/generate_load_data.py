"""A large, realistic dataset for benchmarks: 150 groups with achievements, updates, events."""

import datetime
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale
from wagtail.search import index as search_index

from events.models import EventIndexPage, EventPage
from groups.models import (
    AchievementKind,
    AchievementPage,
    GroupIndexPage,
    GroupKind,
    GroupUpdatePage,
    LocalGroupPage,
    Region,
)
from letters.demo import DEMO_INVITATION_SLUG
from letters.models import Constituency, LetterPage

LONDON = ZoneInfo("Europe/London")
NATIONS = {
    Region.SCOTLAND: "scotland",
    Region.WALES: "wales",
    Region.NORTHERN_IRELAND: "northern-ireland",
}
SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"


class Command(BaseCommand):
    help = (
        "Generate load-test data: GROUPS groups (default 150), each with 20 achievements, 30 "
        "updates and 10 events, and 650 constituencies. Adds to the demo content; once there, "
        "it is left as it is."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--groups", type=int, default=150)
        parser.add_argument("--achievements", type=int, default=20)
        parser.add_argument("--updates", type=int, default=30)
        parser.add_argument("--events", type=int, default=10)

    def handle(self, *args, groups: int, achievements: int, updates: int, events: int, **options):
        self._load(groups, achievements, updates, events)
        # A campaign day is what the benchmarks measure: the demo's 2018 invitation, closed
        # since its event, is reopened for a year from each run, so its files are served
        # (a closed campaign's downloads answer 410).
        LetterPage.objects.filter(slug=DEMO_INVITATION_SLUG).update(
            closes_at=timezone.now() + datetime.timedelta(days=365)
        )

    def _load(self, groups: int, achievements: int, updates: int, events: int) -> None:
        generated = set(
            LocalGroupPage.objects.filter(slug__startswith="load-group-").values_list(
                "slug", flat=True
            )
        )
        if {f"load-group-{number:03d}" for number in range(groups)} <= generated:
            # Already generated: left exactly as it is, so that every make bench measures the same.
            self.stdout.write(self.style.SUCCESS(f"Load data already there: {groups} groups."))
            return
        if not generated:
            # The demo only before the first load page: load_demo_content gives a picture to every
            # published page without one, so run again it would picture every load page (9,000
            # publishes, more than ten minutes) and change the data make bench measures.
            call_command("load_demo_content", stdout=self.stdout)
        self._constituencies()
        rng = random.Random(2026)  # noqa: S311 - repeatable sample data, not security
        english = Locale.get_default()  # the load data is English; the demo also has Welsh
        index = GroupIndexPage.objects.get(locale=english)
        event_index = EventIndexPage.objects.get(locale=english)
        constituencies = list(Constituency.objects.order_by("gss_code"))
        existing = set(LocalGroupPage.objects.values_list("slug", flat=True))
        # Search indexing on every save would triple the time; benchmarks don't search.
        with _search_index_updates_paused():
            for number in range(groups):
                slug = f"load-group-{number:03d}"
                if slug in existing:
                    continue
                with transaction.atomic():
                    self._group(
                        index,
                        event_index,
                        slug,
                        number,
                        rng,
                        constituencies,
                        achievements,
                        updates,
                        events,
                    )
                if number % 10 == 9:
                    self.stdout.write(f"  {number + 1} groups")
        self.stdout.write(
            self.style.SUCCESS(f"Load data ready: {LocalGroupPage.objects.count()} groups.")
        )

    def _constituencies(self) -> None:
        if Constituency.objects.count() >= 650:
            return
        if (SHARED_DATA / "dfe_mp_lookup.csv").exists():
            call_command(
                "import_constituencies", str(SHARED_DATA / "dfe_mp_lookup.csv"), stdout=self.stdout
            )
            return
        for number in range(650):
            Constituency.objects.get_or_create(
                gss_code=f"E1409{number:04d}",
                defaults={
                    "name": f"Loadshire {number:03d}",
                    "slug": f"loadshire-{number:03d}",
                    "nation": "england",
                    "region": Region.NORTH_WEST,
                    "current_mp_name": f"Member {number}",
                    "current_mp_full_title": f"Member {number} MP",
                    "current_mp_party": "Independent",
                },
            )

    def _group(
        self, index, event_index, slug, number, rng, constituencies, achievements, updates, events
    ):
        region = rng.choice(list(Region))
        group = LocalGroupPage(
            title=f"{rng.choice(['Northtown', 'Riverford', 'Hillbury', 'Seaport', 'Oakvale'])} {number:03d} of Sanctuary",
            slug=slug,
            kind=rng.choice(list(GroupKind)),
            nation=NATIONS.get(region, "england"),
            region=region,
            date_founded=datetime.date(2008 + number % 15, 1 + number % 12, 1),
            introduction="A local group building a culture of welcome for people seeking sanctuary.",
            letter_paragraph="Our group brings local organisations and people seeking sanctuary together.",
            constituencies=rng.sample(constituencies, k=min(3, len(constituencies))),
        )
        index.add_child(instance=group)
        for n in range(achievements):
            group.add_child(
                instance=AchievementPage(
                    title=f"Achievement {n} of group {number}",
                    slug=f"achievement-{n}",
                    kind=rng.choice(list(AchievementKind)),
                    date_achieved=datetime.date(2012, 1, 1)
                    + datetime.timedelta(days=rng.randrange(5000)),
                    summary="Recognised for welcoming people seeking sanctuary.",
                    count=rng.randrange(1, 30),
                    count_label="schools",
                    feature_in_letters=n < 2,
                )
            )
        for n in range(updates):
            group.add_child(
                instance=GroupUpdatePage(
                    title=f"Update {n} from group {number}",
                    slug=f"update-{n}",
                    date=datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(4000)),
                    introduction="What the group has been doing this month.",
                )
            )
        for n in range(events):
            start = datetime.datetime(2025, 1, 1, 18, tzinfo=LONDON) + datetime.timedelta(
                days=rng.randrange(900)
            )
            parent = group if n % 2 else event_index
            parent.add_child(
                instance=EventPage(
                    title=f"Event {n} of group {number}",
                    slug=f"event-{n}-group-{number}",
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    venue_name="Community centre",
                    organiser=group,
                    introduction="An evening of welcome, open to all.",
                )
            )


class _search_index_updates_paused:
    def __enter__(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.search.signal_handlers import (
            post_delete_signal_handler,
            post_save_signal_handler,
        )

        self.handlers = (post_save_signal_handler, post_delete_signal_handler)
        self.signals = (post_save, post_delete)
        self.models = list(search_index.get_indexed_models())
        for model in self.models:
            post_save.disconnect(post_save_signal_handler, sender=model)
            post_delete.disconnect(post_delete_signal_handler, sender=model)
        return self

    def __exit__(self, *exc) -> None:
        from django.db.models.signals import post_delete, post_save

        for model in self.models:
            post_save.connect(self.handlers[0], sender=model)
            post_delete.connect(self.handlers[1], sender=model)
