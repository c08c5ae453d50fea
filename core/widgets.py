"""Form widgets for the public listings' filters."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def html_attributes(attrs: dict) -> str:
    """Attributes as Django's widgets/attrs.html writes them: in order, True bare, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PlainSelect(forms.Select):
    """A <select> drawn in Python, with the same markup as Django's template.

    Django renders two templates per <option>; the events filter offers every group (150 on a
    large network), and drawing its options took longer than the rest of the page. Option groups
    are not used by the filters and are not supported here.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    mark_safe(" selected") if option["selected"] else "",
                    option["label"],
                )
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, html_attributes(widget["attrs"]), options
        )
