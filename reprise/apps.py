from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepriseConfig(AppConfig):
    """Data take-over: an ALE moving in imports its workers, clients, registrations, authorisations, sites,
    contacts, eligibility bases, contracts, this year's prestations and vouchers."""

    name = "reprise"
    verbose_name = _("Reprise de données")

    def ready(self):
        # Register the importers (one module per kind of file) and the notification.
        from ale_platform.privacy.registry import retention_purges

        from . import importeurs, notifications, privacy  # noqa: F401
        from .services import purge_files

        retention_purges.register("purges", purge_files)
        privacy.register()
