"""Load test: gunicorn with the production settings on PostgreSQL, driven by wrk from a second process.

    make load                      # 50 connections for 60 s, two gunicorn instances, then the checks below
    make load LOAD_ARGS="--duration 15"

1. Prepares a PostgreSQL database (migrate, demo data, one logged-in session per role) and collects static files.
2. Starts two gunicorn instances (two ports) with DEBUG off, sharing that database.
3. Runs wrk against both at once with a realistic mix (staff pages, the client's and the worker's space, the
   adviser's referrals), then against /healthz alone (the ceiling of this machine): throughput, p50/p95/p99, errors.
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

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ale_load"

MIX = [  # (role, path, weight)
    ("collaborateur", "/tableau-de-bord/", 25),
    ("collaborateur", "/prestataires/?statut=actif", 15),
    ("collaborateur", "/utilisateurs/", 10),
    ("collaborateur", "/adressages/", 5),
    ("client", "/espace-client/", 20),
    ("prestataire", "/mon-espace/", 10),
    ("conseiller", "/forem/", 15),
]
ROLE_EMAILS = {
    "collaborateur": "sophie.lambert@ale-gembloux.be",
    "client": "anne.dupont@example.be",
    "prestataire": "jean.lejeune@example.be",
    "conseiller": "nathalie.renard@forem.be",
}

LUA = r"""
local requests = {}
%(entries)s
local i = 0
request = function()
  i = (i %% #requests) + 1
  local r = requests[i]
  return wrk.format("GET", r[2], {["Cookie"] = "sessionid=" .. r[1], ["Host"] = "127.0.0.1"})
end
local non2xx = 0
response = function(status, headers, body)
  if status < 200 or status >= 300 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f, ' ..
    '"p99_ms": %%.2f, "socket_errors": %%d, "non2xx": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
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


SESSIONS_SCRIPT = """
import json, django
django.setup()
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from ale_platform.models import User
out = {}
for role, email in %r.items():
    user = User.objects.get(email=email)
    if user.must_use_mfa and not Authenticator.objects.filter(user=user, type="totp").exists():
        TOTP.activate(user, generate_totp_secret())
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    out[role] = s.session_key
print(json.dumps(out))
"""


def start_gunicorn(env, port: int, workers: int) -> subprocess.Popen:
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
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310 (loopback)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"gunicorn on port {port} did not start")


def run_wrk(script: str, port: int, connections: int, duration: int, path: str = "/") -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            script,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    match = re.search(r"^RESULT (.*)$", out, re.M)
    result = json.loads(match.group(1))
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def lua_script(sessions: dict, only_path: str | None = None) -> str:
    entries = []
    if only_path:
        entries.append(f'table.insert(requests, {{"", "{only_path}"}})')
    else:
        for role, path, weight in MIX:
            entries.extend(f'table.insert(requests, {{"{sessions[role]}", "{path}"}})' for _ in range(weight))
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    handle.write(LUA % {"entries": "\n".join(entries)})
    handle.close()
    return handle.name


def combine(results: list[dict]) -> dict:
    total = sum(r["requests"] for r in results)
    return {
        "requests": total,
        "rps": round(sum(r["rps"] for r in results), 1),
        "p50_ms": max(r["p50_ms"] for r in results),
        "p95_ms": max(r["p95_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "errors": sum(r["socket_errors"] + r["non2xx"] for r in results),
    }


def mixed_load(sessions, ports, connections, duration) -> dict:
    script = lua_script(sessions)
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
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
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
    sessions = json.loads(
        subprocess.run(
            [PY, "-c", SESSIONS_SCRIPT % ROLE_EMAILS], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    ports = [8101, 8102]
    servers = [start_gunicorn(env, port, args.workers) for port in ports]
    try:
        report = {
            "mixed": mixed_load(sessions, ports, args.connections, args.duration),
            "ceiling_healthz": combine(
                [run_wrk(lua_script(sessions, "/healthz"), ports[0], args.connections, max(10, args.duration // 3))]
            ),
            "dropped_connections": dropped_connections(env, ports[0], sessions),
            "database_away": dropped_connections(env, ports[1], sessions, away=4),
        }
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    report["task_workers"] = task_workers(env, args.tasks)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    m, c = report["mixed"], report["ceiling_healthz"]
    print(f"\n{'':22}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    print(f"{'mixed, 2 instances':22}{m['rps']:>8}{m['p50_ms']:>9}{m['p95_ms']:>9}{m['p99_ms']:>9}{m['errors']:>8}")
    print(f"{'ceiling (/healthz)':22}{c['rps']:>8}{c['p50_ms']:>9}{c['p95_ms']:>9}{c['p99_ms']:>9}{c['errors']:>8}")
    d = report["dropped_connections"]
    print(
        f"dropped DB connections: {d['connections_terminated']} terminated, statuses {d['statuses']}, "
        f"then {d['status_after']}"
    )
    a = report["database_away"]
    print(f"database away 4 s: statuses {a['statuses']}, then {a['status_after']}")
    t = report["task_workers"]
    print(
        f"task workers: {t['successful']}/{t['tasks']} tasks, each once: {t['ran_once']}, workers: {t['workers_used']}"
    )
    print(f"results: {out.relative_to(ROOT)}")
    ok = (
        m["errors"] == 0
        and d["only_200_or_503"]
        and d["status_after"] == 200
        and a["only_200_or_503"]
        and a["status_after"] == 200
        and a["statuses"].get(503, 0) > 0
        and t["ran_once"]
        and t["successful"] == t["tasks"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
