from django.core.management.base import BaseCommand
from wagtail.models import Page

FEATURED = ("southampton", "ipswich")  # the demo groups on the home page, in order


class Command(BaseCommand):
    help = "Load the demo content (home, about, groups, events, letters). Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--without-shared-data",
            action="store_true",
            help="leave out the 650 constituencies and the postcode sample from ../shared/data "
            "(the test suite's demo: the same content whether or not ../shared is there)",
        )
        parser.add_argument(
            "--without-welsh",
            action="store_true",
            help="leave out the Welsh pages and Swansea (the test suite's demo, whose tests find "
            "one home page and no Swansea; tests/network/test_welsh.py adds them itself)",
        )

    def handle(
        self, *args, without_shared_data: bool = False, without_welsh: bool = False, **options
    ) -> None:
        from events import demo as events_demo
        from groups import demo as groups_demo
        from letters import demo as letters_demo
        from network import demo as network_demo

        before = Page.objects.count()
        home = network_demo.load()
        letters_demo.load_constituencies()
        if not without_shared_data:
            letters_demo.load_shared_data(report=self.stdout.write)
        groups = groups_demo.load(home, report=self.stdout.write)
        featured = [groups.get_children().get(slug=slug).specific for slug in FEATURED]
        network_demo.feature_groups(home, featured)
        events_demo.load(home)
        letters_demo.load(home)
        network_demo.load_statements(home)
        # Last, so that every group, achievement, update and event loaded above has one.
        pictures = groups_demo.load_pictures() + events_demo.load_pictures()
        self.stdout.write(f"Demo pictures given to {pictures} pages.")
        if not without_welsh:
            network_demo.load_welsh(home, report=self.stdout.write)
            network_demo.load_welsh_statements(home)
        after = Page.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {after} pages ({after - before} new).")
        )
