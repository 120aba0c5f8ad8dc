"""Staff lists show a page of rows (the prestations, the vouchers, the requests), with the pages' links."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset) -> dict:
    """The page asked for (`?page=`), and the list's other parameters for the pages' links."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
