from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepriseConfig(AppConfig):
    """Data take-over: an ALE moving in imports its workers, clients, registrations and authorisations."""

    name = "reprise"
    verbose_name = _("Reprise de données")

    def ready(self):
        from . import notifications  # noqa: F401  (registers the notification kind)
