"""Factories for the groups app's pages and roles (wagtail-factories), used by every app's tests."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from groups.models import (
    AchievementKind,
    AchievementPage,
    GroupMemberOrganisation,
    GroupUpdatePage,
    LocalGroupPage,
    Region,
)
from groups.permissions import NATIONAL_STAFF


class LocalGroupPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Testtown {n} of Sanctuary")
    slug = factory.Sequence(lambda n: f"testtown-{n}")
    region = Region.NORTH_WEST
    letter_paragraph = "A group that welcomes people seeking sanctuary."

    class Meta:
        model = LocalGroupPage


class AchievementPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Achievement {n}")
    slug = factory.Sequence(lambda n: f"achievement-{n}")
    kind = AchievementKind.SCHOOL
    date_achieved = factory.Sequence(
        lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
    )
    summary = "Recognised for welcoming sanctuary seekers."

    class Meta:
        model = AchievementPage


class GroupUpdatePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Update {n}")
    slug = factory.Sequence(lambda n: f"update-{n}")
    date = factory.Sequence(lambda n: datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    introduction = "What we did this month."

    class Meta:
        model = GroupUpdatePage


class GroupMemberOrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Member organisation {n}")

    class Meta:
        model = GroupMemberOrganisation


def national_staff_user(username: str = "staff"):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name=NATIONAL_STAFF))
    return user
