"""The development server of `make run` opens a thread per request: it must not keep a database connection per
thread (30 parallel requests ran PostgreSQL out of connections), while production's workers reuse theirs."""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from ale_platform.models import Role
from tests.factories import UserFactory, UtilisateurFactory


def _conn_max_age(**env) -> int:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALE_"))}
    code = "from ale_platform import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DJANGO_DEBUG": "1", "ALE_DEMO": "1"}, 0),
        ({"DJANGO_SECRET_KEY": "x", "DJANGO_ALLOWED_HOSTS": "ale.example.be"}, 60),
        ({"DJANGO_DEBUG": "1", "DJANGO_CONN_MAX_AGE": "30"}, 30),
    ],
)
def test_connections_are_kept_only_by_fixed_workers(env, expected):
    assert _conn_max_age(**env) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_NAME = "ale-demo-server"


def _database_url() -> str:
    """The test database, as `make run` would be given it through DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        # Named, so that the count below reads the server's connections only (not another test thread's).
        return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}?application_name={SERVER_NAME}"
    return f"sqlite:///{db['NAME']}"


def _get(url: str, cookie: str) -> tuple[int, str, str]:
    """Status, the URL answered after redirects, body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - our own local server
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode(errors="replace")


def _server_connections() -> int:
    """The demo server's connections to the test database (PostgreSQL), by the name it connects with."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [SERVER_NAME],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_demo_server_answers_30_parallel_requests_and_keeps_no_connection():
    """`make run`'s server (runserver, DJANGO_DEBUG=1 ALE_DEMO=1, a thread per request) on the test database: 30
    requests of a signed-in client's page at once all answer 200 (on PostgreSQL they ran it out of connections,
    "too many clients already"), and once they are answered the server holds no database connection. On SQLite
    the same requests must all answer too (the demo's default database, with the task worker writing beside)."""
    user = UserFactory(role=Role.CLIENT)
    UtilisateurFactory(compte=user)
    browser = Client()
    browser.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALE_"))}
    # As `make run` (Makefile): debug and demo mode, the connection age they imply; the test's key reads its session.
    env |= {
        "DJANGO_DEBUG": "1",
        "ALE_DEMO": "1",
        "DATABASE_URL": _database_url(),
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # the server starts (its system checks first)
            if server.poll() is not None:
                pytest.fail(f"runserver stopped: {server.stderr.read()}")
            try:
                if _get(f"{base}/healthz", "")[0] == 200:  # a database round trip
                    break
            except OSError:
                time.sleep(0.2)
        start = threading.Barrier(30)

        def one(_):
            start.wait()
            return _get(f"{base}/espace-client/", cookie)

        seen = []  # the server's connections while it answers: proves the count below reads the right name

        def watch():
            try:
                while len(seen) < 400 and not stop.is_set():
                    seen.append(_server_connections())
                    time.sleep(0.01)
            finally:
                connection.close()

        stop = threading.Event()
        watcher = threading.Thread(target=watch) if connection.vendor == "postgresql" else None
        if watcher:
            watcher.start()
        with ThreadPoolExecutor(max_workers=30) as pool:
            answers = list(pool.map(one, range(30)))
        if watcher:
            stop.set()
            watcher.join()
            assert max(seen) > 0, "the server's connections were never seen under their name"
        statuses = [status for status, _url, _body in answers]
        assert statuses == [200] * 30, [(s, b[:300]) for s, _u, b in answers if s != 200]
        assert {url for _status, url, _body in answers} == {f"{base}/espace-client/"}  # signed in, not sent away
        if connection.vendor == "postgresql":
            for _ in range(100):  # each request's thread closes its connection as it ends
                if _server_connections() == 0:
                    break
                time.sleep(0.1)
            assert _server_connections() == 0, "the demo server keeps database connections after its requests"
    finally:
        server.terminate()
        server.wait(timeout=30)
