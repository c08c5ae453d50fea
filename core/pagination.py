"""One way to paginate listings: bad or out-of-range page numbers fall back, never 404 or 500."""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, per_page: int = 20) -> PaginatorPage:
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))
