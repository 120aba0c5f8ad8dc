# PostgreSQL's `unaccent` (a trusted extension: the database owner may create it) for ale_platform.search.Folded.
# Nothing on SQLite, where the same folding is a Python function registered on each connection.
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ale_platform", "0006_agence_jour_cloture")]

    operations = [UnaccentExtension()]
