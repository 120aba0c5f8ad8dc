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
            # Not the executing cursor's mogrify: it would drop the result the caller is about to fetch.
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
    from django.db import transaction

    from . import measure

    env = measure.Env.build()
    clients = measure._clients(env)
    for m in measure.MEASUREMENTS:
        if argv and m.name not in argv:
            continue
        action = None if measure.missing(m, env) else measure.action_of(m, env, clients)
        if action is None:
            continue
        action()  # warm-up
        print(f"\n## {m.name}: {m.label}\n")
        for seconds, sql in slowest_queries(action):
            print(f"-- {seconds * 1000:.1f} ms\n{sql}\n")
            with transaction.atomic():  # EXPLAIN ANALYZE runs the statement: an INSERT or UPDATE is undone
                print(explain(sql), "\n")
                transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
