"""A published feedback entry stays immutable, except for its GDPR anonymisation.

The one change the database accepts on a published entry: its text set to the anonymisation placeholder and its
facts emptied, every other column unchanged (forem_liaison.privacy.anonymise). Any other update stays refused, and
so does a delete on PostgreSQL (on SQLite only updates are guarded, as before: the test runner empties tables with
DELETE there). A later migration that rebuilds the table on SQLite must create the update trigger again.
"""

from django.db import migrations

TABLE = "forem_liaison_retouradressage"
# The placeholder of ale_platform.privacy.core, frozen here as the trigger knows it.
PLACEHOLDER = "(anonymisé)"
KEPT = ["id", "adressage_id", "auteur_id", "periode_debut", "periode_fin", "statut", "publie_le", "corrige_id"]
KEPT += ["created_at"]

PG_UP = f"""
CREATE OR REPLACE FUNCTION forem_retour_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.statut = 'publie' THEN
        IF TG_OP = 'UPDATE'
           AND NEW.texte = '{PLACEHOLDER}' AND NEW.faits = '{{}}'::jsonb
           AND ({", ".join(f"NEW.{c}" for c in KEPT)}) IS NOT DISTINCT FROM ({", ".join(f"OLD.{c}" for c in KEPT)})
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'Un retour publié est immuable';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
PG_DOWN = """
CREATE OR REPLACE FUNCTION forem_retour_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.statut = 'publie' THEN
        RAISE EXCEPTION 'Un retour publié est immuable';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_ANONYMISATION = " AND ".join(
    [f"NEW.texte = '{PLACEHOLDER}'", "NEW.faits = '{}'"] + [f"NEW.{c} IS OLD.{c}" for c in KEPT]
)
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS forem_retour_immutable_update;",
    f"""CREATE TRIGGER forem_retour_immutable_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW WHEN OLD.statut = 'publie' AND NOT ({SQLITE_ANONYMISATION})
    BEGIN SELECT RAISE(ABORT, 'Un retour publié est immuable'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS forem_retour_immutable_update;",
    f"""CREATE TRIGGER forem_retour_immutable_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW WHEN OLD.statut = 'publie' BEGIN SELECT RAISE(ABORT, 'Un retour publié est immuable'); END;""",
]


def _run(pg, sqlite):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(pg)
        elif vendor == "sqlite":
            for sql in sqlite:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("forem_liaison", "0003_retour_sans_note")]
    operations = [migrations.RunPython(_run(PG_UP, SQLITE_UP), _run(PG_DOWN, SQLITE_DOWN))]
