"""The error pages Django renders without a request (500, 503), in the visitor's language. No
database: they must render when it is down, so this module has none of the Welsh demo."""

import pytest
from django.utils import translation

from tests.welsh_text import html_lang, untranslated_strings_in


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_error_pages_made_without_a_request_speak_the_visitors_language(template):
    from django.template import loader

    with translation.override("cy"):
        welsh_html = loader.get_template(template).render({})
    assert html_lang(welsh_html) == "cy"
    assert 'href="/cy/"' in welsh_html
    assert untranslated_strings_in(welsh_html) == []
    with translation.override("en-gb"):
        assert html_lang(loader.get_template(template).render({})) == "en-GB"
