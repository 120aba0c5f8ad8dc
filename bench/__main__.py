"""`python -m bench [--scale 0.01] [--skip-generate] [--repeat 20]`: generate the data, then measure.

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ale_bench); it is created and
migrated when missing. Generating EMPTIES it first, so its name must contain "bench" (or pass --force).
"""

import argparse
import os
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = all Walloon ALEs (default); 0.01 for a quick run"
    )
    parser.add_argument("--skip-generate", action="store_true", help="measure the data already in the database")
    parser.add_argument("--generate-only", action="store_true", help="generate, do not measure")
    parser.add_argument("--repeat", type=int, default=20, help="measured requests per page (after 2 warm-ups)")
    parser.add_argument("--only", default="", help="comma-separated measurement names")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="allow emptying a database whose name lacks 'bench'")
    args = parser.parse_args(argv)

    from .db import database_url, ensure_database, migrate

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    name = ensure_database(url)
    import django

    django.setup()
    print(f"Database {name}: migrating…")
    migrate()

    from . import generate, measure

    generation = None
    if not args.skip_generate:
        if "bench" not in name and not args.force:
            print(f"Refusing to empty database {name!r}: its name lacks 'bench' (use --force).", file=sys.stderr)
            return 2
        print(f"Generating at scale {args.scale} (emptying {name} first)…")
        started = time.perf_counter()
        generate.wipe()
        generation = generate.run(scale=args.scale, seed=args.seed)
        generation["total"] = {
            "rows": sum(v["rows"] for v in generation.values()),
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(f"  {'total':<16} {generation['total']['rows']:>10,} rows  {generation['total']['seconds']:7.1f} s")
    if args.generate_only:
        return 0
    only = [n for n in args.only.split(",") if n]
    results = measure.run(repeat=args.repeat, only=only)
    path = measure.save(results, scale=None if args.skip_generate else args.scale, generation=generation)
    print(measure.table(results))
    print(f"\nResults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
