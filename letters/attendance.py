"""Recording which MPs attended a campaign's event, after it: ticked in the campaign dashboard
(letters/reports.py), or imported from a CSV file of constituency codes or names.

Each becomes an `MPAnswer` "attended", dated the day of the event (or a date given), with who
recorded it. Who may record for which constituency is the rule of the MPs' answers
(`answerable_constituencies`): national staff any, a group's editors only their group's,
checked on the server for every constituency of every request. A request with one
constituency the user may not record for, or one bad line in a file, records nothing and says
which, with its line number. An MP already recorded as attended is left as they are, and the
answer says so.
"""

import csv
import datetime
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.admin.widgets import AdminDateInput

from letters.campaign import default_campaign_letter, latest_answers
from letters.constituency_names import match_key
from letters.models import Constituency, LetterPage, MPAnswer
from letters.viewsets import answerable_constituencies

RECORD_PERMISSION = "letters.add_mpanswer"
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_LINES = 2_000
# A first line that says what the column holds is a heading, not a constituency.
HEADINGS = {
    "code",
    "codes",
    "gss code",
    "gss",
    "ons code",
    "pcon code",
    "pcon24cd",
    "constituency",
    "constituency code",
    "constituency name",
    "name",
}
LISTED_IN_MESSAGE = 10


