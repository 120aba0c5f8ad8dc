from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrestatairesConfig(AppConfig):
    name = "prestataires"
    verbose_name = _("Prestataires")
