from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForemLiaisonConfig(AppConfig):
    name = "forem_liaison"
    verbose_name = _("Liaison Forem")
