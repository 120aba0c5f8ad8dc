"""Bulk writes for the generator: PostgreSQL COPY for any table, bulk_create elsewhere (SQLite in tests).

Rows are tuples of values for the given columns (attnames, e.g. "agence_id"). Every other concrete field
gets its model default (or "now" for auto_now_add), so a field added later with a default needs no
change here.
"""

import json
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

BATCH = 1000
COPY_CHUNK = 5000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format (faster than psycopg's per-value dumpers for millions of rows).

    Exact type tests first: this runs for every value of every row (about 60 million at full size).
    """
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is list or kind is dict:
        return json.dumps(value).translate(_ESCAPES)
    return str(value)


class Writer:
    def __init__(self):
        self.is_postgres = connection.vendor == "postgresql"
        self._next_id: dict[type, int] = {}
        self.written: dict[str, int] = {}
        self._deferred: list[str] = []  # foreign keys and indexes to restore after the load

    def ids(self, model, count: int) -> range:
        """`count` fresh primary keys for `model` (after the table's current maximum)."""
        if model not in self._next_id:
            top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_id[model] = top + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return range(start, start + count)

    def write(self, model, columns: list[str], rows: Iterable[tuple]) -> int:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__}: no such columns {sorted(unknown)}")
        extra = [f for name, f in fields.items() if name not in columns]
        now = timezone.now()
        defaults = tuple(
            now if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) else f.get_default()
            for f in extra
        )
        all_columns = [*columns, *(f.attname for f in extra)]
        if self.is_postgres:
            db_columns = [fields[name].column for name in all_columns]
            self._drop_constraints(model._meta.db_table)
            count = self._copy(model, db_columns, rows, defaults)
        else:
            count = self._bulk_create(model, all_columns, rows, defaults)
        self.written[model._meta.label] = self.written.get(model._meta.label, 0) + count
        return count

    def _copy(self, model, columns, rows, defaults) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        lines = []
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
            for row in rows:
                lines.append("\t".join(map(_text, row + defaults)))
                count += 1
                if len(lines) >= COPY_CHUNK:
                    copy.write("\n".join(lines) + "\n")
                    lines = []
            if lines:
                copy.write("\n".join(lines) + "\n")
        return count

    def _drop_constraints(self, table: str) -> None:
        """Like pg_restore: load without foreign keys and secondary indexes, rebuild them once in `finish`.

        Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked row by row at commit otherwise.
        """
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
                self._deferred.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                self._deferred.append(definition)

    def finish(self) -> None:
        """Recreate the indexes and foreign keys dropped for the load (validating every row at once)."""
        with connection.cursor() as cursor:
            for statement in sorted(self._deferred, key=lambda s: s.startswith("ALTER")):
                cursor.execute(statement)
        self._deferred = []

    def _bulk_create(self, model, columns, rows, defaults) -> int:
        batch, count = [], 0
        for row in rows:
            batch.append(model(**dict(zip(columns, row + defaults, strict=True))))
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
            count += len(batch)
        return count

    def reset_sequences(self, models_written) -> None:
        """Move each identity sequence past the explicit ids written (PostgreSQL)."""
        if not self.is_postgres:
            return
        with connection.cursor() as cursor:
            for model in models_written:
                table = model._meta.db_table
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",  # noqa: S608  # nosec B608
                    [table, pk],
                )
