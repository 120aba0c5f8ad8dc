"""The development server of `make run` opens a thread per request: it must not keep a database connection per
thread (30 parallel requests ran PostgreSQL out of connections), while production's workers reuse theirs."""

import os
import subprocess
import sys

import pytest


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
