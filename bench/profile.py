"""`python -m bench.profile [names]`: where a page's time goes, by cProfile over a few requests.

    DATABASE_URL=postgres://…/speed_bench python -m bench.profile prestataires matching --repeat 10

For each measurement (bench/measure.py), after the warm-ups, the page's action runs `--repeat` times under
cProfile; reported: the CPU per request, then the share of the time spent inside each part below (cumulative,
so the parts overlap: the SQL a template triggers counts in both), then the functions with the most time of
their own. The data is what `python -m bench` generated.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

PARTS = {  # label: (file fragment, function name) whose cumulative time is reported
    "template rendering (SQL it triggers included)": ("django/template/backends/django.py", "render"),
    "form/filter widgets": ("django/forms/widgets.py", "render"),
    "form/filter choices (ModelChoiceIterator)": ("django/forms/models.py", "__iter__"),
    "SQL (execute + fetch)": ("django/db/models/sql/compiler.py", "execute_sql"),
    "hour meters": ("prestations/rulebook/caps.py", "hour_meters"),
    "PDF layout (WeasyPrint render)": ("weasyprint/__init__.py", "render"),
    "PDF writing": ("weasyprint/document.py", "write_pdf"),
    "translations (gettext)": ("django/utils/translation/__init__.py", "gettext"),
}


def _cumulative(stats: pstats.Stats, fragment: str, name: str) -> float:
    """The cumulative time of the outermost calls of that function (recursive calls not counted twice)."""
    total = 0.0
    for (filename, _line, function), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
        if function == name and filename.endswith(fragment):
            # Only the time entered from outside the function itself (Template.render → Node.render… is nested).
            outer = {k: v for k, v in callers.items() if not (k[0].endswith(fragment) and k[2] == name)}
            total += sum(v[3] for v in outer.values()) if outer else ct
    return total


def profile(m, env, clients, repeat: int) -> dict:
    from . import measure

    action = measure.action_of(m, env, clients)
    for _i in range(m.warmup or 1):
        action()
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for _i in range(repeat):
        action()
    profiler.disable()
    cpu = (time.process_time() - started) / repeat
    stats = pstats.Stats(profiler)
    total = stats.total_tt or 1e-9
    parts = {label: _cumulative(stats, *where) / total for label, where in PARTS.items()}
    own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:6]
    return {
        "cpu_ms": round(cpu * 1000, 1),
        "parts": {label: round(share * 100) for label, share in parts.items() if share >= 0.01},
        "own": [
            (f"{os.path.basename(f)}:{line} {fn}", round(tt / total * 100)) for (f, line, fn), (_c, _n, tt, *_r) in own
        ],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("names", nargs="*", help="measurement names (default: every page)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from . import measure

    env = measure.Env.build()
    clients = measure._clients(env)
    for m in measure.MEASUREMENTS:
        if (args.names and m.name not in args.names) or (not args.names and not m.path) or measure.missing(m, env):
            continue
        result = profile(m, env, clients, min(args.repeat, m.repeat or args.repeat))
        print(f"\n{m.name}: {result['cpu_ms']} ms CPU a request (this process)")
        for label, share in result["parts"].items():
            print(f"  {share:>3} %  {label}")
        print("  own time: " + "; ".join(f"{name} {share} %" for name, share in result["own"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
