from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrestatairesConfig(AppConfig):
    name = "prestataires"
    verbose_name = _("Prestataires")

    def ready(self):
        from ale_platform.privacy import registry
        from ale_platform.privacy.models import TypePersonne

        from . import filters, privacy
        from .models import Prestataire

        registry.register_kind(TypePersonne.PRESTATAIRE, model=Prestataire, module=privacy)
        registry.remark_reads.provide(filters.remark_reads)
