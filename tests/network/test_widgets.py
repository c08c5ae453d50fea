"""The filters' <select>, drawn in Python, gives the markup Django's own template gives."""

import re

import pytest
from django import forms

from core.widgets import PlainSelect
from events.listing import EventFilterForm
from groups.directory import AchievementListForm, GroupDirectoryForm

CHOICES = [("", "Any"), ("a", "A & B"), ("b", "<script>"), (3, "Three")]


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["a", "", None, "not-a-choice", 3, "3"])
@pytest.mark.parametrize("attrs", [{}, {"id": "id_n", "required": True, "aria-describedby": "h"}])
def test_plain_select_matches_djangos_select(value, attrs):
    django_select = forms.Select(choices=CHOICES).render("n", value, attrs=attrs)
    plain_select = PlainSelect(choices=CHOICES).render("n", value, attrs=attrs)

    assert normalised(plain_select) == normalised(django_select)
    assert "<script>" not in plain_select


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [EventFilterForm, GroupDirectoryForm, AchievementListForm])
def test_listing_filters_draw_their_choices_with_the_plain_select(form_class):
    form = form_class()
    selects = [field for field in form.fields.values() if isinstance(field, forms.ChoiceField)]
    assert selects
    assert all(isinstance(field.widget, PlainSelect) for field in selects)
