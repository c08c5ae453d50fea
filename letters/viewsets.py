"""The constituency listing national staff use in the admin: search, filters, CSV/XLSX export;
and the MPs' answers to a campaign, which group editors record for their own constituencies.

Access follows the model permissions (letters.view_constituency, change_constituency...),
which only national staff hold; the answers' permissions are held by local group editors too,
and every answer view is scoped to `answerable_constituencies` on the server.
"""

import datetime

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.defaults import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.models import DeleteView, EditView, IndexView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet

from core.choices import Nation, Region
from core.spreadsheets import FormulaSafeExportMixin
from groups.permissions import editable_group_pages, is_national_staff
from letters.models import Constituency, LetterPage, MPAnswer


def party_choices() -> list[tuple[str, str]]:
    parties = (
        Constituency.objects.exclude(current_mp_party="")
        .order_by("current_mp_party")
        .values_list("current_mp_party", flat=True)
        .distinct()
    )
    return [(party, party) for party in parties]


class ConstituencyFilterSet(WagtailFilterSet):
    nation = django_filters.ChoiceFilter(choices=Nation.choices)
    region = django_filters.ChoiceFilter(choices=Region.choices)
    current_mp_party = django_filters.ChoiceFilter(label="Party", choices=party_choices)
    uncovered = django_filters.BooleanFilter(label="No group covers it", method="filter_uncovered")

    class Meta:
        model = Constituency
        fields = ["nation", "region", "current_mp_party"]

    def filter_uncovered(
        self, queryset: QuerySet[Constituency], name: str, value: bool | None
    ) -> QuerySet[Constituency]:
        if value is None:
            return queryset
        if value:
            return queryset.filter(groups__isnull=True)
        return queryset.filter(groups__isnull=False).distinct()


class ConstituencyIndexView(FormulaSafeExportMixin, IndexView):
    """The listing; its CSV export escapes cells a spreadsheet would run as formulas."""


class ConstituencyViewSet(ModelViewSet):
    model = Constituency
    index_view_class = ConstituencyIndexView
    icon = "site"
    menu_label = "Constituencies"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "gss_code", "region", "current_mp_name", "current_mp_party"]
    list_per_page = 50
    search_fields = ["name", "gss_code", "current_mp_name"]
    search_backend_name = None  # the model is not in the search index; use the ORM
    filterset_class = ConstituencyFilterSet
    list_export = [
        "gss_code",
        "name",
        "slug",
        "nation",
        "region",
        "current_mp_name",
        "current_mp_full_title",
        "current_mp_party",
        "current_mp_member_id",
        "current_mp_email",
        "mp_updated_at",
    ]
    export_filename = "constituencies"
    form_fields = [
        "name",
        "slug",
        "gss_code",
        "nation",
        "region",
        "current_mp_name",
        "current_mp_full_title",
        "current_mp_party",
        "current_mp_member_id",
        "current_mp_email",
    ]


constituency_viewset = ConstituencyViewSet("constituencies")


def answerable_constituencies(user) -> QuerySet[Constituency]:
    """The constituencies whose MPs' answers a user may record: every one for national staff,
    those their groups cover for a local group editor, none for anyone else."""
    if is_national_staff(user):
        return Constituency.objects.all()
    return Constituency.objects.filter(groups__in=editable_group_pages(user)).distinct()


# An answer dated before this is a typing mistake, not a campaign's (the oldest letter is 2018's).
EARLIEST_ANSWER_DATE = datetime.date(2000, 1, 1)


def answer_date_problem(date: datetime.date) -> str | None:
    """Why an MP's answer cannot carry this date (in the future, or absurdly old), or None."""
    if date > timezone.localdate():
        return "The date cannot be in the future."
    if date < EARLIEST_ANSWER_DATE:
        return f"The date cannot be before {EARLIEST_ANSWER_DATE:%d %B %Y}."
    return None


class MPAnswerForm(WagtailAdminModelForm):
    """Offers only the constituencies the user may record for, and records who did."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = answerable_constituencies(self.for_user)
        self.fields["letter"].queryset = LetterPage.objects.order_by("-first_published_at", "title")

    def clean_date(self) -> datetime.date:
        date = self.cleaned_data["date"]
        problem = answer_date_problem(date)
        if problem:
            raise forms.ValidationError(problem)
        return date

    def save(self, commit: bool = True) -> MPAnswer:
        self.instance.recorded_by = self.for_user
        return super().save(commit=commit)


class AnswerInScopeMixin:
    """Refuses (403) an answer for a constituency the user may not record for, whatever its id."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        answer = get_object_or_404(MPAnswer, pk=unquote(str(kwargs["pk"])))
        if not answerable_constituencies(request.user).filter(pk=answer.constituency_id).exists():
            return permission_denied(request, PermissionDenied("another group's constituency"))
        return super().dispatch(request, *args, **kwargs)


class MPAnswerIndexView(FormulaSafeExportMixin, IndexView):
    def get_base_queryset(self) -> QuerySet[MPAnswer]:
        return (
            super()
            .get_base_queryset()
            .filter(constituency__in=answerable_constituencies(self.request.user))
            .select_related("letter", "constituency", "recorded_by")
        )


class MPAnswerEditView(AnswerInScopeMixin, EditView):
    pass


class MPAnswerDeleteView(AnswerInScopeMixin, DeleteView):
    pass


class MPAnswerHistoryView(AnswerInScopeMixin, HistoryView):
    pass


class MPAnswerUsageView(AnswerInScopeMixin, UsageView):
    pass


class MPAnswerFilterSet(WagtailFilterSet):
    answer = django_filters.ChoiceFilter(choices=MPAnswer.Answer.choices)

    class Meta:
        model = MPAnswer
        fields = ["letter", "answer"]


class MPAnswerViewSet(ModelViewSet):
    """MPs' answers to a letter campaign. National staff record any; a group's editors only for
    the constituencies their group covers (the listing, the form's choices and every
    per-answer view are scoped on the server)."""

    model = MPAnswer
    index_view_class = MPAnswerIndexView
    edit_view_class = MPAnswerEditView
    delete_view_class = MPAnswerDeleteView
    history_view_class = MPAnswerHistoryView
    usage_view_class = MPAnswerUsageView
    copy_view_enabled = False
    icon = "comment"
    menu_label = "MPs' answers"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["constituency", "letter", "answer", "date", "recorded_by", "recorded_at"]
    list_per_page = 50
    search_fields = ["constituency__name"]
    search_backend_name = None
    filterset_class = MPAnswerFilterSet
    list_export = ["letter", "constituency", "answer", "date", "recorded_by", "recorded_at"]
    export_filename = "mp-answers"
    edit_handler = ObjectList(
        [
            FieldPanel("letter"),
            FieldPanel("constituency"),
            FieldPanel("answer"),
            FieldPanel("date"),
        ],
        base_form_class=MPAnswerForm,
    )


mp_answer_viewset = MPAnswerViewSet("mp-answers")
