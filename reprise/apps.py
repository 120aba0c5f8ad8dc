from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepriseConfig(AppConfig):
    """Data take-over: an ALE moving in imports its workers, clients, registrations, authorisations, sites,
    contacts and this year's prestations."""

    name = "reprise"
    verbose_name = _("Reprise de données")

    def ready(self):
        from . import importeur_prestations, notifications  # noqa: F401  (register an importer, a notification)
