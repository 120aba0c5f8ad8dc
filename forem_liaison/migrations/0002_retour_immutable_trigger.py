"""Database-level guard: a published feedback entry (RetourAdressage) can be neither updated nor deleted.

On SQLite only updates are blocked: the test runner empties tables with DELETE there (PostgreSQL uses TRUNCATE,
which does not fire row triggers).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION forem_retour_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.statut = 'publie' THEN
        RAISE EXCEPTION 'Un retour publié est immuable';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER forem_retour_immutable BEFORE UPDATE OR DELETE ON forem_liaison_retouradressage
    FOR EACH ROW EXECUTE FUNCTION forem_retour_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS forem_retour_immutable ON forem_liaison_retouradressage;
DROP FUNCTION IF EXISTS forem_retour_immutable();
"""
SQLITE_UP = [
    """CREATE TRIGGER forem_retour_immutable_update BEFORE UPDATE ON forem_liaison_retouradressage
    FOR EACH ROW WHEN OLD.statut = 'publie' BEGIN SELECT RAISE(ABORT, 'Un retour publié est immuable'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS forem_retour_immutable_update;",
]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("forem_liaison", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
