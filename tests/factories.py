"""The factories live beside the tests of their app (`tests/groups/factories.py`); this name
still imports them, for tests written before the move."""

from tests.groups.factories import (  # noqa: F401
    AchievementPageFactory,
    GroupMemberOrganisationFactory,
    GroupUpdatePageFactory,
    LocalGroupPageFactory,
    national_staff_user,
)
