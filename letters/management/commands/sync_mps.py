from django.core.management.base import BaseCommand, CommandError, CommandParser

from letters.members_api import MembersAPIError, sync_current_mps


class Command(BaseCommand):
    help = (
        "Refresh every constituency's current MP from the UK Parliament Members API. "
        "Fetches everything before writing: on any failure nothing changes. Run it nightly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report the changes without saving them"
        )
        parser.add_argument(
            "--max-vacancies",
            type=int,
            default=20,
            help="refuse an answer that would vacate more seats than this (default 20)",
        )

    def handle(self, *args, dry_run: bool, max_vacancies: int, **options) -> None:
        try:
            plan = sync_current_mps(dry_run=dry_run, max_vacancies=max_vacancies)
        except MembersAPIError as error:
            raise CommandError(f"MPs not synced: {error}. Nothing was changed.") from error
        for change in plan.changes:
            self.stdout.write(f"{change.kind}: {change.description}")
        for member in plan.unmatched:
            self.stdout.write(
                self.style.WARNING(
                    f"no constituency matches {member.constituency_name!r} "
                    f"(member {member.member_id}, {member.name})"
                )
            )
        prefix = "Dry run, nothing saved. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + plan.summary()))
