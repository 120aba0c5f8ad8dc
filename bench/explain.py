"""`python -m bench.explain [names…]`: the query plans (EXPLAIN ANALYZE) of each page's slowest queries.

Requests each registered page once (as in `measure`), keeps its `top` slowest SQL statements and prints
their plans, for docs/performance.md. Needs the data of a previous `python -m bench` run.
"""

import os
import sys
import time

from .db import database_url

TOP = 2


def slowest_queries(action, top: int = TOP) -> list[tuple[float, str]]:
    from django.db import connection

    timed = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            # Inline the parameters afterwards, on a separate client-side cursor: mogrify on the executing
            # cursor would discard its pending result.
            timed.append((time.perf_counter() - started, connection.ops.compose_sql(sql, params) if params else sql))

    with connection.execute_wrapper(timer):
        action()
    return sorted(timed, key=lambda t: t[0], reverse=True)[:top]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main(argv: list[str]) -> int:
    os.environ["DATABASE_URL"] = database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from . import measure

    env = measure.Env.build()
    clients = measure._clients(env)
    for m in measure.MEASUREMENTS:
        if argv and m.name not in argv:
            continue
        if m.path:
            action = measure._page(clients[m.persona], m.path(env))
        elif m.call:
            action = lambda m=m: m.call(env)  # noqa: E731
        else:
            continue
        action()  # warm-up
        print(f"\n## {m.name}: {m.label}\n")
        for seconds, sql in slowest_queries(action):
            print(f"-- {seconds * 1000:.1f} ms\n{sql}\n")
            print(explain(sql), "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
