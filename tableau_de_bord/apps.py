from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TableauDeBordConfig(AppConfig):
    name = "tableau_de_bord"
    verbose_name = _("Tableau de bord et rapports")