class AttendanceForm(forms.Form):
    """The letter (the campaign) and the day the MPs attended."""

    letter = forms.ModelChoiceField(
        queryset=LetterPage.objects.order_by("-first_published_at", "title"),
        label="Letter",
        empty_label=None,
    )
    date = forms.DateField(
        required=False,
        label="Date attended",
        help_text="Left empty: the day of the letter's event.",
        widget=AdminDateInput,
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict:
        cleaned = super().clean()
        letter, date = cleaned.get("letter"), cleaned.get("date")
        if letter is not None and date is None and "date" not in self.errors:
            if letter.event is None:
                self.add_error("date", "This letter has no event: give the day the MPs attended.")
            else:
                date = timezone.localtime(letter.event.start).date()
        if date is not None and date > timezone.localdate():
            self.add_error(
                "date",
                f"{date:%d %B %Y} is in the future: attendance is recorded after the event.",
            )
        cleaned["date"] = date
        return cleaned


class MarkAttendedForm(AttendanceForm):
    """The dashboard's ticked rows: only constituencies the user may record for are valid."""

    constituency = forms.ModelMultipleChoiceField(
        queryset=Constituency.objects.none(),
        error_messages={
            "required": "Tick the constituencies whose MP attended.",
            "invalid_choice": "You may record answers only for your group's constituencies: "
            "nothing was recorded.",
            "invalid_pk_value": "“%(pk)s” is not a constituency.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = answerable_constituencies(self.user)

    def constituencies(self) -> list[Constituency]:
        return list(self.cleaned_data["constituency"])


class AttendanceImportForm(AttendanceForm):
    """A CSV file, one constituency a line, by GSS code or name; checked whole before use."""

    file = forms.FileField(
        label="CSV file",
        help_text=(
            "One constituency per line, by its GSS (ONS) code such as E14001499 or by its "
            "name; only the first column is read, and a first line such as “code” or "
            "“constituency” is taken as a heading. UTF-8, at most 1 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB: nothing was recorded.")
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            listed, errors = read_constituency_list(
                upload.read(), answerable_constituencies(self.user)
            )
            if errors:
                self.add_error("file", errors)
            cleaned["constituencies"] = listed
        return cleaned

    def constituencies(self) -> list[Constituency]:
        return self.cleaned_data["constituencies"]


def read_constituency_list(
    data: bytes, allowed: QuerySet[Constituency]
) -> tuple[list[Constituency], list[str]]:
    """The constituencies a file lists, and every problem with it, each with its line number
    (unknown, listed twice, not the user's to record). Two queries, whatever the length."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not UTF-8 text: save it as “CSV UTF-8” and try again."]
    if "\x00" in text:
        return [], ["The file is not a CSV file (it holds binary data)."]
    lines = text.splitlines()
    if len(lines) > MAX_IMPORT_LINES:
        return [], [f"The file has {len(lines)} lines; at most {MAX_IMPORT_LINES} are read."]
    every = list(Constituency.objects.only("pk", "gss_code", "name", "slug"))
    by_code = {seat.gss_code.upper(): seat for seat in every}
    by_name = {match_key(seat.name): seat for seat in every}
    allowed_ids = set(allowed.values_list("pk", flat=True))

    listed: list[Constituency] = []
    errors: list[str] = []
    first_line: dict[int, int] = {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as problem:
        return [], [f"The file is not valid CSV: {problem}."]
    for number, row in enumerate(rows, start=1):
        value = next((cell.strip() for cell in row if cell.strip()), "")
        if not value:
            continue
        if not listed and not errors and match_key(value) in HEADINGS:
            continue
        seat = by_code.get("".join(value.split()).upper()) or by_name.get(match_key(value))
        shown = value if len(value) <= 60 else value[:59] + "…"
        if seat is None:
            errors.append(f"Line {number}: “{shown}” is not a constituency code or name we know.")
        elif seat.pk not in allowed_ids:
            errors.append(
                f"Line {number}: {seat.name} is not one of your group's constituencies: you "
                "may record answers only for those."
            )
        elif seat.pk in first_line:
            errors.append(f"Line {number}: {seat.name} is already on line {first_line[seat.pk]}.")
        else:
            first_line[seat.pk] = number
            listed.append(seat)
    if not listed and not errors:
        errors.append("The file lists no constituencies.")
    return listed, errors


@transaction.atomic
def record_attended(
    letter: LetterPage, constituencies: list[Constituency], date: datetime.date, user
) -> tuple[list[Constituency], list[Constituency]]:
    """Record "attended" for each constituency not already recorded so (its latest answer);
    returns those recorded and those left as they were. One query to read, one to write."""
    latest = latest_answers(letter, constituencies)
    already = [seat for seat in constituencies if latest.get(seat.pk) == MPAnswer.Answer.ATTENDED]
    new = [seat for seat in constituencies if latest.get(seat.pk) != MPAnswer.Answer.ATTENDED]
    MPAnswer.objects.bulk_create(
        [
            MPAnswer(
                letter=letter,
                constituency=seat,
                answer=MPAnswer.Answer.ATTENDED,
                date=date,
                recorded_by=user,
            )
            for seat in new
        ]
    )
    return new, already


def names(seats: list[Constituency]) -> str:
    shown = ", ".join(seat.name for seat in seats[:LISTED_IN_MESSAGE])
    more = len(seats) - LISTED_IN_MESSAGE
    return f"{shown} and {more} more" if more > 0 else shown


def summary(recorded: list[Constituency], already: list[Constituency], date) -> str:
    parts = [
        f"Recorded {len(recorded)} MP{'s' if len(recorded) != 1 else ''} as attended on "
        f"{date:%d %B %Y}" + (f": {names(recorded)}." if recorded else ".")
    ]
    if already:
        parts.append(f"Already recorded as attended, left as they were: {names(already)}.")
    return " ".join(parts)


def dashboard_url(letter: LetterPage | None) -> str:
    url = reverse("letters_campaign_report")
    return f"{url}?letter={letter.pk}" if letter is not None else url


def may_record(request: HttpRequest) -> bool:
    return request.user.has_perm(RECORD_PERMISSION)


@require_POST
def mark_attended(request: HttpRequest) -> HttpResponse:
    """The dashboard's "Mark as attended" (POST with its CSRF token); back to the dashboard
    with what was done, or why nothing was."""
    if not may_record(request):
        return permission_denied(request, PermissionDenied("MPs' answers"))
    form = MarkAttendedForm(request.POST, user=request.user)
    if not form.is_valid():
        problems = [error for field_errors in form.errors.values() for error in field_errors]
        messages.error(request, "Nothing was recorded. " + " ".join(problems))
        return redirect(dashboard_url(form.cleaned_data.get("letter")))
    letter, date = form.cleaned_data["letter"], form.cleaned_data["date"]
    recorded, already = record_attended(letter, form.constituencies(), date, request.user)
    messages.success(request, summary(recorded, already, date))
    return redirect(dashboard_url(letter))


@require_http_methods(["GET", "HEAD", "POST"])
def import_attendance(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of the constituencies whose MPs attended: every line is checked first."""
    if not may_record(request):
        return permission_denied(request, PermissionDenied("MPs' answers"))
    result = None
    if request.method == "POST":
        form = AttendanceImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            letter, date = form.cleaned_data["letter"], form.cleaned_data["date"]
            recorded, already = record_attended(letter, form.constituencies(), date, request.user)
            result = summary(recorded, already, date)
            form = AttendanceImportForm(user=request.user, initial={"letter": letter.pk})
    else:
        letter = default_campaign_letter()
        form = AttendanceImportForm(
            user=request.user, initial={"letter": letter.pk if letter else None}
        )
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request,
        "letters/admin/attendance_import.html",
        {
            "page_title": "Import attendance",
            "header_icon": "upload",
            "form": form,
            "result": result,
            "dashboard_url": reverse("letters_campaign_report"),
        },
        status=status,
    )
