import datetime
from decimal import Decimal

from django.db import migrations


def seed_rate(apps, schema_editor):
    """The worker's allowance: €4.10 per hour (wallonie.be), unchanged since the early 2000s."""
    TauxIndemnite = apps.get_model("prestations", "TauxIndemnite")
    TauxIndemnite.objects.get_or_create(
        agence=None, valid_from=datetime.date(2002, 1, 1), defaults={"montant": Decimal("4.10")}
    )


class Migration(migrations.Migration):
    dependencies = [("prestations", "0003_cheques_and_more")]

    operations = [migrations.RunPython(seed_rate, migrations.RunPython.noop)]
