"""Dashboard panels that read the letters' figures (see groups/dashboard.py for the others).

For a local editor: each constituency their group covers, with the current campaign's letters
downloaded and invitations sent there, and how many visitors reported (through the question
email) that its MP replied or will attend. For national staff: the constituencies no open group
covers, which get the national paragraph in every letter.
"""

from django.db.models import Count
from wagtail.admin.ui.components import Component

from groups.dashboard import GroupPanel
from groups.models import LocalGroupPage, current_letter_campaign
from letters.campaign import count_for_letter, visitor_reports
from letters.models import Constituency, InvitationSent, LetterDownload


class InvitationCountsPanel(GroupPanel):
    """The campaign in the editor's own constituencies: two queries (the letter, the counts)."""

    name = "invitation_counts"
    order = 140
    template_name = "letters/dashboard/invitation_counts.html"
    heading = "Invitations to your MPs"
    panel_id = "invitation-counts"

    def get_context_data(self, parent_context=None) -> dict:
        context = super().get_context_data(parent_context)
        letter = current_letter_campaign()
        context["letter"] = letter
        if letter is None:
            return context
        constituencies = list(
            Constituency.objects.filter(groups__in=[group.pk for group in self.groups])
            .distinct()
            .annotate(
                downloads=count_for_letter(LetterDownload, letter),
                invitations=count_for_letter(InvitationSent, letter),
                **visitor_reports(letter),
            )
            .order_by("name")
            .only("name", "slug", "current_mp_name")
        )
        base = letter.url or ""
        for constituency in constituencies:
            constituency.preview_url = base + letter.reverse_subpage(
                "preview", args=[constituency.slug]
            )
        context["constituencies"] = constituencies
        return context


class UncoveredConstituenciesPanel(Component):
    """How many constituencies no open group covers, by nation, with a link to the list."""

    name = "uncovered_constituencies"
    order = 120
    template_name = "letters/dashboard/uncovered_constituencies.html"

    def get_context_data(self, parent_context=None) -> dict:
        covering = LocalGroupPage.objects.covering()
        by_nation = list(
            Constituency.objects.exclude(groups__in=covering)
            .order_by("nation")
            .values("nation")
            .annotate(count=Count("pk"))
        )
        labels = dict(Constituency._meta.get_field("nation").choices)
        for row in by_nation:
            row["label"] = labels.get(row["nation"], row["nation"])
        return {"by_nation": by_nation, "total": sum(row["count"] for row in by_nation)}
