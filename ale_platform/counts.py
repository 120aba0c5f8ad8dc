"""Several row counts in one round trip: a page of tiles reads them all in one SELECT of scalar subqueries.

Each count stays a queryset built where its rule lives (e.g. `prestataires.vigilance`); only the round trips are
shared. Every subquery is planned on its own by the database, so each still uses its own indexes.
"""

from django.db import connections


def count_all(using: str = "default", **querysets) -> dict[str, int]:
    """{name: queryset.count()} for every named queryset, in one query (none when no queryset is given)."""
    if not querysets:
        return {}
    parts, params = [], []
    for queryset in querysets.values():
        # Only the primary key is needed to count; no ordering inside a subquery.
        sql, sql_params = queryset.order_by().values("pk").query.get_compiler(using=using).as_sql()
        # The SQL is Django's compilation of the queryset; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608  # nosec B608
        params.extend(sql_params)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(querysets, row, strict=True)}
