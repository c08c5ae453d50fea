"""The admin's home: a local editor's panels show their own group's work and nothing of
another group's; national staff see the review queue by group, quiet groups and uncovered
constituencies. Each panel's query count stays the same however much content there is."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from events.models import EventPage
from groups.dashboard import (
    EventsMissingDetailsPanel,
    ExpiringAwardsPanel,
    GroupPagesPanel,
    QuietGroupsPanel,
    ReviewQueueByGroupPanel,
    StalePagesPanel,
    months_from,
)
from groups.models import GroupStatus
from letters.dashboard import InvitationCountsPanel, UncoveredConstituenciesPanel
from letters.models import (
    Constituency,
    InvitationSent,
    LetterDownload,
    LetterPage,
    VisitorAnswer,
)
from tests.groups.factories import AchievementPageFactory, GroupUpdatePageFactory

pytestmark = pytest.mark.django_db


def dashboard(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, panel_id: str) -> str:
    """The HTML of one dashboard panel (Wagtail's `{% panel %}` gives it `<id>-section`)."""
    start = html.index(f'id="{panel_id}-section"')
    return html[start : html.index("</section>", start)]


def submit_for_review(page: Page, user) -> None:
    """As an editor's "Submit to National staff review" does."""
    page.save_revision(user=user)
    page.get_workflow().start(page, user)


def add_draft(parent: Page, title: str) -> Page:
    page = AchievementPageFactory.build(title=title, live=False)
    parent.add_child(instance=page)
    page.save_revision()
    return page


def test_months_from_keeps_the_day_or_the_months_last():
    assert months_from(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert months_from(datetime.date(2026, 1, 15), -6) == datetime.date(2025, 7, 15)
    assert months_from(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)


def test_editor_sees_own_group_pages_with_status_and_nothing_of_another_group(
    users, southampton, ipswich
):
    add_draft(southampton, "Southampton draft award")
    in_review = AchievementPageFactory(parent=southampton, title="Southampton award in review")
    submit_for_review(in_review, users["southampton_editor"])
    add_draft(ipswich, "Ipswich secret draft")
    ipswich_review = AchievementPageFactory(parent=ipswich, title="Ipswich award in review")
    submit_for_review(ipswich_review, users["ipswich_editor"])

    html = dashboard(users["southampton_editor"])
    pages = section(html, "group-pages")
    assert "Southampton draft award" in pages
    assert "Southampton award in review" in pages
    assert "City of Sanctuary Southampton" in pages
    # Awaiting review first, then drafts, each with its status in words.
    assert pages.index("Southampton award in review") < pages.index("Southampton draft award")
    row = pages[pages.index("Southampton award in review") :]
    assert row.index("In moderation") < row.index("</tr>")
    row = pages[pages.index("Southampton draft award") :]
    assert row.index("Draft") < row.index("</tr>")
    for other in ("Ipswich", "ipswich"):
        assert other not in html


def test_editor_sees_awards_expiring_within_three_months_of_own_group_only(
    users, southampton, ipswich
):
    today = timezone.localdate()
    AchievementPageFactory(
        parent=southampton, title="Schools award", expires_on=today + datetime.timedelta(days=30)
    )
    AchievementPageFactory(
        parent=southampton, title="Far-off award", expires_on=today + datetime.timedelta(days=200)
    )
    AchievementPageFactory(
        parent=southampton, title="Expired award", expires_on=today - datetime.timedelta(days=1)
    )
    AchievementPageFactory(
        parent=ipswich, title="Ipswich library award", expires_on=today + datetime.timedelta(days=9)
    )

    panel = section(dashboard(users["southampton_editor"]), "expiring-awards")
    assert "Schools award" in panel
    assert "Far-off award" not in panel
    assert "Expired award" not in panel
    assert "Ipswich library award" not in panel


def test_editor_sees_upcoming_events_missing_a_venue_or_booking_link(users, southampton, ipswich):
    start = timezone.now() + datetime.timedelta(days=10)
    end = start + datetime.timedelta(hours=2)
    for parent, title, fields in (
        (southampton, "Welcome picnic", {"booking_url": "https://example.org/book"}),
        (southampton, "Quiz night", {"venue_name": "The Hall"}),
        (
            southampton,
            "Fully planned walk",
            {"venue_name": "The Common", "booking_url": "https://example.org/walk"},
        ),
        (ipswich, "Ipswich unplanned social", {}),
    ):
        parent.add_child(
            instance=EventPage(
                title=title, slug=title.lower().replace(" ", "-"), start=start, end=end, **fields
            )
        )

    panel = section(dashboard(users["southampton_editor"]), "events-missing-details")
    picnic = panel[panel.index("Welcome picnic") :]
    assert picnic[: picnic.index("</li>")].endswith("missing a venue or online link")
    quiz = panel[panel.index("Quiz night") :]
    assert quiz[: quiz.index("</li>")].endswith("missing a booking link")
    assert "Fully planned walk" not in panel
    assert "Ipswich unplanned social" not in panel


def test_editor_sees_pages_not_updated_for_a_year_but_not_dated_news(users, southampton, ipswich):
    old = timezone.now() - datetime.timedelta(days=400)
    stale = AchievementPageFactory(parent=southampton, title="Old award page")
    news = GroupUpdatePageFactory(parent=southampton, title="Old news")
    other = AchievementPageFactory(parent=ipswich, title="Ipswich old page")
    Page.objects.filter(pk__in=[stale.pk, news.pk, other.pk]).update(
        latest_revision_created_at=old, last_published_at=old, first_published_at=old
    )

    panel = section(dashboard(users["southampton_editor"]), "stale-pages")
    assert "Old award page" in panel
    assert "Old news" not in panel
    assert "Ipswich old page" not in panel


def test_editor_sees_invitation_counts_for_own_constituencies_only(users, southampton, ipswich):
    letter = LetterPage.objects.get(slug="invite-your-mp-sanctuary-in-parliament-2018")
    today = timezone.localdate()
    own = southampton.constituencies.order_by("name").first()
    others = ipswich.constituencies.all()
    InvitationSent.objects.create(letter=letter, constituency=own, date=today, count=7)
    InvitationSent.objects.create(
        letter=letter, constituency=own, date=today - datetime.timedelta(days=1), count=5
    )
    LetterDownload.objects.create(
        letter=letter, constituency=own, format="docx", date=today, count=3
    )
    for constituency in others:
        InvitationSent.objects.create(
            letter=letter, constituency=constituency, date=today, count=99
        )
    # What visitors reported through the question email: two say replied, one of them that
    # the MP will attend; another group's constituencies' reports are not shown.
    for answer in ("replied", "will-attend", "no-reply"):
        VisitorAnswer.objects.create(letter=letter, constituency=own, answer=answer)
    for constituency in others:
        VisitorAnswer.objects.create(letter=letter, constituency=constituency, answer="declined")

    panel = section(dashboard(users["southampton_editor"]), "invitation-counts")
    row = panel[panel.index(own.name) :]
    row = row[: row.index("</tr>")]
    assert "<td>3</td>" in row and "<td>12</td>" in row
    # downloads, invitations sent, visitors say replied, visitors say will attend
    assert re.findall(r"<td>(\d+)</td>", row) == ["3", "12", "2", "1"]
    assert "Visitors say replied" in panel and "their own word, not checked" in panel
    for constituency in others:
        assert constituency.name not in panel
    assert "99" not in panel
    for constituency in southampton.constituencies.all():
        assert constituency.name in panel


def test_staff_see_the_review_queue_grouped_by_group(users, southampton, ipswich):
    submit_for_review(
        AchievementPageFactory(parent=ipswich, title="Ipswich award to approve"),
        users["ipswich_editor"],
    )
    submit_for_review(
        AchievementPageFactory(parent=southampton, title="Southampton award to approve"),
        users["southampton_editor"],
    )
    panel = section(dashboard(users["staff"]), "review-queue-by-group")
    assert "2 pages in moderation" in panel
    ipswich_at = panel.index("<h3>Ipswich Town of Sanctuary (1)</h3>")
    southampton_at = panel.index("<h3>City of Sanctuary Southampton (1)</h3>")
    # Groups in name order, each with its own pages under it.
    assert southampton_at < panel.index("Southampton award to approve") < ipswich_at
    assert ipswich_at < panel.index("Ipswich award to approve")


def test_staff_see_groups_with_no_update_for_six_months(users, southampton, ipswich):
    GroupUpdatePageFactory(parent=southampton, date=timezone.localdate())
    ipswich.status = GroupStatus.ACTIVE
    ipswich.save()
    panel = section(dashboard(users["staff"]), "quiet-groups")
    assert "Ipswich Town of Sanctuary" in panel
    assert "City of Sanctuary Southampton" not in panel

    ipswich.status = GroupStatus.CLOSED
    ipswich.save()
    assert "Ipswich Town of Sanctuary" not in section(dashboard(users["staff"]), "quiet-groups")


def test_staff_see_how_many_constituencies_no_open_group_covers(users, southampton, ipswich):
    Constituency.objects.create(
        gss_code="E14099999",
        name="Nowhere North",
        slug="nowhere-north",
        nation="england",
        region="north-west",
    )
    covered = set(southampton.constituencies.all()) | set(ipswich.constituencies.all())
    uncovered = Constituency.objects.count() - len(covered)
    panel = section(dashboard(users["staff"]), "uncovered-constituencies")
    assert f"{uncovered} constituenc" in panel

    ipswich.status = GroupStatus.CLOSED
    ipswich.save()
    closed_only = set(ipswich.constituencies.all()) - set(southampton.constituencies.all())
    panel = section(dashboard(users["staff"]), "uncovered-constituencies")
    assert f"{uncovered + len(closed_only)} constituenc" in panel


def test_editors_do_not_see_staff_panels_nor_staff_editor_panels(users):
    editor = dashboard(users["southampton_editor"])
    assert 'id="review-queue-by-group-section"' not in editor
    assert 'id="uncovered-constituencies-section"' not in editor
    staff = dashboard(users["staff"])
    assert 'id="group-pages-section"' not in staff


def render_queries(panel, user) -> int:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        panel.render_html({"request": request, "csrf_token": ""})
    return len(queries)


# Counted on a second render: what a request shares with the rest of the site and finds
# cached for the content generation (the hidden sections, the site's root paths) is left out;
# reading the generation itself is one query.
PANEL_QUERIES = {
    GroupPagesPanel: 1,  # the pages with their moderation state (one more when over 20 rows)
    ExpiringAwardsPanel: 1,
    EventsMissingDetailsPanel: 1,
    StalePagesPanel: 1,
    InvitationCountsPanel: 3,  # the generation, the current letter, the counts
}
STAFF_PANEL_QUERIES = {
    ReviewQueueByGroupPanel: 2,  # pages in moderation, then their groups
    QuietGroupsPanel: 1,
    UncoveredConstituenciesPanel: 2,  # the generation, the counts
}


def add_content(southampton, ipswich, users, n: int, batch: str) -> None:
    today = timezone.localdate()
    start = timezone.now() + datetime.timedelta(days=5)
    for i in range(n):
        for group, editor in ((southampton, "southampton_editor"), (ipswich, "ipswich_editor")):
            AchievementPageFactory(parent=group, expires_on=today + datetime.timedelta(days=20 + i))
            group.add_child(
                instance=EventPage(
                    title=f"Event {group.slug} {i}",
                    slug=f"event-{batch}-{i}",
                    start=start,
                    end=start + datetime.timedelta(hours=1),
                )
            )
            submit_for_review(AchievementPageFactory(parent=group), users[editor])


def test_each_panel_runs_a_fixed_number_of_queries(users, southampton, ipswich):
    def counts() -> dict:
        found = {}
        for panel_class in PANEL_QUERIES:
            render_queries(panel_class([southampton]), users["southampton_editor"])
            panel = panel_class([southampton])
            found[panel_class] = render_queries(panel, users["southampton_editor"])
        for panel_class in STAFF_PANEL_QUERIES:
            render_queries(panel_class(), users["staff"])
            found[panel_class] = render_queries(panel_class(), users["staff"])
        return found

    add_content(southampton, ipswich, users, 2, "a")
    assert counts() == {**PANEL_QUERIES, **STAFF_PANEL_QUERIES}
    add_content(southampton, ipswich, users, 8, "b")
    # Past 20 rows, a list adds the query that counts the rest.
    assert counts() == {**PANEL_QUERIES, GroupPagesPanel: 2, **STAFF_PANEL_QUERIES}


def test_a_user_with_no_group_sees_no_group_panels(demo_site):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from groups.permissions import LOCAL_GROUP_EDITORS

    user = get_user_model().objects.create_user("lonely", "lonely@example.org", "pw")
    user.groups.add(Group.objects.get(name=LOCAL_GROUP_EDITORS))
    html = dashboard(user)
    assert 'id="group-pages-section"' not in html
    assert 'id="invitation-counts-section"' not in html


def test_admin_carries_the_networks_name_and_logo(users):
    import xml.etree.ElementTree as ElementTree

    from django.conf import settings
    from django.contrib.staticfiles import finders

    html = dashboard(users["southampton_editor"])
    assert "<title>Dashboard - City of Sanctuary</title>" in html
    assert "img/mark.svg" in html  # the sidebar's logo and the favicon
    login = Client().get("/admin/login/").content.decode()
    assert "Sign in to City of Sanctuary" in login
    assert 'src="/static/img/logo.svg" alt="City of Sanctuary"' in login
    assert settings.WAGTAIL_SITE_NAME == "City of Sanctuary"
    for name in ("img/logo.svg", "img/mark.svg"):
        root = ElementTree.parse(finders.find(name)).getroot()
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text == "City of Sanctuary"
