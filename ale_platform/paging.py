"""Staff lists show a page of rows (the prestations, the vouchers, the requests), with the pages' links."""

from django.core.paginator import Paginator
from django.db.models import Count, Window

PAGE_SIZE = 50


def paginate(request, queryset) -> dict:
    """The page asked for (`?page=`), and the list's other parameters for the pages' links.

    The total rides on the page's rows (`COUNT(*) OVER ()`): one query, where Django's paginator asks a COUNT
    first. A page past the end (a link kept after rows went away) shows the last page, as `get_page` does.
    """
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    counted = queryset.annotate(paging_total=Window(Count("pk")))
    rows = list(counted[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    paginator = Paginator(counted, PAGE_SIZE)
    if rows:
        paginator.count = rows[0].paging_total  # a cached property: set, it is not asked of the database
        page = paginator._get_page(rows, number, paginator)
    elif number == 1:
        paginator.count = 0
        page = paginator._get_page([], 1, paginator)
    else:
        page = paginator.page(paginator.num_pages)  # past the end: COUNT, then the last page (rare)
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
