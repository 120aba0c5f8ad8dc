"""Feedback no longer scores a person: the 1–5 engagement level is removed.

No score is lost: each entry's level is appended to its text, published entries included. Those are immutable
(migration 0002's trigger), so the trigger is set aside for this one update and put back. On SQLite, removing the
check constraint rebuilds the table, which drops its triggers: the update trigger is created again at the end.
"""

from django.db import migrations, models

TABLE = "forem_liaison_retouradressage"
LEVELS = {1: "1 — Très faible", 2: "2 — Faible", 3: "3 — Moyen", 4: "4 — Bon", 5: "5 — Très bon"}
NOTE = "Note d'engagement donnée à la rédaction (échelle de 1 à 5, abandonnée depuis) : {level}."
SQLITE_TRIGGER = f"""CREATE TRIGGER IF NOT EXISTS forem_retour_immutable_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW WHEN OLD.statut = 'publie' BEGIN SELECT RAISE(ABORT, 'Un retour publié est immuable'); END;"""


def scores_into_text(apps, schema_editor):
    RetourAdressage = apps.get_model("forem_liaison", "RetourAdressage")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER forem_retour_immutable")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS forem_retour_immutable_update")
    for pk, texte, engagement in RetourAdressage.objects.values_list("pk", "texte", "engagement").iterator():
        note = NOTE.format(level=LEVELS.get(engagement, engagement))
        RetourAdressage.objects.filter(pk=pk).update(texte=f"{texte.rstrip()}\n\n{note}" if texte.strip() else note)
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER forem_retour_immutable")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("forem_liaison", "0002_retour_immutable_trigger"),
    ]

    operations = [
        migrations.RunPython(scores_into_text, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="retouradressage",
            name="retour_engagement_1_5",
        ),
        migrations.AlterField(
            model_name="retouradressage",
            name="texte",
            field=models.TextField(
                help_text=(
                    "Décrivez en mots des faits et l'implication de la personne (ponctualité, demandes, projets), "
                    "sans note ni appréciation chiffrée. Ce texte est lu par le Forem et par la personne : n'y "
                    "mettez aucune information sensible (santé, vie privée)."
                ),
                verbose_name="message au conseiller ou à la conseillère",
            ),
        ),
        migrations.RemoveField(
            model_name="retouradressage",
            name="engagement",
        ),
        migrations.RunPython(restore_sqlite_trigger, migrations.RunPython.noop),
    ]
