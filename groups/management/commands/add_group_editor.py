from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from groups.models import LocalGroupPage
from groups.permissions import add_group_editor, send_editor_invitation


class Command(BaseCommand):
    help = (
        "Add a user to a local group's editors. A new user is created without a password and "
        "emailed a link to set one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("group_slug", help="the group page's slug, e.g. southampton")
        parser.add_argument("email", help="the editor's email address")

    def handle(self, *args, group_slug: str, email: str, **options) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"'{email}' is not a valid email address.") from error
        group_page = LocalGroupPage.objects.filter(slug=group_slug).first()
        if group_page is None:
            known = ", ".join(
                LocalGroupPage.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                f"No group with slug '{group_slug}'. Known groups: {known or 'none'}."
            )

        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User.objects.create_user(username=email, email=email)
                user.set_unusable_password()
                user.save(update_fields=["password"])
            add_group_editor(group_page, user)

        if created:
            send_editor_invitation(user)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created {email} as an editor of {group_page.title}; emailed a link to set a password."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{email} is now an editor of {group_page.title}.")
            )
