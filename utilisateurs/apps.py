from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtilisateursConfig(AppConfig):
    name = "utilisateurs"
    verbose_name = _("Utilisateurs (clients)")
