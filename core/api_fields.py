"""Serializer fields for page models' `api_fields`: related pages as ids and URLs.

Wagtail API v3 reads `api_fields` and, for an `APIField(serializer=...)`, calls the field's
`to_representation`; its return annotation becomes the type in the OpenAPI schema. A bare
foreign key would give only an id, and a client would then need a second request per link.
"""

from rest_framework.fields import Field
from typing_extensions import TypedDict


class PageLinkDict(TypedDict):
    id: int
    title: str
    html_url: str | None


class ConstituencyDict(TypedDict):
    gss_code: str
    name: str
    slug: str


class PageLinkField(Field):
    """A related page (a group, an event) as its id, title and public URL."""

    def to_representation(self, page) -> PageLinkDict:
        return PageLinkDict(id=page.pk, title=page.title, html_url=page.full_url)


class ConstituencyListField(Field):
    """The constituencies a group covers, by GSS code, name and slug (not database ids)."""

    def to_representation(self, constituencies) -> list[ConstituencyDict]:
        return [
            ConstituencyDict(gss_code=c.gss_code, name=c.name, slug=c.slug)
            for c in constituencies.all().order_by("name")
        ]
