"""Campaign emails in the admin, for national staff: how many reminder and question emails
were sent, are waiting, being retried, failed or were cancelled, per campaign, and why they
failed, with how often. Nothing here shows an address: `CampaignEmail` holds none, and
its failure reasons are stored with addresses masked (letters/reminders.py)."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.menu import MenuItem

from letters.models import CampaignEmail, VisitorAnswer
from letters.reports import LetterReportsMenuItem, report_view


@report_view
def campaign_emails(request: HttpRequest) -> HttpResponse:
    statuses = CampaignEmail.Status
    counts: dict[tuple[int, str], dict[str, int]] = {}
    titles: dict[int, str] = {}
    for row in CampaignEmail.objects.values("letter", "letter__title", "kind", "status").annotate(
        count=Count("pk")
    ):
        titles[row["letter"]] = row["letter__title"]
        counts.setdefault((row["letter"], row["kind"]), {})[row["status"]] = row["count"]
    rows = [
        {
            "letter": titles[letter],
            "kind": CampaignEmail.Kind(kind).label,
            "counts": [by_status.get(status, 0) for status in statuses.values],
        }
        for (letter, kind), by_status in sorted(counts.items(), key=lambda item: titles[item[0][0]])
    ]
    failures = (
        CampaignEmail.objects.exclude(reason="")
        .values("letter__title", "status", "reason")
        .annotate(count=Count("pk"))
        .order_by("-count", "reason")[:100]
    )
    answers = (
        VisitorAnswer.objects.values("letter__title", "answer")
        .annotate(count=Count("pk"))
        .order_by("letter__title", "answer")
    )
    return TemplateResponse(
        request,
        "letters/admin/campaign_emails.html",
        {
            "page_title": "Campaign emails",
            "header_icon": "mail",
            "statuses": statuses.labels,
            "rows": rows,
            "failures": [
                {**failure, "status": statuses(failure["status"]).label} for failure in failures
            ],
            "answers": [
                {**answer, "answer": VisitorAnswer.Answer(answer["answer"]).label}
                for answer in answers
            ],
        },
    )


def admin_urls() -> list:
    return [path("reports/campaign-emails/", campaign_emails, name="letters_campaign_emails")]


def menu_item() -> MenuItem:
    return LetterReportsMenuItem(
        "Campaign emails",
        reverse("letters_campaign_emails"),
        name="letters-campaign-emails",
        icon_name="mail",
        order=895,
    )
