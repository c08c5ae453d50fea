"""Listing filters that ignore bad values with a message instead of failing.

Directory and event listings take filters from the query string; a visitor (or a bot) may send
anything. Each filter is checked on its own: a bad one is dropped and explained, the good ones
still apply, and the page always renders.
"""

from dataclasses import dataclass, field

from django import forms
from django.http import HttpRequest, QueryDict


@dataclass
class ListingFilters:
    form_class: type[forms.Form]
    request: HttpRequest
    cleaned: dict = field(init=False, default_factory=dict)
    ignored: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        form = self.form_class(self.request.GET)
        form.is_valid()
        for name, bound_field in form.fields.items():
            raw = self.request.GET.get(name, "")
            if name in form.errors:
                label = bound_field.label or name
                self.ignored.append(f"We ignored the “{label}” filter: {form.errors[name][0]}")
            elif raw != "":
                self.cleaned[name] = form.cleaned_data[name]
        # A form that validates across fields reports under __all__; keep the message.
        for message in form.non_field_errors():
            self.ignored.append(message)
        self.form = self.form_class(initial=self.cleaned)

    @property
    def active(self) -> bool:
        return bool(self.cleaned)

    def querystring(self) -> str:
        """The filters that applied, to carry through pagination links."""
        query = QueryDict(mutable=True)
        for name in self.form.fields:
            if name in self.cleaned and self.cleaned[name] not in ("", None, False):
                value = self.cleaned[name]
                query[name] = getattr(value, "pk", value)
        return query.urlencode()
