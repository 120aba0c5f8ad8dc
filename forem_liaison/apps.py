from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForemLiaisonConfig(AppConfig):
    name = "forem_liaison"
    verbose_name = _("Liaison avec les services de l'emploi")

    def ready(self):
        from ale_platform.privacy.models import TypePersonne
        from ale_platform.privacy.registry import register_kind

        from . import privacy
        from .models import Adressage

        register_kind(TypePersonne.ADRESSAGE, model=Adressage, module=privacy)
        privacy.register()
