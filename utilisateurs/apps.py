from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtilisateursConfig(AppConfig):
    name = "utilisateurs"
    verbose_name = _("Utilisateurs (clients)")

    def ready(self):
        from ale_platform.context_processors import PERSON_FILES
        from ale_platform.models import Role
        from ale_platform.privacy.models import TypePersonne
        from ale_platform.privacy.registry import register_kind

        from . import notifications, privacy
        from .models import Utilisateur

        register_kind(TypePersonne.UTILISATEUR, model=Utilisateur, module=privacy)
        privacy.register()
        notifications.register()
        PERSON_FILES.register(Role.CLIENT, Utilisateur)
