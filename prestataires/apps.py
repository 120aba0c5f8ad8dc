from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrestatairesConfig(AppConfig):
    name = "prestataires"
    verbose_name = _("Prestataires")

    def ready(self):
        from django.db.models.signals import post_save

        from ale_platform.context_processors import PERSON_FILES
        from ale_platform.models import Role
        from ale_platform.privacy import registry
        from ale_platform.privacy.models import TypePersonne

        from . import filters, privacy, services
        from .models import Prestataire, SituationEligibilite

        # An end date of an eligibility basis, by any path, tells the worker and staff at once.
        post_save.connect(services.on_situation_saved, sender=SituationEligibilite, dispatch_uid="basis_end_recorded")

        registry.register_kind(TypePersonne.PRESTATAIRE, model=Prestataire, module=privacy)
        privacy.register()
        registry.remark_reads.provide(filters.remark_reads)
        PERSON_FILES.register(Role.PRESTATAIRE, Prestataire)
