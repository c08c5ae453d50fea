"""Choice labels (core/choices.py): the words Django's get_FOO_display() gives, in the active
language, from a map built once."""

import pytest
from django.utils import translation

from core.choices import Nation, Region, choice_label
from groups.models import AchievementKind, AchievementPage, GroupKind, GroupStatus, LocalGroupPage


def test_a_choice_label_is_its_label_in_the_active_language():
    assert choice_label(Nation, "wales") == "Wales"
    with translation.override("cy"):
        assert choice_label(Nation, "wales") == "Cymru"
        assert choice_label(Region, "wales") == "Cymru"


def test_a_value_that_is_not_a_choice_is_shown_as_it_is():
    assert choice_label(Region, "atlantis") == "atlantis"
    assert choice_label(Region, "") == ""


@pytest.mark.django_db  # a page looks up its content type when it is made
def test_group_and_achievement_pages_show_the_labels_of_their_choices():
    group = LocalGroupPage(
        kind=GroupKind.TOWN, nation=Nation.WALES, region=Region.WALES, status=GroupStatus.FORMING
    )
    achievement = AchievementPage(kind=AchievementKind.LIBRARY)
    for language in ("en-gb", "cy"):
        with translation.override(language):
            assert group.get_kind_display() == str(GroupKind.TOWN.label)
            assert group.get_nation_display() == str(Nation.WALES.label)
            assert group.get_region_display() == str(Region.WALES.label)
            assert group.get_status_display() == str(GroupStatus.FORMING.label)
            assert achievement.get_kind_display() == str(AchievementKind.LIBRARY.label)
    with translation.override("cy"):
        assert group.place_label == "Cymru"
