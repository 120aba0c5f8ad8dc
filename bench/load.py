"""Load test: gunicorn with the production settings on PostgreSQL, driven by wrk from a second process.

    make load                      # 50 connections for 60 s, two gunicorn instances, then the checks below
    make load LOAD_ARGS="--duration 15"

1. Prepares a PostgreSQL database (migrate, demo data) and collects static files.
2. Starts two gunicorn instances (two ports) with DEBUG off, sharing that database, and logs each role in over
   HTTP as a person does (`bench/login.py`: the log-in form, then the authenticator's code for staff and advisers);
   each page of the mix is requested once and must be the page (a 200 holding its heading) before the load starts.
3. Runs wrk against both at once with a realistic mix (staff pages, the client's and the worker's space, the
   adviser's referrals), then against /healthz alone (the ceiling of this machine): pages/s, p50/p95/p99, errors.
   Every response is checked (status 200 and the page's heading): a redirect (to the log-in, to the code) or
   any other answer is an error, counted by status and path, and only checked pages count in pages/s.
4. Drops every database connection of the app in the middle of a run (pg_terminate_backend), then makes the
   database refuse connections for 4 s (as during a restart): pages answer 503
   while it happens and 200 again right after, by themselves.
5. Enqueues tasks and drains them with two `db_worker` processes: each task runs exactly once.
Every loop is bounded in time; only 127.0.0.1 is targeted. Results go to bench/results/load-<time>.json.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.login import Browser, log_in

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ale_load"

MIX = [  # (role, path, weight, marker): a response counts only if it is a 200 whose body holds the marker
    ("collaborateur", "/tableau-de-bord/", 25, "<h1>Tableau de bord"),
    ("collaborateur", "/prestataires/?statut=actif", 15, "<h1>Prestataires</h1>"),
    ("collaborateur", "/utilisateurs/", 10, "<h1>Utilisateurs</h1>"),
    ("collaborateur", "/adressages/", 5, "<h1>Adressages reçus du Forem</h1>"),
    ("client", "/espace-client/", 20, "<h1>Mon espace client</h1>"),
    ("prestataire", "/mon-espace/", 10, "<h1>Bonjour "),
    ("conseiller", "/forem/", 15, "<h1>Mes adressages vers les ALE</h1>"),
]
HEALTHZ = ("", "/healthz", 1, '"status": "ok"')
ROLE_EMAILS = {
    "collaborateur": "sophie.lambert@ale-gembloux.be",
    "client": "anne.dupont@example.be",
    "prestataire": "jean.lejeune@example.be",
    "conseiller": "nathalie.renard@forem.be",
}

# One connection per wrk thread, so that each response is checked against the request it answers (a thread's
# connections would otherwise interleave). Counters are per thread (each has its own Lua state) and summed in
# done() through the threads kept by setup().
LUA = r"""
local requests = {}
%(entries)s
local threads = {}
local i = 0
local last = nil
checked, failed, failures = 0, 0, {}
setup = function(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
init = function(args) i = offset %% #requests end
request = function()
  i = (i %% #requests) + 1
  last = requests[i]
  local headers = {}
  if last[1] ~= "" then headers["Cookie"] = "sessionid=" .. last[1] end
  return wrk.format("GET", last[2], headers)
end
response = function(status, headers, body)
  checked = checked + 1
  if status ~= 200 or not string.find(body or "", last[3], 1, true) then
    failed = failed + 1
    local key = status .. " " .. last[2]
    failures[key] = (failures[key] or 0) + 1
  end
end
done = function(summary, latency, requests)
  local n, bad, parts = 0, 0, {}
  for _, thread in ipairs(threads) do
    n = n + thread:get("checked")
    bad = bad + thread:get("failed")
    for key, count in pairs(thread:get("failures")) do
      table.insert(parts, string.format('["%%s", %%d]', key, count))
    end
  end
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f, ' ..
    '"p99_ms": %%.2f, "socket_errors": %%d, "checked": %%d, "failed": %%d, "failures": [%%s]}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    n, bad, table.concat(parts, ", ")))
end
"""


def env_for(database_url: str) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALE_"))},
        "DJANGO_SETTINGS_MODULE": "ale_platform.settings",
        "DJANGO_SECRET_KEY": "load-test-secret-key-not-for-production-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",  # never reached: the load mix sends no e-mail
    }


def manage(env, *args, capture=False):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture)


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# What a person logging in needs: the password, and the secret of their authenticator app when their role has
# MFA (the demo's staff get one if they have none, as at their first log-in). The log-in itself goes over HTTP.
CREDENTIALS_SCRIPT = """
import json, django
django.setup()
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from ale_platform.demo import DEMO_PASSWORD
from ale_platform.models import User
out = {}
for role, email in %r.items():
    user = User.objects.get(email=email)
    secret = None
    if user.must_use_mfa:
        totp = Authenticator.objects.filter(user=user, type="totp").first()
        secret = decrypt(totp.data["secret"]) if totp else generate_totp_secret()
        if not totp:
            TOTP.activate(user, secret)
    out[role] = {"email": email, "password": DEMO_PASSWORD, "secret": secret}
print(json.dumps(out))
"""


def real_sessions(base_url: str, credentials: dict) -> dict:
    """One session per role, each from a real log-in (password, then the code for the roles with MFA)."""
    return {role: log_in(base_url, c["email"], c["password"], c["secret"]) for role, c in credentials.items()}


def check_pages(base_url: str, entries: list[tuple]) -> list[str]:
    """Each page of the mix requested once: what a user would not get (not a 200, or not the page) is listed."""
    problems = []
    for session, path, _weight, marker in entries:
        browser = Browser(base_url)
        browser.cookies["sessionid"] = session
        status, location, body = browser.request(path)
        if status != 200 or marker not in body:
            problems.append(f"{path}: {status} {location}".strip())
    return problems


def start_gunicorn(env, port: int, workers: int, threads: int = 1) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "ale_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120  # a loaded machine takes its time to import the app in every worker
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310 (loopback)
            return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit(f"gunicorn on port {port} did not start")


def run_wrk(script: str, port: int, connections: int, duration: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(connections),  # one connection per thread: see LUA
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            script,
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    match = re.search(r"^RESULT (.*)$", out, re.M)
    result = json.loads(match.group(1))
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    result["pages_per_s"] = round((result["checked"] - result["failed"]) / result["seconds"], 1)
    return result


def mix_entries(sessions: dict) -> list[tuple]:
    """(session key, path, weight, marker) of each page of the mix, for the roles' sessions."""
    return [(sessions[role], path, weight, marker) for role, path, weight, marker in MIX]


def lua_script(entries: list[tuple]) -> str:
    lines = [
        f"table.insert(requests, {{[==[{session}]==], [==[{path}]==], [==[{marker}]==]}})"
        for session, path, weight, marker in entries
        for _ in range(weight)
    ]
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")  # noqa: SIM115
    handle.write(LUA % {"entries": "\n".join(lines)})
    handle.close()
    return handle.name


def combine(results: list[dict]) -> dict:
    failures: dict[str, int] = {}
    for r in results:
        for key, count in r["failures"]:
            failures[key] = failures.get(key, 0) + count
    return {
        "requests": sum(r["requests"] for r in results),
        "rps": round(sum(r["rps"] for r in results), 1),
        "pages_per_s": round(sum(r["pages_per_s"] for r in results), 1),
        "p50_ms": max(r["p50_ms"] for r in results),
        "p95_ms": max(r["p95_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        # Every response that is not the page asked for (a redirect to the log-in or the code, an error), and
        # every request that got no response at all.
        "errors": sum(r["socket_errors"] + r["failed"] for r in results),
        "failures": failures,
    }


def mixed_load(sessions, ports, connections, duration) -> dict:
    script = lua_script(mix_entries(sessions))
    results = [None] * len(ports)

    def one(i, port):
        results[i] = run_wrk(script, port, connections // len(ports), duration)

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(ports)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return combine(results)


def dropped_connections(env, port: int, sessions: dict, away: float = 0) -> dict:
    """Terminates the app's database connections mid-run; counts 503s and checks the recovery.

    With `away` seconds, the database also refuses new connections for that long (as while it restarts:
    `ALLOW_CONNECTIONS false`, without restarting the machine's shared server): pages answer 503 meanwhile.
    """
    import psycopg

    dbname = env["DATABASE_URL"].rsplit("/", 1)[1]
    admin_url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    statuses: dict[int, int] = {}
    stop = time.monotonic() + 8 + away

    def poll():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/tableau-de-bord/", headers={"Cookie": f"sessionid={sessions['collaborateur']}"}
        )
        while time.monotonic() < stop:
            try:
                code = urllib.request.urlopen(request, timeout=5).status  # noqa: S310 (loopback)
            except urllib.error.HTTPError as exc:
                code = exc.code
            except OSError:
                code = 0
            statuses[code] = statuses.get(code, 0) + 1

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(2)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if away:
            conn.execute(
                psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(psycopg.sql.Identifier(dbname))
            )
        try:
            killed = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [dbname],
            ).fetchone()[0]
            time.sleep(away)
        finally:
            if away:
                conn.execute(
                    psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(psycopg.sql.Identifier(dbname))
                )
    poller.join()
    after = urllib.request.urlopen(  # noqa: S310 (loopback)
        urllib.request.Request(
            f"http://127.0.0.1:{port}/tableau-de-bord/", headers={"Cookie": f"sessionid={sessions['collaborateur']}"}
        ),
        timeout=5,
    ).status
    return {
        "connections_terminated": killed,
        "statuses": statuses,
        "status_after": after,
        "only_200_or_503": set(statuses) <= {200, 503},
    }


def task_workers(env, count: int) -> dict:
    """Two db_worker processes drain `count` tasks; every task must have run exactly once."""
    script = f"""
import django; django.setup()
from ale_platform.notifications import deliver_notification
from django_tasks_db.models import DBTaskResult
DBTaskResult.objects.all().delete()
for i in range({count}):
    deliver_notification.enqueue("plafond_proche", [], {{"title": str(i)}})
"""
    subprocess.run([PY, "-c", script], cwd=ROOT, env=env, check=True)
    workers = [
        subprocess.Popen(
            [PY, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    for w in workers:
        w.wait(timeout=300)
    check = """
import django, json; django.setup()
from django_tasks_db.models import DBTaskResult
rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
print(json.dumps({"tasks": len(rows), "successful": sum(s == "SUCCESSFUL" for s, _ in rows),
                  "ran_once": all(len(w) == 1 for _, w in rows),
                  "workers_used": len({w[0] for _, w in rows if w})}))
"""
    return json.loads(
        subprocess.run([PY, "-c", check], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances (one port each)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread when > 1)")
    parser.add_argument(
        "--throughput-only", action="store_true", help="only the mixed pages and the ceiling (no failure drills)"
    )
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()
    database_url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB)
    if not database_url.startswith("postgres"):
        raise SystemExit("The load test runs on PostgreSQL (LOAD_DATABASE_URL=postgres://…).")
    env = env_for(database_url)
    ensure_database(database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "seed_demo", capture=True)
    credentials = json.loads(
        subprocess.run(
            [PY, "-c", CREDENTIALS_SCRIPT % ROLE_EMAILS], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    ports = [8101 + i for i in range(args.instances)]
    servers = [start_gunicorn(env, port, args.workers, args.threads) for port in ports]
    try:
        sessions = real_sessions(f"http://127.0.0.1:{ports[0]}", credentials)
        problems = check_pages(f"http://127.0.0.1:{ports[0]}", mix_entries(sessions))
        if problems:
            raise SystemExit("Pages of the mix a user would not get:\n  " + "\n  ".join(problems))
        report = {
            "gunicorn": {"instances": args.instances, "workers": args.workers, "threads": args.threads},
            "mixed": mixed_load(sessions, ports, args.connections, args.duration),
            "ceiling_healthz": combine(
                [run_wrk(lua_script([HEALTHZ]), ports[0], args.connections, max(10, args.duration // 3))]
            ),
        }
        if not args.throughput_only:
            report["dropped_connections"] = dropped_connections(env, ports[0], sessions)
            report["database_away"] = dropped_connections(env, ports[-1], sessions, away=4)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    if not args.throughput_only:
        report["task_workers"] = task_workers(env, args.tasks)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    m, c = report["mixed"], report["ceiling_healthz"]
    g = report["gunicorn"]
    print(f"\ngunicorn: {g['instances']} instances × {g['workers']} workers × {g['threads']} threads")
    print(f"{'':22}{'pages/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for label, r in (("mixed pages", m), ("ceiling (/healthz)", c)):
        print(f"{label:22}{r['pages_per_s']:>8}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}")
    for key, count in sorted({**m["failures"], **c["failures"]}.items()):
        print(f"  not the page asked for: {count} × {key}")
    ok = m["errors"] == 0 and c["errors"] == 0
    if not args.throughput_only:
        d, a, t = report["dropped_connections"], report["database_away"], report["task_workers"]
        print(
            f"dropped DB connections: {d['connections_terminated']} terminated, statuses {d['statuses']}, "
            f"then {d['status_after']}"
        )
        print(f"database away 4 s: statuses {a['statuses']}, then {a['status_after']}")
        print(
            f"task workers: {t['successful']}/{t['tasks']} tasks, each once: {t['ran_once']}, "
            f"workers: {t['workers_used']}"
        )
        ok = ok and (
            d["only_200_or_503"]
            and d["status_after"] == 200
            and a["only_200_or_503"]
            and a["status_after"] == 200
            and a["statuses"].get(503, 0) > 0
            and t["ran_once"]
            and t["successful"] == t["tasks"]
        )
    print(f"results: {out.relative_to(ROOT)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
