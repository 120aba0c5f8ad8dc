"""Staff lists show a page of rows (the prestations, the vouchers, the requests), with the pages' links."""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, Subquery, Value

PAGE_SIZE = 50


def paginate(request, queryset) -> dict:
    """The page asked for (`?page=`), and the list's other parameters for the pages' links.

    The total rides on the page's rows as an uncorrelated subquery, which PostgreSQL counts once (an InitPlan)
    while the rows keep their top-N plan: one query, where Django's paginator asks a COUNT first. (A window
    `COUNT(*) OVER ()` was tried: it joins and sorts every row of the agency before the LIMIT, 3× slower on the
    prestations.) A page past the end (a link kept after rows went away) shows the last page, as `get_page` does.
    """
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    total = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    counted = queryset.annotate(paging_total=Subquery(total, output_field=IntegerField()))
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
