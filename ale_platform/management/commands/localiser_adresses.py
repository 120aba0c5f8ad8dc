from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from ale_platform.geo.models import Localisation, StatutGeocodage
from ale_platform.geo.services import queue_if_moved


class Command(BaseCommand):
    help = (
        "Met en file la localisation des adresses jamais localisées (après une mise à jour, ou pour réessayer "
        "les adresses introuvables avec --introuvables)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--introuvables", action="store_true", help="Réessayer aussi les adresses introuvables.")

    def handle(self, *args, introuvables=False, **options):
        from django.apps import apps
        from django.db import transaction

        statuts = [StatutGeocodage.A_LOCALISER, *([StatutGeocodage.INTROUVABLE] if introuvables else [])]
        total = 0
        for model in apps.get_models():
            if not issubclass(model, Localisation):
                continue
            for record in model.objects.filter(geocodage__in=statuts).iterator():
                with transaction.atomic():
                    record.geocodage_adresse = ""  # forces the lookup of the current address
                    total += queue_if_moved(record)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(n)s adresse mise en file de localisation.",
                    "%(n)s adresses mises en file de localisation.",
                    total,
                )
                % {"n": total}
            )
        )
