"""`manage.py bilans [--agence ID ...]`: rebuild the dashboard's monthly summaries from the register.

Writes through the application keep them in step by themselves; run this after a bulk load or a restore
that bypassed the application (docs/performance.md).
"""

from django.core.management.base import BaseCommand

from prestations import bilans


class Command(BaseCommand):
    help = "Recalcule les bilans mensuels (graphiques du tableau de bord) à partir des prestations."

    def add_arguments(self, parser):
        parser.add_argument("--agence", type=int, action="append", dest="agences", help="identifiant d'une agence")

    def handle(self, *args, agences=None, **options):
        written = bilans.rebuild(agences)
        self.stdout.write(f"{written} bilans mensuels recalculés.")
