from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PrestationsConfig(AppConfig):
    name = "prestations"
    verbose_name = _("Prestations et chèques ALE")

    def ready(self):
        # The monthly summaries are a derived cache of the register: kept in step with every write.
        from . import bilans, wiring
        from .models import Prestation

        wiring.connect()

        post_save.connect(bilans.on_prestation_saved, sender=Prestation, dispatch_uid="bilan_on_save")
        post_delete.connect(bilans.on_prestation_deleted, sender=Prestation, dispatch_uid="bilan_on_delete")
        # With a routing engine, a saved request gets its workers' real travel times in the background.
        from utilisateurs.models import Demande

        from .distance import queue_routes

        post_save.connect(queue_routes, sender=Demande, dispatch_uid="itineraires_on_demande_saved")
