"""Seeds the eligibility rules (prestataires/rules.py), including the 1 January 2026 bases."""

from django.db import migrations

from prestataires.rules import seed_rules as _seed


def seed_rules(apps, schema_editor):
    _seed(apps.get_model("prestataires", "RegleEligibilite"))


def unseed_rules(apps, schema_editor):
    apps.get_model("prestataires", "RegleEligibilite").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("prestataires", "0003_dossier_complet")]
    operations = [migrations.RunPython(seed_rules, unseed_rules)]
