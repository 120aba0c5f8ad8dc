"""The documented backup is restorable: dump the database, restore it into a fresh one, find every row."""

import os
import sqlite3
import subprocess
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def table_counts(cursor) -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        table = model._meta.db_table
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names come from the models)
        counts[table] = cursor.fetchone()[0]
    return counts


def test_dump_and_restore_into_a_fresh_database_keeps_every_row(tmp_path):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        original = table_counts(cursor)
    assert sum(original.values()) > 50

    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        common = [
            "-h",
            settings.get("HOST") or "127.0.0.1",
            "-p",
            str(settings.get("PORT") or 5432),
            "-U",
            settings.get("USER") or "postgres",
        ]
        dump = tmp_path / "ale.dump"
        subprocess.run(["pg_dump", *common, "--format=custom", f"--file={dump}", settings["NAME"]], env=env, check=True)
        fresh = f"ale_restore_{uuid.uuid4().hex[:8]}"
        subprocess.run(["createdb", *common, fresh], env=env, check=True)
        try:
            subprocess.run(["pg_restore", *common, "--no-owner", f"--dbname={fresh}", str(dump)], env=env, check=True)
            import psycopg

            with (
                psycopg.connect(
                    host=common[1], port=common[3], user=common[5], dbname=fresh, password=env["PGPASSWORD"] or None
                ) as restored,
                restored.cursor() as cursor,
            ):
                assert table_counts(cursor) == original
        finally:
            subprocess.run(["dropdb", *common, fresh], env=env, check=True)
    else:
        copy = tmp_path / "ale-restore.sqlite3"
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(copy)
        source.backup(target)
        source.close()
        assert table_counts(target.cursor()) == original
        target.close()
